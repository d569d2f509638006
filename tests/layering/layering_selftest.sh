#!/usr/bin/env bash
# The layering check must fail on a forbidden include: a registry file including http/ and a
# net file including core/ in a scratch tree are both reported.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d /tmp/ferry-layering-XXXXXX)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/src/registry" "$tree/src/http" "$tree/src/net" "$tree/src/core" "$tree/src/common"
printf '#include "common/status.h"\n#include "http/router.h"\n' >"$tree/src/registry/bad.cc"
printf '#include "common/status.h"\n#include "core/run.h"\n#include "curl/curl.h"\n' \
  >"$tree/src/net/bad.h"
if out=$(bash "$here/check_layering.sh" "$tree"); then
  echo "FAIL: the check passed a tree with forbidden includes"
  exit 1
fi
grep -q "src/registry/bad.cc includes http/" <<<"$out" || { echo "FAIL: $out"; exit 1; }
grep -q "src/net/bad.h includes core/" <<<"$out" || { echo "FAIL: $out"; exit 1; }
[[ $(grep -c "includes" <<<"$out") == 2 ]] || { echo "FAIL: $out"; exit 1; }
echo "PASS: layering check catches forbidden includes"
