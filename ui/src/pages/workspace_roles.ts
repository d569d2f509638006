// #/admin/workspaces/NAME: who holds a role in a workspace (GET /api/ferry/v1/workspaces/NAME/
// members, needs --auth): the members table (principal, user or group, role), a form that adds
// a member or replaces their role (PUT), and a remove button per member (DELETE). The server
// lets the workspace's managers read it and its admins (and server admins) change it; anyone
// else gets its error in place of the page, or beside the form.
import { ferryDel, ferryGet, ferryPut } from "../api";
import { fill, h } from "../dom";
import { actionButton, actionForm, input, statusLine } from "../forms";
import { href, rerender } from "../route";
import { session } from "../session";
import { adminTabs } from "./admin_nav";

export const ROLES = ["viewer", "editor", "manager", "admin"];
const KINDS = ["user", "group"];

interface Member {
  principal: string;
  kind: string;
  role: string;
}

const membersPath = (ws: string) => `workspaces/${encodeURIComponent(ws)}/members`;

function select(name: string, values: string[], value: string): HTMLSelectElement {
  return h("select", { name, "aria-label": name }, values.map((v) => h("option", { value: v, selected: v === value }, v))) as HTMLSelectElement;
}

function addForm(ws: string, line: HTMLElement): HTMLElement {
  const principal = input("principal", "user or group name", { required: true, autocomplete: "off" });
  const kind = select("kind", KINDS, "user");
  const role = select("role", ROLES, "viewer");
  return actionForm("add-member", "Add or replace", [principal, kind, role], async () => {
    await ferryPut(membersPath(ws), { principal: principal.value.trim(), kind: kind.value, role: role.value });
    rerender();
  }, line);
}

function row(ws: string, m: Member, line: HTMLElement): HTMLElement {
  return h("tr", { "data-principal": m.principal, "data-kind": m.kind },
    h("td", {}, m.kind === "user" ? h("a", { href: href(["admin", "users", m.principal]) }, m.principal) : m.principal),
    h("td", {}, m.kind),
    h("td", { class: "role" }, m.role),
    h("td", { class: "actions" }, actionButton("Remove", line, async () => {
      await ferryDel(membersPath(ws), [["principal", m.principal], ["kind", m.kind]]);
      rerender();
    }, true)));
}

export async function workspaceRolesPage(root: HTMLElement, parts: string[]) {
  const ws = parts[2];
  const me = await session();
  const members: Member[] = (await ferryGet(membersPath(ws))).members || [];
  const line = statusLine();
  fill(root,
    me.auth && (await adminTabs("workspaces")),
    h("p", { class: "crumbs" }, h("a", { href: href(["admin", "workspaces"]) }, "Workspaces"), " / ", ws),
    h("h1", {}, `Roles in ${ws}`),
    h("p", { class: "muted" }, "viewer: read everything in the workspace · editor: change it, create experiments and models · manager: also grant access to its resources · admin: also manage its members. A group is a name from the sign-in token's groups claim."),
    addForm(ws, line),
    line,
    members.length === 0 ? h("p", { class: "empty" }, "No members.") : h("table", { class: "grid", id: "members" },
      h("thead", {}, h("tr", {}, ["Principal", "Kind", "Role", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, members.map((m) => row(ws, m, line)))),
  );
}
