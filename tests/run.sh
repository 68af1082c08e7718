#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is
# missing, then builds and runs every test twice:
#   1. gcc, Release, warnings as errors
#   2. clang, ASan + UBSan (RelWithDebInfo), warnings as errors
# Each leg runs the Criterion unit tests, the golden CLI tests and the fuzz
# corpus replays (ctest).  Usage: bash tests/run.sh [--quick]  (--quick: gcc only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.ci/deps.sh"
txs_deps
txs_test_deps
jobs=$(nproc 2>/dev/null || echo 2)

# leg NAME BUILD_TYPE CMAKE_ARGS...: the gcc leg builds Release, as
# samples/run.sh does, so that the main job's -O3 warnings fail here too.
leg() {
  local name=$1 type=$2; shift 2
  local dir="$root/build-test-$name"
  echo "== $name: configure and build" >&2
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
  echo "== $name: ctest" >&2
  (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

leg gcc Release -DCMAKE_C_COMPILER=gcc
if [ "${1:-}" != "--quick" ]; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    leg clang-asan RelWithDebInfo -DCMAKE_C_COMPILER=clang -DTXS_SANITIZE=ON
fi
echo "all test legs passed" >&2
