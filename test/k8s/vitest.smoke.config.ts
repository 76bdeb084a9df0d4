// Stand-alone config for the cluster smoke test until the root vitest.config.ts gains an
// `integration` project:  npx vitest run --config test/k8s/vitest.smoke.config.ts
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/integration/**/*.integration.test.ts"],
    globalSetup: ["test/k8s/global-setup.ts"],
    // The first run may build kube-apiserver (minutes); later runs start the cluster in seconds.
    hookTimeout: 60_000,
    testTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
