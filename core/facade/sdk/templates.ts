// The files of sdk-templates/<language>/package/, rendered with Handlebars: a file ending in .hbs is a
// template (its output drops the suffix), any other file (the runtime sources) is copied as is.
// Path segments may hold {{expressions}} too, e.g. src/{{module}}/flags.py.hbs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

export interface GeneratedFile {
  /** relative to the package root, with forward slashes */
  path: string;
  contents: string;
}

/** sdk-templates/ next to package.json, found from this module (source tree or dist/). */
export function templatesRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "sdk-templates");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("sdk-templates/ was not found next to the vexil package.json");
    dir = parent;
  }
}

/** Source files only: caches a toolchain leaves behind (.ruff_cache/, __pycache__/, target/) are not shipped. */
function isSource(dir: string, file: string): boolean {
  return !relative(dir, file)
    .split(sep)
    .some((part) => part.startsWith(".") || part === "__pycache__" || part === "target" || part.endsWith(".pyc"));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && isSource(dir, join(entry.parentPath, entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const engine = Handlebars.create();

function render(template: string, view: object, name: string): string {
  try {
    return engine.compile(template, { noEscape: true, strict: true })(view);
  } catch (error) {
    throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
  }
}

export function renderTemplates(language: string, view: object): GeneratedFile[] {
  const root = join(templatesRoot(), language, "package");
  return filesUnder(root).map((file) => {
    const name = relative(root, file).split(sep).join("/");
    const path = render(name, view, name).replace(/\.hbs$/, "");
    const text = readFileSync(file, "utf8");
    return { path, contents: name.endsWith(".hbs") ? render(text, view, name) : text };
  });
}

/** A package path with {{expressions}} of the view filled in. */
export function renderPath(path: string, view: object): string {
  return render(path, view, path);
}

/** The files under sdk-templates/<language>/<from> (those matching `only`, if given), placed under <to> in the package, unchanged. */
export function sharedFiles(language: string, from: string, to: string, only?: RegExp): GeneratedFile[] {
  const root = join(templatesRoot(), language, from);
  return filesUnder(root)
    .map((file) => relative(root, file).split(sep).join("/"))
    .filter((name) => only === undefined || only.test(name))
    .map((name) => ({ path: `${to}/${name}`, contents: readFileSync(join(root, name), "utf8") }));
}
