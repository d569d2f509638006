// Signing in and out of a `ferry server --auth` (docs/AUTH.md): the login form a page shows
// in its place when the API answers 401, and who is signed in, in the header. The session is
// an HttpOnly cookie the page never reads.
import { ApiError, ferryGet, ferryPost } from "./api";
import { clear, h } from "./dom";

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
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ferryPost("auth/login", { username: user.value, password: password.value }).then(done, (e: ApiError) => {
      error.textContent = `${e.code}: ${e.message}`;
      error.hidden = false;
    });
  });
  return form;
}

// The header's "NAME · Sign out" when signed in; nothing without --auth or before signing in.
export async function showAccount(): Promise<void> {
  const box = document.getElementById("account");
  if (!box) return;
  clear(box);
  const me: { auth: boolean; user?: { username: string; is_admin: boolean } } = await ferryGet("auth/session");
  if (!me.user) return;
  const out = h("button", { type: "button", class: "link" }, "Sign out");
  out.addEventListener("click", () => void ferryPost("auth/logout", {}).then(() => location.reload()));
  box.append(h("span", { class: "who" }, me.user.username, me.user.is_admin ? " (admin)" : ""), " · ", out);
}
