#!/usr/bin/env bash
# Fails if any C++ file under src/, tests/ or bench/ is not clang-formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h')
[[ -z $files ]] && exit 0
if ! clang-format --dry-run -Werror $files 2>/tmp/ferry-format.log; then
  head -40 /tmp/ferry-format.log
  echo "clang-format check failed: run  clang-format -i \$(git ls-files '*.cc' '*.h')"
  exit 1
fi
echo "==> format ok"
