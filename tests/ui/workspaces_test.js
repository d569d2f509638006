// The web UI's workspaces against `ferry server --enable-workspaces`, in Chromium. Two
// workspaces each hold an experiment named `churn` with different runs (and `default` a third):
// the header's switcher lists them; switching shows the other workspace's runs; `ws=` stays in
// the URL across links, reload and back, and localStorage brings it back on a bare URL; the
// runs searches name the page's workspace in X-MLFLOW-WORKSPACE, and an image preview, an
// audio preview and an artifact's Download fetch with it (the downloaded bytes are the
// artifact's, in team-b and in `default`); a page of the other workspace's experiment is the normal not-found view; a workspace that does not exist (named
// in the URL, or deleted after the switcher was drawn) falls back to `default` with a notice;
// the workspaces page creates one (the server's validation error shown first), edits its
// description, is refused deleting a workspace that holds an experiment, and deletes an empty
// one. A PNG of each page goes to $FERRY_UI_SCREENSHOTS (ws-NN-*.png) when it is set.
// With ADMIN_PASSWORD (a server with --auth): the switcher shows once signed in, not before.
// Usage: node workspaces_test.js http://127.0.0.1:PORT [ADMIN_PASSWORD]
const { launchChromium } = require("./browser");
const { downloadBytes } = require("./download");
const { wav } = require("./media");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const BASE = process.argv[2];

