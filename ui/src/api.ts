// The public REST API, as MLflow's UI calls it (/ajax-api/2.0/mlflow/...). Errors carry the
// server's error_code and message, which pages show as they are.
import { current } from "./route";

const BASE = "ajax-api/2.0/mlflow/";

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

// The workspace the page works in (`ws=` in the fragment, kept there by workspace.ts), or ""
// for `default`, which needs no header (a server without --enable-workspaces ignores it).
export function workspace(): string {
  const ws = current().params.get("ws") || "";
  return ws === "default" ? "" : ws;
}

// The UI's one fetch: every request it makes goes through here, so every one names the
// page's workspace in X-MLFLOW-WORKSPACE (docs/AUTH.md, "Workspaces").
export function apiFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const ws = workspace();
  if (ws) headers.set("X-MLFLOW-WORKSPACE", ws);
  return fetch(url, { ...init, headers });
}

async function call(method: string, path: string, body?: unknown, query?: URLSearchParams, base = BASE) {
  const url = base + path + (query ? "?" + query.toString() : "");
  // X-Ferry-UI: a server with --auth answers 401 without asking for Basic credentials, so
  // the page shows its own login form instead of the browser's prompt.
  const init: RequestInit = { method, headers: { "X-Ferry-UI": "1" } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  const res = await apiFetch(url, init);
  const text = await res.text();
  let json: any = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, "BAD_RESPONSE", text.slice(0, 200));
  }
  if (!res.ok) throw new ApiError(res.status, json.error_code || String(res.status), json.message || text);
  return json;
}

export const get = (path: string, query: Record<string, string | string[]>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) q.append(k, x);
  return call("GET", path, undefined, q);
};
export const post = (path: string, body: unknown) => call("POST", path, body);
export const del = (path: string, body: unknown) => call("DELETE", path, body);
export const patch = (path: string, body: unknown) => call("PATCH", path, body);
// Ferry's own API (/api/ferry/v1/...), with the same error handling.
const FERRY = "api/ferry/v1/";
export const ferryPost = (path: string, body: unknown) => call("POST", path, body, undefined, FERRY);
export const ferryGet = (path: string, query: [string, string][] = []) =>
  call("GET", path, undefined, new URLSearchParams(query), FERRY);
export const ferryDel = (path: string, query: [string, string][] = []) =>
  call("DELETE", path, undefined, query.length ? new URLSearchParams(query) : undefined, FERRY);
export const ferryPut = (path: string, body: unknown) => call("PUT", path, body, undefined, FERRY);
// MLflow 3's workspaces (/ajax-api/3.0/mlflow/workspaces, docs/API.md).
const V3 = "ajax-api/3.0/mlflow/";
export const v3 = (method: string, path: string, body?: unknown) => call(method, path, body, undefined, V3);

export interface Experiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: { key: string; value: string }[];
}
export interface KeyValue {
  key: string;
  value: string;
}
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}
export interface Run {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    status: string;
    start_time?: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage: string;
    user_id?: string;
  };
  data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: { dataset_inputs?: { dataset: { name: string; digest: string; source_type?: string } }[] };
}
export interface User {
  id: number;
  username: string;
  is_admin: boolean;
  experiment_permissions?: { experiment_id: string; permission: string }[];
  registered_model_permissions?: { name: string; permission: string }[];
}
