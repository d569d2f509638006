// The runs of one experiment: MLflow's filter grammar and sorting both run on the server (its
// INVALID_PARAMETER_VALUE text is shown under the filter), metric and param columns chosen in
// the URL (cols=m:rmse,p:alpha), 100 runs in the first request and twice as many in each
// next one (up to 1,000), fetched as the view nears the last row, drawn by a virtual table
// (only the rows in view are in the DOM). Nested runs fold under their parent (nesting.ts).
// group=p:KEY|t:KEY shows groups instead (groups.ts) and their chart of gmetric=KEY
// (groupcharts.ts: mean, mean ± std and min-max bands).
import { ApiError, Run, ferryPost, get, post } from "../api";
import { fill, formatDuration, formatNumber, formatTime, h, searchBox } from "../dom";
import { go, href, replace } from "../route";
import { VirtualColumn, VirtualTable } from "../table";
import { groupTable } from "../groups";
import { groupCharts } from "../groupcharts";
import { withCompletion } from "../autocomplete";
import { Nesting, Row, nameCell } from "../nesting";
import { RowMarks } from "../pins";
import { datasetChooser, datasetClause, parsePicked } from "../datasets";
import { Brushes, formatBrushes, keeps, parallelCoordinates, parseBrushes } from "../parcoords";

// Grouping reads every matching run, up to this many.
const GROUP_LIMIT = 10000;

const PAGE = 100, MAX_PAGE = 1000;

type Column = { id: string; title: string; order?: string; cell: (r: Run) => string | Node };

