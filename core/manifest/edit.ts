// Change a resource inside the YAML a person wrote, the way that person would: only the fields
// that changed are touched, through the `yaml` package's Document API, so comments, key order,
// quoting, flow or block style and the other documents of a multi-document file stay as they
// were. A change that changes nothing leaves the text byte-identical.
import { CST, isCollection, isScalar, isSeq, Parser, parseDocument, type Document } from "yaml";

/** How a changed document may be written back: never folded; `[a, b]` or `[ a, b ]` as its author wrote. */
type Style = { lineWidth: number; flowCollectionPadding: boolean };
const STYLES: readonly Style[] = [
  { lineWidth: 0, flowCollectionPadding: false },
  { lineWidth: 0, flowCollectionPadding: true },
];

export type FieldPath = (string | number)[];

/** Set `value` at `path`, or remove the field when `value` is undefined. */
export interface FieldEdit {
  path: FieldPath;
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The field edits that turn `before` into `after`: objects key by key, lists of the same length
 * item by item (so a comment inside a rule survives a change to that rule), anything else whole.
 */
export function diffFields(before: unknown, after: unknown, path: FieldPath = []): FieldEdit[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => diffFields(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => diffFields(item, after[index], [...path, index]));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, value: after }];
}

function applyEdit(doc: Document, { path, value }: FieldEdit): void {
  if (value === undefined) {
    doc.deleteIn(path);
    return;
  }
  const existing = doc.getIn(path, true);
  if (isScalar(existing) && !isCollection(value) && (typeof value !== "object" || value === null)) {
    existing.value = value; // keeps the scalar's quoting and any comment on it
    return;
  }
  const node = doc.createNode(value);
  if (isSeq(existing) && existing.flow && isCollection(node)) node.flow = true;
  doc.setIn(path, node);
}

function isResource(doc: Document, kind: string, name: string): boolean {
  return doc.get("kind") === kind && doc.getIn(["metadata", "name"]) === name;
}

/**
 * The exact source text of each document, in order: joined they are the file byte for byte.
 * Comments and markers between documents go with the document they precede (or the last one).
 */
function documentSlices(text: string): string[] {
  const slices: string[] = [];
  let pending = "";
  for (const token of new Parser().parse(text)) {
    const source = CST.stringify(token);
    if (token.type === "document") {
      slices.push(pending + source);
      pending = "";
    } else pending += source;
  }
  if (slices.length === 0) return pending === "" ? [] : [pending];
  slices[slices.length - 1] += pending;
  return slices;
}

function parseSlice(slice: string, file: string): Document {
  const doc = parseDocument(slice);
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? "invalid YAML"}`);
  return doc;
}

function splitLines(text: string): string[] {
  return text.split("\n");
}

/**
 * `original` with the change from `before` to `after` (two renderings of the same document)
 * spliced in: the lines the renderings share at the start and end are kept as the author wrote
 * them, only the lines in between are replaced. Falls back to `after` when the renderer changed
 * the document's line count (it could then not tell which lines correspond).
 */
function splice(original: string, before: string, after: string): string {
  const o = splitLines(original);
  const b = splitLines(before);
  const a = splitLines(after);
  if (o.length !== b.length) return after;
  let head = 0;
  while (head < b.length && head < a.length && b[head] === a[head]) head++;
  let tail = 0;
  while (tail < b.length - head && tail < a.length - head && b[b.length - 1 - tail] === a[a.length - 1 - tail]) tail++;
  return [...o.slice(0, head), ...a.slice(head, a.length - tail), ...o.slice(o.length - tail)].join("\n");
}

/** Render options under which the untouched document comes out closest to what the author wrote. */
function closestStyle(doc: Document, original: string): Style {
  const lines = splitLines(original);
  let best: Style = { lineWidth: 0, flowCollectionPadding: false };
  let bestScore = -1;
  for (const style of STYLES) {
    const rendered = splitLines(doc.toString(style));
    const score = rendered.filter((line, i) => line === lines[i]).length;
    if (score > bestScore) [best, bestScore] = [style, score];
  }
  return best;
}

/** `text` with the edits applied to the document holding kind/name; throws when it is not there. */
export function editResourceText(text: string, file: string, kind: string, name: string, edits: FieldEdit[]): string {
  if (edits.length === 0) return text;
  const slices = documentSlices(text);
  const index = slices.findIndex((slice) => isResource(parseSlice(slice, file), kind, name));
  const slice = slices[index];
  if (slice === undefined) throw new Error(`${file} holds no ${kind} "${name}"`);
  const doc = parseSlice(slice, file);
  const style = closestStyle(doc, slice);
  const before = doc.toString(style);
  for (const edit of edits) applyEdit(doc, edit);
  slices[index] = splice(slice, before, doc.toString(style));
  return slices.join("");
}

/** `text` without the document holding kind/name (other documents as they were); "" if none is left. */
export function removeResourceText(text: string, file: string, kind: string, name: string): string {
  const slices = documentSlices(text);
  const kept = slices.filter((slice) => !isResource(parseSlice(slice, file), kind, name));
  if (kept.length === slices.length) throw new Error(`${file} holds no ${kind} "${name}"`);
  return kept.join("");
}
