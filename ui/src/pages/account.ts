// The signed-in user's own page: who they are, whether they are an admin, their access
// tokens, and a new password (users/update-password: a user may change their own).
import { ApiError, ferryGet, patch, workspace } from "../api";
import { fill, h } from "../dom";
import { actionForm, input } from "../forms";
import { session } from "../session";
import { tokensSection } from "../tokens";
import { listWorkspaces } from "../workspace";

// The signed-in user, or the reason there is none: 401 (the page shows the sign-in form), or
// a server without --auth, where there are no accounts.
export async function signedIn(): Promise<{ username: string; is_admin: boolean }> {
  const me = await session();
  if (!me.auth) throw new ApiError(404, "FEATURE_DISABLED", "This server runs without --auth: there are no accounts (docs/AUTH.md).");
  if (!me.user) throw new ApiError(401, "UNAUTHENTICATED", "Sign in to see your account.");
  return me.user;
}

function passwordForm(username: string): HTMLElement {
  const first = input("password", "new password", { type: "password", autocomplete: "new-password", required: true });
  const again = input("password2", "new password again", { type: "password", autocomplete: "new-password", required: true });
  return actionForm("change-password", "Change password", [first, again], async () => {
    if (first.value !== again.value) throw new Error("The two passwords differ.");
    await patch("users/update-password", { username, password: first.value });
    first.value = again.value = "";
    return "Password changed. Your tokens and this session stay valid.";
  });
}

// The caller's role in the page's workspace (GET workspaces/WS/my-role): a row of the table,
// or nothing without --enable-workspaces or on a server without that route.
async function roleRow(): Promise<HTMLElement | null> {
  if (!(await listWorkspaces().catch(() => null))) return null;
  const ws = workspace() || "default";
  try {
    const { role } = await ferryGet(`workspaces/${encodeURIComponent(ws)}/my-role`);
    return h("tr", { id: "my-role" }, h("th", {}, `Role in ${ws}`), h("td", {}, role || "none (the default permission applies)"));
  } catch (e) {
    if ((e as ApiError).status === 404 && (e as ApiError).code === "ENDPOINT_NOT_FOUND") return null;
    return h("tr", { id: "my-role" }, h("th", {}, `Role in ${ws}`), h("td", { class: "error" }, (e as ApiError).message));
  }
}

export async function accountPage(root: HTMLElement) {
  const me = await signedIn();
  fill(root,
    h("h1", {}, "Account"),
    h("table", { class: "grid kv", id: "me" }, h("tbody", {},
      h("tr", {}, h("th", {}, "Username"), h("td", {}, me.username)),
      h("tr", {}, h("th", {}, "Admin"), h("td", {}, me.is_admin ? h("span", {}, "yes · ", h("a", { href: "#/admin/users" }, "manage users")) : "no")),
      await roleRow())),
    h("h2", {}, "Access tokens"),
    h("p", { class: "muted" }, "A token acts as you: send it as Authorization: Bearer TOKEN, or set MLFLOW_TRACKING_TOKEN for MLflow's clients. Sessions of this UI are listed as \"browser session\"."),
    await tokensSection(),
    h("h2", {}, "Password"),
    passwordForm(me.username),
  );
}
