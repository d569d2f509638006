// Versions of one registered model side by side (MLflow's compare-model-versions): stage,
// status, aliases, tags, the input and output schema of each MLmodel signature, and the
// source runs' params and metrics; "differences only" hides the rows where all agree.
// State: #/models/NAME/compare?versions=1,3&diff=1.
import { Run, get } from "../api";
import { fill, formatNumber, formatTime, h } from "../dom";
import { go, href } from "../route";
import { columnName, columnType, fetchSignature } from "../signature";

type Row = { section: string; key: string; values: string[] };

interface Side {
  v: any; // the model version
  run: Run | null;
  sig: Awaited<ReturnType<typeof fetchSignature>>;
}

async function fetchSide(name: string, version: string, aliases: { alias: string; version: string }[]): Promise<Side> {
  const v = (await get("model-versions/get", { name, version })).model_version;
  v.aliases = aliases.filter((a) => a.version === version).map((a) => a.alias);
  const [run, sig] = await Promise.all([
    v.run_id ? get("runs/get", { run_id: v.run_id }).then((r) => r.run as Run, () => null) : Promise.resolve(null),
    fetchSignature(name, version),
  ]);
  return { v, run, sig };
}

// One row per field: a row's key set is the union over the versions, "" where one lacks it.
function rowsOf(sides: Side[]): Row[] {
  const rows: Row[] = [];
  const add = (section: string, pick: (s: Side) => { key: string; value: string }[]) => {
    const keys = [...new Set(sides.flatMap((s) => pick(s).map((x) => x.key)))];
    for (const key of keys) rows.push({ section, key, values: sides.map((s) => pick(s).find((x) => x.key === key)?.value ?? "") });
  };
  const kv = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));
  add("version", (s) => kv({
    stage: s.v.current_stage || "", status: s.v.status || "", aliases: (s.v.aliases || []).map((a: string) => "@" + a).join(" "),
    "source run": s.run?.info.run_name || s.v.run_id || "", created: formatTime(s.v.creation_timestamp), description: s.v.description || "",
  }));
  add("tag", (s) => s.v.tags || []);
  const schema = (which: "inputs" | "outputs") => (s: Side) =>
    typeof s.sig === "string" ? [] : s.sig[which].map((c) => ({ key: columnName(c), value: columnType(c) }));
  add("input", schema("inputs"));
  add("output", schema("outputs"));
  add("param", (s) => s.run?.data.params || []);
  add("metric", (s) => (s.run?.data.metrics || []).map((m) => ({ key: m.key, value: formatNumber(m.value) })));
  return rows;
}

export async function versionsComparePage(root: HTMLElement, parts: string[], params: URLSearchParams) {
  const name = parts[1];
  const versions = (params.get("versions") || "").split(",").filter((v) => /^\d+$/.test(v));
  if (versions.length < 2) throw new Error("Pick at least two versions to compare (versions=1,2 in the URL).");
  const model = (await get("registered-models/get", { name })).registered_model;
  const sides = await Promise.all(versions.map((v) => fetchSide(name, v, model.aliases || [])));
  const diff = params.get("diff") === "1";
  const rows = rowsOf(sides).filter((r) => !diff || new Set(r.values).size > 1);
  const noSchema = sides.filter((s) => typeof s.sig === "string").map((s) => `version ${s.v.version}: ${s.sig}`);
  fill(root,
    h("nav", { class: "crumbs" }, h("a", { href: href(["models"]) }, "Models"), " / ", h("a", { href: href(["models", name]) }, name), " / compare"),
    h("h1", {}, `${name}: comparing ${versions.length} versions`),
    h("div", { class: "toolbar" },
      h("label", {}, h("input", { type: "checkbox", id: "diff-only", checked: diff, onchange: ((e: Event) => go({ diff: (e.target as HTMLInputElement).checked ? "1" : undefined })) as EventListener }), " differences only")),
    h("table", { class: "grid", id: "compare-versions" },
      h("thead", {}, h("tr", {}, h("th", {}, ""), sides.map((s) => h("th", {}, h("a", { href: href(["models", name, "versions", s.v.version]) }, `Version ${s.v.version}`))))),
      h("tbody", {}, rows.map((row) => h("tr", { "data-key": `${row.section}:${row.key}`, class: new Set(row.values).size > 1 ? "differs" : undefined },
        h("th", {}, `${row.section} ${row.key}`), row.values.map((v) => h("td", {}, v)))))),
    rows.length === 0 ? h("p", { class: "empty" }, "The versions agree on everything.") : null,
    noSchema.length ? h("p", { class: "empty" }, noSchema.join("; ")) : null,
  );
}
