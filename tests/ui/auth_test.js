// The web UI against `ferry server --auth`, in Chromium: the page and its files load without
// credentials (they are open), the API answers the browser's Basic credentials, a user sees
// only the experiments it may read, a page it may not open shows PERMISSION_DENIED, and a
// visitor with wrong credentials sees UNAUTHENTICATED rather than a broken page.
// Usage: node auth_test.js http://127.0.0.1:PORT ADMIN_PASSWORD
const puppeteer = require("puppeteer-core");
const assert = require("node:assert/strict");

const BASE = process.argv[2];
const ADMIN = "Basic " + Buffer.from("admin:" + process.argv[3]).toString("base64");
const basic = (user) => "Basic " + Buffer.from(`${user}:${user}-password`).toString("base64");

async function call(method, path, body, authorization) {
  const r = await fetch(BASE + "/api/2.0/mlflow/" + path, {
    method, headers: { "Content-Type": "application/json", Authorization: authorization },
    body: body && JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

async function seed() {
  for (const user of ["alice", "bob"]) {
    await call("POST", "users/create", { username: user, password: `${user}-password` }, ADMIN);
  }
  const open = (await call("POST", "experiments/create", { name: "alice-open" }, basic("alice"))).experiment_id;
  const secret = (await call("POST", "experiments/create", { name: "alice-secret" }, basic("alice"))).experiment_id;
  await call("POST", "runs/create", { experiment_id: open, run_name: "visible-run" }, basic("alice"));
  await call("POST", "experiments/permissions/create",
             { experiment_id: secret, username: "bob", permission: "NO_PERMISSIONS" }, basic("alice"));
  return { open, secret };
}

async function main() {
  const { open, secret } = await seed();
  const browser = await puppeteer.launch({
    executablePath: "/usr/lib/chromium/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("request", (r) => !r.url().startsWith(BASE) && problems.push("foreign request: " + r.url()));
    const visit = async (hash) => {
      await page.goto("about:blank");
      const response = await page.goto(BASE + "/" + hash);
      assert.ok([200, 304].includes(response.status()), "the page itself is open");
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) > 0);
      return page.$eval("#app", (e) => e.innerText);
    };

    // Wrong credentials (a person without any gets the browser's own Basic prompt, as with
    // MLflow): the page loads and says what is wrong.
    await page.authenticate({ username: "bob", password: "wrong" });
    let text = await visit("#/experiments");
    assert.match(text, /UNAUTHENTICATED/);

    // Bob, through the browser's own Basic credentials.
    await page.authenticate({ username: "bob", password: "bob-password" });
    text = await visit("#/experiments");
    assert.match(text, /alice-open/);
    assert.doesNotMatch(text, /alice-secret/, "a hidden experiment is listed");
    text = await visit(`#/experiments/${open}`);
    assert.match(text, /visible-run/);
    text = await visit(`#/experiments/${secret}`);
    assert.match(text, /PERMISSION_DENIED/);

    // Alice made both and sees both (a fresh browser context: Chrome keeps bob's credentials
    // for the realm in this one).
    const context = await browser.createBrowserContext();
    const alice = await context.newPage();
    await alice.authenticate({ username: "alice", password: "alice-password" });
    await alice.goto(BASE + "/#/experiments");
    await alice.waitForFunction(() => Number(document.body.dataset.renders || 0) > 0);
    assert.match(await alice.$eval("#app", (e) => e.innerText), /alice-secret/);
    assert.deepEqual(problems, []);
    console.log("PASS: the UI under --auth");
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
