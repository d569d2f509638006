// What the admin pages share: the check that the caller is an admin (the server checks again:
// users/list, users/get of another user and the audit log answer 403 to others), and their tabs.
import { ApiError } from "../api";
import { h } from "../dom";
import { href } from "../route";
import { listWorkspaces } from "../workspace";
import { signedIn } from "./account";

export async function requireAdmin(): Promise<string> {
  const me = await signedIn();
  if (!me.is_admin) throw new ApiError(403, "PERMISSION_DENIED", "Permission denied: only admins may open the admin pages");
  return me.username;
}

// The Workspaces tab shows when the server has --enable-workspaces.
export async function adminTabs(active: "users" | "audit" | "workspaces"): Promise<HTMLElement> {
  const workspaces = await listWorkspaces().catch(() => null);
  const tab = (id: typeof active, text: string) =>
    h("a", { href: href(["admin", id]), class: id === active ? "tab active" : "tab" }, text);
  return h("nav", { class: "tabs" }, tab("users", "Users"), tab("audit", "Audit log"), workspaces && tab("workspaces", "Workspaces"));
}
