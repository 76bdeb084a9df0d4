// The flags each server loads: the four benchmark cases (bench/cases.ts) for the load runs,
// and 10 000 generated flags (one YAML file each) for the memory measurement, in Vexil's and
// in flagd's format.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { flagdConfiguration, VEXIL_YAML } from "../cases.ts";

export interface FlagFiles {
  /** directory of Vexil YAML (what `vexil serve --flags` reads) */
  vexilDir: string;
  /** flagd flag definition file */
  flagdFile: string;
}

export function writeCaseFlags(root: string): FlagFiles {
  const vexilDir = join(root, "cases-vexil");
  mkdirSync(vexilDir, { recursive: true });
  writeFileSync(join(vexilDir, "bench.yaml"), VEXIL_YAML);
  const flagdFile = join(root, "cases-flagd.json");
  writeFileSync(flagdFile, flagdConfiguration());
  return { vexilDir, flagdFile };
}

/** The i-th generated flag: a mix of static flags, rules, rollouts and splits, like a real estate. */
function manyFlagYaml(i: number): string {
  const name = `generated-flag-${String(i).padStart(5, "0")}`;
  const head = `apiVersion: flags.vexil.dev/v1alpha1\nkind: FeatureFlag\nmetadata: { name: ${name} }\nspec:\n  description: Generated flag ${i} for the memory benchmark\n  owner: team-${i % 40}\n`;
  switch (i % 4) {
    case 0:
      return `${head}  type: boolean\n  defaultVariant: "on"\n`;
    case 1:
      return `${head}  type: boolean\n  defaultVariant: "off"\n  rules:\n    - name: rule-${i}\n      conditions:\n        - { attribute: country, operator: in, values: [US, UK, CA] }\n        - { attribute: plan, operator: equals, values: [premium] }\n      serve: { variant: "on" }\n`;
    case 2:
      return `${head}  type: boolean\n  defaultVariant: "on"\n  offVariant: "off"\n  rollout: { strategy: percentage, percentage: ${i % 100} }\n`;
    default:
      return `${head}  type: string\n  variants:\n    - { name: a, value: variant-a-${i}, weight: 50 }\n    - { name: b, value: variant-b-${i}, weight: 30 }\n    - { name: c, value: variant-c-${i}, weight: 20 }\n  defaultVariant: a\n`;
  }
}

function manyFlagFlagd(i: number): [string, unknown] {
  const name = `generated-flag-${String(i).padStart(5, "0")}`;
  const bool = { on: true, off: false };
  const base = { state: "ENABLED", metadata: { description: `Generated flag ${i} for the memory benchmark` } };
  switch (i % 4) {
    case 0:
      return [name, { ...base, variants: bool, defaultVariant: "on" }];
    case 1: {
      const rule = { and: [{ in: [{ var: "country" }, ["US", "UK", "CA"]] }, { "==": [{ var: "plan" }, "premium"] }] };
      return [name, { ...base, variants: bool, defaultVariant: "off", targeting: { if: [rule, "on", "off"] } }];
    }
    case 2:
      return [
        name,
        {
          ...base,
          variants: bool,
          defaultVariant: "off",
          targeting: {
            fractional: [
              ["on", i % 100],
              ["off", 100 - (i % 100)],
            ],
          },
        },
      ];
    default: {
      const variants = { a: `variant-a-${i}`, b: `variant-b-${i}`, c: `variant-c-${i}` };
      return [
        name,
        {
          ...base,
          variants,
          defaultVariant: "a",
          targeting: {
            fractional: [
              ["a", 50],
              ["b", 30],
              ["c", 20],
            ],
          },
        },
      ];
    }
  }
}

export function writeManyFlags(root: string, count: number): FlagFiles {
  const vexilDir = join(root, `many-vexil-${count}`);
  mkdirSync(vexilDir, { recursive: true });
  const flagd: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    writeFileSync(join(vexilDir, `flag-${String(i).padStart(5, "0")}.yaml`), manyFlagYaml(i));
    const [key, flag] = manyFlagFlagd(i);
    flagd[key] = flag;
  }
  const flagdFile = join(root, `many-flagd-${count}.json`);
  writeFileSync(flagdFile, JSON.stringify({ flags: flagd }));
  return { vexilDir, flagdFile };
}
