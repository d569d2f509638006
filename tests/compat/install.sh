#!/usr/bin/env bash
# Installs the npm test clients into tests/compat/node_modules (no lock file is kept, so
# nothing names a registry host; versions are pinned in package.json).
set -euo pipefail
cd "$(dirname "$0")"
if [[ -d node_modules/mlflow ]]; then exit 0; fi
npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null
echo "==> npm clients installed"