async function api(method, route, body, workspace, password) {
  const headers = { "Content-Type": "application/json" };
  if (password) headers.Authorization = "Basic " + Buffer.from("admin:" + password).toString("base64");
  if (workspace) headers["X-MLFLOW-WORKSPACE"] = workspace;
  const r = await fetch(BASE + route, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}
const mlflow = (route, body, ws) => api("POST", "/api/2.0/mlflow/" + route, body, ws);

// Each workspace's `churn` and its runs.
const RUNS = { "default": ["default-run"], "team-a": ["a-run-1", "a-run-2"], "team-b": ["b-run-1"] };

// A 1x1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
// Every byte value (no text decoding survives it), each workspace's own, for the downloads.
const WEIGHTS = {
  "team-b": Buffer.concat([Buffer.from("team-b\n"), Buffer.from([...Array(256).keys(), ...Array(256).keys()].reverse())]),
  "default": Buffer.concat([Buffer.from("default\n"), Buffer.from([...Array(256).keys()])]),
};

// An artifact through the artifact proxy (which needs the header too).
async function putArtifact(ws, experimentId, runId, name, body) {
  const headers = ws === "default" ? {} : { "X-MLFLOW-WORKSPACE": ws };
  const r = await fetch(`${BASE}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${name}`,
                        { method: "PUT", body, headers });
  if (!r.ok) throw new Error(`PUT ${name}: ${r.status}`);
}

async function seed() {
  const ids = {};
  for (const ws of ["team-a", "team-b", "team-c"]) {
    await api("POST", "/api/3.0/mlflow/workspaces", { name: ws, description: `${ws} description` });
  }
  for (const [ws, runs] of Object.entries(RUNS)) {
    const named = ws === "default" ? undefined : ws;
    ids[ws] = (await mlflow("experiments/create", { name: "churn" }, named)).experiment_id;
    for (const run of runs) {
      const id = (await mlflow("runs/create", { experiment_id: ids[ws], run_name: run }, named)).run.info.run_id;
      if (WEIGHTS[ws]) await putArtifact(ws, ids[ws], id, "data/weights.bin", WEIGHTS[ws]);
      if (run !== "b-run-1") continue;
      // An image and a sound in team-b.
      await putArtifact(ws, ids[ws], id, "plot.png", PNG);
      await putArtifact(ws, ids[ws], id, "tone.wav", wav());
    }
  }
  return ids;
}

// Opens `name` (under data/) in the run's artifact tree, clicks its Download and checks the
// bytes Chromium saved under the file's name; returns the link's href.
async function downloadArtifact(page, name, bytes) {
  await page.waitForSelector('.artifacts a[data-path="data"]');
  await page.click('.artifacts a[data-path="data"]');
  await page.waitForSelector(`.artifacts a[data-path="${name}"]`);
  await page.click(`.artifacts a[data-path="${name}"]`);
  await page.waitForFunction((p) => document.querySelector("#artifact-preview strong")?.textContent === p, {}, name);
  const saved = await downloadBytes(page, "#artifact-preview a.download", name.split("/").pop());
  assert.ok(saved.equals(bytes), `downloaded ${saved.length} bytes (${JSON.stringify(saved.subarray(0, 80).toString())}), wanted ${bytes.length}`);
  return page.$eval("#artifact-preview a.download", (a) => a.getAttribute("href"));
}

const SHOTS = process.env.FERRY_UI_SCREENSHOTS;
if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
let shot = 0;
async function snap(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `ws-${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function main() {
  const ids = await seed();
  const browser = await launchChromium();
  const problems = [];
  // The 4xx answers this test provokes, checked at the end: any other is a bug.
  const failures = [];
  // Every API request with the header it sent.
  const sent = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("console", (m) => m.type() === "error" && !/status of 40[0349]/.test(m.text()) && problems.push("console: " + m.text()));
    page.on("request", (r) => {
      // A blob: of this origin is a preview's or a download's bytes; data: URLs are the
      // <audio> controls' own icons.
      if (r.url().startsWith("blob:" + BASE) || r.url().startsWith("data:")) return;
      if (!r.url().startsWith(BASE)) return void problems.push("foreign request: " + r.url());
      const api = /\/(ajax-api|api)\/|get-artifact/.test(r.url());
      if (!api) return;
      sent.push({ url: r.url(), body: r.postData() || "", header: r.headers()["x-mlflow-workspace"] });
    });
    page.on("response", (r) => r.status() >= 400 && failures.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
    const renders = () => page.evaluate(() => Number(document.body.dataset.renders || 0));
    const app = () => page.$eval("#app", (e) => e.innerText);
    const wsParam = () => page.evaluate(() => new URLSearchParams(location.hash.split("?")[1] || "").get("ws"));
    const switcher = () => page.$eval("#workspace", (s) => ({ value: s.value, options: [...s.options].map((o) => o.value) }));
    const afterRender = async (action) => {
      const before = await renders();
      await action();
      await page.waitForFunction((k) => Number(document.body.dataset.renders || 0) > k, {}, before);
    };
    const runNames = () => page.$$eval("#app a.run", (as) => as.map((a) => a.textContent.trim()).filter((t) => t).sort());
    const waitRuns = async (expected) => {
      await page.waitForFunction((want) => {
        const got = [...document.querySelectorAll("#app a.run")].map((a) => a.textContent.trim()).filter((t) => t).sort();
        return JSON.stringify(got) === JSON.stringify(want);
      }, { timeout: 10000 }, [...expected].sort()).catch(async () => assert.fail(`runs shown: ${JSON.stringify(await runNames())}, wanted ${expected}`));
    };
    const choose = (ws) => afterRender(() => page.select("#workspace", ws));

    // --- A first visit: `default`, put in the URL; the switcher lists every workspace.
    await page.goto(BASE + "/#/experiments");
    await page.waitForSelector("#workspace-switch:not([hidden])");
    await page.waitForFunction(() => /ws=default/.test(location.hash));
    assert.deepEqual(await switcher(), { value: "default", options: ["default", "team-a", "team-b", "team-c"] });
    await snap(page, "experiments-default");

    // --- team-a: its churn's runs, reached through the list's link, which keeps ws=.
    await choose("team-a");
    assert.equal(await wsParam(), "team-a");
    await page.waitForSelector(`#app a[href^='#/experiments/${ids["team-a"]}?']`);
    const link = await page.$eval(`#app a[href^='#/experiments/${ids["team-a"]}?']`, (a) => a.getAttribute("href"));
    assert.match(link, /[?&]ws=team-a(&|$)/, "a link of the list keeps the workspace");
    await afterRender(() => page.click(`#app a[href^='#/experiments/${ids["team-a"]}?']`));
    await waitRuns(RUNS["team-a"]);
    assert.equal(await wsParam(), "team-a");
    await snap(page, "runs-team-a");

    // Switching on a resource page: team-a's experiment does not exist in team-b.
    await choose("team-b");
    assert.equal(await wsParam(), "team-b");
    assert.match(await app(), /RESOURCE_DOES_NOT_EXIST/);
    assert.deepEqual(await runNames(), []);

    // The list page in team-b, then its own churn: b's runs only.
    await afterRender(() => page.click("header nav a[data-nav=experiments]"));
    assert.equal(await wsParam(), "team-b", "the header's plain link gets the workspace");
    await page.waitForSelector(`#app a[href^='#/experiments/${ids["team-b"]}?']`);
    assert.equal(await page.$(`#app a[href^='#/experiments/${ids["team-a"]}?']`), null, "team-a's churn listed in team-b");
    await afterRender(() => page.click(`#app a[href^='#/experiments/${ids["team-b"]}?']`));
    await waitRuns(RUNS["team-b"]);
    await snap(page, "runs-team-b");

    // Its run's image artifact: an <img> cannot send the header, so it comes from a blob:.
    await afterRender(() => page.click("#app a.run"));
    await page.waitForSelector('.artifacts a[data-path="plot.png"]');
    await page.click('.artifacts a[data-path="plot.png"]');
    await page.waitForFunction(() => document.querySelector("#artifact-preview img")?.naturalWidth === 1);
    assert.match(await page.$eval("#artifact-preview img", (i) => i.getAttribute("src")), /^blob:/);
    // Its sound: an <audio> cannot send it either; played from a blob: (the CSP's media-src).
    await page.click('.artifacts a[data-path="tone.wav"]');
    await page.waitForFunction(() => {
      const a = document.querySelector("#artifact-preview audio");
      return a?.readyState >= 1 || a?.error || document.querySelector("#artifact-preview .error");
    }, { timeout: 10000 });
    const audio = await page.$eval("#artifact-preview audio", (a) => ({ duration: a.duration, error: a.error?.code ?? null, src: a.getAttribute("src") }));
    assert.deepEqual({ ...audio, src: undefined }, { duration: 0.5, error: null, src: undefined }, "the audio did not load");
    assert.match(audio.src, /^blob:/);
    await snap(page, "audio-team-b");
    // Its Download: fetched with the header, saved under the file's name with team-b's bytes.
    await downloadArtifact(page, "data/weights.bin", WEIGHTS["team-b"]);
    await afterRender(() => page.goBack());
    await waitRuns(RUNS["team-b"]);

    // Reload keeps it; back walks to team-a's list; a bare URL brings the remembered one back.
    await page.reload();
    await waitRuns(RUNS["team-b"]);
    assert.equal(await wsParam(), "team-b");
    assert.equal((await switcher()).value, "team-b");
    // Back: team-b's list, team-a's experiment opened in team-b, then team-a's runs again.
    // (After the reload these entries may belong to the earlier document: wait on what shows.)
    await page.goBack();
    await page.waitForSelector(`#app a[href^='#/experiments/${ids["team-b"]}?']`);
    assert.equal(await wsParam(), "team-b");
    await page.goBack();
    await page.waitForFunction(() => /RESOURCE_DOES_NOT_EXIST/.test(document.querySelector("#app")?.innerText || ""));
    await page.goBack();
    await waitRuns(RUNS["team-a"]);
    assert.equal(await wsParam(), "team-a");
    assert.equal((await switcher()).value, "team-a", "the switcher follows back");
    await page.goto("about:blank");
    await page.goto(BASE + "/#/experiments");
    await page.waitForFunction(() => /ws=/.test(location.hash));
    assert.equal(await wsParam(), "team-a", "localStorage keeps the last workspace");
    await page.goto("about:blank");
    await page.goto(`${BASE}/#/experiments/${ids["default"]}?ws=default`);
    await waitRuns(RUNS["default"]);
    // In `default` the Download stays a plain link to /get-artifact (the browser streams it).
    await afterRender(() => page.click("#app a.run"));
    const plain = await downloadArtifact(page, "data/weights.bin", WEIGHTS["default"]);
    assert.match(plain, /^get-artifact\?path=data%2Fweights\.bin&run_uuid=[0-9a-f]{32}$/);
    await afterRender(() => page.goBack());
    await waitRuns(RUNS["default"]);

    // The runs searches named their workspace (the runs shown prove it too: without the
    // header every request is in `default`), and `default` is sent as no header.
    // The Downloads' reads named their workspace (team-b's) or none (default's).
    const reads = sent.filter((s) => /get-artifact\?path=data%2Fweights\.bin/.test(s.url)).map((s) => s.header ?? "");
    assert.ok(reads.includes("team-b"), "no read of team-b's weights.bin named team-b: " + reads);
    assert.ok(reads.every((h) => h === "team-b" || h === ""), "reads named " + reads);
    const searches = (ws) => sent.filter((s) => /runs\/search/.test(s.url) && s.header === ws && s.body.includes(`"${ids[ws]}"`));
    assert.ok(searches("team-a").length > 0 && searches("team-b").length > 0, "no runs/search named team-a and team-b");
    assert.ok(!sent.some((s) => s.header === "default"), "default named in a header");

    // --- A workspace that does not exist, named in the URL: `default`, with the notice.
    await page.goto("about:blank");
    await page.goto(BASE + "/#/experiments?ws=nope");
    await page.waitForSelector("#notice:not([hidden])");
    assert.match(await page.$eval("#notice", (e) => e.textContent), /Workspace 'nope' not found/);
    await page.waitForFunction(() => /ws=default/.test(location.hash));
    assert.equal((await switcher()).value, "default");
    await page.waitForSelector(`#app a[href^='#/experiments/${ids["default"]}?']`);
    await snap(page, "fallback-notice");
    // Deleted after the switcher was drawn: the API's 404 falls back the same way.
    await api("DELETE", "/api/3.0/mlflow/workspaces/team-c");
    await page.select("#workspace", "team-c");
    await page.waitForFunction(() => /Workspace 'team-c' not found/.test(document.querySelector("#notice")?.textContent || ""));
    await page.waitForFunction(() => /ws=default/.test(location.hash));
    await page.waitForFunction(() => ![...document.querySelectorAll("#workspace option")].some((o) => o.value === "team-c"));
    // Switching again clears the notice.
    await choose("team-b");
    assert.equal(await page.$eval("#notice", (e) => e.hidden), true);

    // --- The workspaces page: linked from the switcher.
    await afterRender(() => page.click("#workspace-switch a"));
    await page.waitForSelector("#workspaces");
    const listed = await page.$$eval("#workspaces tbody tr", (rows) => rows.map((r) => r.getAttribute("data-workspace")));
    assert.deepEqual(listed, ["default", "team-a", "team-b"]);
    assert.equal(await page.$("#workspaces tr[data-workspace=default] td.actions > button"), null, "default offered for deletion");
    const status = () => page.$eval("#workspaces-status", (e) => ({ text: e.textContent, error: e.classList.contains("error") }));
    // The server's validation error, beside the form.
    await page.type("#create-workspace input[name=name]", "Bad_Name");
    await page.click("#create-workspace button");
    await page.waitForFunction(() => document.querySelector("#create-workspace .action-status")?.textContent);
    const invalid = await page.$eval("#create-workspace .action-status", (e) => e.textContent);
    assert.match(invalid, /INVALID_PARAMETER_VALUE: Workspace name 'Bad_Name' must match the pattern/);
    // Created: listed here and in the switcher.
    await page.$eval("#create-workspace input[name=name]", (e) => (e.value = ""));
    await page.type("#create-workspace input[name=name]", "team-d");
    await page.type("#create-workspace input[name=description]", "the new one");
    await afterRender(() => page.click("#create-workspace button"));
    await page.waitForSelector("#workspaces tr[data-workspace=team-d]");
    assert.match(await page.$eval("#workspaces tr[data-workspace=team-d]", (r) => r.innerText), /the new one/);
    await page.waitForFunction(() => [...document.querySelectorAll("#workspace option")].some((o) => o.value === "team-d"));
    // Its description changed.
    await page.click("#workspaces tr[data-workspace=team-d] summary");
    await page.$eval("#describe-team-d input", (e) => (e.value = ""));
    await page.type("#describe-team-d input", "renamed purpose");
    await afterRender(() => page.click("#describe-team-d button"));
    await page.waitForFunction(() => /renamed purpose/.test(document.querySelector("#workspaces tr[data-workspace=team-d]")?.textContent || ""));
    assert.equal((await api("GET", "/api/3.0/mlflow/workspaces/team-d")).workspace.description, "renamed purpose");
    await snap(page, "workspaces-page");
    // team-a holds churn: the server refuses, and says why.
    const del = (ws) => page.$$eval(`#workspaces tr[data-workspace=${ws}] td.actions > button`, (bs) => bs.find((b) => /delete/i.test(b.textContent)).click());
    await del("team-a");
    await del("team-a");
    await page.waitForFunction(() => document.querySelector("#workspaces-status.error")?.textContent);
    const refused = await status();
    assert.match(refused.text, /Workspace 'team-a' still holds 1 experiment/);
    assert.ok(await page.$("#workspaces tr[data-workspace=team-a]"), "team-a left the list");
    // team-d is empty: gone from the page, the switcher and the server.
    await del("team-d");
    await afterRender(() => del("team-d"));
    await page.waitForFunction(() => !document.querySelector("#workspaces tr[data-workspace=team-d]"));
    await page.waitForFunction(() => ![...document.querySelectorAll("#workspace option")].some((o) => o.value === "team-d"));
    const left = (await api("GET", "/api/3.0/mlflow/workspaces")).workspaces.map((w) => w.name);
    assert.deepEqual(left, ["default", "team-a", "team-b"]);

    assert.deepEqual(problems, []);
    // The answers provoked: the other workspace's experiment (get and its runs' search), the
    // missing workspaces, the bad name and the refused delete.
    const unexpected = failures.filter((f) => !/^404 (GET|POST) \/ajax-api\/2\.0\/mlflow\/(experiments\/get|runs\/search|experiments\/search)$/.test(f) &&
      !/^400 POST \/ajax-api\/3\.0\/mlflow\/workspaces$/.test(f) && !/^400 DELETE \/ajax-api\/3\.0\/mlflow\/workspaces\/team-a$/.test(f));
    assert.deepEqual(unexpected, []);
    console.log("PASS: the UI's workspaces");
  } finally {
    await browser.close();
  }
}

