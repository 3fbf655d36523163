#!/usr/bin/env bash
# Runs one libFuzzer target of a SFN_FUZZ build for a given time and prints one summary line.
#
#   fuzz/run_target.sh BUILD_DIR TARGET SECONDS [MODE]
#
# MODE "long" (default) keeps a growing corpus in BUILD_DIR/fuzz/corpus/TARGET; "smoke" (ctest) starts from
# the seeds in a scratch corpus each time. Seeds and the dictionary are generated from ../shared by
# fuzz/make_seeds.py into BUILD_DIR/fuzz/seeds/. Crash, leak, timeout and out-of-memory inputs land in
# BUILD_DIR/crashes/TARGET/, the libFuzzer log in BUILD_DIR/logs/TARGET[.smoke].log.
# Exit status: 0 when the target ran its time without a finding, 1 otherwise (2 for usage errors).
set -uo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR TARGET SECONDS [long|smoke]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
target=$2
seconds=$3
mode=${4:-long}
here=$(cd "$(dirname "$0")" && pwd)
binary=$build/bin/fuzz_$target
if [ ! -x "$binary" ]; then
  echo "$target: $binary is missing (configure with -DSFN_FUZZ=ON and build it)" >&2
  exit 2
fi

# Longest input per target: enough for the formats' realistic sizes, small enough to keep runs fast.
# JSONata expressions stay short so the evaluator's limits, not the input size, bound each run.
case $target in
  jsonpath) max_len=512 ;;
  intrinsic) max_len=1024 ;;
  jsonata) max_len=2048 ;;
  payload_template | sigv4_verify | aws_config) max_len=4096 ;;
  mock_config) max_len=8192 ;;
  aws_response | server_http) max_len=16384 ;;
  asl_parse_validate) max_len=32768 ;;
  *) echo "$target: no max_len configured in $0" >&2; exit 2 ;;
esac

seeds=$build/fuzz/seeds/$target
dict=$build/fuzz/seeds/$target.dict
if [ ! -f "$dict" ] || [ "$here/make_seeds.py" -nt "$dict" ]; then
  rm -rf "$seeds"
  python3 "$here/make_seeds.py" "$target" "$seeds" --max-len "$max_len" --dict "$dict.tmp" || exit 2
  mv "$dict.tmp" "$dict"
fi

if [ "$mode" = smoke ]; then
  corpus=$build/fuzz/smoke/$target
  rm -rf "$corpus"
  log=$build/logs/$target.smoke.log
else
  corpus=$build/fuzz/corpus/$target
  log=$build/logs/$target.log
fi
crashes=$build/crashes/$target
mkdir -p "$corpus" "$crashes" "$build/logs"

# ASan: leaks count; huge allocations are reported by libFuzzer's malloc limit (= rss limit) as findings.
# UBSan: every report aborts, so libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
"$binary" -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=30 \
  -dict="$dict" -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" "$seeds" >"$log" 2>&1
status=$?

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
found=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tr '\n' ' ')
printf '%-20s executions=%s exec/s=%s cov=%s ft=%s corpus=%s peak_rss_mb=%s seconds=%s status=%s%s\n' \
  "$target" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" \
  "${corp:-?}" "$(stat peak_rss_mb)" "$seconds" "$status" "${found:+ finding: $found}"
if [ $status -ne 0 ]; then
  echo "$target: libFuzzer stopped with status $status; log: $log" >&2
  grep -E -m 5 'ERROR|SUMMARY|runtime error|fuzz property violated|deadly signal' "$log" >&2
  exit 1
fi
