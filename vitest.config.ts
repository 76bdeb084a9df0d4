import { defineConfig } from "vitest/config";

// Four projects: fast unit/property/HTTP tests, SDK toolchain tests, integration tests that need the real
// kube-apiserver + etcd started once per run by the global setup, and the soak (run alone, last).
export default defineConfig({
  test: {
    reporters: ["default", "./test/reporters/summary.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["{core,event-store,kube,api,evaluator,operator,cli,test}/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "test/sdk/**", "test/soak/**", "node_modules/**", "dist/**"],
          testTimeout: 30_000,
        },
      },
      {
        // each language's real toolchain on a generated SDK against a live evaluator
        test: {
          name: "sdk",
          include: ["test/sdk/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.integration.test.ts"],
          globalSetup: ["test/k8s/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        // the bounded soak: run on its own after the rest (npm run test:soak), so that its latency
        // bound measures the evaluator rather than other test files sharing the cores
        test: {
          name: "soak",
          include: ["test/soak/**/*.test.ts"],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
