#!/usr/bin/env bash
# Runs a command (a test binary) with a throwaway PostgreSQL cluster on loopback:
# FERRY_TEST_PG_URI=postgresql://postgres:PASSWORD@127.0.0.1:PORT/ferry_test is exported for it,
# FERRY_TEST_PG_DIR (the cluster's directory; its socket is there) and FERRY_TEST_PG_RESTART
# (a command line that restarts the server in place). Stops the server by PID and removes the
# cluster whatever the command's outcome.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/postgres.sh"
dir=$(mktemp -d /tmp/ferry-pg-XXXXXX)
trap 'stop_postgres; rm -rf "$dir"' EXIT
start_postgres "$dir"
export FERRY_TEST_PG_URI=$PG_URI FERRY_TEST_PG_DIR=$PG_DIR
FERRY_TEST_PG_RESTART=$(postgres_restart_command)
export FERRY_TEST_PG_RESTART
"$@"
