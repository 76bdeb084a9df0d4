// The inputs every language's SDK benchmark reads, written once per run into a temp directory:
// Vexil's compiled snapshot of bench/cases.ts and each peer's native configuration of the same
// four flags (the ones the Node engine benchmark uses), the flag keys and the users.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchUsers, FLAG_KEYS, flagdConfiguration, NON_MATCHING_USERS } from "../cases.ts";
import { growthbookFeatures } from "../systems/growthbook.ts";
import { unleashFeatures } from "../systems/unleash.ts";
import { benchSnapshot } from "../systems/vexil.ts";

export function writeBenchConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), "vexil-bench-sdk-"));
  const write = (name: string, value: unknown) =>
    writeFileSync(join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
  write("snapshot.json", benchSnapshot());
  write("flagd.json", flagdConfiguration());
  write("unleash.json", unleashFeatures());
  write("growthbook.json", growthbookFeatures());
  write("keys.json", FLAG_KEYS);
  write("users.json", benchUsers());
  write("non-matching.json", NON_MATCHING_USERS);
  return dir;
}
