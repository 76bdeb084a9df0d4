// CEL rules on an Experiment's spec (core/validate/experiment.ts).
import type { CelRule } from "./json-schema.ts";

export const experimentSpecRules: CelRule[] = [
  {
    rule: "self.variants.all(a, self.variants.exists_one(b, b.variant == a.variant))",
    message: "spec.variants must not list a variant twice",
    fieldPath: ".variants",
    reason: "FieldValueDuplicate",
  },
  {
    rule: "self.variants.exists(v, v.variant == self.control)",
    message: "spec.control must name one of spec.variants[].variant",
    fieldPath: ".control",
  },
  {
    rule: "self.variants.exists(v, v.weight > 0)",
    message: "spec.variants weights must add up to more than 0 (all are 0)",
    fieldPath: ".variants",
  },
  {
    rule: "!has(self.start) || !has(self.stop) || self.stop > self.start",
    message: "spec.stop must be after spec.start",
    fieldPath: ".stop",
  },
  {
    rule: "self.metrics.all(a, self.metrics.exists_one(b, b.name == a.name))",
    message: "spec.metrics names must be unique",
    fieldPath: ".metrics",
    reason: "FieldValueDuplicate",
  },
];
