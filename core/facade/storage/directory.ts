// A directory of YAML: the storage `vexil serve --flags DIR` reads and `kubectl apply -R -f DIR`
// applies. New resources go to `<dir>/<kind>s/<name>.yaml` (featureflags/, segments/,
// experiments/), one resource per file; a resource that already lives in a hand-written
// one-resource file is rewritten in place, so the API and hand edits can share a directory.
// Writes are atomic (temp file + rename in the same folder). The audit log is append-only
// JSON lines in `<dir>/.vexil-audit.jsonl`; manifest loading skips dotfiles, so it never
// reaches validate or compile.
import { appendFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { dump } from "js-yaml";
import { parseDocuments } from "../../manifest/documents.ts";
import { loadManifestPaths, sourceOf } from "../../manifest/load.ts";
import type { ResourceKind } from "../../schema/index.ts";
import type { AuditEntry } from "../audit.ts";
import { VexilError } from "../errors.ts";
import { byName, type FlagStorage, type ResourceOfKind, type StoredResource } from "./storage.ts";

export const AUDIT_FILE = ".vexil-audit.jsonl";

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

  /** Refuses to rewrite a file that holds other documents too: that would lose them. */
  async #ownFile(located: Located): Promise<string> {
    const file = located.file;
    if (file === undefined)
      throw new VexilError("STORAGE_ERROR", `cannot tell which file holds ${located.resource.metadata.name}`);
    const { documents } = parseDocuments(await readFile(file, "utf8"), file);
    if (documents.length > 1) {
      throw new VexilError(
        "STORAGE_ERROR",
        `${located.resource.kind} "${located.resource.metadata.name}" is in ${file} together with other resources; ` +
          "move it to a file of its own before changing it through the API",
      );
    }
    return file;
  }

  async put(resource: StoredResource): Promise<void> {
    const existing = await this.#find(resource.kind, resource.metadata.name);
    const file = existing ? await this.#ownFile(existing) : this.pathFor(resource.kind, resource.metadata.name);
    await mkdir(dirname(file), { recursive: true });
    const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
    await writeFile(temp, dump(resource, { noRefs: true, lineWidth: 120 }), "utf8");
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(kind: ResourceKind, name: string): Promise<boolean> {
    const existing = await this.#find(kind, name);
    if (existing === undefined) return false;
    await rm(await this.#ownFile(existing));
    return true;
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
