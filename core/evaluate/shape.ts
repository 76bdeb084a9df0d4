// Shape checks for snapshot content read at prepare time. A snapshot normally comes from
// compile, but evaluators also load it from ConfigMaps and SDKs from the network, so a flag
// that is malformed must become a PARSE_ERROR naming the bad field rather than a crash.

export function expectObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

export function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array`);
  return value;
}

/** An optional array: undefined reads as empty. */
export function optionalArray(value: unknown, where: string): unknown[] {
  return value === undefined ? [] : expectArray(value, where);
}

export function expectString(value: unknown, where: string): string {
  if (typeof value !== "string") throw new Error(`${where} must be a string`);
  return value;
}

export function expectNumber(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${where} must be a finite number`);
  return value;
}
