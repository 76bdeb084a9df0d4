// Starts a real evaluator on 127.0.0.1 over a temporary directory of flag YAML.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createEvaluatorServer, type EvaluatorServer, type EvaluatorServerOptions } from "../../../evaluator/server.ts";
import { DirectorySnapshotSource } from "../../../evaluator/sources/directory.ts";

export interface Harness {
  baseUrl: string;
  dir: string;
  source: DirectorySnapshotSource;
  evaluator: EvaluatorServer;
  write(file: string, yaml: string): Promise<void>;
  metric(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startEvaluator(
  files: Record<string, string>,
  options: Omit<EvaluatorServerOptions, "source"> = {},
): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), "vexil-serve-"));
  for (const [file, yaml] of Object.entries(files)) await writeFile(path.join(dir, file), yaml);
  const source = new DirectorySnapshotSource({ dir, namespace: "default", environment: "production", debounceMs: 50 });
  const evaluator = createEvaluatorServer({ source, defaultMetrics: false, ...options });
  await source.start();
  const running = await evaluator.listen(0, "127.0.0.1");
  return {
    baseUrl: `http://127.0.0.1:${running.port}`,
    dir,
    source,
    evaluator,
    write: (file, yaml) => writeFile(path.join(dir, file), yaml),
    metric: (name) => evaluator.metrics.registry.getSingleMetricAsString(name),
    async close() {
      await running.close();
      await source.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function flagYaml(name: string, spec: string): string {
  const indented = spec
    .trim()
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
  return `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata:\n  name: ${name}\nspec:\n${indented}\n---\n`;
}

/** One flag per type and per reason. */
export const CATALOGUE = [
  flagYaml("static-bool", "type: boolean"),
  flagYaml(
    "banner-color",
    `type: string
variants: [{name: blue, value: blue}, {name: green, value: green}]
defaultVariant: blue
offVariant: green
targets: [{variant: green, values: [vip-1]}]`,
  ),
  flagYaml(
    "discount",
    `type: number
variants: [{name: none, value: 0}, {name: some, value: 2.5}]
defaultVariant: none
offVariant: none
rules:
  - name: french
    conditions: [{attribute: country, operator: in, values: [FR]}]
    serve: {variant: some}`,
  ),
  flagYaml(
    "theme",
    `type: json
variants:
  - {name: light, value: {background: white, size: 12}, weight: 50}
  - {name: dark, value: {background: black, size: 14}, weight: 50}
defaultVariant: light
offVariant: light`,
  ),
  flagYaml("all-in", "type: boolean\nrollout: {strategy: percentage, percentage: 100}"),
  flagYaml("switched-off", "type: boolean\nenabled: false"),
  flagYaml("needs-switched-off", 'type: boolean\nprerequisites: [{flag: switched-off, variants: ["on"]}]'),
].join("");
