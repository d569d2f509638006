// Signing in and out of a `ferry server --auth` (docs/AUTH.md): the login form a page shows
// in its place when the API answers 401, and who is signed in, in the header (a link to the
// account page, and the Admin link for admins). The session is an HttpOnly cookie the page
// never reads.
import { ApiError, ferryGet, ferryPost } from "./api";
import { clear, h } from "./dom";

export interface Session {
  auth: boolean;
  user?: { username: string; is_admin: boolean };
  workspaces?: boolean; // --enable-workspaces (told to a signed-in user, or anyone without --auth)
  oidc_login?: boolean; // --oidc-issuer: the sign-in at the OpenID provider is available
  oidc_provider?: string; // the provider's host, for the button
}

// "Sign in with HOST": to the server's OIDC sign-in, which comes back to this very page.
function oidcLink(me: Session): HTMLElement | null {
  if (!me.oidc_login) return null;
  const next = location.pathname + location.search + location.hash;
  const href = "/api/ferry/v1/auth/oidc/login?next=" + encodeURIComponent(next);
  return h("a", { class: "oidc-login button", href }, `Sign in with ${me.oidc_provider || "the OpenID provider"}`);
}

let known: Promise<Session> | null = null;

// Who is signed in, asked once until a sign-in or sign-out (GET auth/session is open).
export function session(): Promise<Session> {
  if (!known) known = ferryGet("auth/session").catch((e) => ((known = null), Promise.reject(e)));
  return known;
}

export function loginForm(reason: string, done: () => void): HTMLElement {
  const user = h("input", { name: "username", autocomplete: "username", required: true }) as HTMLInputElement;
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true }) as HTMLInputElement;
  const error = h("div", { class: "error", role: "alert", hidden: true });
  const form = h("form", { class: "login" },
    h("h1", {}, "Sign in"),
    h("p", { class: "muted" }, reason),
    h("label", {}, "Username ", user),
    h("label", {}, "Password ", password),
    h("button", { type: "submit" }, "Sign in"),
    error);
  session().then((me) => {
    const link = oidcLink(me);
    if (link) form.append(h("p", { class: "muted or" }, "or"), link);
  }, () => undefined);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ferryPost("auth/login", { username: user.value, password: password.value }).then(() => {
      known = null;
      done();
    }, (e: ApiError) => {
      error.textContent = `${e.code}: ${e.message}`;
      error.hidden = false;
    });
  });
  return form;
}

// The header's "NAME · Sign out" when signed in (NAME links to #/account), and the Admin
// link for admins; nothing without --auth or before signing in.
export async function showAccount(): Promise<void> {
  const box = document.getElementById("account");
  const admin = document.querySelector("[data-nav=admin]") as HTMLElement | null;
  if (!box) return;
  clear(box);
  const me = await session();
  if (admin) admin.hidden = !me.user?.is_admin;
  if (!me.user) return;
  const out = h("button", { type: "button", class: "link", id: "sign-out" }, "Sign out");
  out.addEventListener("click", () => void ferryPost("auth/logout", {}).then(() => location.reload()));
  box.append(h("a", { class: "who", href: "#/account", "data-nav": "account" }, me.user.username), me.user.is_admin ? " (admin)" : "", " · ", out);
}
