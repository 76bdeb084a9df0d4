// zod builds parsed objects by assignment, and assigning a "__proto__" key sets the prototype
// instead: a JSON variant value `{"__proto__": {...}, "k": "v"}` came out as `{"k": "v"}`.
// The schema has already checked the value is JSON, so the value as written is put back:
// variant values are data, served exactly as the manifest wrote them.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** After a successful parse of `raw` into `parsed` (same kind), restore each variant's value as written. */
export function keepVariantValues(raw: unknown, parsed: unknown): void {
  if (!isObject(raw) || !isObject(parsed) || raw.kind !== "FeatureFlag") return;
  const rawVariants = (raw.spec as { variants?: unknown } | undefined)?.variants;
  const parsedVariants = (parsed.spec as { variants?: unknown } | undefined)?.variants;
  if (!Array.isArray(rawVariants) || !Array.isArray(parsedVariants)) return;
  parsedVariants.forEach((variant: unknown, index) => {
    const written: unknown = rawVariants[index];
    if (isObject(variant) && isObject(written) && isObject(written.value)) variant.value = written.value;
  });
}
