// A run's artifacts: a lazy tree (artifacts/list, one directory at a time) and a preview of
// the file picked: images, text (JSON, YAML, MLmodel, logs, code), CSV/TSV as a table (the
// first 200 rows), HTML in a sandboxed frame with no scripts and no same-origin access, PDF
// in a frame (the browser's viewer; a blob: of the fetched bytes typed application/pdf, since
// /get-artifact always answers as an attachment) and audio in an <audio> element (which reads
// /get-artifact itself, with ranges). Previews stop at 50 MiB; anything else is a download link.
import { apiFetch, get, workspace } from "./api";
import { h } from "./dom";

const PREVIEW_LIMIT = 50 * 1024 * 1024;
const TEXT = /\.(txt|log|json|ya?ml|toml|ini|cfg|py|md|sh|r|sql|js|ts)$|(^|\/)(MLmodel|MLproject|requirements\.txt|conda\.yaml)$/i;
const IMAGE = /\.(png|jpe?g|gif|bmp|svg|webp)$/i;
const TABLE = /\.(csv|tsv)$/i;
const AUDIO = /\.(wav|mp3|ogg|oga|flac|m4a)$/i;

function artifactUrl(runId: string, path: string): string {
  return `get-artifact?path=${encodeURIComponent(path)}&run_uuid=${encodeURIComponent(runId)}`;
}

function csvTable(text: string, sep: string): HTMLElement {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0).slice(0, 201);
  const cells = lines.map((l) => l.split(sep));
  return h("table", { class: "grid preview-table" },
    h("thead", {}, h("tr", {}, (cells[0] || []).map((c) => h("th", {}, c)))),
    h("tbody", {}, cells.slice(1).map((row) => h("tr", {}, row.map((c) => h("td", {}, c))))));
}

async function preview(pane: HTMLElement, runId: string, path: string, size: number) {
  const url = artifactUrl(runId, path);
  pane.replaceChildren(h("div", { class: "preview-head" }, h("strong", {}, path), " ", h("a", { href: url, download: path.split("/").pop() }, "Download")));
  if (size > PREVIEW_LIMIT) return void pane.appendChild(h("p", { class: "empty" }, "Too large to preview (over 50 MiB)."));
  if (IMAGE.test(path)) return imagePreview(pane, url, path);
  if (AUDIO.test(path)) return void pane.appendChild(h("audio", { src: url, controls: true, preload: "metadata", class: "preview-audio", title: path }));
  if (/\.pdf$/i.test(path)) return pdfPreview(pane, url, path);
  if (!TEXT.test(path) && !TABLE.test(path) && !/\.html?$/i.test(path)) {
    return void pane.appendChild(h("p", { class: "empty" }, "No preview for this file type."));
  }
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(h("div", { class: "error" }, `HTTP ${res.status}: ${await res.text()}`));
  const text = await res.text();
  if (TABLE.test(path)) return void pane.appendChild(csvTable(text, path.toLowerCase().endsWith(".tsv") ? "\t" : ","));
  if (/\.html?$/i.test(path)) {
    // No allow-scripts, no allow-same-origin: the page is shown, it cannot act.
    return void pane.appendChild(h("iframe", { sandbox: "", srcdoc: text, class: "preview-html", title: path }));
  }
  pane.appendChild(h("pre", { class: "preview-text" }, text));
}

// An <img> cannot send X-MLFLOW-WORKSPACE: outside `default` the image is fetched and shown
// from a blob: (the CSP allows blob: images), freed once drawn.
async function imagePreview(pane: HTMLElement, url: string, path: string) {
  if (!workspace()) return void pane.appendChild(h("img", { src: url, alt: path, class: "preview-image" }));
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(h("div", { class: "error" }, `HTTP ${res.status}: ${await res.text()}`));
  const img = h("img", { src: URL.createObjectURL(await res.blob()), alt: path, class: "preview-image" });
  img.addEventListener("load", () => URL.revokeObjectURL(img.getAttribute("src")!));
  pane.appendChild(img);
}

async function pdfPreview(pane: HTMLElement, url: string, path: string) {
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(h("div", { class: "error" }, `HTTP ${res.status}: ${await res.text()}`));
  const blob = new Blob([await res.arrayBuffer()], { type: "application/pdf" });
  const frame = h("iframe", { src: URL.createObjectURL(blob), class: "preview-pdf", title: path });
  // The blob: is freed once the next preview replaces this one.
  new MutationObserver((_, obs) => {
    if (!frame.isConnected) {
      URL.revokeObjectURL(frame.getAttribute("src")!);
      obs.disconnect();
    }
  }).observe(pane, { childList: true });
  pane.appendChild(frame);
}

async function listInto(ul: HTMLElement, pane: HTMLElement, runId: string, path: string) {
  const res = await get("artifacts/list", path ? { run_id: runId, path } : { run_id: runId });
  const files: { path: string; is_dir: boolean; file_size?: number }[] = res.files || [];
  if (files.length === 0 && !path) ul.appendChild(h("li", { class: "empty" }, "No artifacts."));
  for (const f of files) {
    const name = f.path.split("/").pop()!;
    if (f.is_dir) {
      const sub = h("ul");
      let open = false;
      const toggle = h("a", { href: "#", class: "dir", "data-path": f.path }, name + "/");
      toggle.addEventListener("click", async (e) => {
        e.preventDefault();
        open = !open;
        sub.replaceChildren();
        if (open) await listInto(sub, pane, runId, f.path);
      });
      ul.appendChild(h("li", {}, toggle, sub));
    } else {
      const link = h("a", { href: "#", class: "file", "data-path": f.path }, name, h("span", { class: "size" }, ` ${f.file_size ?? 0} B`));
      link.addEventListener("click", (e) => {
        e.preventDefault();
        void preview(pane, runId, f.path, f.file_size ?? 0);
      });
      ul.appendChild(h("li", {}, link));
    }
  }
}

export async function artifactBrowser(runId: string): Promise<HTMLElement> {
  const tree = h("ul", { class: "tree" });
  const pane = h("div", { class: "preview", id: "artifact-preview" }, h("p", { class: "empty" }, "Pick a file to preview it."));
  await listInto(tree, pane, runId, "");
  return h("div", { class: "artifacts" }, tree, pane);
}
