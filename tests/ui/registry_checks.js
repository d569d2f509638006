// Browser checks of the registry pages, called by pages_test.js with its page and helpers:
// comparing versions of a model (reached from the model page) and searching models by name
// or tag with paging.
const assert = require("node:assert/strict");

const keys = (page) => page.$$eval("#compare-versions tbody tr", (rows) => rows.map((r) => r.dataset.key));
const row = (page, key) => page.$$eval(`#compare-versions tr[data-key="${key}"] td`, (tds) => tds.map((t) => t.textContent));

// churn v1 (r-one: age long, alpha 1, rmse 0.5) against v2 (r-two: age double and city,
// alpha 0.4, rmse 0.2, @prod).
async function compareVersions(page, { visit, navigate }) {
  await visit("#/models/churn");
  await page.click("#versions input[value='1']");
  await page.click("#versions input[value='2']");
  assert.equal(await page.$eval("#compare-versions-link", (a) => a.getAttribute("href")), "#/models/churn/compare?versions=1%2C2");
  await navigate(() => page.click("#compare-versions-link"));
  const all = await keys(page);
  for (const k of ["version:stage", "version:aliases", "input:age", "input:city", "output:(unnamed)", "param:alpha", "param:seed", "metric:rmse"]) {
    assert.ok(all.includes(k), `row ${k} in ${all}`);
  }
  assert.deepEqual(await row(page, "input:age"), ["long", "double"]);
  assert.deepEqual(await row(page, "input:city"), ["", "string"]);
  assert.deepEqual(await row(page, "version:aliases"), ["", "@prod"]);
  assert.deepEqual(await row(page, "metric:rmse"), ["0.5", "0.2"]);
  // Differences only: what agrees (stage, the output, seed) goes; the URL keeps it.
  await navigate(() => page.click("#diff-only"));
  assert.match(page.url(), /[?&]diff=1/);
  const diff = await keys(page);
  for (const k of ["version:stage", "version:status", "output:(unnamed)", "param:seed"]) assert.ok(!diff.includes(k), `${k} agrees`);
  for (const k of ["version:aliases", "input:age", "input:city", "param:alpha", "param:model", "metric:rmse"]) assert.ok(diff.includes(k), `${k} differs`);
  await visit(new URL(page.url()).hash); // a screenshot, and the page from its URL alone
  assert.deepEqual(await keys(page), diff);
}

// 30 more models (even ones tagged team=vision): 25 a page, a next page; a tag filter; a name
// part; a bad filter shows the registry's message.
async function searchModels(page, { visit, navigate, post }) {
  for (let i = 0; i < 30; i++) {
    const name = `zoo-${String(i).padStart(2, "0")}`;
    await post("registered-models/create", { name, tags: i % 2 ? [] : [{ key: "team", value: "vision" }] });
  }
  const names = () => page.$$eval("#models tbody td:first-child", (tds) => tds.map((t) => t.textContent));
  await visit("#/models");
  assert.equal((await names()).length, 25);
  await navigate(() => page.click("#models-next"));
  assert.equal((await names()).length, 6);
  await navigate(() => page.goBack());
  await page.type("input.filter", "tags.team = 'vision'");
  await navigate(() => page.keyboard.press("Enter"));
  assert.deepEqual(await names(), Array.from({ length: 15 }, (_, k) => `zoo-${String(2 * k).padStart(2, "0")}`));
  assert.deepEqual(await page.$$eval("#models tbody tr:first-child .tag", (t) => t.map((e) => e.textContent)), ["team=vision"]);
  await page.$eval("input.filter", (e) => (e.value = ""));
  await page.type("input.filter", "zoo-1");
  await navigate(() => page.keyboard.press("Enter"));
  assert.equal((await names()).length, 10);
  await page.$eval("input.filter", (e) => (e.value = ""));
  await page.type("input.filter", "tags.team === 'x'");
  await navigate(() => page.keyboard.press("Enter"));
  assert.match(await page.$eval(".error.inline", (e) => e.textContent), /\S/);
}

module.exports = { compareVersions, searchModels };
