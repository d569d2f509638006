// The workspace the UI works in, on a `ferry server --enable-workspaces` (docs/AUTH.md,
// "Workspaces"). It lives in the URL (`ws=NAME` in the fragment's query, so links, reload and
// back/forward keep it) and is remembered in localStorage for the next visit; api.ts sends it
// as X-MLFLOW-WORKSPACE. The header's switcher shows only when the server has workspaces. A
// workspace that is not (or no longer) there falls back to `default` with a notice.
import { ApiError, v3 } from "./api";
import { clear, h } from "./dom";
import { current, go, replace } from "./route";
import { session } from "./session";

export interface Workspace {
  name: string;
  description?: string;
}

const KEY = "ferry.workspace";
const DEFAULT = "default";
const MISSING = /^Workspace '(.*)' not found$/;

// The workspaces the caller may see, or null without --enable-workspaces (auth/session, which
// every page asks anyway, says `"workspaces": true` to whom may list them: no request that
// fails on a server without them). Asked once until invalidated (a workspace created or
// deleted); a failure is not kept.
let listing: Promise<Workspace[]> | null = null;

export async function listWorkspaces(): Promise<Workspace[] | null> {
  const me = await session().catch(() => null);
  if (!me?.workspaces) return null;
  if (!listing) {
    listing = v3("GET", "workspaces").then((r) => (r.workspaces || []) as Workspace[], (e: ApiError) => {
      listing = null;
      throw e;
    });
  }
  return listing;
}

export function invalidateWorkspaces(): void {
  listing = null;
}

function remembered(): string {
  try {
    return localStorage.getItem(KEY) || DEFAULT;
  } catch {
    return DEFAULT;
  }
}

function remember(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // Storage refused (a private window): the URL still holds the choice.
  }
}

function showNotice(text: string): void {
  const box = document.getElementById("notice");
  if (!box) return;
  box.textContent = text;
  box.hidden = !text;
}

// Back to `default` after `name` turned out not to exist (or not to be visible).
function fallBack(name: string): void {
  remember(DEFAULT);
  replace({ ws: DEFAULT, page: undefined });
  showNotice(`Workspace '${name}' not found: showing '${DEFAULT}' instead.`);
}

// The API's 404 for a workspace that does not exist: falls back and says so (true), so the
// caller draws the page again in `default`.
export function recoverMissingWorkspace(err: unknown): boolean {
  const match = err instanceof ApiError && err.status === 404 ? MISSING.exec(err.message) : null;
  if (!match || (current().params.get("ws") || DEFAULT) === DEFAULT) return false;
  fallBack(match[1]);
  invalidateWorkspaces();
  return true;
}

function drawSwitcher(list: Workspace[], chosen: string): void {
  const box = document.getElementById("workspace-switch");
  const select = document.getElementById("workspace") as HTMLSelectElement | null;
  if (!box || !select) return;
  clear(select);
  for (const w of list) select.appendChild(h("option", { value: w.name, selected: w.name === chosen }, w.name));
  select.value = chosen;
  select.onchange = () => {
    remember(select.value);
    showNotice("");
    // A page token belongs to the other workspace's listing: the list starts again.
    go({ ws: select.value, page: undefined });
  };
  box.hidden = false;
}

// Before each page: puts the chosen workspace in the URL (in place, no history entry) and
// draws the switcher. Without --enable-workspaces (or before signing in) it does nothing.
export async function syncWorkspace(): Promise<void> {
  const list = await listWorkspaces().catch(() => null);
  const box = document.getElementById("workspace-switch");
  if (!list) {
    if (box) box.hidden = true;
    return;
  }
  const named = current().params.get("ws");
  const chosen = named || remembered();
  if (!list.some((w) => w.name === chosen)) {
    fallBack(chosen);
  } else {
    remember(chosen);
    if (named !== chosen) replace({ ws: chosen });
  }
  drawSwitcher(list, current().params.get("ws") || DEFAULT);
}
