// Nested runs in the runs table, as MLflow's UI shows them: a run whose parent (its
// mlflow.parentRunId tag) also matches the search is listed under that parent, not at the top
// level, and a parent row has a toggle with its number of children, collapsed unless its id is
// in the URL (expand=ID,ID). Page by page, so it holds with the server's sort, filter and
// paging: the matching children of a page's runs come from one Ferry runs/children request
// (their children's children followed), and whether a page's parents match the search from one
// runs/search with `attributes.run_id IN (...)` (MLflow's grammar has no IN for tags).
import { Run, ferryPost, post } from "./api";
import { h } from "./dom";
import { href } from "./route";

export interface Row {
  run: Run;
  depth: number;
}
export interface Search {
  experiment_ids: string[];
  filter: string;
  order_by: string[];
  run_view_type: string;
}

const DEPTH = 10; // deeper than any real nesting; stops a cycle of parent tags
const idOf = (r: Run) => r.info.run_id;
export const parentOf = (r: Run) => (r.data.tags || []).find((t) => t.key === "mlflow.parentRunId")?.value || "";

export class Nesting {
  private top: Run[] = [];
  private children = new Map<string, Run[]>();
  private matching = new Set<string>(); // ids known to match the search
  private fetched = new Set<string>(); // ids whose children were fetched
  nested = 0;

  constructor(private search: Search, readonly expanded: Set<string>) {}

  get topLevel(): number {
    return this.top.length;
  }
  count(id: string): number {
    return this.children.get(id)?.length || 0;
  }

  // Adds a page of the search; returns every run it brought (the page and the children).
  async add(page: Run[]): Promise<Run[]> {
    for (const r of page) this.matching.add(idOf(r));
    const [kids, parents] = await Promise.all([this.fetchChildren(page.map(idOf)), this.matchingParents(page)]);
    for (const r of page) if (!parents.has(parentOf(r)) || parentOf(r) === idOf(r)) this.top.push(r);
    return [...page, ...kids];
  }

  // The rows to draw: each top-level run, then its children if it is expanded (and theirs).
  rows(): Row[] {
    const out: Row[] = [];
    const walk = (r: Run, depth: number) => {
      out.push({ run: r, depth });
      if (depth >= DEPTH || !this.expanded.has(idOf(r))) return;
      for (const c of this.children.get(idOf(r)) || []) walk(c, depth + 1);
    };
    for (const r of this.top) walk(r, 0);
    return out;
  }

  // The page's parents that match the search: those already seen, and the others asked for.
  private async matchingParents(page: Run[]): Promise<Set<string>> {
    const parents = [...new Set(page.map(parentOf).filter(Boolean))];
    const found = new Set(parents.filter((p) => this.matching.has(p)));
    const unknown = parents.filter((p) => !found.has(p)).map((id) => `'${id.replace(/[^0-9a-f]/g, "")}'`);
    if (unknown.length === 0) return found;
    const filter = [this.search.filter, `attributes.run_id IN (${unknown.join(",")})`].filter(Boolean).join(" and ");
    const res = await post("runs/search", { ...this.search, filter, max_results: unknown.length });
    for (const r of res.runs || []) found.add(idOf(r));
    return found;
  }

  // The matching children of `ids`, and theirs, in the search's order, all pages.
  private async fetchChildren(ids: string[]): Promise<Run[]> {
    const all: Run[] = [];
    let todo = ids.filter((id) => !this.fetched.has(id));
    for (let depth = 0; todo.length > 0 && depth < DEPTH; depth++) {
      todo.forEach((id) => this.fetched.add(id));
      const found: Run[] = [];
      for (let i = 0; i < todo.length; i += 1000) {
        let token: string | undefined;
        do {
          const res = await ferryPost("runs/children", { ...this.search, parent_run_ids: todo.slice(i, i + 1000), max_results: 1000, page_token: token });
          for (const r of res.runs || []) found.push(r);
          token = res.next_page_token;
        } while (token);
      }
      for (const c of found) {
        this.matching.add(idOf(c));
        const siblings = this.children.get(parentOf(c)) || [];
        if (siblings.length === 0) this.children.set(parentOf(c), siblings);
        siblings.push(c);
        this.nested++;
      }
      all.push(...found);
      todo = found.map(idOf).filter((id) => !this.fetched.has(id));
    }
    return all;
  }
}

// The run-name cell: indented by depth, a toggle with the child count on a parent, and ↳
// (a link to the parent) on a top-level run whose parent does not match the search.
export function nameCell(row: Row, nesting: Nesting, toggle: (id: string) => void): Node {
  const r = row.run;
  const n = nesting.count(idOf(r));
  const open = nesting.expanded.has(idOf(r));
  const parent = parentOf(r);
  const cell = h("span", { class: row.depth ? "child" : "" },
    parent && row.depth === 0 ? [h("a", { href: href(["runs", parent]), title: "parent run", class: "parent" }, "↳"), " "] : null,
    n ? [h("button", { type: "button", class: "toggle", "aria-expanded": String(open), title: `${open ? "hide" : "show"} ${n} child runs`,
      onclick: (() => toggle(idOf(r))) as EventListener }, `${open ? "▾" : "▸"} ${n}`), " "] : null,
    h("a", { href: href(["runs", idOf(r)]), class: "run" }, r.info.run_name || idOf(r)));
  cell.style.paddingLeft = `${1.5 * row.depth}em`; // through the CSSOM: the CSP forbids style attributes
  return cell;
}
