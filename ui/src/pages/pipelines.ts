// Pipeline runs, as `ferry pipeline run --tracking-uri` records them (docs/PIPELINES.md): an
// MLflow run tagged ferry.pipeline in the experiment pipeline-<name>, and a child run per
// finished step tagged ferry.step, ferry.step.kind, ferry.step.state. Two searches: the
// pipelines' experiments, then their runs; a third fetches the listed runs' steps.
import { KeyValue, Run, post } from "../api";
import { fill, formatDuration, formatTime, h } from "../dom";
import { href } from "../route";

const PAGE = 100;
const STEP_FILTER = "tags.ferry.step.state LIKE '%'";

export const tag = (r: Run, key: string) => (r.data.tags || []).find((t: KeyValue) => t.key === key)?.value || "";

// The ids of every experiment that holds pipeline runs.
async function pipelineExperiments(): Promise<string[]> {
  const ids: string[] = [];
  let token = "";
  do {
    const res = await post("experiments/search", { filter: "name LIKE 'pipeline-%'", max_results: 1000, ...(token ? { page_token: token } : {}) });
    ids.push(...(res.experiments || []).map((x: { experiment_id: string }) => x.experiment_id));
    token = res.next_page_token || "";
  } while (token);
  return ids;
}

// Step runs of pipeline runs in these experiments that started at `since` or later, oldest
// first, grouped by their pipeline's MLflow run id.
export async function stepsOf(experimentIds: string[], since: number, parent?: string): Promise<Map<string, Run[]>> {
  const filter = `${STEP_FILTER} AND attributes.start_time >= ${since}` + (parent ? ` AND tags.mlflow.parentRunId = '${parent}'` : "");
  const res = await post("runs/search", { experiment_ids: experimentIds, filter, max_results: 5000, order_by: ["attributes.start_time ASC"] });
  const byParent = new Map<string, Run[]>();
  for (const r of (res.runs || []) as Run[]) {
    const p = tag(r, "mlflow.parentRunId");
    byParent.set(p, [...(byParent.get(p) || []), r]);
  }
  return byParent;
}

export const stateClass = (state: string) => (state === "succeeded" || state === "cached" || state === "FINISHED" ? "ok" : state === "failed" || state === "FAILED" ? "bad" : "");

function stepChips(steps: Run[]) {
  return steps.map((s) => {
    const state = tag(s, "ferry.step.state");
    return h("span", { class: `tag step ${stateClass(state)}`, "data-step": tag(s, "ferry.step"), title: state }, `${tag(s, "ferry.step")} ${state === "succeeded" ? "✓" : state}`);
  });
}

export async function pipelinesPage(root: HTMLElement, _parts: string[], params: URLSearchParams) {
  const experiments = await pipelineExperiments();
  let runs: Run[] = [];
  let next = "";
  if (experiments.length) {
    const body: Record<string, unknown> = { experiment_ids: experiments, filter: "tags.ferry.pipeline LIKE '%'", max_results: PAGE, order_by: ["attributes.start_time DESC"] };
    if (params.get("page")) body.page_token = params.get("page");
    const res = await post("runs/search", body);
    runs = res.runs || [];
    next = res.next_page_token || "";
  }
  const since = Math.min(...runs.map((r) => Number(r.info.start_time || 0)));
  const steps = runs.length ? await stepsOf(experiments, since) : new Map<string, Run[]>();
  const rows = runs.map((r) =>
    h("tr", { "data-run": r.info.run_id },
      h("td", {}, h("a", { href: href(["pipelines", r.info.run_id]) }, tag(r, "ferry.pipeline"))),
      h("td", {}, tag(r, "ferry.pipeline.run")),
      h("td", { class: stateClass(r.info.status) }, r.info.status),
      h("td", {}, tag(r, "ferry.pipeline.trigger")),
      h("td", {}, formatTime(r.info.start_time)),
      h("td", { class: "num" }, formatDuration(r.info.start_time, r.info.end_time)),
      h("td", { class: "steps" }, stepChips(steps.get(r.info.run_id) || [])),
    ));
  fill(root,
    h("h1", {}, "Pipelines"),
    h("table", { class: "grid", id: "pipelines" },
      h("thead", {}, h("tr", {}, ["Pipeline", "Run", "Status", "Trigger", "Started", "Duration", "Steps"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows)),
    runs.length === 0 ? h("p", { class: "empty" }, "No pipeline runs recorded here yet: `ferry pipeline run --tracking-uri URL` records them.") : null,
    next ? h("div", { class: "pager" }, h("a", { class: "button", href: href(["pipelines"], { page: next }) }, "Next page")) : null,
  );
}
