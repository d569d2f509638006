# The CMake options of build/, sourced by scripts/quickstart.sh and scripts/test.sh so that
# either can run first and the other reuses the same cache: tests on (so `(cd build && ctest)`
# finds them after either command), benchmarks on, Release without debug info.
# shellcheck shell=bash
FERRY_BUILD_DIR=build
FERRY_BUILD_OPTIONS=(
  -DCMAKE_BUILD_TYPE=Release
  "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
  -DFERRY_TESTS=ON
  -DFERRY_BENCH=ON
)
