#!/usr/bin/env bash
# Quick start, one command: install what is missing, build, and run the Ferry server on the
# embedded defaults (SQLite + local artifacts under ./ferry-data, http://127.0.0.1:5000).
# Extra arguments go to `ferry server` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_TYPE=Release ./scripts/build.sh build -DFERRY_TESTS=OFF -DFERRY_BENCH=OFF
exec ./build/ferry server "$@"
