#!/usr/bin/env bash
# Sets up (Debian packages, npm test clients), builds everything and runs the whole test suite.
# Needs ../shared beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
if [ ! -d ../shared ]; then echo "tests need ../shared beside the checkout" >&2; exit 2; fi
if [ -f tests/node/package.json ] && [ ! -d tests/node/node_modules ]; then
  (cd tests/node && npm install --no-audit --no-fund --silent)
fi
build=${SFN_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
