// Rows from either database → the shapes the store returns. Both drivers may hand counts back
// as strings or bigints (PostgreSQL's COUNT is bigint), so every number goes through toNumber.
import type { ExperimentAggregates, MetricVariantAggregate } from "../core/statistics/aggregates.ts";
import { experimentSpecSchema } from "../core/schema/experiment.ts";
import { EXPERIMENT_PHASES, type ExperimentPhase } from "../core/schema/experiment-status.ts";
import type { ExperimentDefinition, ExperimentQuery, FlagVariantUsers } from "./store.ts";

type Numeric = number | string | bigint | null;
export interface VariantRow {
  variant: string;
  users: Numeric;
}
export interface MetricRow extends VariantRow {
  total: Numeric;
  squares: Numeric;
}
export interface ExperimentRow {
  namespace: string;
  name: string;
  state: string;
  spec: string;
  updated_at: Numeric;
}

function toNumber(value: Numeric): number {
  return value === null ? 0 : Number(value);
}

/** Configured variants first (in spec order, zero when nobody saw them), then any others the store holds. */
function variantOrder(query: ExperimentQuery, rows: readonly VariantRow[]): string[] {
  const seen = new Set(query.variants);
  const extra = rows.map((r) => r.variant).filter((v) => !seen.has(v));
  return [...query.variants, ...[...new Set(extra)].sort()];
}

export function toAggregates(
  query: ExperimentQuery,
  exposureRows: readonly VariantRow[],
  metricRows: ReadonlyMap<string, readonly MetricRow[]>,
): ExperimentAggregates {
  const exposuresByVariant: Record<string, number> = {};
  const variants = variantOrder(query, exposureRows);
  for (const variant of variants) exposuresByVariant[variant] = 0;
  for (const row of exposureRows) exposuresByVariant[row.variant] = toNumber(row.users);
  const metrics: Record<string, MetricVariantAggregate[]> = {};
  for (const metric of query.metrics) {
    const rows = new Map((metricRows.get(metric.name) ?? []).map((r) => [r.variant, r]));
    metrics[metric.name] = variants.map((variant) => {
      const row = rows.get(variant);
      const conversions = row === undefined ? 0 : toNumber(row.users);
      const exposures = exposuresByVariant[variant] ?? 0;
      // a conversion metric counts users: each converted user's total is 1
      if (metric.type === "conversion") {
        return { variant, exposures, conversions, sum: conversions, sumOfSquares: conversions };
      }
      const sum = row === undefined ? 0 : toNumber(row.total);
      const sumOfSquares = row === undefined ? 0 : toNumber(row.squares);
      return { variant, exposures, conversions, sum, sumOfSquares };
    });
  }
  return { exposuresByVariant, metrics };
}

export function toFlagVariantUsers(rows: readonly (VariantRow & { experiment: string })[]): FlagVariantUsers {
  const result: FlagVariantUsers = {};
  for (const row of rows) (result[row.experiment] ??= {})[row.variant] = toNumber(row.users);
  return result;
}

const PHASES = new Set<string>(EXPERIMENT_PHASES);

/** Rows that no longer parse (written by another version) are left out rather than failing the read. */
export function toDefinitions(rows: readonly ExperimentRow[]): ExperimentDefinition[] {
  const definitions: ExperimentDefinition[] = [];
  for (const row of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(row.spec);
    } catch {
      continue;
    }
    const spec = experimentSpecSchema.safeParse(raw);
    if (!spec.success || !PHASES.has(row.state)) continue;
    definitions.push({
      namespace: row.namespace,
      name: row.name,
      spec: spec.data,
      phase: row.state as ExperimentPhase,
      updatedAt: toNumber(row.updated_at),
    });
  }
  return definitions.sort((a, b) => (a.namespace + "/" + a.name < b.namespace + "/" + b.name ? -1 : 1));
}
