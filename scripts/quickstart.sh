#!/usr/bin/env bash
# Quick start, one command: install what is missing, build, and run `ferry demo`: the whole
# loop (train, register, serve, drift, retrain through the pipeline, canary, promote) on a
# server at http://127.0.0.1:5000 with its project and data under ./ferry-demo, left running.
# Extra arguments go to `ferry demo` (try --help; --exit stops the server at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# The same build/ and options as scripts/test.sh, so the two run in either order and
# `(cd build && ctest)` finds every test afterwards.
source scripts/lib/build-options.sh
./scripts/build.sh "$FERRY_BUILD_DIR" "${FERRY_BUILD_OPTIONS[@]}"
exec "./$FERRY_BUILD_DIR/ferry" demo "$@"
