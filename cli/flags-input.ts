// What eval, compile, serve and `flags` share about their --flags and --env arguments: a path
// that does not exist and an environment no manifest knows are usage errors (exit 2), each with
// the nearest existing name, instead of an empty snapshot that answers FLAG_NOT_FOUND.
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { loadManifestPaths, type AnyResource } from "../core/manifest/load.ts";
import { didYouMean } from "../core/names/suggest.ts";
import { UsageError } from "./output.ts";

/** The environment every flag has, overrides or not. */
export const DEFAULT_ENVIRONMENT = "production";

/** Throws a UsageError naming the path (and a sibling with a close name) when it does not exist. */
export async function requireExistingPath(option: string, path: string): Promise<void> {
  try {
    await stat(path);
  } catch {
    const parent = dirname(resolve(path));
    const siblings = await readdir(parent).catch(() => [] as string[]);
    throw new UsageError(`${option} ${path}: no such file or directory${didYouMean(basename(path), siblings)}`);
  }
}

/** production plus every environment a flag overrides or an experiment runs in. */
export function knownEnvironments(resources: readonly AnyResource[]): string[] {
  const names = new Set<string>([DEFAULT_ENVIRONMENT]);
  for (const resource of resources) {
    if (resource.kind === "FeatureFlag") {
      for (const name of Object.keys(resource.spec.environments ?? {})) names.add(name);
    } else if (resource.kind === "Experiment") {
      names.add(resource.spec.environment);
    }
  }
  return [...names].sort();
}

export function requireKnownEnvironment(environment: string, resources: readonly AnyResource[], where: string): void {
  const known = knownEnvironments(resources);
  if (known.includes(environment)) return;
  throw new UsageError(
    `unknown environment "${environment}"${didYouMean(environment, known)}: the manifests in ${where} know ${known.join(", ")}`,
  );
}

/** Load --flags for a command that compiles for one environment; usage errors as above. */
export async function loadForEnvironment(dir: string, environment: string): ReturnType<typeof loadManifestPaths> {
  await requireExistingPath("--flags", dir);
  const loaded = await loadManifestPaths([dir]);
  requireKnownEnvironment(environment, loaded.resources, dir);
  return loaded;
}
