// Experiments: filtered by name on the server (ILIKE), 100 a page; the page token is in the
// URL, so back returns to the previous page.
import { Experiment, post } from "../api";
import { fill, formatTime, h, searchBox } from "../dom";
import { go, href } from "../route";

const PAGE = 100;

export async function experimentsPage(root: HTMLElement, _parts: string[], params: URLSearchParams) {
  const q = params.get("q") || "";
  const body: Record<string, unknown> = { max_results: PAGE, order_by: ["name ASC"] };
  if (q) body.filter = `name ILIKE '%${q.replace(/'/g, "\\'")}%'`;
  if (params.get("page")) body.page_token = params.get("page");
  const res = await post("experiments/search", body);
  const experiments: Experiment[] = res.experiments || [];

  const search = searchBox(q, "Filter experiments by name", "Filter by name", (v) => go({ q: v, page: undefined }));
  const rows = experiments.map((x) =>
    h(
      "tr",
      {},
      h("td", {}, h("a", { href: href(["experiments", x.experiment_id]) }, x.name)),
      h("td", { class: "num" }, x.experiment_id),
      h("td", {}, formatTime(x.creation_time)),
      h("td", {}, formatTime(x.last_update_time)),
    ),
  );
  fill(root, 
    h("h1", {}, "Experiments"),
    h("div", { class: "toolbar" }, search),
    h(
      "table",
      { class: "grid", id: "experiments" },
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "ID"), h("th", {}, "Created"), h("th", {}, "Updated"))),
      h("tbody", {}, rows),
    ),
    experiments.length === 0 ? h("p", { class: "empty" }, q ? `No experiment matches "${q}".` : "No experiments yet.") : null,
    res.next_page_token
      ? h("div", { class: "pager" }, h("a", { class: "button", href: href(["experiments"], { q, page: res.next_page_token }) }, "Next page"))
      : null,
  );
}
