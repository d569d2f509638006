#!/usr/bin/env bash
# Quick start, one command: install what is missing, build, and run the Ferry server on the
# embedded defaults (SQLite + local artifacts under ./ferry-data, http://127.0.0.1:5000).
# Extra arguments go to `ferry server` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# The same build/ and options as scripts/test.sh, so the two run in either order and
# `(cd build && ctest)` finds every test afterwards.
source scripts/lib/build-options.sh
./scripts/build.sh "$FERRY_BUILD_DIR" "${FERRY_BUILD_OPTIONS[@]}"
exec "./$FERRY_BUILD_DIR/ferry" server "$@"