// Under --auth (ADMIN_PASSWORD given): no switcher before signing in (auth/session does not
// say there are workspaces), the switcher once signed in, without reloading.
async function signedInSwitcher(password) {
  await api("POST", "/api/3.0/mlflow/workspaces", { name: "team-a" }, undefined, password);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("console", (m) => m.type() === "error" && !/status of 401/.test(m.text()) && problems.push("console: " + m.text()));
    await page.goto(BASE + "/#/experiments");
    await page.waitForSelector("form.login");
    assert.equal(await page.$eval("#workspace-switch", (e) => e.hidden), true, "the switcher shown before signing in");
    assert.doesNotMatch(page.url(), /ws=/);
    await page.type("form.login input[name=username]", "admin");
    await page.type("form.login input[name=password]", password);
    await page.click("form.login button[type=submit]");
    await page.waitForSelector("#workspace-switch:not([hidden])");
    assert.deepEqual(await page.$$eval("#workspace option", (os) => os.map((o) => o.value)), ["default", "team-a"]);
    await page.waitForFunction(() => /ws=default/.test(location.hash));
    assert.deepEqual(problems, []);
    console.log("PASS: the switcher after signing in");
  } finally {
    await browser.close();
  }
}

(process.argv[3] ? signedInSwitcher(process.argv[3]) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
