// Line charts on uPlot (canvas) over the server's buckets (GET /api/ferry/v1/metrics/buckets):
// each run's line goes through the last value of each bucket, with the bucket's min-max drawn
// as a faint band, so a spike is never averaged away. Smoothing is TensorBoard's debiased
// exponential moving average, with the raw line kept faint behind it. Dragging across the
// chart zooms: the caller fetches the range again (full resolution once it holds fewer points
// than buckets). The x axis is the step, a time or another metric (xQuery).
import uPlot from "uplot";
import { smooth } from "./smooth";
import { ferryGet } from "./api";
import { formatNumber, formatTime, h } from "./dom";
import { outlierRange } from "./outliers";
import { TipSeries, tooltipPlugin } from "./tooltip";
import { go } from "./route";

export interface RunBuckets {
  run_id: string;
  points: number;
  x: number[];
  min: number[];
  max: number[];
  last: number[];
  count: number[];
  last_step?: number; // the highest step read: where a live refresh starts (absent: none)
  time?: number[]; // with_time: each bucket's last point's timestamp (ms)
}

// The x axis, as the URL says it (x=): step, wall (time), relative (time since the run
// started) or m:KEY, another metric's value logged at the same step (joined by the server).
export function xQuery(x: string): [string, string][] {
  if (x.startsWith("m:")) return [["x", "metric"], ["x_metric", x.slice(2)]];
  return [["x", x === "wall" || x === "relative" ? "time" : "step"]];
}
export const xLabel = (x: string) => (x.startsWith("m:") ? x.slice(2) : x === "wall" ? "time" : x === "relative" ? "seconds" : "step");

// The x chooser: step and times (those given), then the metric keys (the first 500, and the
// chosen one: a run may log 12,000 keys, and each option is a DOM node).
export function xChooser(x: string, times: string[], all: string[]): HTMLElement {
  const names: Record<string, string> = { step: "step", wall: "wall time", relative: "relative time" };
  const keys = all.slice(0, 500);
  if (x.startsWith("m:") && !keys.includes(x.slice(2))) keys.push(x.slice(2));
  return h("label", {}, "x ", h("select", { "aria-label": "x axis", onchange: ((e: Event) => go({ x: (e.target as HTMLSelectElement).value, z: undefined })) as EventListener },
    ["step", ...times].map((v) => h("option", { value: v, selected: v === x }, names[v])),
    keys.length ? h("optgroup", { label: "metric" }, keys.map((k) => h("option", { value: "m:" + k, selected: "m:" + k === x }, k))) : null));
}

export interface FetchOptions {
  range?: [number, number]; // default: all
  afterStep?: number; // only the points after this step (live refresh)
  withTime?: boolean; // each bucket's time too (x by step: the tooltip's time)
}

export async function fetchBuckets(runIds: string[], key: string, buckets: number, x: string, { range, afterStep, withTime }: FetchOptions = {}) {
  const query: [string, string][] = [
    ...runIds.map((r): [string, string] => ["run_id", r]),
    ["metric_key", key],
    ["buckets", String(buckets)],
    ...xQuery(x),
  ];
  if (range) query.push(["start", String(range[0])], ["end", String(range[1])]);
  if (afterStep !== undefined) query.push(["after_step", String(afterStep)]);
  if (withTime && !x.startsWith("m:")) query.push(["with_time", "true"]);
  return (await ferryGet("metrics/buckets", query)).runs as RunBuckets[];
}

export const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

// uPlot wants one x array shared by every series: the union of the runs' x, null where a
// run has no bucket.
export function align(xs: number[][], columns: number[][]): (number | null)[][] {
  const all = [...new Set(xs.flat())].sort((a, b) => a - b);
  const at = new Map(all.map((x, i) => [x, i]));
  return [all, ...columns.map((col, k) => {
    const out: (number | null)[] = new Array(all.length).fill(null);
    xs[k].forEach((x, i) => (out[at.get(x)!] = col[i]));
    return out;
  })];
}

