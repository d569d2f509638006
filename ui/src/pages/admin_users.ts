// #/admin/users: every user (users/list), with forms to create one, make or unmake an admin,
// set a new password and delete one; each name leads to the user's grants and tokens.
import { User, del, get, patch, post } from "../api";
import { fill, h } from "../dom";
import { actionButton, actionForm, input, statusLine } from "../forms";
import { href, rerender } from "../route";
import { adminTabs, requireAdmin } from "./admin_nav";

function createForm(): HTMLElement {
  const username = input("username", "username", { required: true, autocomplete: "off" });
  const password = input("password", "password", { type: "password", required: true, autocomplete: "new-password" });
  return actionForm("create-user", "Create user", [username, password], async () => {
    await post("users/create", { username: username.value.trim(), password: password.value });
    rerender();
  });
}

// A password field and its button, folded away until wanted.
function resetPassword(username: string, line: HTMLElement): HTMLElement {
  const password = input("password", `new password for ${username}`, { type: "password", required: true, autocomplete: "new-password" });
  return h("details", { class: "inline" }, h("summary", {}, "Set password"),
    actionForm(`password-${username}`, "Set", [password], async () => {
      await patch("users/update-password", { username, password: password.value });
      password.value = "";
      return `Password of ${username} changed.`;
    }, line));
}

function row(u: User, me: string, line: HTMLElement): HTMLElement {
  const self = u.username === me;
  return h("tr", { "data-user": u.username },
    h("td", {}, h("a", { href: href(["admin", "users", u.username]) }, u.username)),
    h("td", {}, u.is_admin ? "admin" : ""),
    h("td", { class: "actions" },
      // Not on oneself: an admin who unmakes or deletes themselves loses this page.
      self ? h("span", { class: "muted" }, "you ") : [
        actionButton(u.is_admin ? "Remove admin" : "Make admin", line, async () => {
          await patch("users/update-admin", { username: u.username, is_admin: !u.is_admin });
          rerender();
        }),
        actionButton("Delete", line, async () => {
          await del("users/delete", { username: u.username });
          rerender();
        }, true),
      ],
      resetPassword(u.username, line)));
}

export async function adminUsersPage(root: HTMLElement) {
  const me = await requireAdmin();
  const users: User[] = (await get("users/list", {})).users || [];
  const line = statusLine();
  fill(root,
    await adminTabs("users"),
    h("h1", {}, "Users"),
    createForm(),
    line,
    h("table", { class: "grid", id: "users" },
      h("thead", {}, h("tr", {}, ["User", "Role", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, users.map((u) => row(u, me, line)))),
  );
}
