// The web UI against `ferry server --auth`, in Chromium: the page and its files load without
// credentials (they are open) and show the page's own login form; a wrong password says
// UNAUTHENTICATED; a signed-in user sees only the experiments it may read, and a page it may
// not open shows PERMISSION_DENIED; the session cookie is HttpOnly and SameSite=Lax, a write
// with it from another origin is refused, and signing out revokes it on the server.
// Usage: node auth_test.js http://127.0.0.1:PORT ADMIN_PASSWORD
const { launchChromium } = require("./browser");
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
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("request", (r) => !r.url().startsWith(BASE) && problems.push("foreign request: " + r.url()));
    const renders = () => page.evaluate(() => Number(document.body.dataset.renders || 0));
    const visit = async (hash) => {
      await page.goto("about:blank");
      const response = await page.goto(BASE + "/" + hash);
      assert.ok([200, 304].includes(response.status()), "the page itself is open");
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) > 0);
      return page.$eval("#app", (e) => e.innerText);
    };
    const signIn = async (user, password) => {
      const before = await renders();
      await page.type("form.login input[name=username]", user);
      await page.type("form.login input[name=password]", password);
      await page.click("form.login button[type=submit]");
      return before;
    };

    // No credentials: the page's own login form, not the browser's Basic prompt.
    let text = await visit("#/experiments");
    assert.match(text, /Sign in/);
    await signIn("bob", "wrong");
    await page.waitForSelector("form.login .error:not([hidden])");
    assert.match(await page.$eval("form.login .error", (e) => e.textContent), /UNAUTHENTICATED/);

    await page.goto("about:blank");
    await visit("#/experiments");
    const before = await signIn("bob", "bob-password");
    await page.waitForFunction((k) => Number(document.body.dataset.renders || 0) > k, {}, before);
    text = await page.$eval("#app", (e) => e.innerText);
    assert.match(text, /alice-open/);
    assert.doesNotMatch(text, /alice-secret/, "a hidden experiment is listed");
    await page.waitForFunction(() => document.querySelector("#account .who")?.textContent === "bob");
    assert.equal(await page.evaluate(() => document.cookie), "", "the session cookie is HttpOnly");
    const cookie = (await page.cookies()).find((c) => c.name === "ferry_session");
    assert.ok(cookie && cookie.httpOnly && cookie.sameSite === "Lax", JSON.stringify(cookie));
    text = await visit(`#/experiments/${open}`);
    assert.match(text, /visible-run/);
    text = await visit(`#/experiments/${secret}`);
    assert.match(text, /PERMISSION_DENIED/);

    // The cookie alone does not let another site change anything.
    const session = `ferry_session=${cookie.value}`;
    const forged = await fetch(BASE + "/api/2.0/mlflow/experiments/create", {
      method: "POST", body: JSON.stringify({ name: "forged" }),
      headers: { "Content-Type": "application/json", Cookie: session, Origin: "http://evil.example" },
    });
    assert.equal(forged.status, 403, "a cross-site write with the session cookie");
    const same = await fetch(BASE + "/api/2.0/mlflow/experiments/create", {
      method: "POST", body: JSON.stringify({ name: "bob-exp" }),
      headers: { "Content-Type": "application/json", Cookie: session, Origin: BASE },
    });
    assert.equal(same.status, 200, "a same-origin write with the session cookie");

    // Signing out ends the session on the server, not only in this browser.
    await page.click("#account button");
    await page.waitForSelector("form.login");
    const after = await fetch(BASE + "/api/2.0/mlflow/experiments/search", { headers: { Cookie: session } });
    assert.equal(after.status, 401, "a signed-out session still works");

    // Alice made both and sees both.
    await signIn("alice", "alice-password");
    await page.waitForFunction(() => /alice-secret/.test(document.querySelector("#app")?.innerText || ""));
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
