// Key completion for the runs filter box: while the word being typed starts like a key
// (metrics., params., tags., attributes.), up to 20 matching keys are listed under the box;
// a click or Tab completes the word (a key with characters outside [\w.] is back-quoted, as
// MLflow's grammar wants).
import { h } from "./dom";

const ATTRIBUTES = ["run_id", "run_name", "status", "artifact_uri", "user_id", "start_time", "end_time", "created"];

export function withCompletion(input: HTMLInputElement, keys: string[]): HTMLElement {
  const all = [
    ...keys.filter((k) => k.startsWith("m:")).map((k) => "metrics." + k.slice(2)),
    ...keys.filter((k) => k.startsWith("p:")).map((k) => "params." + k.slice(2)),
    ...keys.filter((k) => k.startsWith("t:")).map((k) => "tags." + k.slice(2)),
    ...ATTRIBUTES.map((a) => "attributes." + a),
  ];
  const list = h("ul", { class: "completions", role: "listbox" });
  const word = () => {
    const upTo = input.value.slice(0, input.selectionStart ?? input.value.length);
    const m = upTo.match(/[\w.`-]*$/);
    return { text: m ? m[0] : "", start: upTo.length - (m ? m[0].length : 0) };
  };
  const quote = (full: string) => {
    const dot = full.indexOf(".");
    const key = full.slice(dot + 1);
    return /^[\w.]+$/.test(key) ? full : `${full.slice(0, dot)}.\`${key}\``;
  };
  const complete = (full: string) => {
    const { text, start } = word();
    const done = quote(full) + " ";
    input.value = input.value.slice(0, start) + done + input.value.slice(start + text.length);
    input.setSelectionRange(start + done.length, start + done.length);
    list.replaceChildren();
    input.focus();
  };
  const show = () => {
    const { text } = word();
    const options = text.includes(".") ? all.filter((k) => k.startsWith(text.replace(/`/g, "")) && k !== text).slice(0, 20) : [];
    list.replaceChildren(...options.map((k) => {
      const li = h("li", { role: "option", "data-key": k }, k);
      li.addEventListener("mousedown", (e) => {
        e.preventDefault(); // keep the focus in the box
        complete(k);
      });
      return li;
    }));
  };
  input.addEventListener("input", show);
  input.addEventListener("keydown", (e) => {
    const first = list.firstElementChild as HTMLElement | null;
    if (e.key === "Tab" && first) {
      e.preventDefault();
      complete(first.dataset.key!);
    }
  });
  input.addEventListener("blur", () => list.replaceChildren());
  return h("span", { class: "completing" }, input, list);
}
