// Line charts on uPlot (canvas). Smoothing is TensorBoard's debiased exponential moving
// average; the raw series stays behind it, faint.
import uPlot from "uplot";

export interface Series {
  label: string;
  xs: number[];
  ys: number[];
}

// TensorBoard's smoothing: an EMA whose first values are divided by (1 - weight^n), so the
// line starts at the data rather than at 0. Non-finite values pass through unsmoothed.
export function smooth(ys: number[], weight: number): number[] {
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    n++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, n);
    return last / debias;
  });
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

// Aligns series on the union of their x values (uPlot's data layout), null where absent.
function align(series: Series[], ys: (s: Series) => number[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.xs))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const out: (number | null)[][] = [xs];
  for (const s of series) {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    const values = ys(s);
    s.xs.forEach((x, i) => (col[at.get(x)!] = values[i]));
    out.push(col);
  }
  return out;
}

export function lineChart(el: HTMLElement, series: Series[], o: { width: number; title: string; xLabel: string; log: boolean; smoothing: number; time: boolean }) {
  const raw = align(series, (s) => s.ys);
  const smoothed = o.smoothing > 0 ? align(series, (s) => smooth(s.ys, o.smoothing)).slice(1) : [];
  const lines: uPlot.Series[] = [{ label: o.xLabel }];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    lines.push({ label: s.label, stroke: o.smoothing > 0 ? color + "40" : color, width: 1, spanGaps: true });
  });
  series.forEach((s, i) => lines.push({ label: s.label + " (smoothed)", stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }));
  const data = [...raw, ...smoothed] as uPlot.AlignedData;
  if (o.smoothing === 0) lines.length = series.length + 1;
  return new uPlot(
    {
      title: o.title,
      width: o.width,
      height: 260,
      scales: { x: { time: o.time }, y: { distr: o.log ? 3 : 1 } },
      series: lines,
      axes: [{ label: o.xLabel }, {}],
      cursor: { drag: { x: true, y: false } },
    },
    data,
    el,
  );
}
