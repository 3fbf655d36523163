#!/usr/bin/env bash
# Sets up a bare Debian 12 machine (as root), builds sfn and runs the flagship scenario
# on the embedded local Step Functions service.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${SFN_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSFN_BUILD_TESTS=OFF -DSFN_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target flagship
"$build/bin/flagship" "$@"
