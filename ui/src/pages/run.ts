// One run: overview, parameters, metrics (latest values), tags, datasets, lineage, artifacts
// and a chart per metric. Chart settings live in the URL: x (step, wall, relative, or m:KEY:
// another metric's value at the same step), smooth (0-0.99), log, clip=1 (ignore outliers),
// z (the zoomed x range),
// live=0 (a running run's charts stop refreshing), refresh (seconds between refreshes, 1-30).
import type uPlot from "uplot";
import { Run, get, post } from "../api";
import { formatDuration, formatNumber, formatTime, h, fill } from "../dom";
import { go, href } from "../route";
import { RunBuckets, bucketChart, fetchBuckets, xChooser, xLabel } from "../chart";
import { appendBuckets, every } from "../live";
import { artifactBrowser } from "../artifacts";
import { lineageSection } from "../lineage";

function table(id: string, rows: [string, string | Node][], empty: string) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h("table", { class: "grid kv", id }, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v)))));
}

export async function runPage(root: HTMLElement, parts: string[], params: URLSearchParams) {
  const run: Run = (await get("runs/get", { run_id: parts[1] })).run;
  const exp = (await get("experiments/get", { experiment_id: run.info.experiment_id })).experiment;
  const x = params.get("x") || "step";
  const smoothing = Math.min(0.99, Math.max(0, Number(params.get("smooth") || "0")));
  const log = params.get("log") === "1";
  const clip = params.get("clip") === "1";
  const metrics = (run.data.metrics || []).slice().sort((a, b) => a.key.localeCompare(b.key));
  const tags = (run.data.tags || []).filter((t) => !t.key.startsWith("mlflow.") || t.key === "mlflow.source.name");
  const i = run.info;
  // Nested runs: the parent from the mlflow.parentRunId tag, the children with one search.
  const tagOf = (key: string) => (run.data.tags || []).find((t) => t.key === key)?.value || "";
  const parentId = tagOf("mlflow.parentRunId");
  // A pipeline's run, or one of its steps' (or a train step's own run, a child of the same).
  const pipelineId = tagOf("ferry.pipeline") ? i.run_id : tagOf("ferry.pipeline.run") ? parentId : "";
  const lineage = lineageSection(`runs/${encodeURIComponent(i.run_id)}`, "No lineage recorded: this run is in no pipeline, consumed no logged data and produced no model version.");
  const children: Run[] = (await post("runs/search", { experiment_ids: [i.experiment_id], filter: `tags.mlflow.parentRunId = '${i.run_id}'`, max_results: 100 })).runs || [];

  const controls = h(
    "div",
    { class: "toolbar" },
    xChooser(x, ["wall", "relative"], metrics.map((m) => m.key)),
    h("label", {}, "smoothing ", h("input", { type: "range", min: 0, max: 0.99, step: 0.01, value: smoothing, "aria-label": "smoothing",
      onchange: ((e: Event) => go({ smooth: (e.target as HTMLInputElement).value === "0" ? undefined : (e.target as HTMLInputElement).value })) as EventListener })),
    h("label", {}, h("input", { type: "checkbox", checked: log, onchange: ((e: Event) => go({ log: (e.target as HTMLInputElement).checked ? "1" : undefined })) as EventListener }), " log y"),
    h("label", {}, h("input", { type: "checkbox", id: "clip", checked: clip, onchange: ((e: Event) => go({ clip: (e.target as HTMLInputElement).checked ? "1" : undefined })) as EventListener }), " ignore outliers"),
  );
  const charts = h("div", { class: "charts" });
  fill(root, 
    h("nav", { class: "crumbs" }, h("a", { href: href(["experiments"]) }, "Experiments"), " / ", h("a", { href: href(["experiments", exp.experiment_id]) }, exp.name), " / ", i.run_name || i.run_id),
    h("h1", {}, i.run_name || i.run_id),
    table("overview", [
      ["Run ID", i.run_id],
      ["Status", i.status],
      ["Started", formatTime(i.start_time)],
      ["Duration", formatDuration(i.start_time, i.end_time)],
      ["User", i.user_id || ""],
      ["Artifacts", i.artifact_uri || ""],
      ["Parent run", parentId ? h("a", { href: href(["runs", parentId]) }, parentId) : ""],
      ["Pipeline", pipelineId ? h("a", { href: href(["pipelines", pipelineId]), id: "pipeline-link" }, tagOf("ferry.pipeline.run")) : ""],
      ["Child runs", children.length ? h("span", {}, children.map((c, k) => h("span", {}, k ? ", " : "", h("a", { href: href(["runs", c.info.run_id]) }, c.info.run_name || c.info.run_id)))) : ""],
    ], ""),
    h("h2", {}, "Parameters"),
    table("params", (run.data.params || []).map((p) => [p.key, p.value]), "No parameters."),
    h("h2", {}, "Metrics"),
    table("metrics", metrics.map((m) => [m.key, formatNumber(m.value)]), "No metrics."),
    h("h2", {}, "Tags"),
    table("tags", tags.map((t) => [t.key, t.value]), "No tags."),
    h("h2", {}, "Datasets"),
    table("datasets", (run.inputs?.dataset_inputs || []).map((d) => [d.dataset.name, d.dataset.digest]), "No datasets."),
    h("h2", {}, "Lineage"),
    await lineage,
    h("h2", {}, "Artifacts"),
    await artifactBrowser(i.run_id),
    h("h2", {}, "Charts"),
    metrics.length ? controls : null,
    charts,
  );
  const width = Math.max(320, Math.min(720, (document.getElementById("app")?.clientWidth || 800) - 40));
  // Wall and relative time come from the timestamps (ms); relative shifts them to the run's
  // start, in seconds. The zoom (z=lo,hi in the chart's own x units) applies to every chart.
  const t0 = Number(i.start_time || 0);
  const toX = (v: number) => (x === "wall" ? v / 1000 : x === "relative" ? (v - t0) / 1000 : v);
  const fromX = (v: number) => (x === "wall" ? v * 1000 : x === "relative" ? v * 1000 + t0 : v);
  const zoom = (params.get("z") || "").split(",").map(Number);
  const range: [number, number] | undefined = zoom.length === 2 && zoom.every(isFinite) ? [fromX(zoom[0]), fromX(zoom[1])] : undefined;
  if (range) controls.appendChild(h("button", { type: "button", onclick: (() => go({ z: undefined })) as EventListener }, "Reset zoom"));
  const budget = 2 * width; // buckets a chart asks for
  const drawn = new Map<HTMLElement, RunBuckets>(); // each chart's data, x in the chart's units
  const plots = new Map<HTMLElement, uPlot>();
  const show = (key: string, box: HTMLElement, b: RunBuckets) => {
    drawn.set(box, b);
    box.dataset.points = String(b.points);
    box.dataset.max = String(b.max.reduce((m, v) => Math.max(m, v), -Infinity));
    box.dataset.x = b.x.length ? `${b.x[0]},${b.x[b.x.length - 1]}` : "";
    const chartEl = h("div");
    const u = bucketChart(chartEl, [b], {
      width, title: key, xLabel: xLabel(x), log, smoothing, time: x === "wall", labels: [key], names: [i.run_name || i.run_id], clip,
      onZoom: (lo, hi) => go({ z: `${lo},${hi}` }),
    });
    // A live chart is drawn again at each refresh: free the previous plot (uPlot listens on
    // the window) and the previous CSV's blob.
    plots.get(box)?.destroy();
    plots.set(box, u);
    box.querySelectorAll<HTMLAnchorElement>("a[href^='blob:']").forEach((a) => URL.revokeObjectURL(a.href));
    box.replaceChildren(chartEl, exportLinks(key, b, u.ctx.canvas));
  };
  const draw = async (key: string, box: HTMLElement) => {
    const [b] = await fetchBuckets([i.run_id], key, budget, x, { range, withTime: x === "step" });
    b.x = b.x.map(toX);
    show(key, box, b);
  };
  // Live: only the points after the chart's last step, appended (live.ts).
  const refresh = async (key: string, box: HTMLElement) => {
    const old = drawn.get(box);
    if (!old || old.last_step === undefined || x.startsWith("m:")) return draw(key, box);
    const [add] = await fetchBuckets([i.run_id], key, budget, x, { afterStep: old.last_step, withTime: x === "step" });
    add.x = add.x.map(toX);
    const next = appendBuckets(old, add);
    if (!next || next.x.length > 2 * budget) return draw(key, box);
    if (add.x.length) show(key, box, next);
    else drawn.set(box, next);
  };
  const boxes = metrics.slice(0, 24).map((m) => {
    const box = h("div", { class: "chart", "data-metric": m.key });
    charts.appendChild(box);
    return [m.key, box] as const;
  });
  for (const [key, box] of boxes) await draw(key, box);
  // A running run's charts refresh every `refresh` seconds (default 15) while the page shows,
  // unless live=0 or zoomed (the zoomed range is fixed).
  if (i.status === "RUNNING") {
    const on = params.get("live") !== "0";
    controls.appendChild(h("label", {}, h("input", { type: "checkbox", id: "live", checked: on,
      onchange: ((e: Event) => go({ live: (e.target as HTMLInputElement).checked ? undefined : "0" })) as EventListener }), " live"));
    if (on && !range) {
      charts.dataset.live = "1";
      const seconds = Math.min(30, Math.max(1, Number(params.get("refresh")) || 15));
      every(seconds, charts, async () => {
        const running = (await get("runs/get", { run_id: i.run_id })).run.info.status === "RUNNING";
        for (const [key, box] of boxes) await refresh(key, box);
        charts.dataset.refreshes = String(Number(charts.dataset.refreshes || 0) + 1);
        if (!running) charts.dataset.live = "ended";
        return running;
      });
    }
  }
}

// PNG of the canvas and CSV of the buckets drawn (x, min, max, last, count).
function exportLinks(key: string, b: { x: number[]; min: number[]; max: number[]; last: number[]; count?: number[] }, canvas: HTMLCanvasElement) {
  const csv = ["x,min,max,last,count", ...b.x.map((x, k) => `${x},${b.min[k]},${b.max[k]},${b.last[k]},${b.count?.[k] ?? ""}`)].join("\n") + "\n";
  const png = h("a", { href: "#", class: "export" }, "PNG");
  png.addEventListener("click", () => png.setAttribute("href", canvas.toDataURL("image/png")));
  png.setAttribute("download", `${key}.png`);
  return h("div", { class: "exports" }, png, " ",
    h("a", { class: "export", download: `${key}.csv`, href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })) }, "CSV"));
}
