// What is being served (ferry serve, or ferry server --deploy): each deployment's primary and
// challenger with version, state, requests, errors and latency since loaded, and its live
// monitoring's alerts.
import { h, fill } from "../dom";

async function deployments(): Promise<any[] | null> {
  const res = await fetch("api/ferry/v1/deployments");
  if (res.status === 404) return null; // a server that serves no models
  if (!res.ok) throw new Error(`deployments: HTTP ${res.status}`);
  return (await res.json()).deployments || [];
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
    );
  }
}
