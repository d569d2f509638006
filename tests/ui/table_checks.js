// Browser checks of the runs table's pinned and hidden rows and its dataset filter and
// grouping, called by pages_test.js with its page and helpers.
const assert = require("node:assert/strict");

const names = (page) => page.$$eval("#runs tbody tr:not(.spacer) a.run", (as) => as.map((a) => a.textContent));
const rowClass = (page, name) => page.$$eval("#runs tbody tr:not(.spacer)", (rows, n) => rows.find((r) => r.querySelector("a.run")?.textContent === n)?.className, name);
const hashParam = (page, key) => new URLSearchParams(new URL(page.url()).hash.split("?")[1] || "").get(key);
const click = async (page, name, button) => {
  const rows = await page.$$("#runs tbody tr:not(.spacer)");
  for (const r of rows) {
    if ((await r.$eval("a.run", (a) => a.textContent).catch(() => "")) === name) return (await r.$(`button.${button}`)).click();
  }
  throw new Error(`no row ${name}`);
};
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok())));

// Pinned runs stay on top across sorts, filters and pages; hidden runs leave the table and
// come back with "show hidden"; both live in the URL.
async function pinAndHide(page, { visit, navigate, post }, { many }) {
  const idOf = async (name) => (await post("runs/search", { experiment_ids: [many], filter: `attributes.run_name = '${name}'` })).runs[0].info.run_id;
  const [last, first] = [await idOf("run-0999"), await idOf("run-0000")];
  // run-0999 is on the tenth page of this sort, and the filter leaves it out: pinned, it is first.
  await visit(`#/experiments/${many}?order=attributes.run_name%20ASC&filter=${encodeURIComponent("attributes.run_name LIKE 'run-00%'")}&pin=${last}`);
  assert.deepEqual((await names(page)).slice(0, 3), ["run-0999", "run-0000", "run-0001"]);
  assert.equal(await rowClass(page, "run-0999"), "pinned");
  // Another sort: still on top.
  await navigate(async () => (await page.$("#runs thead th a")).click());
  assert.match(decodeURIComponent(page.url()), /order=attributes\.run_name(\+| )DESC/);
  assert.deepEqual((await names(page)).slice(0, 3), ["run-0999", "run-0099", "run-0098"]);
  // Hiding a row: gone, counted, in the URL (replaced in place).
  await navigate(async () => (await page.$("#runs thead th a")).click());
  await click(page, "run-0000", "hide");
  await settle(page);
  assert.deepEqual((await names(page)).slice(0, 3), ["run-0999", "run-0001", "run-0002"]);
  assert.equal(hashParam(page, "hide"), first);
  assert.match(await page.$eval(".count", (e) => e.textContent), /, 1 hidden$/);
  // "show hidden" brings it back, faded; unhiding it clears the URL.
  await page.click("#show-hidden");
  await settle(page);
  assert.deepEqual((await names(page)).slice(0, 3), ["run-0999", "run-0000", "run-0001"]);
  assert.equal(await rowClass(page, "run-0000"), "hidden-run");
  assert.equal(hashParam(page, "hidden"), "show");
  // A reload restores pins and hidden rows from the URL.
  await visit(new URL(page.url()).hash);
  assert.deepEqual((await names(page)).slice(0, 2), ["run-0999", "run-0000"]);
  assert.equal(await rowClass(page, "run-0000"), "hidden-run");
  await click(page, "run-0000", "hide"); // now "unhide"
  await settle(page);
  assert.equal(hashParam(page, "hide"), null);
  assert.equal(await rowClass(page, "run-0000"), "");
  // Unpinning: the filter leaves run-0999 out again.
  await click(page, "run-0999", "pin");
  await settle(page);
  assert.deepEqual((await names(page)).slice(0, 2), ["run-0000", "run-0001"]);
  assert.equal(hashParam(page, "pin"), null);
}

