// #/admin/users/NAME: one user's grants on experiments and registered models (list, grant,
// change the level, revoke) and their access tokens.
import { Experiment, User, get, post } from "../api";
import { fill, h } from "../dom";
import { actionButton, actionForm, input, levelSelect, report, statusLine } from "../forms";
import { Grant, Kind } from "../grants";
import { href, rerender } from "../route";
import { tokensSection } from "../tokens";
import { adminTabs, requireAdmin } from "./admin_nav";

// Names for the grants' experiment ids and the grant form's choices (the first 1,000 of each).
async function choices(): Promise<{ experiments: Map<string, string>; models: string[] }> {
  const [e, m] = await Promise.all([
    post("experiments/search", { max_results: 1000, order_by: ["name ASC"] }),
    get("registered-models/search", { max_results: "1000" }),
  ]);
  return {
    experiments: new Map((e.experiments || []).map((x: Experiment) => [x.experiment_id, x.name])),
    models: (m.registered_models || []).map((x: { name: string }) => x.name),
  };
}

function grantRow(kind: Kind, resource: string, label: Node | string, level: string, username: string, line: HTMLElement) {
  const grant = new Grant(kind, resource, username);
  const select = levelSelect(level);
  select.addEventListener("change", () => {
    grant.update(select.value).then(() => report(line, `${username} now has ${select.value} on ${kind} ${resource}.`), (e) => report(line, e));
  });
  return h("tr", { "data-grant": `${kind}:${resource}` },
    h("td", {}, label), h("td", {}, select),
    h("td", {}, actionButton("Revoke", line, async () => {
      await grant.revoke();
      rerender();
    }, true)));
}

function grantForm(username: string, names: { experiments: Map<string, string>; models: string[] }, line: HTMLElement) {
  const kind = h("select", { name: "kind", "aria-label": "resource type" },
    h("option", { value: "experiment" }, "experiment"), h("option", { value: "model" }, "registered model")) as HTMLSelectElement;
  const resource = input("resource", "experiment id or model name", { required: true, list: "grant-experiments" });
  kind.addEventListener("change", () => resource.setAttribute("list", kind.value === "model" ? "grant-models" : "grant-experiments"));
  const level = levelSelect("READ");
  return h("div", {},
    actionForm("grant", "Grant", [kind, resource, level], async () => {
      await new Grant(kind.value as Kind, resource.value.trim(), username).set(level.value);
      rerender();
    }, line),
    h("datalist", { id: "grant-experiments" }, [...names.experiments].map(([id, name]) => h("option", { value: id, label: name }))),
    h("datalist", { id: "grant-models" }, names.models.map((n) => h("option", { value: n }))));
}

export async function adminUserPage(root: HTMLElement, parts: string[]) {
  await requireAdmin();
  const username = parts[2];
  const user: User = (await get("users/get", { username })).user;
  const names = await choices();
  const line = statusLine();
  const experiments = (user.experiment_permissions || []).map((g) => {
    const name = names.experiments.get(g.experiment_id);
    const label = h("span", {}, h("a", { href: href(["experiments", g.experiment_id]) }, name || `experiment ${g.experiment_id}`), name ? ` (${g.experiment_id})` : "");
    return grantRow("experiment", g.experiment_id, label, g.permission, username, line);
  });
  const models = (user.registered_model_permissions || []).map((g) =>
    grantRow("model", g.name, h("a", { href: href(["models", g.name]) }, g.name), g.permission, username, line));
  const table = (id: string, title: string, rows: HTMLElement[]) => rows.length
    ? h("table", { class: "grid", id }, h("thead", {}, h("tr", {}, [title, "Permission", ""].map((t) => h("th", {}, t)))), h("tbody", {}, rows))
    : h("p", { class: "empty" }, `No grant on any ${title.toLowerCase()}: the server's default applies.`);
  fill(root,
    await adminTabs("users"),
    h("nav", { class: "crumbs" }, h("a", { href: href(["admin", "users"]) }, "Users"), " / ", username),
    h("h1", {}, username, user.is_admin ? h("span", { class: "tag" }, "admin") : null),
    user.is_admin ? h("p", { class: "muted" }, "An admin may do everything: grants do not limit them.") : null,
    h("h2", {}, "Grants"),
    grantForm(username, names, line),
    line,
    h("h3", {}, "Experiments"),
    table("experiment-grants", "Experiment", experiments),
    h("h3", {}, "Registered models"),
    table("model-grants", "Model", models),
    h("h2", {}, "Access tokens"),
    await tokensSection(username),
  );
}
