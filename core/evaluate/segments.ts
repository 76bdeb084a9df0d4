// Segments and matchers (the "all of these segments and all of these conditions" test shared
// by rules, ring rollouts and experiment audiences).
//
// Segment membership: the segment's key attribute (default targetingKey) listed in `excluded`
// → not a member (exclusion wins); listed in `included` → member; otherwise its conditions
// decide with match all|any; a segment with no conditions has only its included users.
import { attributeOf, keyString, TARGETING_KEY, type Context } from "./context.ts";
import { conditionHolds, type PreparedCondition } from "./operators.ts";
import { prepareCondition } from "./conditions.ts";
import { expectObject, optionalArray } from "./shape.ts";

export interface PreparedSegment {
  name: string;
  key: string;
  included: Set<string>;
  excluded: Set<string>;
  matchAny: boolean;
  conditions: PreparedCondition[];
}

export interface PreparedMatcher {
  segments: PreparedSegment[];
  conditions: PreparedCondition[];
}

export function isSegmentMember(segment: PreparedSegment, context: Context): boolean {
  const key = keyString(attributeOf(context, segment.key));
  if (key !== undefined) {
    if (segment.excluded.has(key)) return false;
    if (segment.included.has(key)) return true;
  }
  const conditions = segment.conditions;
  if (conditions.length === 0) return false;
  if (segment.matchAny) {
    for (const condition of conditions) if (conditionHolds(condition, context)) return true;
    return false;
  }
  for (const condition of conditions) if (!conditionHolds(condition, context)) return false;
  return true;
}

/** All segments and all conditions hold (an empty matcher matches everyone). */
export function matches(matcher: PreparedMatcher, context: Context): boolean {
  for (const segment of matcher.segments) if (!isSegmentMember(segment, context)) return false;
  for (const condition of matcher.conditions) if (!conditionHolds(condition, context)) return false;
  return true;
}

function stringSet(raw: unknown, where: string): Set<string> {
  const values = optionalArray(raw, where);
  for (const value of values) if (typeof value !== "string") throw new Error(`${where} must hold strings`);
  return new Set(values as string[]);
}

export function prepareConditions(raw: unknown, where: string): PreparedCondition[] {
  return optionalArray(raw, where).map((condition, i) => prepareCondition(condition, `${where}[${i}]`));
}

export function prepareSegment(raw: unknown, where: string): PreparedSegment {
  const segment = expectObject(raw, where);
  const key = segment.key === undefined ? TARGETING_KEY : segment.key;
  if (typeof key !== "string") throw new Error(`${where}.key must be a string`);
  if (segment.match !== undefined && segment.match !== "all" && segment.match !== "any") {
    throw new Error(`${where}.match must be "all" or "any"`);
  }
  return {
    name: typeof segment.name === "string" ? segment.name : "",
    key,
    included: stringSet(segment.included, `${where}.included`),
    excluded: stringSet(segment.excluded, `${where}.excluded`),
    matchAny: segment.match === "any",
    conditions: prepareConditions(segment.conditions, `${where}.conditions`),
  };
}

export function prepareMatcher(raw: unknown, where: string): PreparedMatcher {
  const matcher = raw === undefined ? {} : expectObject(raw, where);
  return {
    segments: optionalArray(matcher.segments, `${where}.segments`).map((s, i) =>
      prepareSegment(s, `${where}.segments[${i}]`),
    ),
    conditions: prepareConditions(matcher.conditions, `${where}.conditions`),
  };
}
