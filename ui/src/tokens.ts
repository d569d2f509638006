// Access tokens (docs/AUTH.md, "Credentials"): a user's tokens with their state, a form that
// creates one (name, days until it expires) and shows its plaintext once with a copy button,
// and a revoke button per token. Without `username` they are the caller's own; an admin's
// page passes a user's name (?username=).
import { ferryDel, ferryGet, ferryPost } from "./api";
import { formatTime, h } from "./dom";
import { actionButton, actionForm, input, statusLine } from "./forms";

interface Token {
  id: string;
  name: string;
  creation_timestamp: number;
  expiration_timestamp?: number;
  revocation_timestamp?: number;
  last_used_timestamp?: number;
}

function state(t: Token): string {
  if (t.revocation_timestamp) return "revoked " + formatTime(t.revocation_timestamp);
  if (t.expiration_timestamp && t.expiration_timestamp <= Date.now()) return "expired";
  return "active";
}

// The plaintext of a new token, once: it is not stored anywhere but in this box.
function secretBox(token: string): HTMLElement {
  const code = h("code", { id: "new-token" }, token);
  const copied = h("span", { class: "muted" });
  const copy = h("button", { type: "button", id: "copy-token" }, "Copy");
  copy.addEventListener("click", () => {
    // The clipboard API needs a secure context (https or localhost); else select the text.
    const select = () => getSelection()?.selectAllChildren(code);
    (navigator.clipboard ? navigator.clipboard.writeText(token) : Promise.reject()).then(
      () => (copied.textContent = " copied"),
      () => (select(), (copied.textContent = " selected: copy it with Ctrl+C")));
  });
  return h("div", { class: "secret", role: "status" },
    h("p", {}, "Your new token. Copy it now: it is not shown again."), code, " ", copy, copied);
}

export async function tokensSection(username?: string): Promise<HTMLElement> {
  const who: [string, string][] = username ? [["username", username]] : [];
  const body = h("tbody");
  const line = statusLine();
  const secret = h("div");
  const draw = async () => {
    const tokens: Token[] = (await ferryGet("tokens", who)).tokens || [];
    body.replaceChildren(...tokens.map((t) => h("tr", { "data-token": t.name },
      h("td", {}, t.name),
      h("td", {}, formatTime(t.creation_timestamp)),
      h("td", {}, t.expiration_timestamp ? formatTime(t.expiration_timestamp) : "never"),
      h("td", {}, formatTime(t.last_used_timestamp)),
      h("td", { class: state(t) === "active" ? "ok" : "" }, state(t)),
      h("td", {}, t.revocation_timestamp ? "" : actionButton("Revoke", line, async () => {
        await ferryDel("tokens/" + encodeURIComponent(t.id));
        await draw();
        return `Token "${t.name}" revoked.`;
      }, true)))));
    if (tokens.length === 0) body.appendChild(h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No tokens.")));
  };
  await draw();
  const name = input("name", "token name", { required: true });
  const days = input("expires_in_days", "expires in days (empty: never)", { type: "number", min: "1", max: "3660" });
  const create = actionForm("create-token", "Create token", [name, days], async () => {
    const req: Record<string, unknown> = { name: name.value.trim(), ...(username ? { username } : {}) };
    if (days.value) req.expires_in_days = Number(days.value);
    const res = await ferryPost("tokens", req);
    secret.replaceChildren(secretBox(res.token));
    name.value = days.value = "";
    await draw();
    return `Token "${res.token_info.name}" created.`;
  }, line);
  return h("section", { id: "tokens" },
    h("table", { class: "grid", id: "token-list" },
      h("thead", {}, h("tr", {}, ["Name", "Created", "Expires", "Last used", "State", ""].map((t) => h("th", {}, t)))), body),
    create, line, secret);
}
