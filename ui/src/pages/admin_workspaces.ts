// #/admin/workspaces: the server's workspaces (MLflow 3's /api/3.0/mlflow/workspaces, with
// --enable-workspaces): create one (name and description; the server's validation error shows
// beside the form), change a description, delete one (the server refuses one that still holds
// experiments, and `default`: its message shows). Each name leads to its role page. Any user
// may list them; the server lets only admins change them (without --auth, anyone).
import { ApiError, v3 } from "../api";
import { fill, h } from "../dom";
import { actionButton, actionForm, input, statusLine } from "../forms";
import { href, rerender } from "../route";
import { session } from "../session";
import { Workspace, invalidateWorkspaces, listWorkspaces } from "../workspace";
import { signedIn } from "./account";
import { adminTabs } from "./admin_nav";

const path = (name: string) => "workspaces/" + encodeURIComponent(name);

// The list changed: the header's switcher and this page are drawn again.
function changed(): void {
  invalidateWorkspaces();
  rerender();
}

function createForm(): HTMLElement {
  const name = input("name", "workspace name", { required: true, autocomplete: "off" });
  const description = input("description", "description", { autocomplete: "off" });
  return actionForm("create-workspace", "Create workspace", [name, description], async () => {
    await v3("POST", "workspaces", { name: name.value.trim(), description: description.value });
    changed();
  });
}

function describeForm(ws: Workspace, line: HTMLElement): HTMLElement {
  const description = input("description", `description of ${ws.name}`, { value: ws.description || "", autocomplete: "off" });
  return h("details", { class: "inline" }, h("summary", {}, "Edit description"),
    actionForm(`describe-${ws.name}`, "Save", [description], async () => {
      await v3("PATCH", path(ws.name), { description: description.value });
      changed();
    }, line));
}

function row(ws: Workspace, line: HTMLElement): HTMLElement {
  return h("tr", { "data-workspace": ws.name },
    h("td", {}, h("a", { href: href(["admin", "workspaces", ws.name]) }, ws.name)),
    h("td", { class: "description" }, ws.description || ""),
    h("td", { class: "actions" },
      ws.name !== "default" && actionButton("Delete", line, async () => {
        await v3("DELETE", path(ws.name));
        changed();
      }, true),
      describeForm(ws, line)));
}

export async function adminWorkspacesPage(root: HTMLElement) {
  const me = await session();
  if (me.auth) await signedIn(); // the sign-in form first
  invalidateWorkspaces(); // this page shows the server's list as it is now
  const list = await listWorkspaces();
  if (!list) throw new ApiError(404, "FEATURE_DISABLED", "This server runs without --enable-workspaces (docs/AUTH.md, \"Workspaces\").");
  const line = statusLine();
  line.id = "workspaces-status";
  fill(root,
    me.auth && (await adminTabs("workspaces")),
    h("h1", {}, "Workspaces"),
    h("p", { class: "muted" }, "A name is 2 to 63 lowercase letters, digits and inner '-'. A workspace can be deleted once it holds no experiment; default cannot be."),
    createForm(),
    line,
    h("table", { class: "grid", id: "workspaces" },
      h("thead", {}, h("tr", {}, ["Workspace", "Description", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, list.map((ws) => row(ws, line)))),
  );
}
