// The input of the analysis: per-variant sums over unique exposed users, as the event store
// computes them (one SQL aggregate per metric). Everything else in core/statistics is derived
// from these numbers alone, so the statistics never see raw events.

/** One variant's sufficient statistics for one metric, over its unique exposed users. */
export interface MetricVariantAggregate {
  variant: string;
  /** Unique exposed users of the variant. */
  exposures: number;
  /** Exposed users with >= 1 event (conversion metric) or >= 1 value (numeric metric). */
  conversions: number;
  /** Σ over exposed users of the user's total value (conversion metric: = conversions). */
  sum: number;
  /** Σ over exposed users of (user's total value)² (conversion metric: = conversions). */
  sumOfSquares: number;
}

/** Everything the analysis of one experiment needs. */
export interface ExperimentAggregates {
  /** Unique exposed users per variant (the sample-ratio-mismatch test). */
  exposuresByVariant: Record<string, number>;
  /** Keyed by metric name (spec.metrics[].name); variants missing from a list count as no users. */
  metrics: Record<string, MetricVariantAggregate[]>;
}
