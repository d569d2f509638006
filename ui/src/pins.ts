// Pinned and hidden rows of the runs table, as MLflow's UI has them. Pinned runs stay on top
// whatever the sort, filter or page (those not loaded are fetched by id, active or deleted);
// hidden runs leave the table until "show hidden" brings them back, faded, with a button to
// unhide them. A row moves or goes with its expanded children. State in the URL:
// pin=ID,ID (in pinning order), hide=ID,ID, hidden=show; changed in place (no history entry).
import { Run, post } from "./api";
import { h } from "./dom";
import { replace } from "./route";
import { Row, Search } from "./nesting";

const ids = (v: string | null) => (v || "").split(",").filter((x) => /^[0-9a-zA-Z-]+$/.test(x));
const idOf = (r: Run) => r.info.run_id;

export class RowMarks {
  pinned: string[];
  readonly hidden: Set<string>;
  showHidden: boolean;
  private fetched = new Map<string, Run>(); // pinned runs the search has not (yet) brought

  constructor(params: URLSearchParams) {
    this.pinned = ids(params.get("pin"));
    this.hidden = new Set(ids(params.get("hide")));
    this.showHidden = params.get("hidden") === "show";
  }

  // The pinned runs of this experiment, by id, whatever the filter (one search).
  async fetchPinned(search: Search): Promise<Run[]> {
    if (this.pinned.length === 0) return [];
    const filter = `attributes.run_id IN (${this.pinned.map((id) => `'${id}'`).join(",")})`;
    const res = await post("runs/search", { ...search, filter, run_view_type: "ALL", max_results: this.pinned.length });
    for (const r of res.runs || []) this.fetched.set(idOf(r), r);
    return res.runs || [];
  }

  // The rows to draw: the pinned ones first, in pinning order (each with its expanded
  // children), then the others without the hidden ones (unless shown).
  arrange(rows: Row[]): Row[] {
    const blocks = new Map<string, Row[]>();
    const rest: Row[] = [];
    for (let i = 0; i < rows.length; ) {
      let end = i + 1;
      while (end < rows.length && rows[end].depth > rows[i].depth) end++;
      const id = idOf(rows[i].run);
      if (this.pinned.includes(id) && !blocks.has(id)) {
        blocks.set(id, rows.slice(i, end).map((r) => ({ run: r.run, depth: r.depth - rows[i].depth })));
        i = end;
      } else if (this.hidden.has(id) && !this.showHidden) {
        i = end;
      } else {
        rest.push(rows[i++]);
      }
    }
    const top = this.pinned.flatMap((id) => blocks.get(id) || (this.fetched.has(id) ? [{ run: this.fetched.get(id)!, depth: 0 }] : []));
    return [...top, ...rest];
  }

  rowClass(r: Run): string {
    return this.pinned.includes(idOf(r)) ? "pinned" : this.hidden.has(idOf(r)) ? "hidden-run" : "";
  }

  // The cell with the row's pin and hide buttons; `changed` redraws the table.
  cell(r: Run, changed: () => void): Node {
    const id = idOf(r);
    const pinned = this.pinned.includes(id), hidden = this.hidden.has(id);
    const act = (f: () => void) => (() => {
      f();
      replace({ pin: this.pinned.join(","), hide: [...this.hidden].join(","), hidden: this.showHidden ? "show" : undefined });
      changed();
    }) as EventListener;
    return h("span", { class: "marks" },
      h("button", { type: "button", class: "link pin", "aria-pressed": String(pinned), title: pinned ? "unpin" : "pin to the top",
        onclick: act(() => {
          this.pinned = pinned ? this.pinned.filter((x) => x !== id) : [...this.pinned, id];
          this.hidden.delete(id);
          if (pinned) this.fetched.delete(id);
          else this.fetched.set(id, r);
        }) }, pinned ? "unpin" : "pin"),
      h("button", { type: "button", class: "link hide", "aria-pressed": String(hidden), title: hidden ? "show again" : "hide",
        onclick: act(() => {
          if (hidden) this.hidden.delete(id);
          else this.hidden.add(id);
          this.pinned = this.pinned.filter((x) => x !== id);
        }) }, hidden ? "unhide" : "hide"));
  }

  // The "show hidden" switch of the toolbar.
  toggle(changed: () => void): HTMLElement {
    const box = h("input", { type: "checkbox", id: "show-hidden", checked: this.showHidden }) as HTMLInputElement;
    box.addEventListener("change", () => {
      this.showHidden = box.checked;
      replace({ hidden: this.showHidden ? "show" : undefined });
      changed();
    });
    return h("label", {}, box, " show hidden");
  }
}
