// #/admin/audit?user=NAME&since=T&until=T&page=TOKEN: the audit log (GET /api/ferry/v1/audit),
// newest first, 100 a page, filtered on the server by user and time (since inclusive, until
// exclusive; T as a datetime-local input gives it, read as UTC like the times shown). The page
// token is in the URL, so back returns to the newer page.
import { ferryGet } from "../api";
import { fill, formatTime, h } from "../dom";
import { input } from "../forms";
import { go, href } from "../route";
import { adminTabs, requireAdmin } from "./admin_nav";

const PAGE = "100";

interface Entry {
  timestamp: number;
  user: string;
  address: string;
  method: string;
  path: string;
  status: number;
  request_id: string;
  resource: string;
}

function filters(params: URLSearchParams): HTMLElement {
  const user = input("user", "user", { value: params.get("user") || "" });
  const since = input("since", "since", { type: "datetime-local", value: params.get("since") || "" });
  const until = input("until", "until", { type: "datetime-local", value: params.get("until") || "" });
  const form = h("form", { class: "toolbar", id: "audit-filter" },
    h("label", {}, "User ", user), h("label", {}, "From (UTC) ", since), h("label", {}, "Until ", until),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go({ user: user.value.trim(), since: since.value, until: until.value, page: undefined });
  });
  return form;
}

export async function adminAuditPage(root: HTMLElement, _parts: string[], params: URLSearchParams) {
  await requireAdmin();
  const query: [string, string][] = [["max_results", PAGE]];
  const ms = (v: string | null) => String(new Date(v + "Z").getTime()); // the inputs are in UTC, as the table
  if (params.get("user")) query.push(["user", params.get("user")!]);
  if (params.get("since")) query.push(["since_ms", ms(params.get("since"))]);
  if (params.get("until")) query.push(["until_ms", ms(params.get("until"))]);
  if (params.get("page")) query.push(["page_token", params.get("page")!]);
  const res = await ferryGet("audit", query);
  const entries: Entry[] = res.entries || [];
  const keep: Record<string, string> = {};
  for (const k of ["user", "since", "until"]) if (params.get(k)) keep[k] = params.get(k)!;
  fill(root,
    await adminTabs("audit"),
    h("h1", {}, "Audit log"),
    filters(params),
    h("table", { class: "grid", id: "audit" },
      h("thead", {}, h("tr", {}, ["Time (UTC)", "User", "Method", "Path", "Status", "Resource", "Address", "Request id"].map((t) => h("th", {}, t)))),
      h("tbody", {}, entries.map((e) => h("tr", { "data-user": e.user },
        h("td", {}, formatTime(e.timestamp)),
        h("td", {}, e.user === "-" ? e.user : h("a", { href: href(["admin", "audit"], { ...keep, user: e.user }) }, e.user)),
        h("td", {}, e.method),
        h("td", {}, e.path),
        h("td", { class: e.status >= 400 ? "num bad" : "num" }, String(e.status)),
        h("td", {}, e.resource),
        h("td", {}, e.address),
        h("td", { class: "muted" }, e.request_id))))),
    entries.length === 0 ? h("p", { class: "empty" }, "No entry matches.") : null,
    h("div", { class: "pager" },
      params.get("page") ? h("a", { class: "button", href: href(["admin", "audit"], keep) }, "Newest") : null, " ",
      res.next_page_token ? h("a", { class: "button", id: "older", href: href(["admin", "audit"], { ...keep, page: res.next_page_token }) }, "Older") : null),
  );
}
