#!/usr/bin/env bash
# The second test configuration: the whole test suite under sanitizers (clang 14). scripts/test.sh runs it
# after the optimised build (so CI does too). Needs ../shared beside the checkout.
#  1. ASan + UBSan tree ($SFN_ASAN_BUILD_DIR, default build-fuzz): every library, test, example and fuzz target
#     (libraries carry libFuzzer's coverage instrumentation too). The whole ctest suite runs with UBSan halting on
#     the first report and LeakSanitizer on, then the fuzz smoke run (ctest label `fuzz`, each target
#     $SFN_FUZZ_SMOKE_SECONDS seconds on its seed corpus).
#  2. TSan tree ($SFN_TSAN_BUILD_DIR, default build-tsan): the engine and server tests only (Parallel/Map worker
#     threads, concurrent service calls, `sfn serve` with real clients).
# Suppressions: only scripts/tsan.supp (Debian's uninstrumented cpp-httplib library, the reason is in the
# file). Any other third-party false positive gets a narrowly scoped entry with its reason the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test --sanitizers
if [ ! -d ../shared ]; then echo "tests need ../shared beside the checkout" >&2; exit 2; fi
if [ -f tests/node/package.json ] && [ ! -d tests/node/node_modules ]; then
  (cd tests/node && npm install --no-audit --no-fund --silent)
fi
source scripts/compiler-cache.sh
asan=${SFN_ASAN_BUILD_DIR:-build-fuzz}
tsan=${SFN_TSAN_BUILD_DIR:-build-tsan}
smoke=${SFN_FUZZ_SMOKE_SECONDS:-5}
jobs=$(nproc)
started=$SECONDS
phase() { echo "== $1 ($((SECONDS - started)) s elapsed)"; }

# Line tables (not full debug info) give reports their file:line at a fraction of the build time; asserts
# stay on. The ASan tree is not optimised: clang compiles it about twice as fast as at -O1, which matters
# more on CI's two cores than the tests' run time; the TSan tree keeps -O1 (TSan at -O0 is slow to run).
common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only"
        -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DSFN_BUILD_BENCH=OFF
        # the packaging test builds a consumer against the installed (instrumented) libraries without sanitizers
        -DSFN_INSTALL=OFF "${cache_launcher[@]}")

phase "ASan+UBSan: configure and build ($asan)"
cmake -S . -B "$asan" "${common[@]}" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only" -DSFN_FUZZ=ON \
  -DSFN_FUZZ_SMOKE_SECONDS="$smoke" >/dev/null
cmake --build "$asan" -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
phase "ASan+UBSan: test suite"
ctest --test-dir "$asan" --output-on-failure -j "$jobs" --timeout 900 -LE fuzz
phase "ASan+UBSan: fuzz smoke, ${smoke} s per target"
ctest --test-dir "$asan" --output-on-failure -j "$jobs" -L fuzz
unset ASAN_OPTIONS UBSAN_OPTIONS

phase "TSan: configure and build the engine and server tests ($tsan)"
cmake -S . -B "$tsan" "${common[@]}" -DSFN_TSAN=ON -DSFN_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$tsan" -j "$jobs" --target sfn_engine_tests sfn_server_tests sfn_cli
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp"
phase "TSan: engine and server tests"
ctest --test-dir "$tsan" --output-on-failure -j "$jobs" --timeout 900 -L '^(engine|server)$'
phase "sanitizer suite passed"
