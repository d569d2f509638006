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

# The namespace scheme: a store file in a foreign namespace, a nested backend namespace left
# unqualified, and a non-vocabulary type in plain ferry are all reported; forward declarations
# (of a common type in ferry, of another part's type) are not.
rm -rf "${tree:?}/src"
mkdir -p "$tree/src/store/sqlite" "$tree/src/tracking" "$tree/src/core"
printf 'namespace ferry::sqlite {\nclass Db {};\n}  // namespace ferry::sqlite\n' >"$tree/src/store/sqlite/a.h"
printf 'namespace ferry::store {\nnamespace sqlite {\n}\n}\n' >"$tree/src/store/b.cc"
printf 'namespace ferry {\nclass Tracker {};\n}  // namespace ferry\n' >"$tree/src/tracking/c.h"
printf 'namespace ferry {\nclass JsonValue;\n}  // namespace ferry\nnamespace ferry::http {\nstruct Request;\n}\nnamespace ferry::tracking {\n}\n' \
  >"$tree/src/tracking/ok.h"
printf 'namespace ferry::internal {\n}\n' >"$tree/src/core/ok.h"
if out=$(bash "$here/check_parts.sh" "$tree" </dev/null 2>/dev/null); then
  echo "FAIL: the parts check passed a tree with namespaces outside the scheme"
  exit 1
fi
for want in "src/store/sqlite/a.h:1: namespace ferry::sqlite holds" "src/store/b.cc:2: namespace sqlite" \
  "src/tracking/c.h:1: namespace ferry holds more"; do
  grep -qF "$want" <<<"$out" || { echo "FAIL: missing '$want' in: $out"; exit 1; }
done
[[ $(grep -c "^src/" <<<"$out") == 3 ]] || { echo "FAIL: $out"; exit 1; }
echo "PASS: parts check catches namespaces outside the scheme"
