// Value classes of the original API: TargetingRule, Segment, Variant, EvaluationContext.
// They are thin, validated carriers; mapping.ts turns them into schema resources.
import { didYouMean } from "../names/suggest.ts";
import { OPERATORS, type Condition, type JsonValue, type Operator } from "../schema/index.ts";
import type { FlagContext } from "../evaluate/result.ts";
import { VexilError } from "./errors.ts";
import type { TargetingOperator } from "./vocabulary.ts";

export type RuleValue = string | number;

export interface TargetingRuleOptions {
  negate?: boolean;
  caseInsensitive?: boolean;
}

/** One attribute test, e.g. `new TargetingRule("plan", TargetingOperator.EQUALS, "premium")`. */
export class TargetingRule {
  readonly attribute: string;
  readonly operator: TargetingOperator;
  readonly values: RuleValue[];
  readonly negate: boolean;
  readonly caseInsensitive: boolean;

  constructor(
    attribute: string,
    operator: TargetingOperator | Operator,
    value?: RuleValue | readonly RuleValue[],
    options: TargetingRuleOptions = {},
  ) {
    if (typeof attribute !== "string" || attribute === "") {
      throw new VexilError("INVALID_ARGUMENT", 'TargetingRule needs an attribute name, e.g. "plan"');
    }
    if (!(OPERATORS as readonly string[]).includes(operator)) {
      throw new VexilError(
        "INVALID_ARGUMENT",
        `unknown targeting operator "${String(operator)}"${didYouMean(String(operator), OPERATORS)}; use one of: ${OPERATORS.join(", ")}`,
      );
    }
    this.attribute = attribute;
    this.operator = operator;
    this.values = value === undefined ? [] : Array.isArray(value) ? [...(value as RuleValue[])] : [value as RuleValue];
    this.negate = options.negate ?? false;
    this.caseInsensitive = options.caseInsensitive ?? false;
  }

  toCondition(): Condition {
    const condition: Condition = { attribute: this.attribute, operator: this.operator };
    if (this.values.length > 0) condition.values = [...this.values];
    if (this.negate) condition.negate = true;
    if (this.caseInsensitive) condition.caseInsensitive = true;
    return condition;
  }
}

export interface SegmentOptions {
  name: string;
  /** all must hold (match "all", the default) or one is enough (match "any") */
  rules?: readonly TargetingRule[];
  match?: "all" | "any";
  /** user ids always in / never in the segment */
  included?: readonly string[];
  excluded?: readonly string[];
  description?: string;
  /** attribute compared with included/excluded (default targetingKey) */
  key?: string;
}

/** A reusable audience; `addSegment(flagKey, segment)` targets a flag to it. */
export class Segment {
  readonly name: string;
  readonly rules: TargetingRule[];
  readonly match: "all" | "any";
  readonly included: string[];
  readonly excluded: string[];
  readonly description: string | undefined;
  readonly key: string | undefined;

  constructor(options: SegmentOptions) {
    if (options === null || typeof options !== "object" || typeof options.name !== "string") {
      throw new VexilError("INVALID_ARGUMENT", 'Segment needs a name, e.g. new Segment({ name: "premium-users" })');
    }
    const rules = options.rules ?? [];
    for (const rule of rules) {
      if (!(rule instanceof TargetingRule)) {
        throw new VexilError("INVALID_ARGUMENT", `segment "${options.name}": rules must be TargetingRule instances`);
      }
    }
    this.name = options.name;
    this.rules = [...rules];
    this.match = options.match ?? "all";
    this.included = [...(options.included ?? [])];
    this.excluded = [...(options.excluded ?? [])];
    this.description = options.description;
    this.key = options.key;
  }
}

export interface VariantOptions {
  name: string;
  value: JsonValue;
  /** relative weight in the flag's weighted split */
  weight?: number;
  description?: string;
}

/** One possible value of a flag, e.g. `new Variant({ name: "blue", value: "blue", weight: 50 })`. */
export class Variant {
  readonly name: string;
  readonly value: JsonValue;
  readonly weight: number | undefined;
  readonly description: string | undefined;

  constructor(options: VariantOptions) {
    if (options === null || typeof options !== "object" || typeof options.name !== "string") {
      throw new VexilError(
        "INVALID_ARGUMENT",
        'Variant needs a name, e.g. new Variant({ name: "blue", value: "blue" })',
      );
    }
    if (options.value === undefined) {
      throw new VexilError("INVALID_ARGUMENT", `variant "${options.name}" needs a value`);
    }
    this.name = options.name;
    this.value = options.value;
    this.weight = options.weight;
    this.description = options.description;
  }
}

export type AttributeValue = JsonValue | Date;

export interface EvaluationContextOptions {
  userId?: string;
  attributes?: Record<string, AttributeValue>;
}

/** Who is asking: the user id plus attributes rules test. */
export class EvaluationContext {
  readonly userId: string | undefined;
  readonly attributes: Record<string, AttributeValue>;

  constructor(options: EvaluationContextOptions = {}) {
    this.userId = options.userId;
    this.attributes = { ...(options.attributes ?? {}) };
  }

  /** The flat OpenFeature context: `{ targetingKey: userId, ...attributes }`. */
  toFlagContext(): FlagContext {
    // fromEntries defines own properties, so an attribute named `__proto__` stays an attribute
    const entries: [string, AttributeValue][] = Object.entries(this.attributes);
    if (this.userId !== undefined) entries.push(["targetingKey", this.userId]);
    return Object.fromEntries(entries) as FlagContext;
  }
}