// The experiment's datasets (search-datasets) filter the runs on the server and group them.
async function datasets(page, { visit, navigate }, { alpha }) {
  await visit(`#/experiments/${alpha}?order=attributes.run_name%20ASC`);
  const labels = await page.$$eval("#datasets label", (ls) => ls.map((l) => l.textContent.trim()));
  assert.deepEqual(labels, ["train-a aaaa1111", "train-b bbbb2222"]);
  await page.click("#datasets summary");
  await navigate(() => page.click("#datasets input[value='train-b:bbbb2222ff']"));
  assert.equal(hashParam(page, "ds"), "train-b:bbbb2222ff");
  assert.deepEqual(await names(page), ["r-three"]);
  await navigate(() => page.goBack());
  await navigate(() => page.select("#group-by", "d:dataset"));
  const groups = await page.$$eval("#groups tbody tr", (rows) => rows.map((r) => [...r.cells].slice(0, 2).map((c) => c.textContent)));
  assert.deepEqual(groups, [["(none)", "1"], ["train-a (aaaa1111)", "2"], ["train-b (bbbb2222)", "1"]]);
}

// Parallel coordinates on the runs page (pc=1): a brush filters the table's rows and lives in
// the URL; back and forward restore it.
async function brushRuns(page, { visit, navigate }, { alpha }) {
  await visit(`#/experiments/${alpha}?order=attributes.run_name%20ASC&cols=m:rmse,p:alpha&pc=1`);
  assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.axes), "alpha,rmse");
  const all = ["r-old", "r-one", "r-three", "r-two"];
  assert.deepEqual(await names(page), all);
  const canvas = await page.$("canvas.parcoords");
  await canvas.scrollIntoView();
  const box = await canvas.boundingBox();
  const rmseX = box.x + (await canvas.evaluate((c) => c.width)) - 40;
  // The top of the rmse axis: 0.9, r-three's (r-old logged no rmse).
  await navigate(async () => {
    await page.mouse.move(rmseX, box.y + 12);
    await page.mouse.down();
    await page.mouse.move(rmseX, box.y + 40, { steps: 3 });
    await page.mouse.up();
  });
  assert.match(hashParam(page, "brush"), /^rmse:0\.\d+:0\.9\d*$/);
  assert.deepEqual(await names(page), ["r-three"]);
  assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.kept), "0010");
  await navigate(() => page.goBack());
  assert.deepEqual(await names(page), all);
  await navigate(() => page.goForward());
  assert.deepEqual(await names(page), ["r-three"]);
}

const PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/";

// Artifact previews of a PDF (the browser's viewer in a frame, from a blob: of the bytes, since
// /get-artifact answers as an attachment) and of a WAV (<audio> reading /get-artifact).
async function mediaPreviews(page, preview, snap) {
  await preview("doc.pdf", "iframe.preview-pdf");
  assert.match(await page.$eval("#artifact-preview iframe", (f) => f.getAttribute("src")), /^blob:/);
  // Chromium's own PDF viewer (a built-in extension) took the frame.
  for (const until = Date.now() + 10000; !page.frames().some((f) => f.url().startsWith(PDF_VIEWER)); ) {
    if (Date.now() > until) throw new Error("no PDF viewer in " + page.frames().map((f) => f.url()));
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await new Promise((ok) => setTimeout(ok, 1000)); // for the screenshot only: the viewer draws the page
  await snap(page);
  await preview("tone.wav", "audio");
  await page.waitForFunction(() => document.querySelector("#artifact-preview audio").readyState >= 1, { timeout: 10000 });
  const audio = await page.$eval("#artifact-preview audio", (a) => ({ duration: a.duration, error: a.error, controls: a.controls, src: a.getAttribute("src") }));
  assert.deepEqual(audio, { duration: 0.5, error: null, controls: true, src: audio.src });
  assert.match(audio.src, /^get-artifact\?path=tone\.wav&run_uuid=[0-9a-f]{32}$/);
}

module.exports = { pinAndHide, datasets, brushRuns, mediaPreviews, PDF_VIEWER };
