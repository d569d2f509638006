#!/usr/bin/env bash
# scripts/quickstart.sh and scripts/test.sh configure build/ with the same options (tests on),
# so either can run first; every ctest the scripts and docs show refuses to pass on no tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

# shellcheck source=/dev/null
source "$root/scripts/lib/build-options.sh"
opts=" ${FERRY_BUILD_OPTIONS[*]} "
check "build-options.sh switches tests on" '[[ $opts == *" -DFERRY_TESTS=ON "* ]]'
check "build-options.sh never switches tests off" '[[ $opts != *"FERRY_TESTS=OFF"* ]]'
check "build-options.sh names build/" '[[ $FERRY_BUILD_DIR == build ]]'
for script in quickstart.sh test.sh; do
  f="$root/scripts/$script"
  check "$script sources build-options.sh" 'grep -q "^source scripts/lib/build-options.sh" "$f"'
  check "$script builds with the shared options" \
    'grep -q "scripts/build.sh \"\$FERRY_BUILD_DIR\" \"\${FERRY_BUILD_OPTIONS\[@\]}\"" "$f"'
  check "$script configures build/ nowhere else" '! grep -qE "(build\.sh|-B) build( |$)" "$f"'
done
check "quickstart.sh sets no FERRY_ option of its own" \
  '! grep -v "^ *#" "$root/scripts/quickstart.sh" | grep -q -- "-DFERRY_"'
# Every ctest command line in the scripts, CI and the docs has --no-tests=error (a command: ctest
# at the start of a line or after ( ; & |, so prose that mentions ctest is not one).
while IFS= read -r hit; do
  echo "FAIL: ctest without --no-tests=error: $hit"
  fail=1
done < <(cd "$root" && grep -nE '(^[[:space:]]*|[(;&|][[:space:]]*)ctest( |$)' scripts/*.sh .ci/run README.md docs/*.md 2>/dev/null |
         grep -v -- '--no-tests=error' | grep -vE '^[^:]+:[0-9]+:\s*(#|echo )' || true)
if [[ $fail -ne 0 ]]; then exit 1; fi
echo "build options consistent: 1 passed, 0 failed"
