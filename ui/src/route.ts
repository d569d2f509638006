// The page's whole state lives in the URL's fragment: #/path/parts?key=value&... Pages read
// it with current() and change it with go(), which adds a history entry, so back and forward
// walk through filters, sorts and tabs as well as pages.
export interface Route {
  parts: string[];
  params: URLSearchParams;
}

export function current(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const q = hash.indexOf("?");
  const path = q < 0 ? hash : hash.slice(0, q);
  return {
    parts: path.split("/").filter((p) => p.length > 0).map(decodeURIComponent),
    params: new URLSearchParams(q < 0 ? "" : hash.slice(q + 1)),
  };
}

// A link keeps the page's workspace (`ws`, workspace.ts) unless it names one.
export function href(parts: string[], params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== "") q.set(k, v);
  const ws = current().params.get("ws");
  if (ws && !(params && "ws" in params)) q.set("ws", ws);
  const qs = q.toString();
  return "#/" + parts.map(encodeURIComponent).join("/") + (qs ? "?" + qs : "");
}

// Replaces some parameters of the current route (undefined or "" removes one).
export function go(changes: Record<string, string | undefined>, parts?: string[]): void {
  location.hash = withChanges(changes, parts);
}

function withChanges(changes: Record<string, string | undefined>, parts?: string[]): string {
  const r = current();
  const params: Record<string, string> = {};
  r.params.forEach((v, k) => (params[k] = v));
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") delete params[k];
    else params[k] = v;
  }
  return href(parts || r.parts, params);
}

// Like go(), but replacing the current history entry and without drawing the page again
// (state the page has already applied, such as an expanded row).
export function replace(changes: Record<string, string | undefined>): void {
  history.replaceState(history.state, "", location.pathname + location.search + withChanges(changes));
}

// Shows the current route again (after a change made through the API), without a history entry.
export function rerender(): void {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}
