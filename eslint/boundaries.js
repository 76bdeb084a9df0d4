// The design's boundaries, held by lint (docs/architecture.md explains each rule and why).
// Top level: core is self-contained; kube, webhooks and event-store are adapters that import only core;
// evaluator and operator are siblings that meet only through the snapshot ConfigMaps and the event store;
// api is the public TypeScript entry; only cli, tests, benchmarks and scripts may import everything.
// Inside core the data path runs manifest → validate → compile → snapshot → evaluate: a stage may use
// the stages before it, never one after it, and nothing in core imports the facade.
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

const everythingBut = (...allowed) =>
  ["core", "kube", "webhooks", "event-store", "evaluator", "operator", "api", "cli", "test", "bench", "scripts"]
    .filter((folder) => !allowed.includes(folder))
    .map((folder) => `./${folder}`);

const zone = (target, from, message) => ({ target: `./${target}`, from, message });

const topLevel = [
  zone("core", everythingBut("core"), "core/ is self-contained: it imports nothing outside core/."),
  zone("kube", everythingBut("core", "kube"), "kube/ is shared plumbing: it imports only core/."),
  zone("webhooks", everythingBut("core", "webhooks"), "webhooks/ is an adapter: it imports only core/."),
  zone("event-store", everythingBut("core", "event-store"), "event-store/ is an adapter: it imports only core/."),
  zone(
    "evaluator",
    everythingBut("core", "kube", "webhooks", "event-store", "evaluator"),
    "evaluator/ and operator/ are siblings: they meet only through the snapshot ConfigMaps and the event store, never by import.",
  ),
  zone(
    "operator",
    everythingBut("core", "kube", "webhooks", "event-store", "operator"),
    "evaluator/ and operator/ are siblings: they meet only through the snapshot ConfigMaps and the event store, never by import.",
  ),
  zone(
    "api",
    everythingBut("core", "kube", "webhooks", "event-store", "api"),
    "api/ is the public TypeScript entry: it builds on core/ and the adapters, never on the evaluator, operator or CLI.",
  ),
];

const stages = ["schema", "hashing", "manifest", "validate", "compile", "snapshot", "evaluate", "statistics"];
// what each stage of core may import from the others (besides itself)
const coreAllowed = {
  schema: [],
  hashing: [],
  statistics: ["schema"],
  manifest: ["schema"],
  validate: ["schema", "manifest", "hashing"],
  compile: ["schema", "manifest", "validate", "hashing", "snapshot"],
  snapshot: ["schema", "hashing"],
  evaluate: ["schema", "hashing", "snapshot"],
};
const coreLayers = Object.entries(coreAllowed).map(([stage, allowed]) =>
  zone(
    `core/${stage}`,
    [...stages.filter((other) => other !== stage && !allowed.includes(other)), "facade"].map(
      (other) => `./core/${other}`,
    ),
    `core/${stage} may import only ${allowed.length ? allowed.map((a) => `core/${a}`).join(", ") : "itself"} within core (the data path runs manifest → validate → compile → snapshot → evaluate; no stage imports a later one or the facade).`,
  ),
);

export const boundaries = [
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })] },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: [...topLevel, ...coreLayers] }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // core does no network I/O: the evaluator, operator and adapters own the sockets
    files: ["core/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["node:http", "node:https", "node:net", "node:tls", "node:dgram", "http", "https", "net", "tls"].map(
            (name) => ({
              name,
              message: "core/ does no network I/O: put it in an adapter (webhooks/, kube/, event-store/).",
            }),
          ),
        },
      ],
    },
  },
];
