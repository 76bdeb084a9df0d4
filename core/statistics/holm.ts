// Holm's step-down correction: with several treatments the chance that one of them looks
// significant by luck grows with their number; Holm keeps the family-wise error at α and is
// uniformly more powerful than Bonferroni.

/** Holm-adjusted p-values, in the order given: adj_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)) over ascending p. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
