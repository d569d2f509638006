#!/usr/bin/env bash
# Finer edges than check_layering.sh's part-to-part rules: inside package/ (its stages), the
# store interfaces (no backend), the runtime core (no optional family), and gtest only in
# tests and testing/ folders. Usage: check_parts.sh SOURCE_DIR
set -u
cd "${1:?source dir}/src" || exit 2
status=0
# forbid WHAT FILES...: no line of FILES may include a header matching the regex WHAT.
forbid() {
  local what=$1
  shift
  local hits
  hits=$(grep -Hn -E "#include \"($what)" "$@" 2>/dev/null)
  if [[ -n $hits ]]; then
    echo "forbidden include ($what):"
    echo "$hits"
    status=1
  fi
}
non_test() { find "$@" -name '*.cc' -o -name '*.h' | grep -v -E '_test\.cc$|/testing/'; }

# runtime below package: the loader (src/loader) bridges them.
forbid 'package/' $(non_test runtime)
# ferry_runtime itself names no optional family library.
forbid 'runtime/(xgboost|recommender)/' $(find runtime -maxdepth 1 -name '*.cc' -o -maxdepth 1 -name '*.h')
# The store interfaces name no backend; only app opens one.
forbid 'store/(sqlite|cas)/' store/*.h store/backend/*.h
forbid 'store/(sqlite|cas)/' $(non_test common core tracking registry package runtime serving loader cli http)
# package stages: layout <- build <- trust <- {distribution, intake}.
forbid 'package/(build|trust|distribution|intake)/' $(non_test package/layout)
forbid 'package/(trust|distribution|intake)/' $(non_test package/build)
forbid 'package/(distribution|intake)/' $(non_test package/trust)
forbid 'package/intake/' $(non_test package/distribution)
forbid 'package/distribution/' $(non_test package/intake)
# gtest only in tests and testing/ folders.
forbid 'gtest/|gmock/' $(non_test common core store package runtime loader)
if grep -rln -E '#include <(gtest|gmock)/' $(non_test common core store package runtime loader); then
  echo "gtest outside tests and testing/ folders (above)"
  status=1
fi
[[ $status == 0 ]] && echo "layering: parts ok"
exit $status
