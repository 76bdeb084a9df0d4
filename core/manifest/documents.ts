// Split a manifest file into the objects it holds. YAML and JSON go through the same YAML 1.2
// parser (JSON is a subset), which also rejects duplicate keys that JSON.parse would silently
// let the last one win. Arrays and `kind: List` documents are flattened, as kubectl does.
import { loadAll, YAMLException } from "js-yaml";
import { ProblemCode, type ManifestProblem } from "./problem.ts";
import { MAX_YAML_ALIASES, YAML_EXPANSION_ALLOWANCE } from "../limits.ts";

export interface RawDocument {
  value: unknown;
  /** 1-based YAML document number */
  document: number;
  /** 1-based position in a JSON array or List, when the document held several */
  item?: number;
}

/** Which YAML document a 0-based line falls in: documents start at `---` or at first content. */
function documentAtLine(text: string, line: number): number {
  let document = 0;
  let open = false;
  for (const raw of text.split("\n").slice(0, line + 1)) {
    if (/^---(\s|$)/.test(raw)) {
      document++;
      open = true;
    } else if (/^\.\.\.(\s|$)/.test(raw)) {
      open = false;
    } else if (!open && raw.trim() !== "" && !raw.trimStart().startsWith("#") && !raw.startsWith("%")) {
      document++;
      open = true;
    }
  }
  return Math.max(document, 1);
}

/** The key text at an error position: `enabled` in `  enabled: true`. */
function keyAt(text: string, position: number): string {
  const rest = text.slice(position).split("\n")[0] ?? "";
  const match = /^\s*("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(rest);
  return match?.[1]?.replace(/^["']|["']$/g, "") ?? "";
}

function syntaxProblem(error: YAMLException, text: string, file: string | undefined): ManifestProblem {
  const mark = error.mark;
  const line = mark?.line ?? 0;
  const problem: ManifestProblem = {
    code: ProblemCode.YAML_SYNTAX,
    message: `invalid YAML: ${error.reason}`,
    line: line + 1,
    column: (mark?.column ?? 0) + 1,
    document: documentAtLine(text, line),
  };
  if (file !== undefined) problem.file = file;
  if (error.reason === "duplicated mapping key") {
    const key = mark ? keyAt(text, mark.position) : "";
    problem.code = ProblemCode.DUPLICATE_KEY;
    problem.message = `duplicate key${key ? ` "${key}"` : ""}: a key may appear only once in a mapping`;
  }
  return problem;
}

function isList(value: unknown): value is { kind: "List"; items: unknown } {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "List";
}

function flatten(value: unknown, document: number): RawDocument[] {
  let items: unknown[] | undefined;
  if (Array.isArray(value)) items = value;
  else if (isList(value)) items = Array.isArray(value.items) ? value.items : [];
  if (items === undefined) return [{ value, document }];
  return items.map((item, index) => ({ value: item, document, item: index + 1 })).filter((d) => d.value != null);
}

/**
 * Values a document holds once its aliases are expanded, counted up to `limit`. js-yaml shares
 * one object per anchor, so the walk is over distinct objects (memoised), never the expansion.
 */
export function expandedSize(root: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const opened = new Set<object>(); // a recursive alias makes a cycle: its expansion is infinite
  const stack: { node: object; children: unknown[]; index: number; size: number }[] = [];
  const open = (node: object) => {
    opened.add(node);
    stack.push({ node, children: Object.values(node), index: 0, size: 1 });
  };
  if (typeof root !== "object" || root === null) return 1;
  open(root);
  let result = 1;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.size > limit || frame.index >= frame.children.length) {
      stack.pop();
      sizes.set(frame.node, frame.size);
      if (stack.length === 0) result = frame.size;
      else stack[stack.length - 1]!.size += frame.size;
      continue;
    }
    const child = frame.children[frame.index++];
    if (typeof child !== "object" || child === null) frame.size += 1;
    else if (sizes.has(child)) frame.size += sizes.get(child)!;
    else if (opened.has(child)) return limit + 1;
    else open(child);
  }
  return Math.min(result, limit + 1);
}

function expansionProblem(values: unknown[], text: string, file: string | undefined): ManifestProblem | undefined {
  const limit = text.length + YAML_EXPANSION_ALLOWANCE;
  const index = values.findIndex((value) => expandedSize(value, limit) > limit);
  if (index < 0) return undefined;
  const problem: ManifestProblem = {
    code: ProblemCode.YAML_TOO_LARGE,
    document: index + 1,
    message:
      `YAML aliases expand this document to more than ${limit} values (the file's ${text.length} characters ` +
      `plus ${YAML_EXPANSION_ALLOWANCE}): refused as an alias bomb; write the values out or use fewer aliases`,
  };
  if (file !== undefined) problem.file = file;
  return problem;
}

/** Parse every document of a YAML or JSON text; a syntax error reports where it is and yields nothing. */
export function parseDocuments(text: string, file?: string): { documents: RawDocument[]; problems: ManifestProblem[] } {
  let values: unknown[];
  try {
    values = loadAll(text, { ...(file !== undefined ? { filename: file } : {}), maxAliases: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof YAMLException) return { documents: [], problems: [syntaxProblem(error, text, file)] };
    throw error;
  }
  const tooLarge = expansionProblem(values, text, file);
  if (tooLarge !== undefined) return { documents: [], problems: [tooLarge] };
  const documents = values.flatMap((value, index) => (value == null ? [] : flatten(value, index + 1)));
  return { documents, problems: [] };
}
