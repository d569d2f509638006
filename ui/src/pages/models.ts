// Registered models, searched on the server as MLflow's UI does: plain text matches names
// (`name ILIKE '%text%'`), a query starting with `tags.` or `name` is the registry's filter
// itself (`tags.team = 'vision'`); 25 a page, the page token in the URL (back returns).
import { ApiError, get } from "../api";
import { fill, formatTime, h, searchBox } from "../dom";
import { go, href } from "../route";

const PAGE = 25;

export function modelFilter(q: string): string {
  if (/^\s*(tags\.|name\b)/i.test(q)) return q.trim();
  return q ? `name ILIKE '%${q.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}%'` : "";
}

export async function modelsPage(root: HTMLElement, _parts: string[], params: URLSearchParams) {
  const q = params.get("q") || "";
  const query: Record<string, string> = { max_results: String(PAGE) };
  if (q) query.filter = modelFilter(q);
  if (params.get("page")) query.page_token = params.get("page")!;
  let error = "";
  const res = await get("registered-models/search", query).catch((e) => {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    error = e.message; // a bad filter: the registry's message, under the box
    return {};
  });
  const models: any[] = res.registered_models || [];
  const search = searchBox(q, "Search models by name or tag", "name, or tags.key = 'value'", (v) => go({ q: v, page: undefined }), "filter");
  fill(root,
    h("h1", {}, "Registered models"),
    h("div", { class: "toolbar" }, search),
    error ? h("div", { class: "error inline", role: "alert" }, error) : null,
    h("table", { class: "grid", id: "models" },
      h("thead", {}, h("tr", {}, ["Name", "Latest versions", "Aliases", "Tags", "Updated"].map((t) => h("th", {}, t)))),
      h("tbody", {}, models.map((m) =>
        h("tr", {},
          h("td", {}, h("a", { href: href(["models", m.name]) }, m.name)),
          h("td", {}, (m.latest_versions || []).map((v: any) => `v${v.version}${v.current_stage && v.current_stage !== "None" ? " (" + v.current_stage + ")" : ""}`).join(", ")),
          h("td", {}, (m.aliases || []).map((a: any) => `@${a.alias} → v${a.version}`).join(", ")),
          h("td", {}, (m.tags || []).map((t: any) => h("span", { class: "tag" }, `${t.key}=${t.value}`))),
          h("td", {}, formatTime(m.last_updated_timestamp)))))),
    models.length === 0 && !error ? h("p", { class: "empty" }, q ? "No registered model matches." : "No registered models.") : null,
    res.next_page_token ? h("div", { class: "pager" }, h("a", { class: "button", id: "models-next", href: href(["models"], { q, page: res.next_page_token }) }, "Next page")) : null,
  );
}
