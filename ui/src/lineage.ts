// Lineage graphs (/api/ferry/v1/lineage/...) drawn as a small layered DAG in SVG: data flows
// left to right (data -> the runs that consumed it -> what they produced; a pipeline run left
// of its steps), each arrow pointing from the API's `from` to its `to`, labelled with its
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

// The API's edges turned the way data flows: consumed and child_of around, so data and
// parents come first. `back` marks the turned ones (their arrow points left).
function flowEdges(g: LineageGraph) {
  return g.edges.map((e) => {
    const back = e.relation === "consumed" || e.relation === "child_of";
    return { a: back ? e.to : e.from, b: back ? e.from : e.to, back, relation: e.relation };
  });
}

// Column per node: the longest path to it along the flow, then each node pulled right to just
// before its nearest successor (data sits beside the step that reads it, not in column 0).
// Cycles cannot run away: at most one pass per node.
export function layers(g: LineageGraph): Map<string, number> {
  const flow = flowEdges(g).filter((e) => e.a !== e.b);
  const col = new Map(g.nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < g.nodes.length; pass++) {
    let moved = false;
    for (const { a, b } of flow) {
      if (!col.has(a) || !col.has(b) || col.get(b)! > col.get(a)!) continue;
      col.set(b, col.get(a)! + 1);
      moved = true;
    }
    if (!moved) break;
  }
  for (const id of [...col.keys()].sort((x, y) => col.get(y)! - col.get(x)!)) {
    const next = flow.filter((e) => e.a === id && col.has(e.b)).map((e) => col.get(e.b)! - 1);
    if (next.length && Math.min(...next) > col.get(id)!) col.set(id, Math.min(...next));
  }
  return col;
}

// Positions: columns from layers(); rows ordered by the mean row of each node's neighbours in
// the previous column's direction (sweeps right, left, right), ties by id so it is stable.
function place(g: LineageGraph): Map<string, { x: number; y: number }> {
  const col = layers(g);
  const cols: string[][] = [];
  for (const n of g.nodes) (cols[col.get(n.id)!] ||= []).push(n.id);
  const row = new Map<string, number>();
  const near = new Map<string, string[]>();
  for (const e of g.edges) {
    near.set(e.from, [...(near.get(e.from) || []), e.to]);
    near.set(e.to, [...(near.get(e.to) || []), e.from]);
  }
  const sweep = (order: number[], side: number) => {
    for (const c of order) {
      const ids = cols[c] || [];
      const key = (id: string) => {
        const ns = (near.get(id) || []).filter((m) => Math.sign(col.get(m)! - c) === side && row.has(m));
        return ns.length ? ns.reduce((sum, m) => sum + row.get(m)!, 0) / ns.length : row.get(id) ?? 0;
      };
      const keys = new Map(ids.map((id) => [id, key(id)]));
      ids.sort((a, b) => keys.get(a)! - keys.get(b)! || a.localeCompare(b)).forEach((id, r) => row.set(id, r));
    }
  };
  const right = cols.map((_, c) => c);
  sweep(right, -1);
  sweep(right.slice().reverse(), 1);
  sweep(right, -1);
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of g.nodes) pos.set(n.id, { x: PAD + col.get(n.id)! * COL_W, y: PAD + row.get(n.id)! * ROW_H });
  return pos;
}

// An edge from the left node's right side to the right node's left side, its arrowhead at the
// API's `to` end; the label is moved down past labels already placed.
function edgeEl(left: { x: number; y: number }, right: { x: number; y: number }, back: boolean, relation: string, taken: [number, number][]): SVGElement {
  const [x1, y1, x2, y2] = [left.x + NODE_W, left.y + NODE_H / 2, right.x, right.y + NODE_H / 2];
  const bend = Math.max(30, (x2 - x1) / 2);
  const d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  const lx = (x1 + x2) / 2;
  let ly = (y1 + y2) / 2 - 4;
  while (taken.some(([x, y]) => Math.abs(x - lx) < 80 && Math.abs(y - ly) < 11)) ly += 11;
  taken.push([lx, ly]);
  return s("g", { class: "lineage-edge", "data-relation": relation },
    s("path", { d, [back ? "marker-start" : "marker-end"]: "url(#lineage-arrow)" }),
    s("text", { x: lx, y: ly, "text-anchor": "middle" }, relation));
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
  const arrow = s("marker", { id: "lineage-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    s("path", { d: "M0,0 L10,5 L0,10 z" }));
  const svg = s("svg", { class: "lineage", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "lineage graph" }, s("defs", {}, arrow));
  const taken: [number, number][] = [];
  for (const e of flowEdges(g)) if (pos.has(e.a) && pos.has(e.b)) svg.appendChild(edgeEl(pos.get(e.a)!, pos.get(e.b)!, e.back, e.relation, taken));
  for (const n of g.nodes) svg.appendChild(nodeEl(n, pos.get(n.id)!, n.id === g.root));
  return svg;
}

// The lineage section of a page: the graph at `path` (under /api/ferry/v1/lineage/), a note
// when it is empty or truncated, or the server's error in place (the rest of the page stays).
// On a page that is only the graph (`whole`), a 403 is the page's: it shows the denied view.
export async function lineageSection(path: string, empty: string, whole = false): Promise<HTMLElement> {
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
    if (whole && err.status === 403) throw err;
    box.appendChild(h("div", { class: "error inline", role: "alert" }, err.code ? `${err.code}: ` : "", err.message));
  }
  return box;
}
