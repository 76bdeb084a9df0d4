// Rollout checks: each strategy needs its own fields, and fields of another strategy are
// almost always a mistake (a `percentage` left behind after switching to `ring`).
import { parseDuration } from "../schema/duration.ts";
import { ProblemCode } from "../manifest/problem.ts";
import type { RolloutSpec, RolloutStrategy } from "../schema/index.ts";
import { join, unknownVariant, type Finding } from "./finding.ts";

type Field = Exclude<keyof RolloutSpec, "strategy" | "variant" | "bucketBy" | "salt">;

const REQUIRED: Record<RolloutStrategy, Field[]> = {
  percentage: ["percentage"],
  gradual: ["from", "to", "start", "duration"],
  ring: ["rings", "currentRing"],
  canary: ["percentage", "start"],
  targeted: ["segments"],
};

const ALLOWED: Record<RolloutStrategy, Field[]> = {
  percentage: ["percentage"],
  gradual: ["from", "to", "start", "duration", "steps", "pausedAt", "guardrails"],
  ring: ["rings", "currentRing"],
  canary: ["percentage", "start", "promote", "pausedAt", "guardrails"],
  targeted: ["segments"],
};

const FIELDS: Field[] = [
  "percentage",
  "from",
  "to",
  "start",
  "duration",
  "steps",
  "pausedAt",
  "rings",
  "currentRing",
  "promote",
  "segments",
  "guardrails",
];

function fieldFindings(rollout: RolloutSpec, path: string): Finding[] {
  const findings: Finding[] = [];
  const { strategy } = rollout;
  for (const field of REQUIRED[strategy]) {
    if (rollout[field] === undefined) {
      const message = `is required for strategy ${strategy} (${strategy} needs ${REQUIRED[strategy].join(", ")})`;
      findings.push({ code: ProblemCode.MISSING_FIELD, path: join(path, field), message });
    }
  }
  for (const field of FIELDS) {
    if (rollout[field] !== undefined && !ALLOWED[strategy].includes(field)) {
      const users = (Object.keys(ALLOWED) as RolloutStrategy[]).filter((s) => ALLOWED[s].includes(field));
      const message = `applies only to strategy ${users.join(" or ")}, not ${strategy}`;
      findings.push({ code: ProblemCode.INVALID_ROLLOUT, path: join(path, field), message });
    }
  }
  return findings;
}

function scheduleFindings(rollout: RolloutSpec, path: string): Finding[] {
  const findings: Finding[] = [];
  const invalid = (field: string, message: string) =>
    findings.push({ code: ProblemCode.INVALID_ROLLOUT, path: join(path, field), message });
  if (rollout.strategy === "gradual") {
    if (rollout.from !== undefined && rollout.to !== undefined && rollout.from > rollout.to) {
      invalid("from", `must not exceed to (from ${rollout.from}, to ${rollout.to}); a gradual rollout only rises`);
    }
    if (rollout.duration !== undefined && parseDuration(rollout.duration) === 0)
      invalid("duration", "must be longer than 0");
  }
  if (rollout.strategy === "canary" && rollout.promote) {
    const afters = rollout.promote.map((step) => parseDuration(step.after) ?? 0);
    afters.forEach((after, index) => {
      if (index > 0 && after <= (afters[index - 1] ?? 0)) {
        invalid(`promote[${index}].after`, "must be later than the previous promotion step's after");
      }
    });
  }
  return findings;
}

function ringFindings(rollout: RolloutSpec, path: string): Finding[] {
  if (rollout.strategy !== "ring" || !rollout.rings) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  rollout.rings.forEach((ring, index) => {
    const at = join(path, `rings[${index}]`);
    if (seen.has(ring.name)) {
      findings.push({
        code: ProblemCode.INVALID_ROLLOUT,
        path: join(at, "name"),
        message: `ring "${ring.name}" is listed twice`,
      });
    }
    seen.add(ring.name);
    if ((ring.segments?.length ?? 0) === 0 && (ring.values?.length ?? 0) === 0) {
      const message = "a ring needs segments or values to say who is in it";
      findings.push({ code: ProblemCode.MISSING_FIELD, path: at, message });
    }
  });
  if (rollout.currentRing !== undefined && !seen.has(rollout.currentRing)) {
    const message = `"${rollout.currentRing}" is not one of the rings (${[...seen].join(", ")})`;
    findings.push({ code: ProblemCode.INVALID_ROLLOUT, path: join(path, "currentRing"), message });
  }
  return findings;
}

/** Guardrails: each event once, and an interval the operator can keep (at least a second). */
function guardrailFindings(rollout: RolloutSpec, path: string): Finding[] {
  const guardrails = rollout.guardrails;
  if (!guardrails) return [];
  const findings: Finding[] = [];
  const at = join(path, "guardrails");
  const seen = new Set<string>();
  guardrails.metrics.forEach((metric, index) => {
    if (seen.has(metric.event)) {
      const message = `event "${metric.event}" is listed twice; give each guardrail metric its own event`;
      findings.push({ code: ProblemCode.INVALID_ROLLOUT, path: join(at, `metrics[${index}].event`), message });
    }
    seen.add(metric.event);
  });
  if (guardrails.interval !== undefined && (parseDuration(guardrails.interval) ?? 0) < 1000) {
    const message = `must be at least 1s (got ${guardrails.interval})`;
    findings.push({ code: ProblemCode.INVALID_ROLLOUT, path: join(at, "interval"), message });
  }
  return findings;
}

/** Problems with a rollout at `path` (spec.rollout or spec.environments.<env>.rollout). */
export function checkRollout(rollout: RolloutSpec, variants: readonly string[], path: string): Finding[] {
  const findings = [
    ...fieldFindings(rollout, path),
    ...scheduleFindings(rollout, path),
    ...ringFindings(rollout, path),
    ...guardrailFindings(rollout, path),
  ];
  if (rollout.variant !== undefined && !variants.includes(rollout.variant)) {
    findings.push(unknownVariant(join(path, "variant"), rollout.variant, variants));
  }
  return findings;
}
