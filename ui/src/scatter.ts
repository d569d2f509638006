// The compare view's scatter plot: one point per run, x and y each a numeric param or a metric's
// latest value (p:KEY, m:KEY; sx= and sy= in the URL). Runs without a number for both are left
// out. Drawn with uPlot as points only (x sorted, as uPlot wants); the tooltip names the run.
import uPlot from "uplot";
import { Run } from "./api";
import { formatNumber, h } from "./dom";
import { go } from "./route";
import { tooltipPlugin } from "./tooltip";

export function numberOf(r: Run, key: string): number | undefined {
  const list: { key: string; value: string | number }[] = key.startsWith("p:") ? r.data.params || [] : r.data.metrics || [];
  const v = list.find((x) => x.key === key.slice(2))?.value;
  const n = v === undefined || v === "" ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

// The params and metrics some run has a number for: params first, each sorted.
export function numericKeys(runs: Run[]): string[] {
  const keys = (prefix: string, pick: (r: Run) => { key: string }[]) =>
    [...new Set(runs.flatMap((r) => pick(r).map((x) => prefix + x.key)))].filter((k) => runs.some((r) => numberOf(r, k) !== undefined)).sort();
  return [...keys("p:", (r) => r.data.params || []), ...keys("m:", (r) => r.data.metrics || [])];
}

const label = (k: string) => (k.startsWith("p:") ? "param " : "metric ") + k.slice(2);

function chooser(id: string, param: string, value: string, keys: string[]): HTMLElement {
  return h("label", {}, `${param === "sx" ? "x" : "y"} `, h("select", { id, "aria-label": `scatter ${param === "sx" ? "x" : "y"}`,
    onchange: ((e: Event) => go({ [param]: (e.target as HTMLSelectElement).value })) as EventListener },
  keys.map((k) => h("option", { value: k, selected: k === value }, label(k)))));
}

export function scatterPlot(runs: Run[], names: string[], params: URLSearchParams, width: number): HTMLElement {
  const keys = numericKeys(runs);
  if (keys.length === 0) return h("p", { class: "empty" }, "No numeric param or metric to plot.");
  const pick = (name: string, fallback: string) => (keys.includes(params.get(name) || "") ? params.get(name)! : fallback);
  const sx = pick("sx", keys[0]), sy = pick("sy", keys.find((k) => k.startsWith("m:") && k !== sx) || keys[keys.length - 1]);
  const points = runs.map((r, i) => ({ x: numberOf(r, sx), y: numberOf(r, sy), name: names[i] }))
    .filter((p): p is { x: number; y: number; name: string } => p.x !== undefined && p.y !== undefined)
    .sort((a, b) => a.x - b.x);
  const box = h("div", { class: "chart scatter", "data-points": JSON.stringify(points.map((p) => [p.x, p.y, p.name])) });
  new uPlot({
    title: `${label(sy)} against ${label(sx)}`, width, height: 300,
    scales: { x: { time: false } },
    axes: [{ label: label(sx) }, { label: label(sy) }],
    series: [{ label: sx.slice(2) }, { label: sy.slice(2), stroke: "#1f77b4", paths: () => null, points: { show: true, size: 9, fill: "#1f77b4" } }],
    cursor: { drag: { x: false, y: false } },
    plugins: [tooltipPlugin([{ index: 1, label: label(sy), extra: (idx) => `run ${points[idx]?.name ?? ""}` }], (x) => `${label(sx)} ${formatNumber(x)}`)],
  }, [points.map((p) => p.x), points.map((p) => p.y)], box);
  return h("div", {}, h("div", { class: "toolbar" }, chooser("scatter-x", "sx", sx, keys), chooser("scatter-y", "sy", sy, keys)), box);
}
