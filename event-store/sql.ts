// Statements both stores run, written with `?` placeholders (SQLite's); PostgreSQL's store
// numbers them. Aggregation happens in SQL so that a million users never cross the wire.

export const UPSERT_EXPOSURE = `INSERT INTO vexil_exposures (namespace, experiment, targeting_key, variant, flag, first_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (namespace, experiment, targeting_key) DO UPDATE
SET variant = excluded.variant, flag = excluded.flag, first_at = excluded.first_at
WHERE excluded.first_at < vexil_exposures.first_at`;

export const INSERT_METRIC_EVENT = `INSERT INTO vexil_metric_events (namespace, event, targeting_key, at, value)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING`;

/** namespace, experiment → variant, users */
export const EXPOSURES_BY_VARIANT = `SELECT variant, COUNT(*) AS users FROM vexil_exposures
WHERE namespace = ? AND experiment = ? GROUP BY variant`;

/**
 * experiment, namespace, event → variant, users (with ≥ 1 event), total, totalSquares. Events
 * before a user's first exposure are not caused by the variant and do not count.
 */
export const METRIC_BY_VARIANT = `SELECT variant, COUNT(*) AS users, SUM(total) AS total, SUM(total * total) AS squares
FROM (
  SELECT e.targeting_key, x.variant, SUM(e.value) AS total
  FROM vexil_metric_events e
  JOIN vexil_exposures x
    ON x.namespace = e.namespace AND x.experiment = ? AND x.targeting_key = e.targeting_key
  WHERE e.namespace = ? AND e.event = ? AND e.at >= x.first_at
  GROUP BY e.targeting_key, x.variant
) per_user
GROUP BY variant`;

/** namespace, flag → experiment, variant, users */
export const FLAG_VARIANT_USERS = `SELECT experiment, variant, COUNT(*) AS users FROM vexil_exposures
WHERE namespace = ? AND flag = ? GROUP BY experiment, variant`;

export const SELECT_EXPERIMENTS = `SELECT namespace, name, state, spec, updated_at FROM vexil_experiments`;
export const DELETE_EXPERIMENTS = `DELETE FROM vexil_experiments WHERE namespace = ?`;
export const INSERT_EXPERIMENT = `INSERT INTO vexil_experiments (namespace, name, state, spec, updated_at) VALUES (?, ?, ?, ?, ?)`;

/** Adds to the hour's count; the last evaluation is the later of the two (CASE: both databases speak it). */
export const UPSERT_USAGE = `INSERT INTO vexil_flag_usage (namespace, flag, variant, reason, environment, hour, evaluations, last_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (namespace, flag, variant, reason, environment, hour) DO UPDATE
SET evaluations = vexil_flag_usage.evaluations + excluded.evaluations,
  last_at = CASE WHEN excluded.last_at > vexil_flag_usage.last_at THEN excluded.last_at ELSE vexil_flag_usage.last_at END`;

/** since → namespace, flag, variant, reason, environment, evaluations (hours from since on), last_at and first_hour (ever) */
export const USAGE = `SELECT namespace, flag, variant, reason, environment,
  SUM(CASE WHEN hour >= ? THEN evaluations ELSE 0 END) AS evaluations, MAX(last_at) AS last_at,
  MIN(hour) AS first_hour
FROM vexil_flag_usage`;
export const USAGE_GROUP = `GROUP BY namespace, flag, variant, reason, environment`;

/** `?` → `$1, $2, …` for PostgreSQL (the statements above hold no literal question marks). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