function metricOf(r: Run, key: string) {
  const m = (r.data.metrics || []).find((x) => x.key === key);
  return m ? formatNumber(m.value) : "";
}
function paramOf(r: Run, key: string) {
  return (r.data.params || []).find((x) => x.key === key)?.value ?? "";
}
const quote = (key: string) => "`" + key.replace(/`/g, "") + "`";

// Each run's min and max of the metrics shown as min/max columns, filled in as pages load
// (POST /api/ferry/v1/runs/metric-extremes); keyed by run id and metric key.
type Extremes = Map<string, { min: number; max: number }>;
const extremeKey = (run: string, key: string) => run + "\u0000" + key;

async function fetchExtremes(runs: Run[], keys: string[], into: Extremes) {
  if (keys.length === 0) return;
  for (let i = 0; i < runs.length; i += 1000) {
    const res = await ferryPost("runs/metric-extremes", { run_ids: runs.slice(i, i + 1000).map((r) => r.info.run_id), keys });
    for (const e of res.extremes || []) into.set(extremeKey(e.run_id, e.key), { min: e.min, max: e.max });
  }
}

function columns(chosen: string[], extremes: Extremes): Column[] {
  const base: Column[] = [
    { id: "name", title: "Run", order: "attributes.run_name", cell: () => "" }, // nameCell draws it
    { id: "created", title: "Created", order: "attributes.start_time", cell: (r) => formatTime(r.info.start_time) },
    { id: "duration", title: "Duration", cell: (r) => formatDuration(r.info.start_time, r.info.end_time) },
    { id: "status", title: "Status", order: "attributes.status", cell: (r) => r.info.status },
  ];
  for (const c of chosen) {
    const key = c.slice(2);
    if (c.startsWith("m:")) base.push({ id: c, title: key, order: `metrics.${quote(key)}`, cell: (r) => metricOf(r, key) });
    if (c.startsWith("p:")) base.push({ id: c, title: key, order: `params.${quote(key)}`, cell: (r) => paramOf(r, key) });
    for (const [prefix, which] of [["n:", "min"], ["x:", "max"]] as const) {
      if (!c.startsWith(prefix)) continue;
      base.push({ id: c, title: `${key} (${which})`, cell: (r) => {
        const e = extremes.get(extremeKey(r.info.run_id, key));
        return e ? formatNumber(e[which]) : "";
      } });
    }
  }
  return base;
}

// Metric and param keys of the runs loaded, for the default columns and the chooser.
function keysOf(runs: Run[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) {
    for (const m of r.data.metrics || []) keys.add("m:" + m.key);
    for (const p of r.data.params || []) keys.add("p:" + p.key);
  }
  return [...keys].sort();
}

// Parallel coordinates over the loaded runs and the chosen metric and param columns (all
// numeric ones when fewer than two are chosen); a brush is a new history entry.
function brushPanel(runs: Run[], chosen: string[], brushes: Brushes): HTMLElement {
  const width = Math.max(480, Math.min(1200, (document.getElementById("app")?.clientWidth || 900) - 40));
  const keys = chosen.filter((c) => /^[mp]:/.test(c));
  return parallelCoordinates(runs, runs.map((r) => r.info.run_name || r.info.run_id.slice(0, 8)), width, undefined,
    { keys: keys.length >= 2 ? keys : undefined, brushes, onBrushEnd: (b) => go({ brush: formatBrushes(b) }) });
}

export async function runsPage(root: HTMLElement, parts: string[], params: URLSearchParams) {
  const experimentId = parts[1];
  const filter = params.get("filter") || "";
  const order = params.get("order") || "attributes.start_time DESC";
  // Start-time and lifecycle chips, as MLflow's UI has them: since=1h|24h|7d|30d|1y adds
  // attributes.start_time >= T to the filter; view=deleted|all picks deleted runs too.
  const since = params.get("since") || "";
  const view = params.get("view") || "";
  const sinceMs: Record<string, number> = { "1h": 3.6e6, "24h": 8.64e7, "7d": 6.048e8, "30d": 2.592e9, "1y": 3.1536e10 };
  const picked = parsePicked(params.get("ds"));
  const clauses = [filter, since in sinceMs ? `attributes.start_time >= ${Date.now() - sinceMs[since]}` : "", datasetClause(picked)].filter(Boolean);
  const runViewType = view === "deleted" ? "DELETED_ONLY" : view === "all" ? "ALL" : "ACTIVE_ONLY";
  const query = { experiment_ids: [experimentId], filter: clauses.join(" and "), order_by: [order], run_view_type: runViewType };
  const request = (token?: string, size = PAGE) => post("runs/search", { ...query, max_results: size, page_token: token });
  // Parallel coordinates (pc=1) over the first 1,000 runs; their brushes (brush=KEY:LO:HI,...)
  // filter the table's rows, those of later pages too (pinned rows stay).
  const pc = params.get("pc") === "1";
  const brushes: Brushes = pc ? parseBrushes(params.get("brush")) : new Map();
  let filterError = "";
  // The experiment and the first page at once; a 400 is the filter's error, shown inline.
  const [expRes, res] = await Promise.all([
    get("experiments/get", { experiment_id: experimentId }),
    request(undefined, pc ? MAX_PAGE : PAGE).catch((e) => {
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      filterError = e.message;
      return { runs: [] };
    }),
  ]);
  const exp = expRes.experiment;
  const runs: Run[] = res.runs || [];
  const available = keysOf(runs);
  const chosen = params.has("cols") ? (params.get("cols") || "").split(",").filter(Boolean) : available.slice(0, 12);
  const extremes: Extremes = new Map();
  const extremeKeys = [...new Set(chosen.filter((c) => c.startsWith("n:") || c.startsWith("x:")).map((c) => c.slice(2)))];
  const nesting = new Nesting(query, new Set((params.get("expand") || "").split(",").filter(Boolean)));
  const marks = new RowMarks(params);
  const [added, pinned, datasets] = await Promise.all([nesting.add(runs), marks.fetchPinned(query), datasetChooser(experimentId, picked)]);
  await fetchExtremes([...added, ...pinned], extremeKeys, extremes);
  const cols = columns(chosen, extremes);
  const [orderKey, orderDir] = order.split(/ (?=ASC$|DESC$)/);

  // Runs picked for comparison (kept while scrolling; the Compare link carries them).
  const chosenRuns = new Set<string>();
  const compare = h("a", { class: "button", id: "compare-link", href: "#" }, "Compare");
  const showPicked = () => {
    compare.textContent = `Compare (${chosenRuns.size})`;
    compare.setAttribute("href", chosenRuns.size >= 2 ? href(["compare"], { runs: [...chosenRuns].join(","), exp: experimentId }) : "#");
    compare.classList.toggle("disabled", chosenRuns.size < 2);
  };
  showPicked();
  // The first cell: the compare checkbox, then the pin and hide buttons.
  const pick: VirtualColumn<Row> = {
    title: "",
    cell: ({ run: r }) => h("span", { class: "row-tools" }, h("input", { type: "checkbox", "aria-label": "compare " + (r.info.run_name || r.info.run_id), checked: chosenRuns.has(r.info.run_id),
      onchange: ((e: Event) => { (e.target as HTMLInputElement).checked ? chosenRuns.add(r.info.run_id) : chosenRuns.delete(r.info.run_id); showPicked(); }) as EventListener }), marks.cell(r, show)),
  };
  // Expanding a parent redraws in place; the URL keeps it without a new history entry.
  const toggle = (id: string) => {
    nesting.expanded.has(id) ? nesting.expanded.delete(id) : nesting.expanded.add(id);
    replace({ expand: [...nesting.expanded].join(",") });
    show();
  };
  const table = new VirtualTable<Row>([pick,
    ...cols.map((c) => ({
      title: c.order ? h("a", { href: "#", onclick: ((e: Event) => { e.preventDefault(); go({ order: `${c.order} ${c.order === orderKey && orderDir === "DESC" ? "ASC" : "DESC"}` }); }) as EventListener }, c.title, c.order === orderKey ? (orderDir === "ASC" ? " ▲" : " ▼") : "") : c.title,
      attrs: { class: c.order ? "sortable" : "", "aria-sort": c.order === orderKey ? (orderDir === "ASC" ? "ascending" : "descending") : undefined },
      cell: (row: Row) => (c.id === "name" ? nameCell(row, nesting, toggle) : c.cell(row.run)),
    }))],
    (row) => row.run.info.run_id,
    "runs",
    () => void loadMore(),
  );
  const count = h("span", { class: "count" });
  let token: string | undefined = res.next_page_token;
  let loading = false, size = PAGE;
  const showCount = () => (count.textContent = `${nesting.topLevel}${token ? "+" : ""} runs` + (nesting.nested ? ` (${nesting.nested} nested)` : "") +
    (marks.hidden.size ? `, ${marks.hidden.size} hidden` : ""));
  // Draws the rows again after a page, an expanded parent, a pin or a hide.
  function show() {
    const inBrushes = (row: Row) => brushes.size === 0 || marks.pinned.includes(row.run.info.run_id) || keeps(row.run, brushes);
    table.setRows(marks.arrange(nesting.rows()).filter(inBrushes));
    showCount();
  }
  table.rowClass = (row) => marks.rowClass(row.run);
  // The next page of the same search, when the view nears the last loaded row; each twice the
  // last (up to 1,000), so scrolling far costs few round trips.
  async function loadMore() {
    if (!token || loading) return;
    loading = true;
    size = Math.min(MAX_PAGE, 2 * size);
    const next = await request(token, size);
    token = next.next_page_token;
    const added = await nesting.add(next.runs || []);
    loading = false;
    show();
    await fetchExtremes(added, extremeKeys, extremes);
    table.redraw();
  }
  show();

  const filterBox = searchBox(filter, "Filter runs (MLflow search syntax)", "metrics.rmse < 1 and params.model = 'tree'", (v) => go({ filter: v }), "filter");
  // The column chooser lists at most 200 keys matching its search box, built when opened: an
  // experiment may have 12,000 metric keys (MLflow #11927).
  const list = h("div", { class: "choices" });
  const search = h("input", { type: "search", placeholder: "Search keys", "aria-label": "Search columns" }) as HTMLInputElement;
  const showChoices = () => {
    const q = search.value.toLowerCase();
    const choices = available.flatMap((k) => (k.startsWith("m:") ? [k, "n:" + k.slice(2), "x:" + k.slice(2)] : [k]));
    const matching = choices.filter((k) => k.slice(2).toLowerCase().includes(q));
    list.replaceChildren(
      ...matching.slice(0, 200).map((k) =>
        h("label", {}, h("input", { type: "checkbox", checked: chosen.includes(k), onchange: ((e: Event) => {
          const on = (e.target as HTMLInputElement).checked;
          go({ cols: (on ? [...chosen, k] : chosen.filter((x) => x !== k)).join(",") });
        }) as EventListener }), ({ "m:": "metric ", "n:": "min of metric ", "x:": "max of metric ", "p:": "param " } as Record<string, string>)[k.slice(0, 2)] + k.slice(2))),
      ...(matching.length > 200 ? [h("p", { class: "empty" }, `${matching.length - 200} more: narrow the search`)] : []),
    );
  };
  search.addEventListener("input", showChoices);
  const chooser = h("details", { class: "chooser" }, h("summary", {}, `Columns (${available.length} keys)`), search, list);
  chooser.addEventListener("toggle", () => (chooser as HTMLDetailsElement).open && showChoices());
  const group = params.get("group") || "";
  const tagKeys = [...new Set(runs.flatMap((r) => (r.data.tags || []).map((t) => t.key)).filter((k) => !k.startsWith("mlflow.")))].sort();
  const groupBy = h("select", { "aria-label": "group by", id: "group-by", onchange: ((e: Event) => go({ group: (e.target as HTMLSelectElement).value })) as EventListener },
    h("option", { value: "" }, "no grouping"),
    available.filter((k) => k.startsWith("p:")).map((k) => h("option", { value: k, selected: k === group }, "group by param " + k.slice(2))),
    tagKeys.map((k) => h("option", { value: "t:" + k, selected: "t:" + k === group }, "group by tag " + k)),
    datasets ? h("option", { value: "d:dataset", selected: group === "d:dataset" }, "group by dataset") : null);
  let body: HTMLElement = table.el;
  if (group) {
    // Every matching run, not only the loaded page, so the groups' figures are whole.
    const all = [...runs];
    for (let t = res.next_page_token; t && all.length < GROUP_LIMIT; ) {
      const next = await request(t);
      all.push(...(next.runs || []));
      t = next.next_page_token;
    }
    const width = Math.max(320, Math.min(900, (document.getElementById("app")?.clientWidth || 900) - 40));
    const shown = all.filter((r) => !marks.hidden.has(r.info.run_id));
    body = h("div", {}, groupTable(shown, group, chosen.filter((c) => c.startsWith("m:")).map((c) => c.slice(2))),
      await groupCharts(shown, group, params.get("gmetric") || "", width));
    count.textContent = `${all.length} runs in groups`;
  }
  fill(root, 
    h("nav", { class: "crumbs" }, h("a", { href: href(["experiments"]) }, "Experiments"), " / ", exp.name),
    h("h1", {}, exp.name),
    h("p", { class: "crumbs" }, h("a", { href: href(["experiments", experimentId, "access"]), id: "access-link" }, "Access: who may read or change this experiment")),
    h("div", { class: "toolbar" }, withCompletion(filterBox, [...available, ...tagKeys.map((k) => "t:" + k)]),
      h("select", { "aria-label": "started", id: "since", onchange: ((e: Event) => go({ since: (e.target as HTMLSelectElement).value })) as EventListener },
        ["", "1h", "24h", "7d", "30d", "1y"].map((v) => h("option", { value: v, selected: v === since }, v ? `started in the last ${v}` : "started any time"))),
      h("select", { "aria-label": "lifecycle", id: "view", onchange: ((e: Event) => go({ view: (e.target as HTMLSelectElement).value })) as EventListener },
        [["", "active runs"], ["deleted", "deleted runs"], ["all", "active and deleted"]].map(([v, t]) => h("option", { value: v, selected: v === view }, t))),
      datasets, chooser, groupBy, marks.toggle(show),
      h("label", {}, h("input", { type: "checkbox", id: "pc-toggle", checked: pc, onchange: ((e: Event) => go({ pc: (e.target as HTMLInputElement).checked ? "1" : undefined, brush: undefined })) as EventListener }), " parallel coordinates"),
      count, compare,
      h("a", { class: "button", id: "csv-link", download: "runs.csv",
        href: "api/ferry/v1/runs/export.csv?" + new URLSearchParams({ experiment_ids: experimentId, filter: clauses.join(" and "), order_by: order, run_view_type: runViewType }).toString() }, "CSV (all runs)")),
    filterError ? h("div", { class: "error inline", role: "alert" }, filterError) : null,
    pc && !group ? brushPanel(runs, chosen, brushes) : null,
    body,
  );
}
