// The role page of a workspace (#/admin/workspaces/NAME) against `ferry server --auth
// --enable-workspaces`, in Chromium, to the contract of /api/ferry/v1/workspaces/{ws}/members:
// the admin adds a user and a group, replaces the user's role, is told an unknown user is
// RESOURCE_DOES_NOT_EXIST, removes the group; the user then sees their role in that workspace
// on the account page and the workspace in the switcher, and a user without a role neither
// (a URL naming it falls back to `default` with the notice).
// Usage: node workspace_roles_test.js http://127.0.0.1:PORT ADMIN_PASSWORD
const { launchChromium } = require("./browser");
const assert = require("node:assert/strict");

const BASE = process.argv[2];
const ADMIN = "Basic " + Buffer.from("admin:" + process.argv[3]).toString("base64");

async function api(method, route, body, workspace) {
  const headers = { "Content-Type": "application/json", Authorization: ADMIN };
  if (workspace) headers["X-MLFLOW-WORKSPACE"] = workspace;
  const r = await fetch(BASE + route, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${route}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function seed() {
  for (const user of ["alice", "bob"]) {
    await api("POST", "/api/2.0/mlflow/users/create", { username: user, password: `${user}-password` });
  }
  await api("POST", "/api/3.0/mlflow/workspaces", { name: "team-a", description: "team a" });
  const id = (await api("POST", "/api/2.0/mlflow/experiments/create", { name: "churn" }, "team-a")).experiment_id;
  await api("POST", "/api/2.0/mlflow/runs/create", { experiment_id: id, run_name: "a-run" }, "team-a");
  return id;
}

async function main() {
  const experiment = await seed();
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("console", (m) => m.type() === "error" && !/status of 40[1349]/.test(m.text()) && problems.push("console: " + m.text()));
    page.on("request", (r) => !r.url().startsWith(BASE) && problems.push("foreign request: " + r.url()));
    const visit = async (hash, selector) => {
      await page.goto("about:blank");
      await page.goto(BASE + "/" + hash);
      await page.waitForSelector(selector);
    };
    const signIn = async (user, password) => {
      await page.type("form.login input[name=username]", user);
      await page.type("form.login input[name=password]", password);
      await page.click("form.login button[type=submit]");
    };
    const signOut = async () => {
      await page.click("#sign-out");
      await page.waitForSelector("form.login");
    };
    const members = () => page.$$eval("#members tbody tr", (rows) => rows.map((r) => [...r.cells].slice(0, 3).map((c) => c.textContent).join(" ")));
    const add = async (principal, kind, role) => {
      await page.$eval("#add-member input[name=principal]", (e) => (e.value = ""));
      await page.type("#add-member input[name=principal]", principal);
      await page.select("#add-member select[name=kind]", kind);
      await page.select("#add-member select[name=role]", role);
      await page.click("#add-member button");
    };

    // --- The admin: the role page, from the workspaces page.
    await visit("#/admin/workspaces", "form.login");
    await signIn("admin", process.argv[3]);
    await page.waitForSelector("#workspaces tr[data-workspace=team-a] a");
    await page.click("#workspaces tr[data-workspace=team-a] a");
    await page.waitForSelector("#add-member");
    assert.equal(await page.$("#members"), null, "a new workspace has members");
    await add("alice", "user", "editor");
    await page.waitForFunction(() => document.querySelector("#members tr[data-principal=alice] .role")?.textContent === "editor");
    await add("ml-team", "group", "viewer");
    await page.waitForSelector("#members tr[data-principal=ml-team]");
    assert.deepEqual(await members(), ["ml-team group viewer", "alice user editor"], "sorted by kind (group, user), then principal");
    await add("alice", "user", "manager");
    await page.waitForFunction(() => document.querySelector("#members tr[data-principal=alice] .role")?.textContent === "manager");
    assert.equal((await members()).length, 2, "replacing a role added a member");
    await add("nobody", "user", "viewer");
    await page.waitForFunction(() => /RESOURCE_DOES_NOT_EXIST/.test(document.querySelector(".action-status.error")?.textContent || ""));
    // Remove the group (asking once more).
    await page.click("#members tr[data-principal=ml-team] td.actions button");
    await page.click("#members tr[data-principal=ml-team] td.actions button");
    await page.waitForFunction(() => !document.querySelector("#members tr[data-principal=ml-team]"));
    const listed = (await api("GET", "/api/ferry/v1/workspaces/team-a/members")).members;
    assert.deepEqual(listed, [{ principal: "alice", kind: "user", role: "manager" }]);
    await signOut();

    // --- alice: team-a in the switcher, her role on the account page, its runs.
    await signIn("alice", "alice-password");
    await page.waitForSelector("#workspace-switch:not([hidden])");
    assert.deepEqual(await page.$$eval("#workspace option", (os) => os.map((o) => o.value)), ["default", "team-a"]);
    await visit("#/account?ws=team-a", "#my-role");
    assert.match(await page.$eval("#my-role", (e) => e.innerText), /Role in team-a\s+manager/);
    await visit(`#/experiments/${experiment}?ws=team-a`, "#app a.run");
    assert.equal(await page.$eval("#app a.run", (a) => a.textContent), "a-run");
    await signOut();

    // --- bob: no role in team-a, so it is not listed and a URL naming it falls back.
    await signIn("bob", "bob-password");
    await page.waitForSelector("#workspace-switch:not([hidden])");
    assert.deepEqual(await page.$$eval("#workspace option", (os) => os.map((o) => o.value)), ["default"]);
    await visit("#/experiments?ws=team-a", "#notice:not([hidden])");
    assert.match(await page.$eval("#notice", (e) => e.textContent), /Workspace 'team-a' not found/);
    await visit("#/account?ws=default", "#my-role");
    assert.match(await page.$eval("#my-role", (e) => e.innerText), /Role in default\s+none/);

    assert.deepEqual(problems, []);
    console.log("PASS: the workspace role page");
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
