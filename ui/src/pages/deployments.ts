// What is being served (ferry serve, or ferry server --deploy): each deployment's primary and
// challenger with version, state, requests, errors and latency since loaded, and its live
// monitoring's alerts.
import { ApiError, ferryGet } from "../api";
import { h, fill } from "../dom";

// The deployments, or null from a server that serves no models (404).
export async function deployments(): Promise<any[] | null> {
  try {
    return (await ferryGet("deployments")).deployments || [];
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

function arm(role: string, a: any) {
  if (!a) return null;
  const pct = (x: number) => (x * 100).toFixed(2) + "%";
  return h(
    "tr",
    {},
    h("td", {}, role + (a.mode ? ` (${a.mode}${a.mode === "canary" ? " " + a.percent + "%" : ""})` : "")),
    h("td", {}, `${a.model} v${a.version}`),
    h("td", { class: a.state === "READY" ? "ok" : "bad" }, a.state),
    h("td", { class: "num" }, String(a.requests)),
    h("td", { class: "num" }, `${a.errors} (${pct(a.error_rate || 0)})`),
    h("td", { class: "num" }, a.p50_ms !== undefined ? `${Number(a.p50_ms).toFixed(2)} / ${Number(a.p99_ms).toFixed(2)} ms` : ""),
  );
}

// The last closed monitoring windows of a deployment, one row each, with every monitored
// column's drift statistic (red where drift was detected) and the window's drift share.
async function driftTable(name: string): Promise<HTMLElement | null> {
  let windows: any[];
  try {
    windows = (await ferryGet(`monitoring/deployments/${encodeURIComponent(name)}/windows`, [["max_results", "20"]])).windows || [];
  } catch {
    return null;
  }
  if (windows.length === 0) return h("p", { class: "empty" }, "No monitoring window has closed yet.");
  const columns: string[] = [...new Set(windows.flatMap((w) => (w.columns || []).map((c: any) => c.name as string)))];
  return h(
    "table",
    { class: "grid drift", "data-deployment": name },
    h("thead", {}, h("tr", {}, ["window", "rows", "drift share"].map((t) => h("th", {}, t)), columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, windows.map((w) =>
      h("tr", { "data-window": String(w.index) },
        h("td", {}, String(w.index)),
        h("td", { class: "num" }, String(w.rows)),
        h("td", { class: w.dataset_drift ? "num bad" : "num" }, w.drift_share === undefined ? "" : `${(w.drift_share * 100).toFixed(0)}%`),
        columns.map((name) => {
          const c = (w.columns || []).find((x: any) => x.name === name);
          if (!c) return h("td", {}, "");
          const stat = c.statistic === null || c.statistic === undefined ? "" : Number(c.statistic).toPrecision(3);
          return h("td", { class: c.drift_detected ? "num bad" : "num", title: `${c.stattest}, threshold ${c.threshold}` }, stat);
        })))),
  );
}

export async function deploymentsPage(root: HTMLElement) {
  const list = await deployments();
  fill(root, h("h1", {}, "Deployments"));
  if (list === null || list.length === 0) {
    fill(root, h("p", { class: "empty" }, "Nothing is deployed here. Serve a model with `ferry serve` or `ferry server --deploy models:/NAME@ALIAS`."));
    return;
  }
  for (const d of list) {
    const alerts = d.monitoring?.state?.alerts || {};
    const firing = Object.entries(alerts).filter(([, v]) => v).map(([k]) => k);
    fill(
      root,
      h("h2", {}, d.name),
      h(
        "table",
        { class: "grid deployment", "data-deployment": d.name },
        h("thead", {}, h("tr", {}, ["Arm", "Model", "State", "Requests", "Errors", "p50 / p99"].map((t) => h("th", {}, t)))),
        h("tbody", {}, arm("primary", d.primary), arm("challenger", d.challenger)),
      ),
      d.monitoring
        ? h("p", { class: firing.length ? "alert" : "ok" }, firing.length ? `Alerts firing: ${firing.join(", ")}` : `Monitoring: no alert (${d.monitoring.state?.windows_closed ?? 0} windows closed)`)
        : h("p", { class: "empty" }, "Not monitored."),
      d.monitoring ? await driftTable(d.name) : null,
    );
  }
}
