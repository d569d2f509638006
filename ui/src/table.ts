// A virtual table: however many rows are loaded, only those in view (plus a margin) are in
// the DOM, between two spacer rows that keep the scroll height right. Rows have one fixed
// height. `onNearEnd` is called when the view comes within a screen of the last loaded row
// (the runs page fetches the next page there; it asks for bigger pages as the scroll goes on).
import { h } from "./dom";

export interface VirtualColumn<T> {
  title: Node | string;
  attrs?: Record<string, string | undefined>;
  cell: (row: T) => string | Node;
}

const ROW = 29; // px, matches table.grid td padding + border in app.css
const MARGIN = 20; // rows drawn above and below the view

export class VirtualTable<T> {
  readonly el: HTMLElement;
  private rows: T[] = [];
  private body: HTMLElement;
  private first = -1;
  private last = -1;
  // A class for each drawn row (the runs page marks pinned and hidden runs).
  rowClass?: (row: T) => string;

  constructor(private columns: VirtualColumn<T>[], private key: (row: T) => string, id: string, private onNearEnd?: () => void) {
    this.body = h("tbody");
    const head = h("tr", {}, columns.map((c) => h("th", c.attrs || {}, c.title)));
    this.el = h("div", { class: "scroll virtual" }, h("table", { class: "grid", id }, h("thead", {}, head), this.body));
    this.el.addEventListener("scroll", () => this.draw(false), { passive: true });
    new ResizeObserver(() => this.draw(true)).observe(this.el);
  }

  get length(): number {
    return this.rows.length;
  }

  append(rows: T[]): void {
    for (const r of rows) this.rows.push(r); // no spread: 100,000 arguments overflow the stack
    this.draw(true);
  }

  // Replaces every row (the runs page's nesting changed), keeping the scroll position.
  setRows(rows: T[]): void {
    this.rows = rows;
    this.draw(true);
  }

  // Draws the rows in view again (cells whose data arrived later).
  redraw(): void {
    this.draw(true);
  }

  private draw(force: boolean): void {
    const view = this.el.clientHeight || 600;
    const top = Math.max(0, Math.floor(this.el.scrollTop / ROW) - MARGIN);
    const bottom = Math.min(this.rows.length, Math.ceil((this.el.scrollTop + view) / ROW) + MARGIN);
    if (!force && top === this.first && bottom === this.last) return;
    this.first = top;
    this.last = bottom;
    const spacer = (n: number) => {
      const tr = h("tr", { class: "spacer" });
      tr.style.height = `${n * ROW}px`; // through the CSSOM: the CSP forbids style attributes
      return tr;
    };
    const visible = this.rows.slice(top, bottom).map((r) =>
      h("tr", { "data-key": this.key(r), class: this.rowClass?.(r) || undefined }, this.columns.map((c) => h("td", {}, c.cell(r)))),
    );
    this.body.replaceChildren(spacer(top), ...visible, spacer(this.rows.length - bottom));
    if (this.onNearEnd && this.rows.length - bottom < view / ROW) this.onNearEnd();
  }
}
