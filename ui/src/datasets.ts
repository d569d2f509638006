// The runs table's dataset filter, as MLflow's UI has it: the datasets logged as run inputs
// in the experiment (experiments/search-datasets) are listed, and the picked ones become
// `dataset.name IN (...) AND dataset.digest IN (...)` in the server's filter. State in the URL:
// ds=NAME:DIGEST,NAME:DIGEST (each part URI-encoded, so names may hold ',' or ':').
import { Run, post } from "./api";
import { h } from "./dom";
import { go } from "./route";

export interface Dataset {
  name: string;
  digest: string;
}

const sql = (v: string) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const keyOf = (d: Dataset) => `${encodeURIComponent(d.name)}:${encodeURIComponent(d.digest)}`;

export function parsePicked(v: string | null): Dataset[] {
  return (v || "").split(",").filter(Boolean).map((p) => {
    const [name, digest = ""] = p.split(":").map(decodeURIComponent);
    return { name, digest };
  });
}

export function datasetClause(picked: Dataset[]): string {
  if (picked.length === 0) return "";
  const names = [...new Set(picked.map((d) => d.name))].map(sql).join(",");
  const digests = [...new Set(picked.map((d) => d.digest))].map(sql).join(",");
  return `dataset.name IN (${names}) and dataset.digest IN (${digests})`;
}

// A run's datasets as "name (digest)", the group values of group=d:dataset.
export function datasetsOf(r: Run): string[] {
  return (r.inputs?.dataset_inputs || []).map((i) => `${i.dataset.name} (${i.dataset.digest.slice(0, 8)})`);
}

// The chooser: one checkbox per dataset of the experiment; a change is a new search.
export async function datasetChooser(experimentId: string, picked: Dataset[]): Promise<HTMLElement | null> {
  const res = await post("experiments/search-datasets", { experiment_ids: [experimentId] }).catch(() => ({}));
  const all = new Map<string, Dataset>();
  for (const d of (res as { dataset_summaries?: Dataset[] }).dataset_summaries || []) all.set(keyOf(d), { name: d.name, digest: d.digest });
  for (const d of picked) all.set(keyOf(d), d);
  if (all.size === 0) return null;
  const on = new Set(picked.map(keyOf));
  return h("details", { class: "chooser", id: "datasets" },
    h("summary", {}, on.size ? `Datasets (${on.size} of ${all.size})` : `Datasets (${all.size})`),
    [...all].map(([key, d]) => h("label", {}, h("input", { type: "checkbox", value: key, checked: on.has(key), onchange: ((e: Event) => {
      (e.target as HTMLInputElement).checked ? on.add(key) : on.delete(key);
      go({ ds: [...on].join(",") });
    }) as EventListener }), ` ${d.name} `, h("span", { class: "count" }, d.digest.slice(0, 8)))));
}
