#!/usr/bin/env bash
# Sets up (Debian packages, npm test clients), builds everything and runs the whole test suite, then the
# sanitizer configuration (scripts/test-sanitizers.sh: the suite again under ASan+UBSan, the fuzz smoke run,
# the engine and server tests under TSan). SFN_SANITIZERS=0 skips the second part. Needs ../shared beside
# the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
if [ ! -d ../shared ]; then echo "tests need ../shared beside the checkout" >&2; exit 2; fi
if [ -f tests/node/package.json ] && [ ! -d tests/node/node_modules ]; then
  (cd tests/node && npm install --no-audit --no-fund --silent)
fi
build=${SFN_BUILD_DIR:-build}
started=$SECONDS
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
echo "== optimised build and test suite passed ($((SECONDS - started)) s)"
if [ "${SFN_SANITIZERS:-1}" != 0 ]; then
  bash scripts/test-sanitizers.sh
fi
