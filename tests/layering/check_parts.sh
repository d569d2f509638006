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
forbid 'runtime/(xgboost|recommender|python)/' $(find runtime -maxdepth 1 -name '*.cc' -o -maxdepth 1 -name '*.h')
# The store interfaces name no backend; only app opens one.
forbid 'store/(sqlite|postgres|cas|s3)/' store/*.h store/backend/*.h
forbid 'store/(sqlite|postgres|cas|s3)/' $(non_test common core tracking registry package runtime serving loader cli http lineage auth)
# The SQL driver seam names no driver; the drivers name only the seam, never each other, so
# the store code written against store/sql serves both.
if [[ -d store/sql && -d store/postgres && -d store/sqlite ]]; then
  forbid 'store/(sqlite|postgres|cas|s3)/' $(find store/sql -name '*.cc' -o -name '*.h')
  forbid 'store/(sqlite|cas|s3)/' $(find store/postgres -name '*.cc' -o -name '*.h')
  forbid 'store/(postgres|cas|s3)/' $(find store/sqlite -name '*.cc' -o -name '*.h')
fi
# package stages: layout <- build <- trust <- {distribution, intake}.
forbid 'package/(build|trust|distribution|intake)/' $(non_test package/layout)
forbid 'package/(trust|distribution|intake)/' $(non_test package/build)
forbid 'package/(distribution|intake)/' $(non_test package/trust)
forbid 'package/intake/' $(non_test package/distribution)
forbid 'package/distribution/' $(non_test package/intake)
# gtest only in tests and testing/ folders.
forbid 'gtest/|gmock/' $(non_test common core store package runtime loader auth)
if grep -rln -E '#include <(gtest|gmock)/' $(non_test common core store package runtime loader auth); then
  echo "gtest outside tests and testing/ folders (above)"
  status=1
fi
# One namespace scheme: a file under src/<part>/ opens only ferry::<part> or a namespace nested
# in it (ferry::store::sqlite, ferry::runtime::xgboost, <part>::internal, <part>::testing);
# common and core hold the shared vocabulary in ferry (and ferry::internal, ferry::testing).
# Anonymous namespaces and aliases are free; a block of another ferry namespace may only
# forward-declare (`namespace ferry { class JsonValue; }`, `namespace ferry::http { struct X; }`).
namespaces() {
  local file part allowed want hits
  for file in $(find . -name '*.cc' -o -name '*.h'); do
    part=${file#./}
    part=${part%%/*}
    case $part in
      common | core) allowed='ferry(::internal|::testing)?' want=ferry ;;
      *) allowed="ferry::$part(::[a-z0-9_:]+)?" want="ferry::$part..." ;;
    esac
    hits=$(awk -v allowed="^($allowed)\$" -v file="src/${file#./}" '
      fwd && /^}/ { fwd = 0; next }
      fwd && !/^(class|struct) [A-Za-z_][A-Za-z0-9_]*;$|^$/ { print file ":" fwd ": namespace " fname " holds more than forward declarations"; fwd = 0 }
      /^[ \t]*namespace [A-Za-z_][A-Za-z0-9_:]* \{/ {
        name = $0; sub(/^[ \t]*namespace /, "", name); sub(/ \{.*/, "", name)
        if (name ~ allowed) next
        if (name ~ /^ferry(::|$)/) { fwd = FNR; fname = name; next }
        print file ":" FNR ": namespace " name
      }' "$file")
    if [[ -n $hits ]]; then
      echo "namespace outside the scheme (src/$part/ opens $want):"
      echo "$hits"
      status=1
    fi
  done
}
namespaces
[[ $status == 0 ]] && echo "layering: parts ok"
exit $status
