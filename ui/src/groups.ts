// Runs grouped by a param or tag value or by dataset: one row per value with its run count
// and, for each chosen metric, the min, mean and max of the runs' latest values.
import { Run } from "./api";
import { formatNumber, h } from "./dom";
import { datasetsOf } from "./datasets";

// "p:KEY" groups by a param, "t:KEY" by a tag, "d:dataset" by the datasets a run consumed (a
// run with two is in both groups); runs without any form the group "(none)".
export function groupValues(r: Run, by: string): string[] {
  if (by.startsWith("d:")) {
    const ds = datasetsOf(r);
    return ds.length ? [...new Set(ds)] : ["(none)"];
  }
  const key = by.slice(2);
  const list = by.startsWith("p:") ? r.data.params || [] : r.data.tags || [];
  return [list.find((x) => x.key === key)?.value ?? "(none)"];
}

// The groups, by value (numbers in numeric order), each with its runs in the given order.
export function groupsOf(runs: Run[], by: string): [string, Run[]][] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    for (const v of groupValues(r, by)) {
      const members = groups.get(v);
      if (members) members.push(r);
      else groups.set(v, [r]);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
}

export function groupTable(runs: Run[], by: string, metrics: string[]): HTMLElement {
  const stats = (members: Run[], key: string) => {
    const values = members.flatMap((r) => (r.data.metrics || []).filter((m) => m.key === key).map((m) => m.value));
    if (values.length === 0) return "";
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return `${formatNumber(Math.min(...values))} / ${formatNumber(mean)} / ${formatNumber(Math.max(...values))}`;
  };
  const rows = groupsOf(runs, by);
  return h(
    "table",
    { class: "grid", id: "groups" },
    h("thead", {}, h("tr", {}, h("th", {}, by.slice(2)), h("th", {}, "runs"), metrics.map((m) => h("th", {}, `${m} (min / mean / max)`)))),
    h("tbody", {}, rows.map(([value, members]) =>
      h("tr", { "data-group": value }, h("td", {}, value), h("td", { class: "num" }, String(members.length)), metrics.map((m) => h("td", { class: "num" }, stats(members, m)))))),
  );
}
