// One pipeline run (its MLflow run id in the URL): what ran, its steps in the order they
// started (each a link to its step run), and the lineage graph around it.
import { Run, get } from "../api";
import { fill, formatDuration, formatTime, h } from "../dom";
import { href } from "../route";
import { lineageSection } from "../lineage";
import { stateClass, stepsOf, tag } from "./pipelines";

function stepRow(s: Run) {
  const state = tag(s, "ferry.step.state");
  return h("tr", { "data-step": tag(s, "ferry.step") },
    h("td", {}, h("a", { href: href(["runs", s.info.run_id]) }, tag(s, "ferry.step"))),
    h("td", {}, tag(s, "ferry.step.kind")),
    h("td", { class: stateClass(state) }, state),
    h("td", {}, tag(s, "ferry.step.cache_hit") === "true" ? "hit" : ""),
    h("td", {}, formatTime(s.info.start_time)),
    h("td", { class: "num" }, formatDuration(s.info.start_time, s.info.end_time)),
  );
}

export async function pipelinePage(root: HTMLElement, parts: string[]) {
  const run: Run = (await get("runs/get", { run_id: parts[1] })).run;
  const i = run.info;
  const name = tag(run, "ferry.pipeline");
  if (!name) throw new Error(`Run ${i.run_id} is not a pipeline run (it has no ferry.pipeline tag).`);
  const steps = (await stepsOf([i.experiment_id], Number(i.start_time || 0), i.run_id)).get(i.run_id) || [];
  fill(root,
    h("nav", { class: "crumbs" }, h("a", { href: href(["pipelines"]) }, "Pipelines"), " / ", `${name} ${tag(run, "ferry.pipeline.run")}`),
    h("h1", {}, `Pipeline ${name}`),
    h("table", { class: "grid kv", id: "overview" }, h("tbody", {},
      ([
        ["Run", tag(run, "ferry.pipeline.run")],
        ["Status", i.status],
        ["Trigger", tag(run, "ferry.pipeline.trigger")],
        ["Started", formatTime(i.start_time)],
        ["Duration", formatDuration(i.start_time, i.end_time)],
        ["Parameters", (run.data.params || []).map((p) => `${p.key}=${p.value}`).join(", ")],
        ["MLflow run", h("a", { href: href(["runs", i.run_id]) }, i.run_id)],
      ] as [string, string | Node][]).map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))))),
    h("h2", {}, "Steps"),
    steps.length
      ? h("table", { class: "grid", id: "steps" },
        h("thead", {}, h("tr", {}, ["Step", "Kind", "State", "Cache", "Started", "Duration"].map((t) => h("th", {}, t)))),
        h("tbody", {}, steps.map(stepRow)))
      : h("p", { class: "empty" }, "No step has finished yet."),
    h("h2", {}, "Lineage"),
    await lineageSection(`runs/${encodeURIComponent(i.run_id)}`, "No lineage recorded for this pipeline run."),
  );
}
