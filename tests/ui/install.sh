#!/usr/bin/env bash
# Installs the browser-test driver into tests/ui/node_modules (no lock file is kept, so
# nothing names a registry host; versions are pinned in package.json). puppeteer-core
# downloads no browser: the tests drive Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -d node_modules/puppeteer-core ]]; then exit 0; fi
npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null
echo "==> browser-test driver installed"
