// The account and admin pages against `ferry server --auth --auth-default-permission
// NO_PERMISSIONS`, in Chromium. An admin signs in, creates users, makes one an admin and
// deletes it, grants a user READ on an experiment (and changes and revokes grants), creates
// tokens (the plaintext shown once works as a Bearer token; a revoked one stops working) and
// signs out. The user then signs in, sees that experiment and no other, changes their own
// password, and gets the permission-denied view on the admin pages and on every page of a
// resource it may not read, and PERMISSION_DENIED beside the form of a MANAGE-only action.
// Back as the admin, the audit page lists those changes, filters them by user and time, and
// pages through them (the token in the URL, no entry on two pages). A PNG of
// each page goes to $FERRY_UI_SCREENSHOTS (admin-NN-*.png) when it is set.
// Usage: node admin_test.js http://127.0.0.1:PORT ADMIN_PASSWORD
const { launchChromium } = require("./browser");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const BASE = process.argv[2];
const ADMIN_PASSWORD = process.argv[3];
const basic = (user, password) => "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const ADMIN = basic("admin", ADMIN_PASSWORD);

async function api(method, route, body, authorization = ADMIN) {
  const r = await fetch(BASE + route, {
    method, headers: { "Content-Type": "application/json", Authorization: authorization },
    body: body && JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : {} };
}
const mlflow = async (method, route, body, authorization) => {
  const r = await api(method, "/api/2.0/mlflow/" + route, body, authorization);
  if (r.status !== 200) throw new Error(`${route}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
};

async function seed() {
  const shared = (await mlflow("POST", "experiments/create", { name: "shared-exp" })).experiment_id;
  const secret = (await mlflow("POST", "experiments/create", { name: "private-exp" })).experiment_id;
  await mlflow("POST", "runs/create", { experiment_id: shared, run_name: "shared-run" });
  const hidden = (await mlflow("POST", "runs/create", { experiment_id: secret, run_name: "private-run" })).run.info.run_id;
  await mlflow("POST", "registered-models/create", { name: "private-model" });
  return { shared, secret, hidden };
}

const SHOTS = process.env.FERRY_UI_SCREENSHOTS;
if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
let shot = 0;
async function snap(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `admin-${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function main() {
  const { shared, secret, hidden } = await seed();
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    // The 401s and 403s this test provokes are logged by Chromium as failed loads: the rest
    // would be the UI's own errors (an unhandled rejection, a CSP violation).
    page.on("console", (m) => m.type() === "error" && !/status of 40[13]/.test(m.text()) && problems.push("console: " + m.text()));
    // data: URLs are no other origin (Chromium draws the datetime inputs' icon with one).
    page.on("request", (r) => !r.url().startsWith(BASE) && !r.url().startsWith("data:") && problems.push("foreign request: " + r.url()));
    const app = () => page.$eval("#app", (e) => e.innerText);
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
    const status = (form) => page.waitForFunction((f) => document.querySelector(`#${f} .action-status`)?.textContent || false, {}, form)
      .then((h) => h.jsonValue());
    const adminLinkShown = () => page.$eval("[data-nav=admin]", (a) => !a.hidden);

    // --- The admin: users.
    await visit("#/admin/users", "form.login");
    await signIn("admin", ADMIN_PASSWORD);
    await page.waitForSelector("table#users tr[data-user=admin]");
    await page.waitForFunction(() => !document.querySelector("[data-nav=admin]").hidden);
    for (const user of ["dana", "erin"]) {
      await page.type("#create-user input[name=username]", user);
      await page.type("#create-user input[name=password]", `${user}-password`);
      await page.click("#create-user button[type=submit]");
      await page.waitForSelector(`table#users tr[data-user=${user}]`);
    }
    assert.match(await page.$eval("tr[data-user=admin]", (r) => r.innerText), /you/, "no delete button on oneself");
    // Make erin an admin, then delete her (the button asks once more).
    const erinButton = (label) => page.$$eval("tr[data-user=erin] button", (bs, l) => bs.findIndex((b) => b.textContent.startsWith(l)), label);
    let k = await erinButton("Make admin");
    await (await page.$$("tr[data-user=erin] button"))[k].click();
    await page.waitForFunction(() => /admin/.test(document.querySelector("tr[data-user=erin] td:nth-child(2)")?.textContent || ""));
    assert.equal((await mlflow("GET", "users/get?username=erin")).user.is_admin, true);
    await snap(page, "users");
    k = await erinButton("Delete");
    const del = (await page.$$("tr[data-user=erin] button"))[k];
    await del.click();
    assert.match(await del.evaluate((b) => b.textContent), /Confirm/);
    await del.click();
    await page.waitForFunction(() => !document.querySelector("tr[data-user=erin]"));
    assert.equal((await api("GET", "/api/2.0/mlflow/users/get?username=erin")).status, 404, "erin was not deleted");

    // --- Dana's grants: READ on the shared experiment; a grant changed, one revoked.
    await page.click("tr[data-user=dana] a");
    await page.waitForSelector("form#grant");
    assert.match(await app(), /No grant on any experiment/);
    const grant = async (kind, resource, level) => {
      await page.select("#grant select[name=kind]", kind);
      await page.$eval("#grant input[name=resource]", (i) => (i.value = ""));
      await page.type("#grant input[name=resource]", resource);
      await page.select("#grant select[name=permission]", level);
      await page.click("#grant button[type=submit]");
      await page.waitForSelector(`tr[data-grant="${kind}:${resource}"]`);
    };
    await grant("experiment", shared, "READ");
    assert.match(await page.$eval(`tr[data-grant="experiment:${shared}"]`, (r) => r.innerText), /shared-exp/);
    await grant("model", "private-model", "EDIT");
    const modelGrant = () => mlflow("GET", "registered-models/permissions/get?name=private-model&username=dana");
    await page.select('tr[data-grant="model:private-model"] select', "MANAGE");
    await page.waitForFunction(() => /now has MANAGE/.test(document.querySelector(".action-status")?.textContent || ""));
    assert.equal((await modelGrant()).registered_model_permission.permission, "MANAGE");
    await snap(page, "user_dana");
    const revoke = await page.$('tr[data-grant="model:private-model"] button');
    await revoke.click();
    await revoke.click();
    await page.waitForFunction(() => !document.querySelector('tr[data-grant="model:private-model"]'));
    assert.equal((await api("GET", "/api/2.0/mlflow/registered-models/permissions/get?name=private-model&username=dana")).status, 404);
    assert.equal((await mlflow("GET", `experiments/permissions/get?experiment_id=${shared}&username=dana`)).experiment_permission.permission, "READ");

    // A token for dana, made by the admin: shown once, and it acts as dana.
    await page.type("#create-token input[name=name]", "dana-ci");
    await page.type("#create-token input[name=expires_in_days]", "7");
    await page.click("#create-token button[type=submit]");
    await page.waitForSelector("#new-token");
    const danaToken = await page.$eval("#new-token", (e) => e.textContent);
    assert.match(danaToken, /^ferry_/);
    assert.equal((await mlflow("GET", "users/current", undefined, "Bearer " + danaToken)).user.username, "dana");
    await page.waitForSelector('tr[data-token="dana-ci"]');

    // --- The admin's own account: a token created, copied, used, revoked.
    await visit("#/account", "#create-token");
    assert.match(await page.$eval("#me", (e) => e.innerText), /admin\s+Admin\s+yes/);
    await page.type("#create-token input[name=name]", "admin-ci");
    await page.click("#create-token button[type=submit]");
    await page.waitForSelector("#new-token");
    const adminToken = await page.$eval("#new-token", (e) => e.textContent);
    await page.click("#copy-token");
    await page.waitForFunction(() => /copied|selected/.test(document.querySelector(".secret")?.textContent || ""));
    await snap(page, "account");
    assert.equal((await api("GET", "/api/2.0/mlflow/users/current", undefined, "Bearer " + adminToken)).status, 200);
    const row = await page.waitForSelector('tr[data-token="admin-ci"]');
    assert.match(await row.evaluate((r) => r.innerText), /never/);
    const revokeToken = await page.$('tr[data-token="admin-ci"] button');
    await revokeToken.click();
    await revokeToken.click();
    await page.waitForFunction(() => /revoked/.test(document.querySelector('tr[data-token="admin-ci"]')?.innerText || ""));
    assert.equal((await api("GET", "/api/2.0/mlflow/users/current", undefined, "Bearer " + adminToken)).status, 401, "a revoked token works");
    // A reload shows the token in the list, never its secret again.
    await visit("#/account", 'tr[data-token="admin-ci"]');
    assert.equal(await page.$("#new-token"), null);

    await Promise.all([page.waitForNavigation(), page.click("#sign-out")]);
    await visit("#/experiments", "form.login");

    // --- Dana: the shared experiment and nothing else; her account; her own password.
    await signIn("dana", "dana-password");
    await page.waitForSelector("table#experiments");
    let text = await app();
    assert.match(text, /shared-exp/);
    assert.doesNotMatch(text, /private-exp/);
    assert.equal(await adminLinkShown(), false, "the Admin link shows to a non-admin");
    await visit(`#/experiments/${shared}`, "#runs tr[data-key]");
    assert.match(await app(), /shared-run/);
    await visit("#/account", "#change-password");
    assert.match(await page.$eval("#me", (e) => e.innerText), /dana\s+Admin\s+no/);
    assert.match(await page.$eval("#token-list", (e) => e.innerText), /dana-ci/);
    await page.type("#change-password input[name=password]", "dana-password-2");
    await page.type("#change-password input[name=password2]", "dana-password-2");
    await page.click("#change-password button[type=submit]");
    assert.match(await status("change-password"), /Password changed/);
    assert.equal((await api("GET", "/api/2.0/mlflow/users/current", undefined, basic("dana", "dana-password-2"))).status, 200);

    // The permission-denied view, on the admin pages and on a resource dana may not read.
    const denied = async (hash) => {
      await visit(hash, "#denied");
      const t = await page.$eval("#denied", (e) => e.innerText);
      assert.match(t, /Permission denied/, hash);
      assert.match(t, /PERMISSION_DENIED/, hash);
      return t;
    };
    await denied("#/admin/users");
    await page.waitForFunction(() => /signed in as dana/.test(document.querySelector("#denied")?.innerText || ""));
    await snap(page, "denied");
    await denied("#/admin/audit");
    await denied("#/admin/users/admin");
    await denied(`#/experiments/${secret}`);
    await denied(`#/runs/${hidden}`);
    await denied(`#/compare?runs=${hidden},${hidden}`);
    await denied("#/models/private-model");
    await denied(`#/experiments/${secret}/access`);
    await denied("#/models/private-model/access");
    await denied(`#/pipelines/${hidden}`);
    await denied(`#/datasets/sha256:${"0".repeat(64)}`); // dataset lineage is for admins
    // The server refuses the admin's routes to her as well, not only the page.
    assert.equal((await api("GET", "/api/2.0/mlflow/users/list", undefined, basic("dana", "dana-password-2"))).status, 403);

    // A MANAGE-only action on the experiment she may read: PERMISSION_DENIED beside the form.
    await visit(`#/experiments/${shared}/access`, "form#grant");
    await page.type("#grant input[name=username]", "dana");
    await page.select("#grant select[name=permission]", "MANAGE");
    await page.click("#grant button[type=submit]");
    await page.waitForSelector(".action-status.error");
    assert.match(await page.$eval(".action-status", (e) => e.textContent), /^PERMISSION_DENIED: /);
    await snap(page, "access_denied");
    assert.equal((await mlflow("GET", `experiments/permissions/get?experiment_id=${shared}&username=dana`)).experiment_permission.permission, "READ");

    await Promise.all([page.waitForNavigation(), page.click("#sign-out")]);
    await visit("#/experiments", "form.login");

    // --- The admin (as a MANAGE holder would) on the experiment's access page: dana's READ.
    await signIn("admin", ADMIN_PASSWORD);
    await page.waitForSelector("table#experiments");
    await visit(`#/experiments/${shared}/access`, "form#lookup");
    await page.type("#lookup input[name=username]", "dana");
    await page.click("#lookup button[type=submit]");
    await page.waitForFunction(() => /dana: READ/.test(document.querySelector("#grant-found")?.textContent || ""));
    await snap(page, "access");

    // --- The admin's audit page: the changes above, newest first; filtered by user.
    await visit("#/admin/audit", "table#audit");
    const rows = () => page.$$eval("table#audit tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const all = await rows();
    const has = (user, method, route, resource) => all.some((r) => r[1] === user && r[2] === method && r[3].endsWith(route) && (!resource || r[5] === resource));
    assert.ok(has("admin", "POST", "/mlflow/users/create", "user 'dana'"), "users/create dana");
    assert.ok(has("admin", "PATCH", "/mlflow/users/update-admin", "user 'erin'"), "update-admin erin");
    assert.ok(has("admin", "DELETE", "/mlflow/users/delete", "user 'erin'"), "delete erin");
    assert.ok(has("admin", "POST", "/mlflow/experiments/permissions/create", `experiment ${shared}, user 'dana'`), "grant");
    assert.ok(has("admin", "DELETE", "/mlflow/registered-models/permissions/delete", "registered model 'private-model', user 'dana'"), "revoke");
    assert.ok(has("dana", "POST", "/mlflow/experiments/permissions/create"), "dana's refused grant");
    const times = all.map((r) => r[0]);
    assert.deepEqual(times, [...times].sort().reverse(), "newest first");
    await snap(page, "audit");
    await page.type("#audit-filter input[name=user]", "dana");
    await page.click("#audit-filter button[type=submit]");
    await page.waitForFunction(() => location.hash.includes("user=dana"));
    await page.waitForFunction(() => [...document.querySelectorAll("table#audit tbody tr")].every((tr) => tr.dataset.user === "dana"));
    const mine = await rows();
    assert.ok(mine.length >= 2, JSON.stringify(mine));
    assert.ok(mine.some((r) => r[3].endsWith("/users/update-password") && r[4] === "200"));
    assert.ok(mine.some((r) => r[3].endsWith("/experiments/permissions/create") && r[4] === "403"));
    // Paging: 100 entries a page, the next page's token in the URL, no entry on both pages.
    for (let i = 0; i < 100; i++) {
      await mlflow("POST", "experiments/set-experiment-tag", { experiment_id: shared, key: "k", value: String(i) });
    }
    await visit("#/admin/audit?user=admin", "table#audit");
    const ids = () => page.$$eval("table#audit tbody tr td:last-child", (tds) => tds.map((td) => td.textContent));
    const first = await ids();
    assert.equal(first.length, 100);
    await page.click("#older");
    await page.waitForFunction(() => location.hash.includes("page="));
    await page.waitForFunction((k) => !document.querySelector("table#audit tbody tr td:last-child") ||
      document.querySelector("table#audit tbody tr td:last-child").textContent !== k, {}, first[0]);
    const second = await ids();
    assert.ok(second.length > 0 && second.every((id) => !first.includes(id)), "pages overlap");
    assert.ok((await rows()).every((r) => r[1] === "admin"), "the user filter is lost on the next page");
    // A time window in the future holds nothing.
    await visit("#/admin/audit?since=2999-01-01T00:00", "table#audit");
    assert.match(await app(), /No entry matches/);
    assert.deepEqual(problems, []);
    console.log("PASS: the account and admin pages");
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
