#!/usr/bin/env bash
# Runs a command (a test binary) with an s3rver on loopback: S3_ENDPOINT, S3_BUCKET and the
# AWS variables are set for it. Stops the server by PID whatever the command's outcome.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/s3rver.sh"
dir=$(mktemp -d)
trap 'stop_s3rver; rm -rf "$dir"' EXIT
start_s3rver "$dir"
"$@"
