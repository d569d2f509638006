// Small forms and buttons that change something through the API. The server's answer shows
// in a status line beside them: what was done, or its error code and message (a 403 reads
// "PERMISSION_DENIED: …"), never as a page error.
import { ApiError } from "./api";
import { h } from "./dom";

export const LEVELS = ["READ", "USE", "EDIT", "MANAGE", "NO_PERMISSIONS"];

// A status line: role=status for what was done, role=alert (red) for an error.
export function statusLine(): HTMLElement {
  return h("div", { class: "action-status", role: "status" });
}

export function report(line: HTMLElement, result: string | ApiError | Error): void {
  const failed = typeof result !== "string";
  line.textContent = failed ? (result instanceof ApiError ? `${result.code}: ${result.message}` : result.message) : result;
  line.classList.toggle("error", failed);
  line.setAttribute("role", failed ? "alert" : "status");
}

// Runs `action` with the control disabled meanwhile; its message (if any) or error goes to `line`.
async function run(control: HTMLButtonElement, line: HTMLElement, action: () => Promise<string | void>): Promise<void> {
  control.disabled = true;
  try {
    const done = await action();
    report(line, done || "");
  } catch (e) {
    report(line, e as Error);
  } finally {
    control.disabled = false;
  }
}

// A form of `fields` with a submit button; `action` runs on submit (Enter or the button). Its
// outcome goes to `shared`, a status line the page places, else to the form's own.
export function actionForm(id: string, label: string, fields: Node[], action: () => Promise<string | void>, shared?: HTMLElement): HTMLFormElement {
  const line = shared || statusLine();
  const button = h("button", { type: "submit" }, label) as HTMLButtonElement;
  const form = h("form", { class: "action", id }, fields, button, shared ? null : line) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(button, line, action);
  });
  return form;
}

// A button for a change that cannot be undone asks again: the first click turns it into
// "Confirm …", the second does it.
export function actionButton(label: string, line: HTMLElement, action: () => Promise<string | void>, confirm = false): HTMLButtonElement {
  const button = h("button", { type: "button" }, label) as HTMLButtonElement;
  button.addEventListener("click", () => {
    if (confirm && !button.classList.contains("confirm")) {
      button.classList.add("confirm");
      button.textContent = `Confirm: ${label.toLowerCase()}`;
      return;
    }
    void run(button, line, action);
  });
  return button;
}

export function input(name: string, label: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h("input", { name, "aria-label": label, placeholder: label, ...attrs }) as HTMLInputElement;
}

export function levelSelect(value: string, name = "permission"): HTMLSelectElement {
  return h("select", { name, "aria-label": "permission" }, LEVELS.map((l) => h("option", { value: l, selected: l === value }, l))) as HTMLSelectElement;
}
