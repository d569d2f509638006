// Parallel coordinates on a canvas: one vertical axis per numeric param or metric (the
// latest value), one polyline per run, axes scaled to the runs' range.
import { Run } from "./api";
import { h } from "./dom";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

function dimensions(runs: Run[]): { name: string; values: (number | null)[] }[] {
  const dims: { name: string; values: (number | null)[] }[] = [];
  const params = [...new Set(runs.flatMap((r) => (r.data.params || []).map((p) => p.key)))].sort();
  for (const key of params) {
    const values = runs.map((r) => {
      const v = (r.data.params || []).find((p) => p.key === key)?.value;
      return v === undefined || v === "" || isNaN(Number(v)) ? null : Number(v);
    });
    if (values.some((v) => v !== null)) dims.push({ name: key, values });
  }
  const metrics = [...new Set(runs.flatMap((r) => (r.data.metrics || []).map((m) => m.key)))].sort();
  for (const key of metrics) {
    dims.push({ name: key, values: runs.map((r) => (r.data.metrics || []).find((m) => m.key === key)?.value ?? null) });
  }
  return dims;
}

// Brushing: drag along an axis to keep only the runs whose value there lies in the dragged
// span (y pixels); several axes combine. `onBrush` gets, per run, whether it is kept.
export function parallelCoordinates(runs: Run[], names: string[], width: number, onBrush?: (kept: boolean[]) => void): HTMLElement {
  const dims = dimensions(runs);
  if (dims.length < 2) return h("p", { class: "empty" }, "Fewer than two numeric params or metrics.");
  const height = 240;
  const canvas = h("canvas", { width: width, height: height + 40, class: "parcoords", "data-axes": dims.map((d) => d.name).join(",") }) as HTMLCanvasElement;
  const ctx = canvas.getContext("2d")!;
  const step = (width - 80) / (dims.length - 1);
  const xOf = (i: number) => 40 + i * step;
  const yOf = (d: (typeof dims)[number], v: number) => {
    const vals = d.values.filter((x): x is number => x !== null);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    return 20 + (hi === lo ? height / 2 : ((hi - v) / (hi - lo)) * height);
  };
  const brushes = new Map<number, [number, number]>(); // axis -> y span
  const kept = () => runs.map((_, r) => [...brushes].every(([i, [a, b]]) => {
    const v = dims[i].values[r];
    return v !== null && yOf(dims[i], v) >= a - 1 && yOf(dims[i], v) <= b + 1;
  }));
  const draw = () => {
    const keep = kept();
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
      const span = brushes.get(i);
      if (span) {
        ctx.fillStyle = "rgba(31, 95, 191, 0.18)";
        ctx.fillRect(xOf(i) - 6, span[0], 12, span[1] - span[0]);
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
      ctx.fillStyle = keep[r] ? COLORS[r % COLORS.length] : "#bbb";
      ctx.textAlign = "left";
      ctx.fillText(names[r], 4 + (r % 4) * (width / 4), height + 36);
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
    const { y } = at(e);
    brushes.set(dragging.axis, [Math.min(dragging.from, y), Math.max(dragging.from, y)]);
    draw();
  });
  canvas.addEventListener("mouseup", (e) => {
    if (dragging && Math.abs(at(e).y - dragging.from) < 3) brushes.delete(dragging.axis); // a click clears
    dragging = null;
    draw();
  });
  draw();
  return canvas;
}
