#!/usr/bin/env bash
# The whole test suite, one command: install what is missing, check formatting, build,
# run the fuzzers briefly, run every test with ctest, then build again with AddressSanitizer +
# UndefinedBehaviorSanitizer and run the unit, API and integration tests there too (the
# end-to-end tests drive the binary from outside and run once, in the first build).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# install-deps.sh installed slurm-wlm and munge: the Slurm tests must run, not skip.
export FERRY_REQUIRE_SLURM=1
./scripts/check-format.sh

# Release without debug info: the tests are the same, and on 2 cores debug info costs minutes
# of compiling and linking (./scripts/build.sh alone builds RelWithDebInfo for debugging).
echo "==> build (Release)"
# Tests are switched on explicitly: a build/ configured elsewhere without them (an old
# quickstart) would otherwise leave ctest with nothing to run.
source scripts/lib/build-options.sh
./scripts/build.sh "$FERRY_BUILD_DIR" "${FERRY_BUILD_OPTIONS[@]}"
echo "==> fuzz smoke runs (clang + libFuzzer: every *_fuzz target in tests/fuzz; docs/FUZZING.md)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERRY_FUZZ=ON \
  -DFERRY_BENCH=OFF >/dev/null
# Every *_fuzz target tests/fuzz defines (each has a *_fuzz_smoke ctest).
ninja -C build-fuzz $(ninja -C build-fuzz -t targets all | sed -n 's/^\([a-z0-9_]*_fuzz\): .*/\1/p' | grep -v '^cmake_')
(cd build-fuzz && ctest --no-tests=error -R fuzz_smoke --output-on-failure)
echo "==> npm test clients"
./tests/compat/install.sh
./tests/ui/install.sh
./tests/s3/install.sh
echo "==> ctest"
(cd "$FERRY_BUILD_DIR" && ctest --no-tests=error --output-on-failure -j2 --timeout 600)

if [[ ${FERRY_SKIP_ASAN:-0} != 1 ]]; then
  echo "==> build (ASan + UBSan)"
  BUILD_TYPE=Release ./scripts/build.sh build-asan -DFERRY_SANITIZE=ON -DFERRY_BENCH=OFF \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -g1 -DNDEBUG"
  echo "==> ctest under sanitizers"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --no-tests=error --output-on-failure -j2 --timeout 900 -LE "heavy|e2e")
fi
