#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan + UBSan, SFN_FUZZ=ON) and runs each for a given time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 seconds, every target in fuzz/
#
# The build tree is $SFN_FUZZ_BUILD_DIR (default build-fuzz). Per target it prints executions, exec/s, coverage
# (cov = edges, ft = features), corpus size and any finding; findings are saved under <build>/crashes/<target>/
# and logs under <build>/logs/. Exits non-zero when any target crashed, leaked, timed out or ran out of memory.
# Needs clang-14 and libclang-rt-14-dev: bash scripts/install-deps.sh --sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
build=${SFN_FUZZ_BUILD_DIR:-build-fuzz}
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for source in fuzz/*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" -DSFN_FUZZ=ON -DSFN_INSTALL=OFF -DSFN_BUILD_BENCH=OFF >/dev/null
fi
# SFN_FUZZ_BUILD=0 runs the binaries as they are (e.g. while the same tree builds something else).
if [ "${SFN_FUZZ_BUILD:-1}" != 0 ]; then
  cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
fi
failed=()
for target in "${targets[@]}"; do
  bash fuzz/run_target.sh "$build" "$target" "$seconds" long || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "findings in: ${failed[*]} (inputs under $build/crashes/)" >&2
  exit 1
fi
