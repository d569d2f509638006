// Downloads as a user makes them: clicks a link and returns the file once Chromium has written
// it under its name (to a fresh directory, removed after). The page's CSP does not let a
// script read a blob: back, so what the browser saved is what the test reads.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

async function downloadBytes(page, selector, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-ui-dl-"));
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: dir });
  await page.click(selector);
  const file = path.join(dir, name);
  for (const until = Date.now() + 30000; Date.now() < until && !fs.existsSync(file); ) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  try {
    if (!fs.existsSync(file)) throw new Error(`no ${name} downloaded; the directory holds ${JSON.stringify(fs.readdirSync(dir))}`);
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true });
    await cdp.detach();
  }
}

const download = async (page, selector, name) => (await downloadBytes(page, selector, name)).toString("utf8");

module.exports = { download, downloadBytes };
