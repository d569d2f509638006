// Ferry's web UI at scale, in headless Chromium (Debian's, through puppeteer-core), against a
// running `ferry server` it fills first. Prints one line per figure, with the target from
// issue 14. Usage: node ui_bench.js http://127.0.0.1:PORT   (bench/run_ui_bench.sh starts it)
const { launchChromium } = require("../../tests/ui/browser");

const BASE = process.argv[2];
const HUGE = Number(process.env.HUGE_RUNS ?? 100000); // the memory case's runs; 0 skips it
const API = BASE + "/api/2.0/mlflow/";
const post = async (path, body) => {
  const r = await fetch(API + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
async function pool(n, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) await fn(next++);
  }));
}
const ms = (t0) => (performance.now() - t0).toFixed(0);
const report = (name, value, unit, target) => console.log(`${name.padEnd(58)} ${String(value).padStart(8)} ${unit.padEnd(3)} (target ${target})`);

// `n` runs x 50 columns (25 params, 25 metrics) in a new experiment.
async function wideRuns(name, n) {
  const id = (await post("experiments/create", { name })).experiment_id;
  await pool(n, 16, async (i) => {
    const run = (await post("runs/create", { experiment_id: id, run_name: `run-${i}` })).run.info.run_id;
    const params = Array.from({ length: 25 }, (_, k) => ({ key: `p${k}`, value: String((i * 7 + k) % 97) }));
    const metrics = Array.from({ length: 25 }, (_, k) => ({ key: `m${k}`, value: ((i * 13 + k) % 1009) / 10, timestamp: 1, step: 0 }));
    await post("runs/log-batch", { run_id: run, params, metrics });
  });
  return id;
}

async function seed() {
  let t0 = performance.now();
  const wide = await wideRuns("wide", 10000);
  const curves = (await post("experiments/create", { name: "curves" })).experiment_id;
  const long = (await post("runs/create", { experiment_id: curves, run_name: "long" })).run.info.run_id;
  const hundred = [];
  for (let r = 0; r < 100; r++) hundred.push((await post("runs/create", { experiment_id: curves, run_name: `c${r}` })).run.info.run_id);
  const batches = [];
  // along: the same loss and tokens, another 100,000-point metric, for charts along it.
  const along = (await post("runs/create", { experiment_id: curves, run_name: "along" })).run.info.run_id;
  for (let s = 0; s < 100000; s += 1000) batches.push([long, s, 1000], [along, s, 1000], [along, s, 1000, "tokens"]);
  for (const run of hundred) for (let s = 0; s < 10000; s += 1000) batches.push([run, s, 1000]);
  await pool(batches.length, 8, async (i) => {
    const [run, s, n, key] = batches[i];
    const value = (t) => (key ? 512 * t + (t % 7) : Math.sin(t / 500) + (t % 9973 === 0 ? 50 : 0));
    const metrics = Array.from({ length: n }, (_, k) => ({ key: key || "loss", value: value(s + k), timestamp: 1700000000000 + s + k, step: s + k }));
    await post("runs/log-batch", { run_id: run, metrics });
  });
  const keys = (await post("experiments/create", { name: "many-keys" })).experiment_id;
  const wideRun = (await post("runs/create", { experiment_id: keys, run_name: "12k-keys" })).run.info.run_id;
  for (let k = 0; k < 12000; k += 1000) {
    await post("runs/log-batch", { run_id: wideRun, metrics: Array.from({ length: 1000 }, (_, j) => ({ key: `metric_${k + j}`, value: j, timestamp: 1, step: 0 })) });
  }
  await pool(10000, 16, async (i) => post("experiments/create", { name: `exp-${String(i).padStart(5, "0")}` }));
  console.error(`seeded in ${ms(t0)} ms`);
  t0 = performance.now();
  const huge = HUGE ? await wideRuns("huge", HUGE) : "";
  if (HUGE) console.error(`${HUGE} more runs in ${ms(t0)} ms`);
  return { wide, long, along, hundred, keys, curves, huge };
}

