// Building DOM nodes without innerHTML: every text from the server goes in as a text node.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function formatTime(ms: number | string | undefined): string {
  if (ms === undefined || ms === null || ms === "") return "";
  const d = new Date(Number(ms));
  return isNaN(d.getTime()) ? "" : d.toISOString().replace("T", " ").slice(0, 19);
}

export function formatDuration(start?: number | string, end?: number | string): string {
  if (!start || !end) return "";
  const s = (Number(end) - Number(start)) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${(s / 60).toFixed(1)}min`;
  return `${(s / 3600).toFixed(1)}h`;
}

export function formatNumber(v: number): string {
  if (!isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(4);
  return String(Number(v.toPrecision(6)));
}

// Appends children to `el`, skipping null, undefined and false (conditional parts of a page).
export function fill(el: Node, ...children: (Child | Child[])[]): void {
  append(el, children);
}

// A search box that acts on Enter (each search a history entry, through the caller).
export function searchBox(value: string, label: string, placeholder: string, onEnter: (value: string) => void, cls = ""): HTMLInputElement {
  const input = h("input", { type: "search", class: cls, value, placeholder, "aria-label": label }) as HTMLInputElement;
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") onEnter(input.value);
  });
  return input;
}
