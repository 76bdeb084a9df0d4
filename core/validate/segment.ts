// Checks on one Segment.
import type { ManifestProblem } from "../manifest/problem.ts";
import type { SegmentResource } from "../schema/index.ts";
import { checkConditions } from "./condition.ts";
import { attach } from "./finding.ts";

export function validateSegment(segment: SegmentResource): ManifestProblem[] {
  return attach(segment, checkConditions(segment.spec.conditions, "spec"));
}