// Opens an experiment's runs and scrolls to the end until all `n` are loaded: the time, the
// most DOM nodes on the way, the JS heap at the end (as is, and after a garbage collection).
async function scrollAll(page, open, experiment, n) {
  await open(`#/experiments/${experiment}`, "#runs tbody tr:not(.spacer)");
  let maxNodes = 0;
  const t0 = performance.now();
  while ((await page.$eval(".count", (e) => e.textContent)) !== `${n} runs`) {
    await page.$eval(".scroll.virtual", (e) => (e.scrollTop = e.scrollHeight));
    await new Promise((ok) => setTimeout(ok, 20));
    maxNodes = Math.max(maxNodes, await page.evaluate(() => document.getElementsByTagName("*").length));
  }
  const all = n.toLocaleString("en");
  report(`runs table: scrolled through all ${all} runs`, ms(t0), "ms", "-");
  report(`runs table (${all} runs): most DOM nodes while scrolling`, maxNodes, "", "< 3000");
  const mb = async () => ((await page.metrics()).JSHeapUsedSize / 1048576).toFixed(1);
  report(`runs table: JS heap with ${all} runs loaded`, await mb(), "MB", "< 500 for 100,000");
  await (await page.createCDPSession()).send("HeapProfiler.collectGarbage");
  report(`runs table: JS heap with ${all} runs loaded, after a GC`, await mb(), "MB", "< 500 for 100,000");
}

async function main() {
  const ids = await seed();
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const rendered = async (n) => page.waitForFunction((k) => Number(document.body.dataset.renders || 0) > k, { timeout: 120000 }, n);
  const renders = () => page.evaluate(() => Number(document.body.dataset.renders || 0));
  const open = async (hash, ready) => {
    await page.goto("about:blank");
    const t0 = performance.now();
    await page.goto(BASE + "/" + hash);
    await page.waitForSelector(ready, { timeout: 120000 });
    return ms(t0);
  };

  report("experiments list, 10,000+ experiments: first paint", await open("#/experiments", "#experiments tbody tr"), "ms", "< 500");
  report("runs table, 10,000 runs x 50 columns: first rows", await open(`#/experiments/${ids.wide}?cols=${[...Array(25).keys()].map((k) => "p:p" + k).concat([...Array(25).keys()].map((k) => "m:m" + k)).join(",")}`, "#runs tbody tr:not(.spacer)"), "ms", "< 1000");
  let t0 = performance.now();
  let before = await renders();
  await page.$$eval("#runs thead th a", (as) => as.find((a) => a.textContent.startsWith("m7")).click());
  await rendered(before);
  report("runs table: sort by a metric column, redrawn", ms(t0), "ms", "< 300");
  t0 = performance.now();
  before = await renders();
  await page.$eval("input.filter", (e) => (e.value = "metrics.m3 > 50"));
  await page.focus("input.filter");
  await page.keyboard.press("Enter");
  await rendered(before);
  report("runs table: filter change, redrawn", ms(t0), "ms", "< 300");
  await scrollAll(page, open, ids.wide, 10000);
  if (HUGE) await scrollAll(page, open, ids.huge, HUGE);

  t0 = performance.now();
  const res = await fetch(`${BASE}/api/ferry/v1/metrics/buckets?run_id=${ids.long}&metric_key=loss&buckets=1400`);
  await res.json();
  report("100,000-point series: server answer (1,400 buckets)", ms(t0), "ms", "< 50");
  report("100,000-point series: run page until the chart is drawn", await open(`#/runs/${ids.long}`, ".chart[data-metric=loss] canvas"), "ms", "< 200 draw");
  // Zoom: the range is fetched again at full resolution and every chart drawn anew (a new canvas).
  await page.$eval(".chart[data-metric=loss] canvas", (c) => (c.dataset.old = "1"));
  t0 = performance.now();
  await page.evaluate(() => (location.hash = location.hash.split("?")[0] + "?z=20000,30000"));
  await page.waitForSelector(".chart[data-metric=loss] canvas:not([data-old])", { timeout: 120000 });
  report("100,000-point series: zoom to 10,000 steps, re-fetched at full resolution, redrawn", ms(t0), "ms", "< 100 redraw");
  t0 = performance.now();
  await (await fetch(`${BASE}/api/ferry/v1/metrics/buckets?run_id=${ids.along}&metric_key=loss&buckets=1400&x=metric&x_metric=tokens`)).json();
  report("the same along another 100,000-point metric: server answer", ms(t0), "ms", "-");
  report("the same: run page (x=m:tokens) until both charts are drawn", await open(`#/runs/${ids.along}?x=m:tokens`, ".chart[data-metric=tokens] canvas"), "ms", "-");
  report("100 runs x 10,000 points in one chart (compare page)", await open(`#/compare?runs=${ids.hundred.join(",")}&exp=${ids.curves}&metric=loss`, ".chart[data-metric=loss] canvas"), "ms", "< 500 draw");
  report("an experiment with 12,000 metric keys: runs page open", await open(`#/experiments/${ids.keys}`, "#runs tbody tr:not(.spacer)"), "ms", "< 2000");
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
