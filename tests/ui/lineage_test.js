// The UI's lineage, pipeline and package-trust views in a real browser (Debian's chromium
// through puppeteer-core), over what tests/e2e/ui_lineage.sh made: a pipeline `signed`
// (train -> sign -> register of model bc) run against a server with a trust policy, so bc
// version 1 is a signed package the gate verified; bc-copy version 1 the same package under
// another name, which the gate refused; and on a second server without a policy (B) bc
// version 1, an unsigned package, READY unverified. The version page shows digest, signer and trust; lineage graphs draw the pipeline,
// its steps and data with links that lead to their pages; the pipelines page lists the run
// and its steps; no page logs an error or gets a 4xx it did not ask for.
// Usage: node lineage_test.js http://127.0.0.1:PORT sha256:<data.csv's digest> http://B
const { launchChromium } = require("./browser");
const assert = require("node:assert/strict");

const [BASE, DATA_DIGEST, B] = process.argv.slice(2);
const call = async (method, path, body) => {
  const r = await fetch(BASE + "/api/2.0/mlflow/" + path, { method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(j)}`);
  return j;
};
const tagOf = (entity, key) => (entity.tags || entity.data?.tags || []).find((t) => t.key === key)?.value || "";

async function facts() {
  const v1 = (await call("GET", "model-versions/get?name=bc&version=1")).model_version;
  const v2 = (await call("GET", "model-versions/get?name=bc-copy&version=1")).model_version;
  const exp = (await call("GET", "experiments/get-by-name?experiment_name=pipeline-signed")).experiment;
  const runs = (await call("POST", "runs/search", { experiment_ids: [exp.experiment_id], filter: "tags.ferry.pipeline = 'signed'" })).runs;
  assert.equal(runs.length, 1, "one pipeline run recorded");
  const plain = (await call("POST", "runs/create", { experiment_id: exp.experiment_id, run_name: "plain" })).run.info.run_id;
  return { v1, v2, pipeline: runs[0], plain };
}

const texts = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));
const rows = async (page, sel) => Object.fromEntries(await page.$$eval(`${sel} tr`, (trs) => trs.map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
// The lineage graph drawn: node ids and types, and "from relation to" for every edge label.
const graph = (page) => page.$eval("#lineage svg.lineage", (svg) => ({
  nodes: [...svg.querySelectorAll(".lineage-node")].map((n) => ({ id: n.dataset.id, type: n.dataset.type, href: n.getAttribute("href") || "", text: n.textContent })),
  relations: [...svg.querySelectorAll(".lineage-edge")].map((e) => e.dataset.relation),
  labels: [...svg.querySelectorAll(".lineage-edge text")].map((t) => t.textContent),
}));

async function main() {
  const { v1, v2, pipeline, plain } = await facts();
  const hex = /packages\/sha256-([0-9a-f]{64})/.exec(v1.source)[1];
  assert.equal(tagOf(v1, "ferry.package.digest"), `sha256:${hex}`);
  const browser = await launchChromium();
  const problems = [];
  const failed = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${decodeURIComponent(new URL(r.url()).pathname)}`));
    page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push("console: " + m.text()));
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("request", (r) => !r.url().startsWith(BASE) && !r.url().startsWith(B) && problems.push("foreign request: " + r.url()));
    const renders = () => page.evaluate(() => Number(document.body.dataset.renders || 0));
    const rendersPast = (n) => page.waitForFunction((k) => Number(document.body.dataset.renders || 0) > k, {}, n);
    const visit = async (hash, base = BASE) => {
      await page.goto("about:blank");
      await page.goto(base + "/" + hash);
      await rendersPast(0);
    };
    const navigate = async (action) => {
      const before = await renders();
      await action();
      await rendersPast(before);
    };

    // Version 1: the signed package the gate verified, and where it came from.
    await visit("#/models/bc/versions/1");
    const pkg = await rows(page, "#package");
    assert.equal(pkg.Digest, `sha256:${hex}`);
    assert.equal(pkg.Signature, "signed by key 'lnu'");
    assert.equal(pkg["Trust policy"], "verified by this server's trust policy");
    assert.equal(pkg.Provenance, "verified (SLSA attestation by a key the policy allows)");  // `package sign` attests too
    let g = await graph(page);
    const ids = g.nodes.map((n) => n.id);
    assert.ok(ids.includes("model_version:bc/1"), "the version: " + ids);
    assert.ok(ids.includes(`data:${DATA_DIGEST}`), "the pipeline's input data by digest: " + ids);
    assert.ok(ids.includes(`run:${pipeline.info.run_id}`), "the pipeline run: " + ids);
    assert.ok(ids.includes(`run:${v1.run_id}`), "the training run: " + ids);
    const steps = g.nodes.filter((n) => n.type === "step_run").map((n) => n.text);
    for (const s of ["train", "sign", "register"]) assert.ok(steps.some((t) => t.includes(s)), `step ${s} drawn: ${steps}`);
    assert.ok(g.labels.includes("registered_as") && g.labels.includes("consumed") && g.labels.includes("child_of"), "edge labels: " + g.labels);
    assert.deepEqual(g.labels, g.relations, "each edge is labelled with its relation");
    assert.equal(g.nodes.find((n) => n.id === "model_version:bc/1").href, "#/models/bc/versions/1");
    assert.equal(await page.$$eval(".lineage-node.root", (n) => n.map((x) => x.dataset.id).join()), "model_version:bc/1");
    // The data node leads to the dataset's page, whose downstream graph reaches version 1.
    await navigate(() => page.click(`.lineage-node[data-id="data:${DATA_DIGEST}"]`));
    assert.equal(decodeURIComponent(new URL(page.url()).hash), `#/datasets/${DATA_DIGEST}`);
    assert.equal(await page.$eval("#digest", (e) => e.textContent), DATA_DIGEST);
    g = await graph(page);
    assert.ok(g.nodes.some((n) => n.id === "model_version:bc/1"), "downstream of the data: " + g.nodes.map((n) => n.id));
    // ... and the training run's node to the run page, which draws lineage too.
    await navigate(() => page.click(`.lineage-node[data-id="run:${v1.run_id}"]`));
    assert.equal(new URL(page.url()).hash, `#/runs/${v1.run_id}`);
    g = await graph(page);
    assert.ok(g.nodes.some((n) => n.id === "model_version:bc/1"), "the training run's lineage: " + g.nodes.map((n) => n.id));
    // The training run names its pipeline run, linked to the pipeline's page.
    assert.equal(await page.$eval("#pipeline-link", (a) => a.textContent), tagOf(pipeline, "ferry.pipeline.run"));
    assert.equal(await page.$eval("#pipeline-link", (a) => a.getAttribute("href")), `#/pipelines/${pipeline.info.run_id}`);

    // The same package as bc-copy: refused by the gate, so no signer is vouched for.
    await visit("#/models/bc-copy/versions/1");
    const refused = await rows(page, "#package");
    assert.equal(v2.status, "FAILED_REGISTRATION");
    assert.equal(refused.Digest, `sha256:${hex}`);
    assert.equal(refused.Signature, "signed (signer not checked)");
    assert.equal(refused["Trust policy"], `failed: ${v2.status_message}`);
    assert.match(refused["Trust policy"], /the package is model 'bc', not 'bc-copy'/);
    // An unsigned package on a server without a policy: said as it is.
    await visit("#/models/bc/versions/1", B);
    const unsigned = await rows(page, "#package");
    assert.match(unsigned.Digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(unsigned.Signature, "unsigned");
    assert.equal(unsigned.Provenance, "none attached");
    assert.equal(unsigned["Trust policy"], "not verified (no trust policy when it was registered)");
    // A version whose source is not a package says so.
    await call("POST", "registered-models/create", { name: "plain-model" });
    await call("POST", "model-versions/create", { name: "plain-model", source: "s3://bucket/model" });
    await visit("#/models/plain-model/versions/1");
    assert.match(await page.$eval("#package", (e) => e.textContent), /^Not a Ferry package/);
    // Its MLmodel cannot be read from s3:// here: the first 4xx of this test, and a wanted one.
    assert.deepEqual(failed, ["400 /model-versions/get-artifact"]);

    // A run in no pipeline: an empty lineage says so.
    await visit(`#/runs/${plain}`);
    assert.match(await page.$eval("#lineage", (e) => e.textContent), /No lineage recorded/);
    assert.equal(await page.$("#lineage svg"), null);

    // Pipelines: the nav link, the run with its steps, then its own page.
    await visit("#/experiments");
    await navigate(() => page.click('a[data-nav="pipelines"]'));
    assert.equal(await page.$eval('a[data-nav="pipelines"]', (a) => a.classList.contains("active")), true);
    const row = `#pipelines tr[data-run="${pipeline.info.run_id}"]`;
    const cells = await texts(page, `${row} td`);
    assert.equal(cells[0], "signed");
    assert.equal(cells[1], tagOf(pipeline, "ferry.pipeline.run"));
    assert.equal(cells[2], "FINISHED");
    assert.match(cells[5], /^\d+(\.\d)?(s|min)$/, "duration: " + cells[5]);
    assert.deepEqual(await page.$$eval(`${row} .step`, (s) => s.map((x) => x.dataset.step)), ["train", "sign", "register"]);
    await navigate(() => page.click(`${row} a`));
    assert.equal(new URL(page.url()).hash, `#/pipelines/${pipeline.info.run_id}`);
    assert.deepEqual(await texts(page, "#steps tbody td:first-child"), ["train", "sign", "register"]);
    assert.deepEqual(await texts(page, "#steps tbody td:nth-child(3)"), ["succeeded", "succeeded", "succeeded"]);
    g = await graph(page);
    assert.equal(g.nodes.filter((n) => n.type === "step_run").length, 3, "three step runs drawn");
    assert.ok(g.nodes.some((n) => n.id === "model_version:bc/1"), "the version the pipeline registered");
    // A step's link leads to its run.
    await navigate(() => page.click("#steps tbody tr:first-child a"));
    assert.match(new URL(page.url()).hash, /^#\/runs\/[0-9a-f]+$/);

    // A run that is not a pipeline's, and an unknown digest: errors in place (a 4xx).
    await visit(`#/pipelines/${plain}`);
    assert.match(await page.$eval(".error", (e) => e.textContent), /not a pipeline run/);
    await visit(`#/datasets/sha256:${"0".repeat(64)}`);
    assert.match(await page.$eval("#lineage .error", (e) => e.textContent), /RESOURCE_DOES_NOT_EXIST: No run consumed/);

    assert.deepEqual(failed, ["400 /model-versions/get-artifact", `404 /api/ferry/v1/lineage/datasets/sha256:${"0".repeat(64)}`], "only the provoked 4xx");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  console.log("PASS: lineage, pipelines and package trust in Chromium");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
