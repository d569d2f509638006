#!/usr/bin/env bash
# Installs s3rver, the S3-compatible test server, into tests/s3/node_modules (versions pinned
# in package.json, no lock file kept). scripts/lib/s3rver.sh starts it.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/s3rver.sh"
install_s3rver
