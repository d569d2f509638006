// Ferry's web UI in a real browser (Debian's chromium through puppeteer-core): pages render
// what the REST API holds, filters and sorts run on the server and live in the URL, back and
// forward restore them, the server's filter error shows inline, charts draw, and the page
// never logs an error (a CSP violation would) or asks any other origin for anything; charts
// along another metric and nested runs are checked in nested_axis_checks.js. A PNG of each
// page goes to $FERRY_UI_SCREENSHOTS when it is set.
// Usage: node pages_test.js http://127.0.0.1:PORT [http://SERVE]
const { launchChromium } = require("./browser");
const { download } = require("./download");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { xByMetric, nestedRuns } = require("./nested_axis_checks");
const { pinAndHide, datasets, brushRuns, mediaPreviews, PDF_VIEWER } = require("./table_checks");
const { compareVersions, searchModels } = require("./registry_checks");

const BASE = process.argv[2];
const SERVE = process.argv[3]; // a `ferry serve` that has answered 20 requests, or undefined
const API = BASE + "/api/2.0/mlflow/";
const post = async (path, body) => {
  const r = await fetch(API + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok && !path.startsWith("runs/search")) throw new Error(`${path}: ${JSON.stringify(j)}`);
  return j;
};
const seed = () => require("./seed").seed(BASE, post);


// A PNG of each page visited, numbered in order, into $FERRY_UI_SCREENSHOTS (ui_browser.sh
// sets it; CI keeps the directory as an artifact). Run ids in the URL are written ID.
const SHOTS = process.env.FERRY_UI_SCREENSHOTS;
if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
let shot = 0;
async function snap(page) {
  if (!SHOTS) return;
  const hash = new URL(page.url()).hash;
  const name = hash.replace(/[0-9a-f]{32}/g, "ID").replace(/%20/g, "_").replace(/[^A-Za-z0-9=-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80);
  await page.screenshot({ path: path.join(SHOTS, `${String(++shot).padStart(2, "0")}-${name || "home"}.png`), fullPage: true });
}

const texts = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));

