// The one way the browser tests and the UI bench start Chromium: Debian's own build, headless,
// driven by puppeteer-core (no browser download); --no-sandbox because CI runs as root.
const puppeteer = require("puppeteer-core");

function launchChromium() {
  return puppeteer.launch({
    executablePath: "/usr/lib/chromium/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

module.exports = { launchChromium };
