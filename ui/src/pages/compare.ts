// Runs side by side: parameters, metrics and tags as rows, one column per run, "differences
// only" hiding rows where every run agrees; a chart of one metric across the runs; parallel
// coordinates over the numeric params and metrics. State: runs=a,b,c&exp=ID&diff=1&metric=KEY
// &x=step|wall|m:KEY (the chart's x: the step, the wall time or another metric's value)&clip=1
// (ignore outliers)&sx=p:KEY&sy=m:KEY (the scatter plot's axes: a param or a metric each)
// &brush=KEY:LO:HI,... (the parallel coordinates' brushes, in the axes' values).
import { Run, get, post } from "../api";
import { fill, formatNumber, h } from "../dom";
import { go, href } from "../route";
import { bucketChart, fetchBuckets, xChooser, xLabel } from "../chart";
import { formatBrushes, parallelCoordinates, parseBrushes } from "../parcoords";
import { scatterPlot } from "../scatter";

type Row = { section: string; key: string; values: string[] };

function rowsOf(runs: Run[]): Row[] {
  const rows: Row[] = [];
  const add = (section: string, pick: (r: Run) => { key: string; value: string }[]) => {
    const keys = [...new Set(runs.flatMap((r) => pick(r).map((x) => x.key)))].sort();
    for (const key of keys) rows.push({ section, key, values: runs.map((r) => pick(r).find((x) => x.key === key)?.value ?? "") });
  };
  add("param", (r) => r.data.params || []);
  add("metric", (r) => (r.data.metrics || []).map((m) => ({ key: m.key, value: formatNumber(m.value) })));
  add("tag", (r) => (r.data.tags || []).filter((t) => !t.key.startsWith("mlflow.")));
  return rows;
}

// The runs, in `ids` order: one search when their experiment is known (exp=), else one
// runs/get each.
async function fetchRuns(ids: string[], experimentId: string): Promise<Run[]> {
  if (!experimentId) return Promise.all(ids.map(async (id) => (await get("runs/get", { run_id: id })).run));
  const filter = `attributes.run_id IN (${ids.map((id) => `'${id.replace(/[^0-9a-f]/g, "")}'`).join(",")})`;
  const res = await post("runs/search", { experiment_ids: [experimentId], filter, run_view_type: "ALL", max_results: 1000 });
  const byId = new Map<string, Run>((res.runs || []).map((r: Run) => [r.info.run_id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`No run ${missing[0]} in experiment ${experimentId}`);
  return ids.map((id) => byId.get(id)!);
}

export async function comparePage(root: HTMLElement, _parts: string[], params: URLSearchParams) {
  const ids = (params.get("runs") || "").split(",").filter(Boolean);
  if (ids.length < 2) throw new Error("Pick at least two runs to compare (runs=ID,ID in the URL).");
  const runs = await fetchRuns(ids, params.get("exp") || "");
  const diff = params.get("diff") === "1";
  const rows = rowsOf(runs).filter((r) => !diff || new Set(r.values).size > 1);
  const names = runs.map((r) => r.info.run_name || r.info.run_id.slice(0, 8));
  const metricKeys = [...new Set(runs.flatMap((r) => (r.data.metrics || []).map((m) => m.key)))].sort();
  const metric = params.get("metric") || metricKeys[0] || "";
  const x = params.get("x") || "step";
  const clip = params.get("clip") === "1";

  const table = h(
    "table",
    { class: "grid", id: "compare" },
    h("thead", {}, h("tr", {}, h("th", {}, ""), runs.map((r, i) => h("th", {}, h("a", { href: href(["runs", r.info.run_id]) }, names[i]))))),
    h("tbody", {}, rows.map((row) => h("tr", { "data-key": `${row.section}:${row.key}` }, h("th", {}, `${row.section} ${row.key}`), row.values.map((v) => h("td", {}, v))))),
  );
  const chartBox = h("div", { class: "chart", "data-metric": metric });
  const width = Math.max(320, Math.min(900, (document.getElementById("app")?.clientWidth || 900) - 40));
  fill(
    root,
    h("h1", {}, `Comparing ${runs.length} runs`),
    h("div", { class: "toolbar" },
      h("label", {}, h("input", { type: "checkbox", checked: diff, onchange: ((e: Event) => go({ diff: (e.target as HTMLInputElement).checked ? "1" : undefined })) as EventListener }), " differences only"),
      metricKeys.length ? h("label", {}, "chart ", h("select", { "aria-label": "metric", onchange: ((e: Event) => go({ metric: (e.target as HTMLSelectElement).value })) as EventListener },
        metricKeys.map((k) => h("option", { value: k, selected: k === metric }, k)))) : null,
      metricKeys.length ? xChooser(x, ["wall"], metricKeys) : null,
      h("label", {}, h("input", { type: "checkbox", id: "clip", checked: clip, onchange: ((e: Event) => go({ clip: (e.target as HTMLInputElement).checked ? "1" : undefined })) as EventListener }), " ignore outliers")),
    table,
    rows.length === 0 ? h("p", { class: "empty" }, "The runs agree on everything.") : null,
    h("h2", {}, "Parallel coordinates"),
    parallelCoordinates(runs, names, width, (kept) => {
      // Brushing filters the table: a run outside the brushes loses its column.
      table.querySelectorAll("tr").forEach((tr) => [...tr.children].forEach((cell, k) => ((cell as HTMLElement).hidden = k > 0 && !kept[k - 1])));
    }, { brushes: parseBrushes(params.get("brush")), onBrushEnd: (b) => go({ brush: formatBrushes(b) }) }),
    metric ? h("h2", {}, metric) : null,
    chartBox,
    h("h2", {}, "Scatter plot"),
    scatterPlot(runs, names, params, Math.min(width, 720)),
  );
  if (metric) {
    // Many runs in one chart: fewer buckets each (half a pixel's width), the lines overlap anyway.
    const buckets = await fetchBuckets(ids, metric, ids.length > 10 ? Math.round(width / 2) : 2 * width, x);
    if (x === "wall") for (const b of buckets) b.x = b.x.map((v) => v / 1000);
    const xs = buckets.filter((b) => b.x.length);
    if (xs.length) chartBox.dataset.x = `${Math.min(...xs.map((b) => b.x[0]))},${Math.max(...xs.map((b) => b.x[b.x.length - 1]))}`;
    bucketChart(chartBox, buckets, { width, title: metric, xLabel: xLabel(x), log: false, smoothing: 0, time: x === "wall", labels: names, clip });
  }
}