// `ferry serve`'s UI: its deployment, READY, with the requests it answered.
async function deploymentsCheck(browser) {
  // Monitoring closes windows on its own thread: wait until the fourth has closed.
  const model = (await (await fetch(SERVE + "/api/ferry/v1/deployments")).json()).deployments[0].name;
  for (let i = 0; i < 100; i++) {
    const w = await (await fetch(`${SERVE}/api/ferry/v1/monitoring/deployments/${model}/windows`)).json();
    if ((w.windows || []).length >= 4) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const page = await browser.newPage();
  await page.goto(SERVE + "/#/deployments");
  await page.waitForSelector("table.deployment");
  const cells = await page.$$eval("table.deployment tbody tr:first-child td", (tds) => tds.map((t) => t.textContent));
  assert.equal(cells[0], "primary");
  assert.equal(cells[2], "READY");
  assert.equal(cells[3], "20");
  assert.match(cells[4], /^0 \(0\.00%\)$/);
  // Live monitoring (--monitor on, 5 rows a window): 20 requests close 4 windows, listed with
  // the drift statistic of each monitored column.
  const windows = await page.$$eval("table.drift tbody tr", (rows) => rows.map((r) => r.dataset.window));
  assert.deepEqual(windows, ["3", "2", "1", "0"]);
  assert.ok((await page.$$eval("table.drift thead th", (th) => th.length)) > 3, "monitored columns shown");
  await snap(page);
  await page.close();
}

async function main() {
  const seeded = await seed();
  const { alpha, runs, many, spiky, child, charts } = seeded;
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const failed = [];  // API answers >= 400: only the two this test provokes may appear
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${new URL(r.url()).pathname}`));
    page.on("console", (m) => {
      // The browser logs every 4xx as "Failed to load resource"; `failed` checks those.
      // The sandboxed report.html's script being refused is this test's own doing.
      const expected = m.text().startsWith("Failed to load resource") || m.text().includes("about:srcdoc");
      if (m.type() === "error" && !expected) problems.push("console: " + m.text());
    });
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    // data: URLs are the <audio> controls' own icons, blob: ones the PDF preview's bytes,
    // chrome-extension: and chrome://resources/ ones Chromium's PDF viewer and what it loads
    // from the browser itself: none leaves the browser.
    const local = (u) => [BASE, "data:", "blob:" + BASE, PDF_VIEWER, "chrome://resources/"].some((p) => u.startsWith(p));
    page.on("request", (r) => !local(r.url()) && problems.push("foreign request: " + r.url()));
    const renders = () => page.evaluate(() => Number(document.body.dataset.renders || 0));
    const rendersPast = (n) => page.waitForFunction((k) => Number(document.body.dataset.renders || 0) > k, {}, n);
    const visit = async (hash) => {
      await page.goto("about:blank");
      await page.goto(BASE + "/" + hash);
      await rendersPast(0);
      await snap(page);
    };
    const navigate = async (action) => {
      const before = await renders();
      await action();
      await rendersPast(before);
    };

    // Experiments: 100 a page, filtered on the server, the filter in the URL.
    await visit("#/experiments");
    let names = await texts(page, "#experiments tbody td:first-child");
    assert.equal(names.length, 100, "first page of experiments");
    assert.ok(names.includes("alpha-exp") && names.includes("beta-exp"));
    await page.type("input[type=search]", "alph");
    await navigate(() => page.keyboard.press("Enter"));
    assert.match(page.url(), /#\/experiments\?q=alph$/);
    assert.deepEqual(await texts(page, "#experiments tbody td:first-child"), ["alpha-exp"]);
    await navigate(() => page.goBack());
    assert.equal((await texts(page, "#experiments tbody td:first-child")).length, 100, "back restores the list");
    await navigate(() => page.click("a.button"));  // next page
    names = await texts(page, "#experiments tbody td:first-child");
    assert.equal(names.length, 125 - 100, "second page (Default, alpha, beta, charts, many-runs and 120 bulk)");

    // Runs: rows from runs/search; sorting by a metric column runs on the server.
    await visit(`#/experiments/${alpha}`);
    assert.deepEqual((await texts(page, "#runs tbody td:nth-child(2)")).sort(), ["r-one", "r-three", "r-two"]);
    const header = async (title) => {
      const ths = await page.$$("#runs thead th a");
      for (const a of ths) if ((await a.evaluate((e) => e.textContent)).startsWith(title)) return a;
      throw new Error("no column " + title);
    };
    await navigate(async () => (await header("rmse")).click());
    assert.match(decodeURIComponent(page.url()), /order=metrics\.`rmse`(\+| )DESC/);
    assert.deepEqual(await texts(page, "#runs tbody td:nth-child(2)"), ["r-three", "r-one", "r-two"]);
    await navigate(async () => (await header("rmse")).click());
    assert.deepEqual(await texts(page, "#runs tbody td:nth-child(2)"), ["r-two", "r-one", "r-three"]);
    await navigate(() => page.goBack());
    assert.deepEqual(await texts(page, "#runs tbody td:nth-child(2)"), ["r-three", "r-one", "r-two"], "back restores the sort");

    // Picking two runs for comparison.
    await page.click(`#runs tr[data-key="${runs[0]}"] input[type=checkbox]`);
    await page.click(`#runs tr[data-key="${runs[2]}"] input[type=checkbox]`);
    assert.equal(await page.$eval("#compare-link", (a) => a.textContent), "Compare (2)");
    assert.equal(await page.$eval("#compare-link", (a) => a.getAttribute("href")), `#/compare?runs=${runs[0]}%2C${runs[2]}&exp=${alpha}`);

    // Key completion in the filter box: the keys of the loaded runs, completed with Tab.
    await page.click("input.filter");
    await page.type("input.filter", "params.mo");
    assert.deepEqual(await texts(page, "ul.completions li"), ["params.model"]);
    await page.keyboard.press("Tab");
    assert.equal(await page.$eval("input.filter", (e) => e.value), "params.model ");
    await page.type("input.filter", "= 'tree' and attributes.st");
    assert.deepEqual(await texts(page, "ul.completions li"), ["attributes.status", "attributes.start_time"]);
    await page.$eval("input.filter", (e) => (e.value = ""));

    // A filter: the server filters; a bad one shows the server's own message inline.
    await page.type("input.filter", "params.model = 'tree'");
    await navigate(() => page.keyboard.press("Enter"));
    assert.deepEqual((await texts(page, "#runs tbody td:nth-child(2)")).sort(), ["r-one", "r-three"]);
    const bad = "metrics.rmse <<< 1";
    const expected = await post("runs/search", { experiment_ids: [alpha], filter: bad });
    assert.equal(expected.error_code, "INVALID_PARAMETER_VALUE");
    await page.$eval("input.filter", (e) => (e.value = ""));
    await page.type("input.filter", bad);
    await navigate(() => page.keyboard.press("Enter"));
    assert.equal(await page.$eval(".error.inline", (e) => e.textContent), expected.message);

    // Min and max of a metric's whole history as columns (the server's metric-extremes).
    await visit(`#/experiments/${alpha}?cols=n:rmse,x:rmse&order=attributes.run_name%20ASC`);
    const minmax = await page.$$eval("#runs tbody tr:not(.spacer)", (rows) => rows.map((r) => [...r.cells].slice(1).map((c) => c.textContent)));
    assert.deepEqual(minmax.map((r) => [r[0], r.at(-2), r.at(-1)]), [["r-one", "0.5", "1"], ["r-three", "0.9", "1.4"], ["r-two", "0.2", "0.7"]]);

    // Grouped by a param: one row per value, min / mean / max of each metric column.
    await visit(`#/experiments/${alpha}`);
    await navigate(() => page.select("#group-by", "p:model"));
    assert.match(page.url(), /group=p%3Amodel|group=p:model/);
    const groups = await page.$$eval("#groups tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(groups, [["linear", "1", "0.2 / 0.2 / 0.2"], ["tree", "2", "0.5 / 0.7 / 0.9"]]);

    // Start-time and lifecycle chips: a run started 3 days ago, one deleted.
    await post("runs/create", { experiment_id: alpha, run_name: "r-old", start_time: Date.now() - 3 * 86400000 });
    await post("runs/delete", { run_id: runs[2] });
    const names3 = () => texts(page, "#runs tbody tr:not(.spacer) td:nth-child(2)");
    await visit(`#/experiments/${alpha}?order=attributes.run_name%20ASC`);
    assert.deepEqual(await names3(), ["r-old", "r-one", "r-two"]);
    await navigate(() => page.select("#since", "24h"));
    assert.deepEqual(await names3(), ["r-one", "r-two"]);
    await navigate(() => page.select("#view", "deleted"));
    assert.deepEqual(await names3(), ["r-three"]);
    await post("runs/restore", { run_id: runs[2] });
    await datasets(page, { visit, navigate }, seeded);
    await pinAndHide(page, { visit, navigate, post }, seeded);
    await brushRuns(page, { visit, navigate }, seeded);

    // 1,000 runs: pages fetched as the view nears the end; the DOM holds only the rows in view.
    await visit(`#/experiments/${many}?order=attributes.run_name%20ASC`);
    const domRows = () => page.$$eval("#runs tbody tr:not(.spacer)", (r) => r.length);
    assert.ok((await domRows()) <= 100, "rows in the DOM at first: " + (await domRows()));
    // (Time-bounded, not count-bounded: on a loaded machine ten pages take a while.)
    for (const until = Date.now() + 60000; Date.now() < until && (await page.$eval(".count", (e) => e.textContent)) !== "1000 runs"; ) {
      await page.$eval(".scroll.virtual", (e) => (e.scrollTop = e.scrollHeight));
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.equal(await page.$eval(".count", (e) => e.textContent), "1000 runs");
    await page.$eval(".scroll.virtual", (e) => (e.scrollTop = e.scrollHeight));
    await page.waitForFunction(() => [...document.querySelectorAll("#runs tbody td:nth-child(2)")].some((td) => td.textContent === "run-0999"));
    assert.ok((await domRows()) < 120, "rows in the DOM at the end: " + (await domRows()));
    const middle = await page.$eval(".scroll.virtual", (e) => {
      e.scrollTop = 500 * 29;
      e.dispatchEvent(new Event("scroll"));
      return new Promise((ok) => requestAnimationFrame(() => ok(document.querySelector("#runs tbody tr:not(.spacer) td:nth-child(2)")?.textContent)));
    });
    assert.match(middle, /^run-0(4[6-9]|50)\d$/, "row at the middle of the scroll: " + middle);

    // CSV of every matching run, streamed by the server, not just the loaded pages.
    const exported = await download(page, "#csv-link", "runs.csv");
    const lines = exported.trim().split("\r\n");
    assert.equal(lines.length, 1001);
    assert.match(lines[0], /^run_id,run_name,experiment_id,status,user_id,start_time,end_time/);
    assert.match(lines[1000], /,run-0999,/);

    // A run: its params, latest metric and a drawn chart; chart settings in the URL.
    await visit(`#/runs/${runs[1]}?smooth=0.6&log=1`);
    assert.equal(await page.$eval("h1", (e) => e.textContent), "r-two");
    assert.deepEqual(await texts(page, "#params td"), ["0.4", "linear", "7"]);
    assert.deepEqual(await texts(page, "#metrics td"), ["0.2"]);
    assert.equal(await page.$$eval(".chart[data-metric=rmse] canvas", (c) => c.length), 1);
    const legend = await texts(page, ".chart[data-metric=rmse] .u-legend th");
    assert.ok(legend.some((t) => t.includes("rmse (smoothed)")), "smoothed series drawn: " + legend);
    assert.equal(await page.$eval("input[type=checkbox]", (e) => e.checked), true, "log y from the URL");
    assert.equal(await page.$eval(".chart[data-metric=rmse]", (e) => e.dataset.points), "51");
    // Exports: the buckets as CSV (51 points, one per bucket), the canvas as PNG.
    // (Downloaded as a user would: the page's CSP does not let scripts fetch blob: URLs.)
    const csv = await download(page, ".chart[data-metric=rmse] a[download='rmse.csv']", "rmse.csv");
    assert.equal(csv.split("\n")[0], "x,min,max,last,count");
    assert.equal(csv.trim().split("\n").length, 52);
    assert.equal(csv.trim().split("\n")[51], "50,0.2,0.2,0.2,1");
    await page.click(".chart[data-metric=rmse] a[download='rmse.png']");
    assert.match(await page.$eval(".chart[data-metric=rmse] a[download='rmse.png']", (a) => a.href), /^data:image\/png;base64,/);
    assert.equal(await page.$eval(".charts", (e) => e.dataset.live), "1", "a running run refreshes");

    // Its artifacts: a lazy tree, previews of text (as text, never as markup), CSV and HTML
    // (sandboxed: its script does not run).
    const tree = () => page.$$eval(".artifacts a", (as) => as.map((a) => a.dataset.path));
    assert.deepEqual(await tree(), ["doc.pdf", "metrics.csv", "model", "notes.txt", "report.html", "tone.wav"]);
    await page.click('.artifacts a[data-path="model"]');
    await page.waitForSelector('.artifacts a[data-path="model/MLmodel"]');
    const preview = async (path, sel) => {
      await page.click(`.artifacts a[data-path="${path}"]`);
      await page.waitForFunction((p, s) => document.querySelector("#artifact-preview strong")?.textContent === p && document.querySelector(`#artifact-preview ${s}`), {}, path, sel);
    };
    await preview("notes.txt", "pre");
    assert.equal(await page.$eval("#artifact-preview pre", (e) => e.textContent), "trained on <b>2026</b> data\n");
    await preview("metrics.csv", "table");
    assert.deepEqual(await texts(page, "#artifact-preview td"), ["0", "1.5", "1", "0.5"]);
    await preview("report.html", "iframe");
    assert.equal(await page.$eval("#artifact-preview iframe", (f) => f.getAttribute("sandbox")), "");
    await new Promise((ok) => setTimeout(ok, 200));
    assert.notEqual(await page.title(), "pwned");
    await mediaPreviews(page, preview, snap);

    // A 100,000-step series with one spike: the spike is in the drawn buckets; dragging across
    // the chart zooms (z= in the URL) and the zoomed range comes back at full resolution.
    await visit(`#/runs/${spiky}`);
    assert.equal(await page.$eval(".chart[data-metric=loss]", (e) => e.dataset.points), "100000");
    assert.equal(await page.$eval(".chart[data-metric=loss]", (e) => e.dataset.max), "1000000");
    const over = await page.$(".chart[data-metric=loss] .u-over");
    await over.scrollIntoView();
    const box = await over.boundingBox();
    await navigate(async () => {
      await page.mouse.move(box.x + box.width * 0.6, box.y + 20);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6 + 3, box.y + 20, { steps: 2 });
      await page.mouse.up();
    });
    assert.match(page.url(), /[?&]z=\d/);
    const zoomed = Number(await page.$eval(".chart[data-metric=loss]", (e) => e.dataset.points));
    assert.ok(zoomed > 0 && zoomed < 2000, "points in the zoomed range: " + zoomed);
    const overview = async () => Object.fromEntries(await page.$$eval("#overview tr", (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
    assert.deepEqual((await overview())["Child runs"].split(", ").sort(), ["spiky-child", "twin"]);

    // Nested runs: the child names its parent; the runs table marks it.
    await visit(`#/runs/${child}`);
    assert.equal((await overview())["Parent run"], spiky);
    await nestedRuns(page, { visit }, seeded);
    await xByMetric(page, { visit, download, navigate }, seeded);

    // Comparing runs: rows per param/metric, "differences only" hides what all agree on,
    // parallel coordinates over the numeric ones, one chart with a line per run.
    await visit(`#/compare?runs=${runs.join(",")}&exp=${alpha}`);
    const keys = () => page.$$eval("#compare tbody tr", (rows) => rows.map((r) => r.dataset.key));
    assert.deepEqual(await keys(), ["param:alpha", "param:model", "param:seed", "metric:rmse"]);
    await navigate(() => page.click("input[type=checkbox]"));
    assert.match(page.url(), /diff=1/);
    assert.deepEqual(await keys(), ["param:alpha", "param:model", "metric:rmse"]);
    assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.axes), "alpha,seed,rmse");
    // Brushing the rmse axis's top keeps r-three (rmse 0.9) alone, in the plot and the table.
    const pc = await page.$("canvas.parcoords");
    await pc.scrollIntoView();
    const pcBox = await pc.boundingBox();
    const pcWidth = await page.$eval("canvas.parcoords", (c) => c.width);
    const rmseX = pcBox.x + 40 + 2 * ((pcWidth - 80) / 2);
    await navigate(async () => {
      await page.mouse.move(rmseX, pcBox.y + 12);
      await page.mouse.down();
      await page.mouse.move(rmseX, pcBox.y + 40, { steps: 3 });
      await page.mouse.up();
    });
    assert.match(page.url(), /[?&]brush=rmse(%3A|:)/, "the brush is in the URL");
    const keptRuns = () => page.$$eval("#compare thead th", (th) => th.filter((t) => !t.hidden).map((t) => t.textContent));
    assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.kept), "001");
    assert.deepEqual(await keptRuns(), ["", "r-three"]);
    await navigate(() => page.mouse.click(rmseX, pcBox.y + 100));  // a click on the axis clears its brush
    assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.kept), "111");
    await navigate(() => page.goBack());  // back restores the brush
    assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.kept), "001");
    assert.deepEqual(await keptRuns(), ["", "r-three"]);
    await navigate(() => page.goForward());
    assert.equal(await page.$eval("canvas.parcoords", (c) => c.dataset.kept), "111");
    assert.equal(await page.$$eval(".chart[data-metric=rmse] .u-legend .u-series", (s) => s.length), 1 + 3 * 3);

    // The registry: list, a model's versions with aliases and source runs, a version's page.
    await visit("#/models");
    assert.deepEqual(await texts(page, "#models tbody td:first-child"), ["churn"]);
    await navigate(() => page.click("#models tbody a"));
    await snap(page);
    assert.equal(await page.$eval("p.description", (e) => e.textContent), "Predicts churn.");
    assert.deepEqual(await texts(page, "#versions tbody td:nth-child(3)"), ["@prod", ""]);
    await navigate(() => page.click("#versions tbody tr:first-child a"));
    assert.equal(await page.$eval("h1", (e) => e.textContent), "churn version 2");
    await snap(page);
    const fields = Object.fromEntries(await page.$$eval("#version tr", (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
    assert.equal(fields.Aliases, "@prod");
    assert.equal(fields["Source run"], runs[1]);
    assert.equal(fields.Verification, "passed");
    assert.equal(fields["Served here by"], "");
    // The schema from the version's MLmodel, through /model-versions/get-artifact.
    const schema = await page.$$eval("#inputs tr", (rows) => rows.map((r) => r.textContent));
    assert.deepEqual(schema, ["agedouble", "citystring"]);
    assert.deepEqual(await page.$$eval("#outputs tr", (rows) => rows.map((r) => r.textContent)), ["(unnamed)long"]);
    // Promoting: point @champion at version 2 from the page; the registry says so.
    await page.type("#alias-input", "champion");
    await navigate(() => page.click("#alias-set"));
    assert.deepEqual(await page.$$eval(".aliases [data-alias]", (s) => s.map((e) => e.dataset.alias)), ["champion", "prod"]);
    const model = await (await fetch(API + "registered-models/get?name=churn")).json();
    assert.deepEqual(model.registered_model.aliases.map((a) => a.alias + "=" + a.version).sort(), ["champion=2", "prod=2"]);
    await navigate(() => page.click('.aliases [data-alias="champion"] button'));
    assert.deepEqual(await page.$$eval(".aliases [data-alias]", (s) => s.map((e) => e.dataset.alias)), ["prod"]);
    await page.type("#alias-input", "bad alias!");
    await page.click("#alias-set");
    await page.waitForFunction(() => document.querySelector(".form-status").textContent.startsWith("INVALID_PARAMETER_VALUE"));

    await compareVersions(page, { visit, navigate }, seeded);
    await searchModels(page, { visit, navigate, post }, seeded);

    // Unknown pages and runs answer with the API's error, not a blank page.
    await visit("#/runs/0000");
    assert.match(await page.$eval(".error", (e) => e.textContent), /RESOURCE_DOES_NOT_EXIST|not found/i);
    assert.deepEqual(failed, ["400 /ajax-api/2.0/mlflow/runs/search", "400 /ajax-api/2.0/mlflow/registered-models/alias",
      "400 /ajax-api/2.0/mlflow/registered-models/search", "404 /ajax-api/2.0/mlflow/runs/get"]);
    assert.deepEqual(problems, [], "the browser logged problems");
    if (SERVE) await deploymentsCheck(browser);
  } finally {
    await browser.close();
  }
  console.log("PASS: UI pages in Chromium");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
