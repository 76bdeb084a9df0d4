// Operator matrix for the generated evaluation vectors: one boolean flag per condition ("on"
// when the condition holds), probed with attribute values of every JSON type, non-ASCII text,
// emoji and edge spellings. Expectations come from the TypeScript engine (gen-evaluation.ts).
import type { Condition } from "../../../core/schema/index.ts";
import type { CompiledFlag } from "../../../core/snapshot/snapshot.ts";

type Probe = unknown; // an attribute value; MISSING leaves the attribute out
export const MISSING = Symbol("missing");

const GENERIC: Probe[] = [MISSING, null, true, { nested: "UK" }, []];
const TEXT: Probe[] = ["UK", "uk", "", "José", "JOSÉ", "😀", "İstanbul", "ΣΑΣ", ["FR", "UK"], [null, "uk"]];
const NUMBERS: Probe[] = [0, 18, 18.5, -1, "18", "18.0", "1e1", " 18", "0x12", 1e21, [17, 19]];
const DATES: Probe[] = [
  "2026-11-24",
  "2026-11-24T09:00:00Z",
  "2026-11-24T10:00:00.5+01:00",
  "2026-11-24T24:00:00Z",
  "2026-02-30",
  "2026-13-01",
  "2026-11-24T10:00:00.123456789Z",
  "2026-11-24T10:00Z",
  "2026-11-24 10:00:00Z",
  1795514400000,
  "1795514400000",
];
const VERSIONS: Probe[] = [
  "1.2.3",
  "v1.2.3",
  " 1.2.3 ",
  "1.2.3-rc.1",
  "1.2.3-rc.10",
  "1.2.3-rc.9",
  "1.2.3-alpha",
  "1.2.3+build.7",
  "01.2.3",
  "1.2",
  "=1.2.3",
  "1.10.0",
  ["0.9.0", "2.0.0"],
];

interface OperatorCase {
  condition: Omit<Condition, "attribute">;
  probes: Probe[];
}

const ci = { caseInsensitive: true } as const;
const negate = { negate: true } as const;

export const OPERATOR_CASES: OperatorCase[] = [
  { condition: { operator: "equals", values: ["UK", "José"] }, probes: [...TEXT, ...GENERIC] },
  { condition: { operator: "equals", values: ["uk", "josé", "istanbul", "σας"], ...ci }, probes: TEXT },
  { condition: { operator: "equals", values: [18, "true"] }, probes: [...NUMBERS, true, false] },
  { condition: { operator: "equals", values: ["UK"], ...negate }, probes: [...TEXT, ...GENERIC] },
  { condition: { operator: "notEquals", values: ["UK", 0] }, probes: [...TEXT, 0, "0", "-0", ...GENERIC] },
  { condition: { operator: "in", values: ["DE", "UK", 1.5, 1e21] }, probes: [...TEXT, 1.5, "1.50", 1e21, "1e21"] },
  { condition: { operator: "notIn", values: ["UK"], ...ci, ...negate }, probes: [...TEXT, ...GENERIC] },
  { condition: { operator: "contains", values: ["os", "😀"] }, probes: [...TEXT, ["os"], ["José"], ...GENERIC] },
  { condition: { operator: "contains", values: ["OS", 18] }, probes: ["JOSÉ", "josé", "a18b", [18], ["18"], 18] },
  { condition: { operator: "contains", values: ["OSÉ"], ...ci }, probes: TEXT },
  { condition: { operator: "notContains", values: ["K"] }, probes: [...TEXT, ...GENERIC] },
  { condition: { operator: "startsWith", values: ["Jo", ""] }, probes: [...TEXT, 5, ...GENERIC] },
  { condition: { operator: "startsWith", values: ["İS"], ...ci }, probes: TEXT },
  { condition: { operator: "endsWith", values: ["K", "😀"], ...negate }, probes: [...TEXT, ...GENERIC] },
  { condition: { operator: "endsWith", values: ["ς"], ...ci }, probes: TEXT },
  { condition: { operator: "regex", values: ["^[A-Z]{2}$", "é"] }, probes: [...TEXT, 12, ...GENERIC] },
  { condition: { operator: "regex", values: ["^jos.$", "^\\p{Greek}+$"], ...ci }, probes: TEXT },
  {
    condition: { operator: "regex", values: ["(a+)+$", "(?=lookahead)", "a{1001}"] },
    probes: ["a".repeat(40) + "!", "aaa"],
  },
  { condition: { operator: "regex", values: ["^\\d+$", "^\\w+$"] }, probes: ["١٢٣", "123", "日本", "abc_1"] },
  { condition: { operator: "regex", values: ["^.$"] }, probes: ["😀", "é", "ab", ""] },
  { condition: { operator: "greaterThan", values: [18] }, probes: [...NUMBERS, ...GENERIC] },
  { condition: { operator: "greaterThanOrEqual", values: ["18", "not-a-number"] }, probes: NUMBERS },
  { condition: { operator: "lessThan", values: [0, 18.5] }, probes: [...NUMBERS, ...GENERIC] },
  { condition: { operator: "lessThanOrEqual", values: ["1e1"], ...negate }, probes: [...NUMBERS, ...GENERIC] },
  { condition: { operator: "semverEquals", values: ["1.2.3", "v2.0.0"] }, probes: [...VERSIONS, "2.0.0", ...GENERIC] },
  { condition: { operator: "semverGreaterThan", values: ["1.2.3-rc.9"] }, probes: VERSIONS },
  { condition: { operator: "semverLessThan", values: ["1.2.3", "bogus"] }, probes: VERSIONS },
  { condition: { operator: "semverLessThan", values: ["1.2.3-beta"], ...negate }, probes: [...VERSIONS, ...GENERIC] },
  { condition: { operator: "before", values: ["2026-11-24T10:00:00Z"] }, probes: [...DATES, ...GENERIC] },
  { condition: { operator: "after", values: ["2026-11-24", 1795514400000] }, probes: DATES },
  {
    condition: { operator: "after", values: ["2026-11-24T10:00:00+01:00"], ...negate },
    probes: [...DATES, ...GENERIC],
  },
  { condition: { operator: "exists" }, probes: ["", 0, false, ...GENERIC] },
  { condition: { operator: "exists", ...negate }, probes: ["x", ...GENERIC] },
];

/** The flag testing one condition on attribute "a". */
export function operatorFlag(key: string, condition: Omit<Condition, "attribute">): CompiledFlag {
  return {
    key,
    type: "boolean",
    variants: { on: true, off: false },
    defaultVariant: "off",
    offVariant: "off",
    enabled: true,
    killSwitch: false,
    prerequisites: [],
    targets: {},
    rules: [{ name: "r", segments: [], conditions: [{ attribute: "a", ...condition } as Condition], variant: "on" }],
    splitSalt: `${key}/split`,
    hasTargeting: true,
  };
}

/** The context for a probe: attribute "a" set to it (or absent), plus a user id. */
export function probeContext(probe: Probe): Record<string, unknown> {
  return probe === MISSING ? { targetingKey: "user-1" } : { targetingKey: "user-1", a: probe };
}

export function describeProbe(probe: Probe): string {
  if (probe === MISSING) return "(missing)";
  const text = JSON.stringify(probe);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
