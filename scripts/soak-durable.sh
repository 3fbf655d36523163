#!/usr/bin/env bash
# Soak durable executions: the kill -9 test of tests/server/durable_support.py with many more rounds (and a fresh
# seed each run unless SFN_FAULT_SEED is set). Needs a built sfn (cmake --build build --target sfn_cli).
#
#   scripts/soak-durable.sh [ROUNDS (1000)] [SFN_BINARY (build/bin/sfn)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-1000}"
binary="${2:-$root/build/bin/sfn}"
cd "$root"
SFN_FAULT_RESUME_ROUNDS="$rounds" exec python3 tests/server/fault_test.py "$binary" \
    FaultTest.test_kill_9_running_executions_resume_and_end_as_an_uninterrupted_run -v
