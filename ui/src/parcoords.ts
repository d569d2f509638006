// Parallel coordinates on a canvas: one vertical axis per numeric param or metric (the
// latest value), one polyline per run, axes scaled to the runs' range. Brushes are spans of
// an axis's values (not pixels), so they can live in the URL (brush=KEY:LO:HI,...) and apply
// to runs loaded later: keeps() tells whether a run lies inside every brush.
import { Run } from "./api";
import { h } from "./dom";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

export type Brushes = Map<string, [number, number]>;

// A param's value as a number (null when absent or not numeric), else the metric's.
function valueOf(r: Run, key: string, kind: "p" | "m"): number | null {
  if (kind === "m") return (r.data.metrics || []).find((m) => m.key === key)?.value ?? null;
  const v = (r.data.params || []).find((p) => p.key === key)?.value;
  return v === undefined || v === "" || isNaN(Number(v)) ? null : Number(v);
}

// Axes: the numeric params, then the metrics (only `keys`, "p:KEY"/"m:KEY", when given).
function dimensions(runs: Run[], keys?: string[]): { name: string; values: (number | null)[] }[] {
  const dims: { name: string; values: (number | null)[] }[] = [];
  for (const kind of ["p", "m"] as const) {
    const all = runs.flatMap((r) => (kind === "p" ? r.data.params || [] : r.data.metrics || []).map((x) => x.key));
    for (const key of [...new Set(all)].sort()) {
      if (keys && !keys.includes(`${kind}:${key}`)) continue;
      const values = runs.map((r) => valueOf(r, key, kind));
      if (values.some((v) => v !== null)) dims.push({ name: key, values });
    }
  }
  return dims;
}

export function parseBrushes(v: string | null): Brushes {
  const out: Brushes = new Map();
  for (const part of (v || "").split(",").filter(Boolean)) {
    const [key, lo, hi] = part.split(":");
    if (hi !== undefined && isFinite(Number(lo)) && isFinite(Number(hi))) out.set(decodeURIComponent(key), [Number(lo), Number(hi)]);
  }
  return out;
}

export function formatBrushes(b: Brushes): string {
  return [...b].map(([k, [lo, hi]]) => `${encodeURIComponent(k)}:${Number(lo.toPrecision(6))}:${Number(hi.toPrecision(6))}`).join(",");
}

// Whether a run lies inside every brush (a param's value, else the metric's, on that axis).
export function keeps(r: Run, brushes: Brushes): boolean {
  for (const [key, [lo, hi]] of brushes) {
    const v = valueOf(r, key, "p") ?? valueOf(r, key, "m");
    if (v === null || v < lo || v > hi) return false;
  }
  return true;
}

export interface BrushOptions {
  keys?: string[]; // the axes, as "p:KEY" / "m:KEY" (all numeric params and metrics if absent)
  brushes?: Brushes; // the brushes to start with (from the URL)
  onBrushEnd?: (brushes: Brushes) => void; // a drag or a click ended (to keep them in the URL)
}

// Brushing: drag along an axis to keep only the runs whose value there lies in the dragged
// span; several axes combine; a click on an axis clears its brush. `onBrush` gets, per run,
// whether it is kept, at each change.
export function parallelCoordinates(runs: Run[], names: string[], width: number, onBrush?: (kept: boolean[]) => void, opts: BrushOptions = {}): HTMLElement {
  const dims = dimensions(runs, opts.keys).map((d) => {
    const vals = d.values.filter((x): x is number => x !== null);
    return { ...d, lo: Math.min(...vals), hi: Math.max(...vals) };
  });
  if (dims.length < 2) return h("p", { class: "empty" }, "Fewer than two numeric params or metrics.");
  const height = 240;
  const canvas = h("canvas", { width: width, height: height + 40, class: "parcoords", "data-axes": dims.map((d) => d.name).join(",") }) as HTMLCanvasElement;
  const ctx = canvas.getContext("2d")!;
  const step = (width - 80) / (dims.length - 1);
  const xOf = (i: number) => 40 + i * step;
  type Dim = (typeof dims)[number];
  const yOf = (d: Dim, v: number) => 20 + (d.hi === d.lo ? height / 2 : ((d.hi - v) / (d.hi - d.lo)) * height);
  const vOf = (d: Dim, y: number) => (d.hi === d.lo ? d.lo + (height / 2 - (y - 20)) : d.hi - ((y - 20) / height) * (d.hi - d.lo));
  const brushes: Brushes = new Map(opts.brushes || []);
  const draw = () => {
    const keep = runs.map((r) => keeps(r, brushes));
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = "11px sans-serif";
    dims.forEach((d, i) => {
      ctx.strokeStyle = "#bbb";
      ctx.beginPath();
      ctx.moveTo(xOf(i), 20);
      ctx.lineTo(xOf(i), 20 + height);
      ctx.stroke();
      ctx.fillStyle = "#5b6477";
      ctx.textAlign = "center";
      ctx.fillText(d.name, xOf(i), 12);
      const span = brushes.get(d.name);
      if (span) {
        ctx.fillStyle = "rgba(31, 95, 191, 0.18)";
        const [top, bottom] = [yOf(d, span[1]), yOf(d, span[0])];
        ctx.fillRect(xOf(i) - 6, top, 12, bottom - top);
      }
    });
    runs.forEach((_, r) => {
      ctx.strokeStyle = keep[r] ? COLORS[r % COLORS.length] : "#ddd";
      ctx.lineWidth = keep[r] ? 1.5 : 1;
      ctx.beginPath();
      let drawing = false;
      dims.forEach((d, i) => {
        const v = d.values[r];
        if (v === null) {
          drawing = false;
          return;
        }
        if (drawing) ctx.lineTo(xOf(i), yOf(d, v));
        else ctx.moveTo(xOf(i), yOf(d, v));
        drawing = true;
      });
      ctx.stroke();
      if (runs.length <= 40) {
        ctx.fillStyle = keep[r] ? COLORS[r % COLORS.length] : "#bbb";
        ctx.textAlign = "left";
        ctx.fillText(names[r], 4 + (r % 4) * (width / 4), height + 36);
      }
    });
    canvas.dataset.kept = keep.map((k) => (k ? "1" : "0")).join("");
    onBrush?.(keep);
  };
  let dragging: { axis: number; from: number } | null = null;
  const at = (e: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  canvas.addEventListener("mousedown", (e) => {
    const { x, y } = at(e);
    const axis = dims.findIndex((_, i) => Math.abs(x - xOf(i)) < 10);
    if (axis >= 0) dragging = { axis, from: y };
  });
  canvas.addEventListener("mousemove", (e) => {
    if (!dragging) return;
    const d = dims[dragging.axis];
    const [top, bottom] = [Math.min(dragging.from, at(e).y) - 1, Math.max(dragging.from, at(e).y) + 1]; // a pixel's slack
    brushes.set(d.name, [vOf(d, bottom), vOf(d, top)]);
    draw();
  });
  canvas.addEventListener("mouseup", (e) => {
    if (!dragging) return;
    if (Math.abs(at(e).y - dragging.from) < 3) brushes.delete(dims[dragging.axis].name); // a click clears
    dragging = null;
    draw();
    opts.onBrushEnd?.(brushes);
  });
  draw();
  return canvas;
}
