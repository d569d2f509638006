#!/usr/bin/env bash
# Installs the UI's npm dependencies into ui/node_modules (no lock file is kept, so nothing
# names a registry host; versions are pinned in package.json). The build embeds the bundle.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -f node_modules/uplot/dist/uPlot.esm.js ]]; then exit 0; fi
npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null
echo "==> UI dependencies installed"
