// The web UI's charts in Chromium, over runs logged through MLflow's REST API while the page
// is open: a running run's live refresh asks only for the steps after the last one drawn
// (after_step) and appends them, the live toggle (live=0 in the URL, back/forward) stops and
// restarts it, and the run's end stops it; ignore outliers and the tooltip; grouped runs'
// bands; the compare view's scatter plot. The page must log no error and ask no other origin.
// Usage: node charts_test.js http://127.0.0.1:PORT
const { launchChromium } = require("./browser");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const BASE = process.argv[2];
const post = async (p, body) => {
  const r = await fetch(`${BASE}/api/2.0/mlflow/${p}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(`${p}: ${JSON.stringify(j)}`);
  return j;
};
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
// loss at steps [from, to): 1 / (step + 1), logged now.
const logSteps = (run_id, from, to) => post("runs/log-batch", { run_id, metrics: Array.from({ length: to - from }, (_, k) =>
  ({ key: "loss", value: 1 / (from + k + 1), timestamp: Date.now(), step: from + k })) });

const SHOTS = process.env.FERRY_UI_SCREENSHOTS;
let shot = 0;
async function snap(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `charts-${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
}

// Runs an action that changes the URL and waits for the page drawn for it.
async function navigate(page, action) {
  const before = await page.evaluate(() => Number(document.body.dataset.renders || 0));
  await action();
  await page.waitForFunction((k) => Number(document.body.dataset.renders || 0) > k, {}, before);
}

async function liveRefresh(page, requests) {
  const exp = (await post("experiments/create", { name: "live" })).experiment_id;
  const run = (await post("runs/create", { experiment_id: exp, run_name: "live-run", start_time: Date.now() })).run.info.run_id;
  await logSteps(run, 0, 10);
  const points = () => page.$eval('.chart[data-metric="loss"]', (b) => Number(b.dataset.points));
  const waitPoints = (n) => page.waitForFunction((k) => Number(document.querySelector('.chart[data-metric="loss"]')?.dataset.points) === k, { timeout: 15000 }, n);
  const bucketCalls = () => requests.filter((u) => u.pathname.endsWith("/metrics/buckets") && u.searchParams.get("run_id") === run);

  await navigate(page, () => page.goto(`${BASE}/#/runs/${run}?refresh=1`));
  await waitPoints(10);
  assert.equal(await page.$eval("#live", (c) => c.checked), true, "the live toggle starts on");
  const full = bucketCalls().length;
  assert.equal(full, 1, "one full fetch for the one chart");
  assert.equal(bucketCalls()[0].searchParams.get("after_step"), null);

  // New steps while the page is open: the chart gains them through after_step requests.
  await logSteps(run, 10, 15);
  await waitPoints(15);
  const refreshes = bucketCalls().slice(full);
  assert.ok(refreshes.length >= 1 && refreshes.every((u) => u.searchParams.has("after_step")), "refreshes ask only for new steps");
  assert.ok(refreshes.some((u) => u.searchParams.get("after_step") === "9"), "the first refresh starts after step 9");
  assert.equal(await page.$eval('.chart[data-metric="loss"]', (b) => b.dataset.x), "0,14");
  await snap(page, "live");

  // The toggle: live=0 in the URL, and no more refreshes.
  await navigate(page, () => page.click("#live"));
  assert.match(page.url(), /live=0/);
  assert.equal(await page.$eval("#live", (c) => c.checked), false);
  const stopped = bucketCalls().length;
  await logSteps(run, 15, 20);
  await sleep(3000);
  assert.equal(bucketCalls().length, stopped, "no request once live=0");
  assert.equal(await points(), 15, "the chart stays as it was");

  // Back: live again; the page's own full fetch shows steps 15-19, then refreshes go on.
  await navigate(page, () => page.goBack());
  assert.doesNotMatch(page.url(), /live=0/);
  await waitPoints(20);
  assert.equal(await page.$eval("#live", (c) => c.checked), true);
  const back = bucketCalls().length;
  await logSteps(run, 20, 22);
  await waitPoints(22);
  assert.ok(bucketCalls().slice(back).some((u) => u.searchParams.get("after_step") === "19"));

  // The run ends: the refresh stops by itself.
  await post("runs/update", { run_id: run, status: "FINISHED", end_time: Date.now() });
  await page.waitForFunction(() => document.querySelector(".charts")?.dataset.live === "ended", { timeout: 10000 });
  const ended = bucketCalls().length;
  await sleep(2500);
  assert.equal(bucketCalls().length, ended, "no refresh after the run ended");
  return { exp, run };
}

// Ignore outliers: one spike of 1e6 among values 1-2; the y range (kept in the chart's
// data-y-range) is the 5th-95th percentile, with clip=1 in the URL; back drops it. The
// tooltip names the run, the step, the value and the time under the cursor.
async function outliersAndTooltip(page, exp) {
  const run = (await post("runs/create", { experiment_id: exp, run_name: "spike-run" })).run.info.run_id;
  await post("runs/log-batch", { run_id: run, metrics: Array.from({ length: 100 }, (_, s) =>
    ({ key: "loss", value: s === 50 ? 1e6 : 1 + s / 100, timestamp: 1700000000000 + s, step: s })) });
  await post("runs/update", { run_id: run, status: "FINISHED", end_time: Date.now() });
  const range = () => page.$eval('.chart[data-metric="loss"] > div', (d) => d.dataset.yRange || "");
  await navigate(page, () => page.goto(`${BASE}/#/runs/${run}`));
  assert.equal(await range(), "");
  await navigate(page, () => page.click("#clip"));
  assert.match(page.url(), /clip=1/);
  const [lo, hi] = (await range()).split(",").map(Number);
  assert.ok(lo > 0.9 && lo < 1.1 && hi > 1.9 && hi < 2.1, `y range ${lo}..${hi} ignores the spike`);
  await snap(page, "clip");
  await navigate(page, () => page.goBack());
  assert.equal(await range(), "");
  assert.equal(await page.$eval("#clip", (c) => c.checked), false);

  // Hover in the middle of the chart: the tooltip shows run, step and value.
  const over = await page.$('.chart[data-metric="loss"] .u-over');
  const box = await over.boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height - 5);
  await page.waitForSelector('.chart[data-metric="loss"] .tooltip:not([hidden])');
  const tip = await page.$eval('.chart[data-metric="loss"] .tooltip', (t) => t.innerText);
  assert.match(tip, /^spike-run\nstep \d+\nvalue 1\.\d+\ntime 2023-11-14 22:13:20/, tip);
}

// Grouped runs: model=a holds two runs with loss 1 and 3 at every step, model=b one with 5.
// The group chart draws, per group, the mean line with a mean ± std and a min-max band.
async function groupBands(page) {
  const exp = (await post("experiments/create", { name: "grouped" })).experiment_id;
  for (const [model, value] of [["a", 1], ["a", 3], ["b", 5]]) {
    const run = (await post("runs/create", { experiment_id: exp, run_name: `g-${model}-${value}` })).run.info.run_id;
    await post("runs/log-batch", { run_id: run, params: [{ key: "model", value: model }],
      metrics: Array.from({ length: 10 }, (_, s) => ({ key: "loss", value, timestamp: 1700000000000 + s, step: s })) });
  }
  await navigate(page, () => page.goto(`${BASE}/#/experiments/${exp}?group=p:model`));
  await page.waitForSelector(".group-chart canvas");
  const groups = JSON.parse(await page.$eval(".group-chart", (b) => b.dataset.groups));
  assert.deepEqual(groups, [
    { group: "a", bands: 2, x: 9, mean: 2, std: 1, min: 1, max: 3, n: 2 },
    { group: "b", bands: 2, x: 9, mean: 5, std: 0, min: 5, max: 5, n: 1 },
  ]);
  assert.equal(await page.$eval(".group-chart", (b) => b.dataset.bands), "4");
  const legend = await page.$$eval(".group-chart .u-legend th", (th) => th.map((t) => t.textContent.trim()));
  assert.ok(legend.includes("a (mean)") && legend.includes("a +std") && legend.includes("b min"), legend.join("|"));
  await snap(page, "groups");
}

// The compare view's scatter plot: one point per run, x and y chosen among the numeric params
// and metrics, kept in the URL (sx, sy); back restores the previous choice.
async function scatter(page) {
  const exp = (await post("experiments/create", { name: "scatter" })).experiment_id;
  const ids = [];
  for (const [name, lr, acc, loss] of [["s-1", 0.3, 0.9, 0.2], ["s-2", 0.1, 0.7, 0.5], ["s-3", 0.2, 0.8, 0.4]]) {
    const run = (await post("runs/create", { experiment_id: exp, run_name: name })).run.info.run_id;
    await post("runs/log-batch", { run_id: run, params: [{ key: "lr", value: String(lr) }, { key: "opt", value: "adam" }],
      metrics: [{ key: "acc", value: acc, timestamp: 1, step: 0 }, { key: "loss", value: loss, timestamp: 1, step: 0 }] });
    ids.push(run);
  }
  const points = () => page.$eval(".scatter", (b) => JSON.parse(b.dataset.points));
  await navigate(page, () => page.goto(`${BASE}/#/compare?runs=${ids.join(",")}&exp=${exp}`));
  // Default: the first numeric param (lr; opt is text) against the first metric (acc).
  assert.deepEqual(await page.$$eval("#scatter-x option", (o) => o.map((x) => x.value)), ["p:lr", "m:acc", "m:loss"]);
  assert.deepEqual(await points(), [[0.1, 0.7, "s-2"], [0.2, 0.8, "s-3"], [0.3, 0.9, "s-1"]]);
  await navigate(page, () => page.select("#scatter-y", "m:loss"));
  assert.match(page.url(), /sy=m%3Aloss|sy=m:loss/);
  assert.deepEqual(await points(), [[0.1, 0.5, "s-2"], [0.2, 0.4, "s-3"], [0.3, 0.2, "s-1"]]);
  await navigate(page, () => page.select("#scatter-x", "m:acc"));
  assert.deepEqual(await points(), [[0.7, 0.5, "s-2"], [0.8, 0.4, "s-3"], [0.9, 0.2, "s-1"]]);
  await snap(page, "scatter");
  await navigate(page, () => page.goBack());
  assert.equal(await page.$eval("#scatter-x", (s) => s.value), "p:lr");
  assert.equal(await page.$eval("#scatter-y", (s) => s.value), "m:loss");
  assert.equal(await page.$$eval(".scatter canvas", (c) => c.length), 1);
}

async function main() {
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const requests = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(BASE)) problems.push("foreign request: " + r.url());
      else requests.push(new URL(r.url()));
    });
    page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    page.on("console", (m) => m.type() === "error" && problems.push("console: " + m.text()));
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    const { exp } = await liveRefresh(page, requests);
    console.log("ok: live refresh appends new steps (after_step), the toggle and the run's end stop it");
    await outliersAndTooltip(page, exp);
    console.log("ok: ignore outliers (5th-95th percentile, in the URL) and the tooltip");
    await groupBands(page);
    console.log("ok: grouped runs chart as mean ± std and min-max bands");
    await scatter(page);
    console.log("ok: the compare view's scatter plot, its axes in the URL");
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
  console.log("PASS: charts in Chromium");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
