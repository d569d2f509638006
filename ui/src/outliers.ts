// "Ignore outliers" (MLflow's chart option): the y axis spans the 5th to the 95th percentile of
// the values drawn instead of all of them, so one spike does not flatten the rest. Percentiles
// interpolate linearly between the sorted finite values (numpy's default).
export function percentile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  return lo + 1 < sorted.length ? sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (at - lo) : sorted[lo];
}

// [p5, p95] of the finite values (with a little margin, so the lines at the edges show), or
// undefined when there are none or they are all equal.
export function outlierRange(values: number[], lo = 0.05, hi = 0.95): [number, number] | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const a = percentile(sorted, lo), b = percentile(sorted, hi);
  if (!(b > a)) return undefined;
  const pad = (b - a) * 0.05;
  return [a - pad, b + pad];
}
