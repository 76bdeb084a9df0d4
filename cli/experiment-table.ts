// Human tables of experiment results for `vexil experiment list` and `vexil experiment results`.
import type { VariantResult } from "../core/schema/experiment-status.ts";
import type { ExperimentResults } from "../event-store/results.ts";

const pct = (value: number | undefined, sign = false) =>
  value === undefined ? "" : `${sign && value > 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

export function experimentsTable(list: readonly ExperimentResults[]): string {
  if (list.length === 0) return "no experiments\n";
  const rows = [["NAME", "FLAG", "PHASE", "USERS", "LEADING", "LIFT", "BEAT CONTROL", "SRM", "RECOMMENDATION"]];
  for (const e of list) {
    const first = Object.values(e.results)[0] ?? [];
    const lead = e.leadingVariant;
    rows.push([
      e.name,
      e.flag,
      e.phase,
      String(first.reduce((n, r) => n + r.exposures, 0)),
      lead?.variant ?? "",
      pct(lead?.lift, true),
      pct(lead?.chanceToBeatControl),
      e.sampleRatioMismatch.detected ? "DETECTED" : "ok",
      e.recommendation.action,
    ]);
  }
  return table(rows);
}

function metricRows(rows: readonly VariantResult[], control: string): string[][] {
  const header = ["VARIANT", "USERS", "CONVERTED", "RATE", "LIFT", "95% INTERVAL", "P-VALUE", "BEAT CONTROL"];
  return [
    header,
    ...rows.map((r) => [
      r.variant === control ? `${r.variant} (control)` : r.variant,
      String(r.exposures),
      String(r.conversions),
      r.rate.toPrecision(4),
      pct(r.lift, true),
      r.liftInterval ? `[${pct(r.liftInterval[0], true)}, ${pct(r.liftInterval[1], true)}]` : "",
      r.pValue === undefined ? "" : r.pValue.toPrecision(3),
      pct(r.chanceToBeatControl),
    ]),
  ];
}

export function resultsText(e: ExperimentResults, control: string): string {
  const srm = e.sampleRatioMismatch;
  const lines = [
    `${e.name}: flag ${e.flag}, ${e.environment}, ${e.phase} (analysed ${e.analyzedAt})`,
    `recommendation: ${e.recommendation.action}: ${e.recommendation.message}`,
    `sample ratio: ${srm.detected ? "MISMATCH" : "as configured"} (p = ${srm.pValue.toPrecision(3)})`,
    "",
  ];
  let text = lines.join("\n") + "\n";
  for (const [metric, rows] of Object.entries(e.results)) text += `${metric}\n${table(metricRows(rows, control))}\n`;
  return text;
}
