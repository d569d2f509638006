// Browser checks of two runs-and-charts features, called by pages_test.js with its page and
// helpers: a chart's x axis by another metric (x=m:KEY, joined by step on the server) on the
// run and compare pages, and nested runs folding under their parent in the runs table.
const assert = require("node:assert/strict");

const names = (page) => page.$$eval("#runs tbody td:nth-child(2) a.run", (as) => as.map((a) => a.textContent));

// `spiky` logs loss (1, one spike of 1e6 at step 77,777) and tokens = 10 * step + 3 for
// 100,000 steps; `twin` logs loss 1, 2, 3 at tokens 4, 1, 2.
async function xByMetric(page, { visit, download, navigate }, { spiky, twin, charts }) {
  await visit(`#/runs/${spiky}?x=m:tokens`);
  const options = await page.$$eval("select[aria-label='x axis'] option", (os) => os.map((o) => o.value));
  assert.deepEqual(options, ["step", "wall", "relative", "m:loss", "m:tokens"]);
  assert.equal(await page.$eval("select[aria-label='x axis']", (s) => s.value), "m:tokens");
  const chart = (attr) => page.$eval(".chart[data-metric=loss]", (e, a) => e.dataset[a], attr);
  assert.equal(await chart("points"), "100000");
  assert.equal(await chart("max"), "1000000", "the spike survives bucketing along tokens");
  assert.equal((await chart("x")).split(",")[1], "999993", "the last x is the last tokens value");
  // Zoomed along tokens: every point as it is, each at its step's tokens value.
  await visit(`#/runs/${spiky}?x=m:tokens&z=777703,777803`);
  assert.equal(await chart("points"), "11");
  const csv = (await download(page, ".chart[data-metric=loss] a[download='loss.csv']", "loss.csv")).trim().split("\n").slice(1);
  assert.deepEqual(csv.map((l) => Number(l.split(",")[0])), Array.from({ length: 11 }, (_, k) => 777703 + 10 * k));
  assert.equal(csv[7], "777773,1000000,1000000,1000000,1");
  // Choosing step again drops the zoom (its units were tokens).
  await navigate(() => page.select("select[aria-label='x axis']", "step"));
  assert.match(page.url(), /\?x=step$/);
  // The compare page: one x chooser for the chart, the runs joined alike.
  await visit(`#/compare?runs=${spiky},${twin}&exp=${charts}&metric=loss&x=m:tokens`);
  assert.equal(await page.$eval(".chart[data-metric=loss]", (e) => e.dataset.x), "1,999993");
  assert.equal(await page.$eval("select[aria-label='x axis']", (s) => s.value), "m:tokens");
}

// In `charts` (by name): spiky with children spiky-child and twin, and zeta at the top level.
async function nestedRuns(page, { visit }, { spiky, charts }) {
  await visit(`#/experiments/${charts}?order=attributes.run_name%20ASC`);
  assert.deepEqual(await names(page), ["spiky", "zeta"], "children folded under their parent");
  assert.equal(await page.$eval("#runs button.toggle", (b) => b.textContent), "▸ 2");
  assert.equal(await page.$eval(".count", (e) => e.textContent), "2 runs (2 nested)");
  await page.click("#runs button.toggle");
  await page.waitForFunction(() => document.querySelectorAll("#runs a.run").length === 4);
  assert.deepEqual(await names(page), ["spiky", "spiky-child", "twin", "zeta"], "children right under their parent");
  assert.match(page.url(), new RegExp(`[?&]expand=${spiky}`));
  // The URL keeps it.
  await visit(`#/experiments/${charts}?order=attributes.run_name%20ASC&expand=${spiky}`);
  assert.deepEqual(await names(page), ["spiky", "spiky-child", "twin", "zeta"]);
  await page.click("#runs button.toggle");
  await page.waitForFunction(() => document.querySelectorAll("#runs a.run").length === 2);
  assert.doesNotMatch(page.url(), /expand=/);
  // The server's order holds among the children: by name descending, twin comes first.
  await visit(`#/experiments/${charts}?order=attributes.run_name%20DESC&expand=${spiky}`);
  assert.deepEqual(await names(page), ["zeta", "spiky", "twin", "spiky-child"]);
  // A child whose parent the filter leaves out stays at the top, marked ↳ (a link to it).
  await visit(`#/experiments/${charts}?order=attributes.run_name%20ASC&filter=${encodeURIComponent("attributes.run_name != 'spiky'")}`);
  assert.deepEqual(await names(page), ["spiky-child", "twin", "zeta"]);
  assert.equal(await page.$$eval("#runs a.parent", (as) => as.length), 2);
  assert.equal(await page.$$eval("#runs button.toggle", (bs) => bs.length), 0);
}

module.exports = { xByMetric, nestedRuns };