export interface ChartOptions {
  width: number;
  title: string;
  xLabel: string;
  log: boolean;
  smoothing: number;
  time: boolean;
  labels: string[]; // one per run
  names?: string[]; // the runs' names in the tooltip (default: labels)
  onZoom?: (lo: number, hi: number) => void;
  clip?: boolean; // ignore outliers: y from the 5th to the 95th percentile of the lines' values
  xText?: (x: number) => string; // the tooltip's x (default: "<x label> <x>")
}

// The tooltip's x: the date and time on a time axis, else the axis' name and the value.
export const tipX = (o: { time: boolean; xLabel: string }) => (x: number) =>
  o.time ? formatTime(x * 1000) : `${o.xLabel} ${formatNumber(x)}`;

export function bucketChart(el: HTMLElement, runs: RunBuckets[], o: ChartOptions): uPlot {
  const xs: number[][] = [], cols: number[][] = [];
  const series: uPlot.Series[] = [{ label: o.xLabel }];
  const bands: uPlot.Band[] = [];
  const tips: TipSeries[] = [];
  runs.forEach((r, i) => {
    const color = COLORS[i % COLORS.length];
    const base = cols.length + 1;
    xs.push(r.x, r.x, r.x);
    cols.push(r.last, r.max, r.min);
    series.push({ label: o.labels[i], stroke: o.smoothing > 0 ? color + "55" : color, width: 1, spanGaps: true });
    // The band's edges are drawn faintly too (up to ten runs: more lines hide each other
    // anyway): a spike one bucket wide is a visible stroke, not a band too thin to see.
    const [edge, width] = runs.length <= 10 ? [color + "66", 1] : ["transparent", 0];
    series.push({ label: o.labels[i] + " max", stroke: edge, width, spanGaps: true, show: true });
    series.push({ label: o.labels[i] + " min", stroke: edge, width, spanGaps: true });
    bands.push({ series: [base + 1, base + 2], fill: color + "22" });
    const timeAt = new Map(r.time ? r.x.map((x, k) => [x, r.time![k]]) : []);
    tips.push({ index: base, label: (o.names || o.labels)[i], extra: (idx) => {
      const [lo, hi] = [u.data[base + 2][idx], u.data[base + 1][idx]];
      const t = timeAt.get(u.data[0][idx] as number);
      return [t !== undefined && !o.time ? `time ${formatTime(t)}` : "",
        lo != null && hi != null && lo !== hi ? `bucket min ${formatNumber(lo)} / max ${formatNumber(hi)}` : ""].filter(Boolean).join("; ");
    } });
  });
  const yRange = o.clip ? outlierRange(runs.flatMap((r) => r.last)) : undefined;
  if (o.smoothing > 0) {
    runs.forEach((r, i) => {
      xs.push(r.x);
      cols.push(smooth(r.last, o.smoothing));
      series.push({ label: o.labels[i] + " (smoothed)", stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true });
    });
  }
  const u: uPlot = new uPlot(
    {
      title: o.title,
      width: o.width,
      height: 260,
      scales: { x: { time: o.time }, y: yRange ? { distr: o.log ? 3 : 1, range: yRange } : { distr: o.log ? 3 : 1 } },
      plugins: [tooltipPlugin(tips, o.xText || tipX(o))],
      series,
      bands,
      // The y axis as wide as its longest label (1,000,000 is cut at uPlot's default 50 px).
      axes: [{ label: o.xLabel }, { size: (_u, values) => Math.max(50, 12 + 7 * Math.max(0, ...(values || []).map((v) => String(v).length))) }],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (!o.onZoom || u.select.width < 2) return;
            o.onZoom(u.posToVal(u.select.left, "x"), u.posToVal(u.select.left + u.select.width, "x"));
          },
        ],
      },
    },
    align(xs, cols) as uPlot.AlignedData,
    el,
  );
  if (yRange) el.dataset.yRange = yRange.join(",");
  return u;
}
