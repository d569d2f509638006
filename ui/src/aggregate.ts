// A group of runs as one line: at each x any run has, the mean of the runs' values with their
// standard deviation (population: divided by n) and their min and max. A run counts at x from
// its first x to its last, with its latest value at or before x (a step function), so runs
// logged at different steps, or bucketed at different x, still line up; outside its range,
// and where its value is not finite, it does not count.
export interface Series {
  x: number[]; // ascending
  y: number[];
}
export interface Aggregate {
  x: number[];
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  n: number[]; // runs counted at each x
}

export function aggregate(runs: Series[]): Aggregate {
  const xs = [...new Set(runs.flatMap((r) => r.x))].sort((a, b) => a - b);
  const out: Aggregate = { x: [], mean: [], std: [], min: [], max: [], n: [] };
  const at = runs.map(() => 0); // each run's index of its latest x <= the current x
  for (const x of xs) {
    let n = 0, sum = 0, sq = 0, lo = Infinity, hi = -Infinity;
    runs.forEach((r, k) => {
      if (r.x.length === 0 || x < r.x[0] || x > r.x[r.x.length - 1]) return;
      while (at[k] + 1 < r.x.length && r.x[at[k] + 1] <= x) at[k]++;
      const v = r.y[at[k]];
      if (!Number.isFinite(v)) return;
      n++, (sum += v), (sq += v * v), (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    });
    if (n === 0) continue;
    const mean = sum / n;
    out.x.push(x), out.mean.push(mean), out.n.push(n), out.min.push(lo), out.max.push(hi);
    out.std.push(Math.sqrt(Math.max(0, sq / n - mean * mean)));
  }
  return out;
}
