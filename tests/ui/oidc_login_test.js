// The web UI's sign-in at an OpenID provider, in Chromium (e2e.ui_oidc_login starts the test
// provider tests/e2e/oidc/test_provider.js and `ferry server --auth --oidc-issuer ...`): the
// login page offers "Sign in with HOST"; clicking it goes through the provider (which
// auto-approves) and back to the page it started from, signed in as the provider's user, with
// an HttpOnly session cookie that a protected API call from the page uses.
// Usage: node oidc_login_test.js http://127.0.0.1:PORT PROVIDER_HOST USERNAME
const { launchChromium } = require("./browser");
const assert = require("node:assert/strict");

const [BASE, PROVIDER, USERNAME] = process.argv.slice(2);

async function main() {
  const browser = await launchChromium();
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    await page.goto(BASE + "/#/experiments");
    const link = await page.waitForSelector("form.login a.oidc-login");
    assert.equal(await link.evaluate((e) => e.textContent), `Sign in with ${PROVIDER}`);
    const href = await link.evaluate((e) => e.getAttribute("href"));
    assert.equal(href, "/api/ferry/v1/auth/oidc/login?next=" + encodeURIComponent("/#/experiments"));

    await Promise.all([page.waitForNavigation(), link.click()]);
    assert.equal(page.url(), BASE + "/#/experiments", "back where the sign-in started");
    await page.waitForFunction((u) => document.querySelector("#account .who")?.textContent === u, {}, USERNAME);
    assert.doesNotMatch(await page.$eval("#app", (e) => e.innerText), /Sign in with/);

    assert.equal(await page.evaluate(() => document.cookie), "", "the session cookie is HttpOnly");
    const cookie = (await page.cookies()).find((c) => c.name === "ferry_session");
    assert.ok(cookie && cookie.httpOnly && cookie.sameSite === "Lax", JSON.stringify(cookie));
    const answer = await page.evaluate(async () => {
      const r = await fetch("/api/2.0/mlflow/users/current");
      return { status: r.status, body: await r.json() };
    });
    assert.equal(answer.status, 200, JSON.stringify(answer));
    assert.equal(answer.body.user.username, USERNAME);
    const search = await page.evaluate(async () => (await fetch("/api/2.0/mlflow/experiments/search?max_results=5")).status);
    assert.equal(search, 200);
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
  console.log("OK: signed in through the OpenID provider as", USERNAME);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
