// The runs table's groups as charts (runs page, group=...): for one metric (gmetric=KEY), each
// group drawn as its runs' mean line with a mean ± std band and a fainter min-max band
// (aggregate.ts over each run's bucketed line). At most 8 groups and 100 runs a group, one
// metrics/buckets request a group.
import uPlot from "uplot";
import { Run } from "./api";
import { aggregate } from "./aggregate";
import { COLORS, align, fetchBuckets, tipX } from "./chart";
import { h } from "./dom";
import { groupsOf } from "./groups";
import { go } from "./route";
import { TipSeries, tooltipPlugin } from "./tooltip";

const MAX_GROUPS = 8, MAX_RUNS = 100;

export async function groupCharts(runs: Run[], by: string, metric: string, width: number): Promise<HTMLElement> {
  const keys = [...new Set(runs.flatMap((r) => (r.data.metrics || []).map((m) => m.key)))].sort();
  const chosen = keys.includes(metric) ? metric : keys[0] || "";
  const picker = h("label", {}, "group chart ", h("select", { "aria-label": "group metric", id: "group-metric",
    onchange: ((e: Event) => go({ gmetric: (e.target as HTMLSelectElement).value })) as EventListener },
  keys.slice(0, 500).map((k) => h("option", { value: k, selected: k === chosen }, k))));
  const box = h("div", { class: "chart group-chart", "data-metric": chosen });
  if (!chosen) return h("div", {}, h("p", { class: "empty" }, "No metric to chart."));
  const groups = groupsOf(runs, by).slice(0, MAX_GROUPS);
  const aggs = await Promise.all(groups.map(async ([, members]) => {
    const ids = members.filter((r) => (r.data.metrics || []).some((m) => m.key === chosen)).slice(0, MAX_RUNS).map((r) => r.info.run_id);
    if (!ids.length) return aggregate([]);
    const buckets = await fetchBuckets(ids, chosen, width, "step");
    return aggregate(buckets.map((b) => ({ x: b.x, y: b.last })));
  }));
  const xs: number[][] = [], cols: number[][] = [];
  const series: uPlot.Series[] = [{ label: "step" }];
  const bands: uPlot.Band[] = [], tips: TipSeries[] = [];
  aggs.forEach((a, i) => {
    const color = COLORS[i % COLORS.length], base = cols.length + 1, name = groups[i][0];
    xs.push(a.x, a.x, a.x, a.x, a.x);
    cols.push(a.mean, a.mean.map((m, k) => m + a.std[k]), a.mean.map((m, k) => m - a.std[k]), a.max, a.min);
    series.push({ label: `${name} (mean)`, stroke: color, width: 1.5, spanGaps: true },
      { label: `${name} +std`, stroke: "transparent", spanGaps: true }, { label: `${name} -std`, stroke: "transparent", spanGaps: true },
      { label: `${name} max`, stroke: color + "44", width: 1, spanGaps: true }, { label: `${name} min`, stroke: color + "44", width: 1, spanGaps: true });
    bands.push({ series: [base + 1, base + 2], fill: color + "33" }, { series: [base + 3, base + 4], fill: color + "14" });
    tips.push({ index: base, label: `${name} (mean of ${groups[i][1].length})`, extra: (idx) => {
      const at = a.x.indexOf(u.data[0][idx] as number);
      return at < 0 ? "" : `std ${a.std[at].toPrecision(4)}, min ${a.min[at].toPrecision(4)}, max ${a.max[at].toPrecision(4)}`;
    } });
  });
  const u: uPlot = new uPlot({ title: `${chosen} by ${by.slice(2)}`, width, height: 280, series, bands,
    scales: { x: { time: false } }, axes: [{ label: "step" }, {}],
    plugins: [tooltipPlugin(tips, tipX({ time: false, xLabel: "step" }))] }, align(xs, cols) as uPlot.AlignedData, box);
  // For tests and scripts: each group's figures at its last x.
  box.dataset.groups = JSON.stringify(aggs.map((a, i) => {
    const k = a.x.length - 1;
    return { group: groups[i][0], bands: 2, x: a.x[k], mean: a.mean[k], std: a.std[k], min: a.min[k], max: a.max[k], n: a.n[k] };
  }));
  box.dataset.bands = String(bands.length);
  return h("div", { class: "group-charts" }, h("div", { class: "toolbar" }, picker), box);
}
