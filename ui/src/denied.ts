// What a page shows in its place when it cannot be drawn: for a 403 (the API's
// PERMISSION_DENIED, or an admin page opened by another user) a "Permission denied" view
// with the server's reason and who is signed in; for anything else the error's code and
// message (a page's own Error, e.g. "Pick at least two runs", has only a message).
import { ApiError } from "./api";
import { h } from "./dom";
import { session } from "./session";

export function errorView(err: ApiError | Error): HTMLElement {
  if (!(err instanceof ApiError)) return h("div", { class: "error", role: "alert" }, err.message);
  if (err.status !== 403) return h("div", { class: "error", role: "alert" }, err.code ? `${err.code}: ` : "", err.message);
  const who = h("p", { class: "muted" });
  session().then((me) => {
    if (me.user) who.append(`You are signed in as ${me.user.username}. `, "Ask an admin or the resource's manager for access.");
  }, () => undefined);
  return h("div", { class: "denied", role: "alert", id: "denied" },
    h("h1", {}, "Permission denied"),
    h("p", { class: "error" }, `${err.code}: ${err.message}`),
    who,
    h("p", {}, h("a", { href: "#/experiments" }, "Back to the experiments")));
}
