// A run's artifacts: a lazy tree (artifacts/list, one directory at a time) and a preview of
// the file picked: images, text (JSON, YAML, MLmodel, logs, code), CSV/TSV as a table (the
// first 200 rows), HTML in a sandboxed frame with no scripts and no same-origin access, PDF
// in a frame (the browser's viewer; a blob: of the fetched bytes typed application/pdf, since
// /get-artifact always answers as an attachment) and audio in an <audio> element. Previews
// stop at 50 MiB; anything else is a download link.
//
// Outside `default` every read must carry X-MLFLOW-WORKSPACE, which an <img>, <audio> or a
// plain <a href> cannot send: there the image, the audio and the Download are fetched through
// apiFetch and used from a blob: (the CSP allows blob: images and media). In `default` they
// stay plain elements reading /get-artifact themselves (cheaper: audio reads ranges, a
// download streams to disk instead of through the page's memory).
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
  pane.replaceChildren(h("div", { class: "preview-head" }, h("strong", {}, path), " ", downloadLink(pane, url, path)));
  if (size > PREVIEW_LIMIT) return void pane.appendChild(h("p", { class: "empty" }, "Too large to preview (over 50 MiB)."));
  if (IMAGE.test(path)) return imagePreview(pane, url, path);
  if (AUDIO.test(path)) return audioPreview(pane, url, path);
  if (/\.pdf$/i.test(path)) return pdfPreview(pane, url, path);
  if (!TEXT.test(path) && !TABLE.test(path) && !/\.html?$/i.test(path)) {
    return void pane.appendChild(h("p", { class: "empty" }, "No preview for this file type."));
  }
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(fetchError(res, await res.text()));
  const text = await res.text();
  if (TABLE.test(path)) return void pane.appendChild(csvTable(text, path.toLowerCase().endsWith(".tsv") ? "\t" : ","));
  if (/\.html?$/i.test(path)) {
    // No allow-scripts, no allow-same-origin: the page is shown, it cannot act.
    return void pane.appendChild(h("iframe", { sandbox: "", srcdoc: text, class: "preview-html", title: path }));
  }
  pane.appendChild(h("pre", { class: "preview-text" }, text));
}

function fetchError(res: Response, text: string): HTMLElement {
  return h("div", { class: "error" }, `HTTP ${res.status}: ${text}`);
}

// The blob: behind `el` (its `attr`) is freed once the next preview replaces it.
function freeWhenGone(pane: HTMLElement, el: HTMLElement, attr: string) {
  new MutationObserver((_, obs) => {
    if (!el.isConnected) {
      URL.revokeObjectURL(el.getAttribute(attr)!);
      obs.disconnect();
    }
  }).observe(pane, { childList: true });
}

// Outside `default` the click fetches the file with the header into memory (the whole file:
// docs/UI.md, "Workspaces") and saves it under its name from a blob:, revoked at once (the
// click has already resolved it). A failed read shows its error in the pane.
function downloadLink(pane: HTMLElement, url: string, path: string): HTMLElement {
  const name = path.split("/").pop()!;
  const link = h("a", { href: url, download: name, class: "download" }, "Download");
  if (!workspace()) return link;
  link.addEventListener("click", async (e) => {
    e.preventDefault();
    const res = await apiFetch(url);
    if (!res.ok) return void pane.appendChild(fetchError(res, await res.text()));
    const save = h("a", { href: URL.createObjectURL(await res.blob()), download: name });
    save.click();
    URL.revokeObjectURL(save.getAttribute("href")!);
  });
  return link;
}

// An <img> cannot send X-MLFLOW-WORKSPACE: outside `default` the image is fetched and shown
// from a blob: (the CSP allows blob: images), freed once drawn.
async function imagePreview(pane: HTMLElement, url: string, path: string) {
  if (!workspace()) return void pane.appendChild(h("img", { src: url, alt: path, class: "preview-image" }));
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(fetchError(res, await res.text()));
  const img = h("img", { src: URL.createObjectURL(await res.blob()), alt: path, class: "preview-image" });
  img.addEventListener("load", () => URL.revokeObjectURL(img.getAttribute("src")!));
  pane.appendChild(img);
}

// In `default` the element reads /get-artifact itself (with ranges); outside it, the file
// (at most 50 MiB) is fetched with the header and played from a blob: (CSP media-src blob:),
// kept while shown since seeking reads it again.
async function audioPreview(pane: HTMLElement, url: string, path: string) {
  const attrs = { controls: true, preload: "metadata", class: "preview-audio", title: path };
  if (!workspace()) return void pane.appendChild(h("audio", { src: url, ...attrs }));
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(fetchError(res, await res.text()));
  const audio = h("audio", { src: URL.createObjectURL(await res.blob()), ...attrs });
  freeWhenGone(pane, audio, "src");
  pane.appendChild(audio);
}

async function pdfPreview(pane: HTMLElement, url: string, path: string) {
  const res = await apiFetch(url);
  if (!res.ok) return void pane.appendChild(fetchError(res, await res.text()));
  const blob = new Blob([await res.arrayBuffer()], { type: "application/pdf" });
  const frame = h("iframe", { src: URL.createObjectURL(blob), class: "preview-pdf", title: path });
  freeWhenGone(pane, frame, "src");
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
