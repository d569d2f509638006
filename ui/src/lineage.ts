// Lineage graphs (/api/ferry/v1/lineage/...) drawn as a small layered DAG in SVG: data flows
// left to right (data -> the runs that consumed it -> what they produced; a pipeline run left
// of its steps), each arrow drawn from the API's `from` to its `to` and labelled with its
// relation. Nodes link to the run, model version or dataset page they stand for.
import { ApiError, ferryGet } from "./api";
import { h } from "./dom";
import { href } from "./route";

export interface LineageNode {
  id: string;
  type: string;
  [attr: string]: string;
}
export interface LineageGraph {
  root: string;
  nodes: LineageNode[];
  edges: { from: string; to: string; relation: string }[];
  truncated?: boolean;
}

const NODE_W = 190;
const NODE_H = 42;
const COL_W = NODE_W + 110; // room for an edge's label between columns
const ROW_H = NODE_H + 26;
const PAD = 8;
const SVG = "http://www.w3.org/2000/svg";

function s(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

const short = (x: string, n = 12) => (x.length > n ? x.slice(0, n) + "…" : x);
const clip = (x: string) => (x.length > 26 ? x.slice(0, 25) + "…" : x);

// The page a node stands for, or "" (a run the store no longer holds).
export function nodeHref(n: LineageNode): string {
  if (n.type === "model_version") return href(["models", n.name, "versions", n.version]);
  if (n.type === "dataset" || n.type === "artifact") return href(["datasets", n.digest]);
  return n.run_id && n.missing !== "true" ? href(["runs", n.run_id]) : "";
}

// Two lines per node: what it is, and which one.
export function nodeLabel(n: LineageNode): [string, string] {
  switch (n.type) {
    case "model_version":
      return [`model version${n.status ? " · " + n.status : ""}`, `${n.name}/${n.version}`];
    case "dataset":
    case "artifact":
      return [`${n.type} ${short(n.digest || "", 19)}`, n.name || ""];
    case "pipeline_run":
      return [`pipeline run · ${(n.status || "").toLowerCase()}`, `${n.pipeline || ""} ${n.pipeline_run || ""}`];
    case "step_run":
      return [`step · ${n.kind || ""} · ${n.state || ""}${n.cache_hit === "true" ? " (cached)" : ""}`, n.step || n.name || ""];
    default:
      return [`run${n.missing === "true" ? " (missing)" : ""}${n.step ? " · step " + n.step : ""}`, n.name || short(n.run_id || n.id, 16)];
  }
}

// Column per node: the longest path to it along the flow (consumed and child_of edges turned
// around so data and parents come first). Cycles cannot run away: at most one pass per node.
export function layers(g: LineageGraph): Map<string, number> {
  const flow = g.edges.map((e) => (e.relation === "consumed" || e.relation === "child_of" ? [e.to, e.from] : [e.from, e.to]));
  const col = new Map(g.nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < g.nodes.length; pass++) {
    let moved = false;
    for (const [a, b] of flow) {
      if (!col.has(a) || !col.has(b) || col.get(b)! > col.get(a)!) continue;
      col.set(b, col.get(a)! + 1);
      moved = true;
    }
    if (!moved) break;
  }
  return col;
}

// Positions: columns from layers(), rows ordered by the mean row of each node's neighbours in
// the columns to the left (one sweep), then by id so the drawing is stable.
function place(g: LineageGraph): Map<string, { x: number; y: number }> {
  const col = layers(g);
  const cols: string[][] = [];
  for (const n of g.nodes) (cols[col.get(n.id)!] ||= []).push(n.id);
  const row = new Map<string, number>();
  const neighbours = (id: string) => g.edges.flatMap((e) => (e.from === id ? [e.to] : e.to === id ? [e.from] : []));
  cols.forEach((ids = [], c) => {
    const key = (id: string) => {
      const left = neighbours(id).filter((m) => (col.get(m) ?? c) < c && row.has(m));
      return left.length ? left.reduce((a, m) => a + row.get(m)!, 0) / left.length : 0;
    };
    ids.sort((a, b) => key(a) - key(b) || a.localeCompare(b)).forEach((id, r) => row.set(id, r));
  });
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of g.nodes) pos.set(n.id, { x: PAD + col.get(n.id)! * COL_W, y: PAD + row.get(n.id)! * ROW_H });
  return pos;
}

function edgeEl(from: { x: number; y: number }, to: { x: number; y: number }, relation: string): SVGElement {
  const forward = from.x <= to.x;
  const x1 = forward ? from.x + NODE_W : from.x;
  const x2 = forward ? to.x : to.x + NODE_W;
  const [y1, y2] = [from.y + NODE_H / 2, to.y + NODE_H / 2];
  const bend = Math.max(30, Math.abs(x2 - x1) / 2) * (forward ? 1 : -1);
  const d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  return s("g", { class: "lineage-edge", "data-relation": relation },
    s("path", { d, "marker-end": "url(#lineage-arrow)" }),
    s("text", { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, "text-anchor": "middle" }, relation));
}

function nodeEl(n: LineageNode, p: { x: number; y: number }, root: boolean): SVGElement {
  const [kind, name] = nodeLabel(n);
  const body = s("g", {},
    s("title", {}, `${n.id}\n${Object.entries(n).filter(([k]) => k !== "id").map(([k, v]) => `${k}: ${v}`).join("\n")}`),
    s("rect", { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 5 }),
    s("text", { x: p.x + 8, y: p.y + 16, class: "kind" }, clip(kind)),
    s("text", { x: p.x + 8, y: p.y + 33, class: "name" }, clip(name)));
  const link = nodeHref(n);
  const attrs = { class: `lineage-node ${n.type}${root ? " root" : ""}`, "data-id": n.id, "data-type": n.type };
  return link ? s("a", { ...attrs, href: link }, body) : s("g", attrs, body);
}

export function drawGraph(g: LineageGraph): SVGElement {
  const pos = place(g);
  const width = Math.max(...[...pos.values()].map((p) => p.x)) + NODE_W + PAD;
  const height = Math.max(...[...pos.values()].map((p) => p.y)) + NODE_H + PAD;
  const arrow = s("marker", { id: "lineage-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" },
    s("path", { d: "M0,0 L10,5 L0,10 z" }));
  const svg = s("svg", { class: "lineage", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "lineage graph" }, s("defs", {}, arrow));
  for (const e of g.edges) if (pos.has(e.from) && pos.has(e.to)) svg.appendChild(edgeEl(pos.get(e.from)!, pos.get(e.to)!, e.relation));
  for (const n of g.nodes) svg.appendChild(nodeEl(n, pos.get(n.id)!, n.id === g.root));
  return svg;
}

// The lineage section of a page: the graph at `path` (under /api/ferry/v1/lineage/), a note
// when it is empty or truncated, or the server's error in place (the rest of the page stays).
export async function lineageSection(path: string, empty: string): Promise<HTMLElement> {
  const box = h("div", { class: "lineage-box", id: "lineage" });
  try {
    const g: LineageGraph = await ferryGet("lineage/" + path);
    if (g.edges.length === 0) {
      box.appendChild(h("p", { class: "empty" }, empty));
      return box;
    }
    box.appendChild(h("div", { class: "scroll lineage-scroll" }, drawGraph(g)));
    if (g.truncated) box.appendChild(h("p", { class: "empty" }, `Only the first ${g.nodes.length} nodes are shown.`));
  } catch (e) {
    const err = e as ApiError;
    box.appendChild(h("div", { class: "error inline", role: "alert" }, err.code ? `${err.code}: ` : "", err.message));
  }
  return box;
}
