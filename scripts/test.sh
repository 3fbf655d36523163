#!/usr/bin/env bash
# Sets up (Debian packages, npm test clients), builds and runs the whole test suite. Needs ../shared beside
# the checkout.
#   1. The optimised g++ build of what users build (libraries, CLI, examples): the examples run with their
#      output checked, and the installed package is consumed through find_package (tests/packaging).
#   2. scripts/test-sanitizers.sh: every test built with clang 14 under ASan+UBSan, the fuzz smoke run, and
#      the engine and server tests under TSan.
# SFN_SANITIZERS=0 instead builds and runs the whole suite in the optimised g++ tree only (a quicker local
# run, without the sanitizer checks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
if [ ! -d ../shared ]; then echo "tests need ../shared beside the checkout" >&2; exit 2; fi
if [ -f tests/node/package.json ] && [ ! -d tests/node/node_modules ]; then
  (cd tests/node && npm install --no-audit --no-fund --silent)
fi
source scripts/compiler-cache.sh
build=${SFN_BUILD_DIR:-build}
jobs=$(nproc)
started=$SECONDS
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${cache_launcher[@]}" >/dev/null
if [ "${SFN_SANITIZERS:-1}" = 0 ]; then
  cmake --build "$build" -j "$jobs"
  ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 600
  echo "== optimised build and whole test suite passed ($((SECONDS - started)) s)"
  exit 0
fi
cmake --build "$build" -j "$jobs" --target sfn_cli flagship choice_and_retry jsonata_workflow
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 600 -L '^(examples|packaging)$'
echo "== optimised build, examples and packaging passed ($((SECONDS - started)) s)"
bash scripts/test-sanitizers.sh
