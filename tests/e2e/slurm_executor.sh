#!/usr/bin/env bash
# The Slurm executor against a real cluster: starts one with scripts/lib/slurm.sh and runs the
# gtest program tests/integration/slurm_executor_test.cc against it (SLURM_CONF exported).
# Exits 77 (skip) without Slurm unless CI or FERRY_REQUIRE_SLURM=1 is set.
# Usage: slurm_executor.sh path/to/slurm_executor_test [gtest flags...]
set -euo pipefail
TEST_BIN=$(readlink -f "${1:?usage: $0 path/to/slurm_executor_test}")
shift
WORK=$(mktemp -d /tmp/ferry-slurm-executor-XXXXXX)
source "$(dirname "$0")/../../scripts/lib/slurm.sh"
slurm_require_or_skip
trap 'slurm_stop; rm -rf "$WORK"' EXIT
slurm_start "$WORK/cluster" || {
  echo "FAIL: the Slurm cluster did not start" >&2
  exit 1
}
if ! "$TEST_BIN" "$@"; then
  slurm_logs >&2
  exit 1
fi
