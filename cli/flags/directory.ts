// `vexil flags` on a directory of YAML: the kill switch is the one-line edit a person would make
// (`killSwitch: true` in the flag's own document), written atomically, nothing else touched.
import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { editResourceText } from "../../core/manifest/edit.ts";
import { formatProblem, loadManifestPaths, sourceOf, type ManifestProblem } from "../../core/manifest/load.ts";
import { didYouMean } from "../../core/names/suggest.ts";
import type { FeatureFlag } from "../../core/schema/index.ts";
import { requireExistingPath } from "../flags-input.ts";

export class FlagNotFound extends Error {}

export interface KillSwitchChange {
  key: string;
  killSwitch: boolean;
  /** false when the flag already was in that state (nothing written) */
  changed: boolean;
  /** the file edited (directory) or the namespace patched (cluster) */
  where: string;
}

export async function listDirectoryFlags(dir: string): Promise<{ flags: FeatureFlag[]; problems: ManifestProblem[] }> {
  await requireExistingPath("--flags", dir);
  const { resources, problems } = await loadManifestPaths([dir]);
  const flags = resources.filter((r): r is FeatureFlag => r.kind === "FeatureFlag");
  return { flags: flags.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)), problems };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  await writeFile(temp, text, "utf8");
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function setDirectoryKillSwitch(dir: string, key: string, on: boolean): Promise<KillSwitchChange> {
  const { flags, problems } = await listDirectoryFlags(dir);
  const flag = flags.find((f) => f.metadata.name === key);
  if (flag === undefined) {
    const own = problems.filter((p) => p.name === key).map((p) => formatProblem(p));
    const why = own.length > 0 ? `; its manifest has problems:\n${own.join("\n")}` : "";
    const hint = didYouMean(
      key,
      flags.map((f) => f.metadata.name),
    );
    throw new FlagNotFound(`flag "${key}" not found in ${dir}${hint}${why}`);
  }
  const file = sourceOf(flag).file;
  if (file === undefined) throw new Error(`cannot tell which file holds flag "${key}"`);
  if (Boolean(flag.spec.killSwitch) === on) return { key, killSwitch: on, changed: false, where: file };
  const text = await readFile(file, "utf8");
  const edited = editResourceText(text, file, "FeatureFlag", key, [{ path: ["spec", "killSwitch"], value: on }]);
  await writeAtomically(file, edited);
  return { key, killSwitch: on, changed: true, where: file };
}
