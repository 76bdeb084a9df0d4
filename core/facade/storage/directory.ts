// A directory of YAML: the storage `vexil serve --flags DIR` reads and `kubectl apply -R -f DIR`
// applies, and what teams keep in git. A change to a resource that already exists is the edit a
// person would make: only the changed fields of its document are touched (core/manifest/edit.ts,
// the `yaml` Document API), so comments, key order, quoting and the other documents of a
// multi-document file stay byte for byte. New resources go to `<dir>/<kind>s/<name>.yaml`
// (featureflags/, segments/, experiments/). Writes are atomic (temp file + rename in the same
// folder). The audit log is append-only JSON lines in `<dir>/.vexil-audit.jsonl`; manifest
// loading skips dotfiles, so it never reaches validate or compile. watch() reports changes made
// by anyone else (another process, `vexil flags kill`, a `git pull`).
import { watch as watchFiles, type FSWatcher } from "node:fs";
import { appendFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { dump } from "js-yaml";
import { diffFields, editResourceText, removeResourceText } from "../../manifest/edit.ts";
import { loadManifestPaths, sourceOf } from "../../manifest/load.ts";
import type { ResourceKind } from "../../schema/index.ts";
import type { AuditEntry } from "../audit.ts";
import { VexilError } from "../errors.ts";
import { byName, type FlagStorage, type ResourceOfKind, type StoredResource } from "./storage.ts";

export const AUDIT_FILE = ".vexil-audit.jsonl";

/** Editors and git write in bursts: one reload after the burst. */
const WATCH_DEBOUNCE_MS = 50;

function stripStatus(resource: StoredResource): Omit<StoredResource, "status"> {
  const { status: _status, ...rest } = resource as StoredResource & { status?: unknown };
  return rest;
}

/** A file the API cannot edit (broken YAML, a resource not where it was) is a STORAGE_ERROR. */
function storageError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new VexilError("STORAGE_ERROR", (error as Error).message, { cause: error });
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  await writeFile(temp, text, "utf8");
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

interface Located {
  resource: StoredResource;
  file: string | undefined;
}

export class DirectoryStorage implements FlagStorage {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Where a new resource of this kind and name is written. */
  pathFor(kind: ResourceKind, name: string): string {
    return join(this.dir, `${kind.toLowerCase()}s`, `${name}.yaml`);
  }

  async #load(): Promise<Located[]> {
    const { resources, problems } = await loadManifestPaths([this.dir]);
    const missing = problems.some((p) => p.code === "READ_ERROR" && p.file === this.dir);
    if (missing) return [];
    return resources.map((resource) => ({ resource, file: sourceOf(resource).file }));
  }

  async #find(kind: ResourceKind, name: string): Promise<Located | undefined> {
    return (await this.#load()).find((l) => l.resource.kind === kind && l.resource.metadata.name === name);
  }

  async list<K extends ResourceKind>(kind: K): Promise<ResourceOfKind<K>[]> {
    const found = (await this.#load()).map((l) => l.resource).filter((r) => r.kind === kind);
    return found.sort(byName) as ResourceOfKind<K>[];
  }

  async get<K extends ResourceKind>(kind: K, name: string): Promise<ResourceOfKind<K> | undefined> {
    return (await this.#find(kind, name))?.resource as ResourceOfKind<K> | undefined;
  }

  #fileOf(located: Located): string {
    if (located.file === undefined)
      throw new VexilError("STORAGE_ERROR", `cannot tell which file holds ${located.resource.metadata.name}`);
    return located.file;
  }

  async put(resource: StoredResource): Promise<void> {
    const { kind } = resource;
    const name = resource.metadata.name;
    const existing = await this.#find(kind, name);
    if (existing === undefined) {
      await writeAtomically(this.pathFor(kind, name), dump(resource, { noRefs: true, lineWidth: 120 }));
      return;
    }
    const file = this.#fileOf(existing);
    const edits = diffFields(stripStatus(existing.resource), stripStatus(resource));
    if (edits.length === 0) return; // nothing changed: the file stays byte-identical
    const text = await readFile(file, "utf8");
    await writeAtomically(
      file,
      storageError(() => editResourceText(text, file, kind, name, edits)),
    );
  }

  async delete(kind: ResourceKind, name: string): Promise<boolean> {
    const existing = await this.#find(kind, name);
    if (existing === undefined) return false;
    const file = this.#fileOf(existing);
    const text = await readFile(file, "utf8");
    const rest = storageError(() => removeResourceText(text, file, kind, name));
    if (rest.trim() === "") await rm(file);
    else await writeAtomically(file, rest);
    return true;
  }

  /**
   * Calls onChange (debounced) whenever a file under the directory changes, whoever changed it.
   * Returns the function that stops watching; the watcher never keeps the process alive.
   */
  watch(onChange: () => void): () => void {
    let watcher: FSWatcher | undefined;
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(onChange, WATCH_DEBOUNCE_MS);
      timer.unref();
    };
    try {
      watcher = watchFiles(this.dir, { recursive: true }, changed);
      watcher.on("error", () => watcher?.close());
      watcher.unref();
    } catch {
      return () => {}; // no directory (yet) or no file events here: the definition cache's TTL applies
    }
    return () => {
      clearTimeout(timer);
      watcher?.close();
    };
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // one write per entry with O_APPEND: concurrent writers interleave whole lines
    await appendFile(join(this.dir, AUDIT_FILE), `${JSON.stringify(entry)}\n`, "utf8");
  }

  async readAudit(): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(join(this.dir, AUDIT_FILE), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    // a line cut short by a crash is skipped rather than failing the whole history
    return text.split("\n").flatMap((line) => {
      if (line.trim() === "") return [];
      try {
        return [JSON.parse(line) as AuditEntry];
      } catch {
        return [];
      }
    });
  }
}
