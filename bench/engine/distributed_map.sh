#!/usr/bin/env bash
# Distributed Map at scale with `sfn run --s3-dir`: generates a CSV of N rows (id,name,amount) in a temporary
# bucket directory, runs a Distributed Map that reads it (ItemReader CSV, FIRST_ROW) with a Pass-only EXPRESS
# child, and prints items/s and the peak RSS of the run (GNU time). Two runs by default, 1,000,000 and 100,000
# rows, each with a ResultWriter writing the manifest and SUCCEEDED_0.json into the bucket (`--writer no`
# returns the results as the state's result instead, which over 256 KiB fails with States.DataLimitExceeded,
# as on AWS). `--jsonl-mb M` adds a run over a JSONL object of about M MiB (items of about 1 KiB, ResultWriter on),
# which shows that reading streams: the peak RSS stays far below the object's size. Not a test: neither ctest nor
# CI runs it. CPU heavy: run it niced.
#
#   nice bench/engine/distributed_map.sh [--sfn build/bin/sfn] [--rows N --writer yes|no]... [--jsonl-mb M]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sfn="$root/build/bin/sfn"
runs=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sfn) sfn="$2"; shift 2 ;;
        --rows) runs+=("$2:${4:-no}"); shift 4 ;;
        --jsonl-mb) runs+=("jsonl$2:yes"); shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ ${#runs[@]} -gt 0 ]] || runs=("1000000:yes" "100000:yes")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bucket"

for run in "${runs[@]}"; do
    rows="${run%%:*}"
    writer="${run##*:}"
    key=rows.csv
    config='"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}'
    if [[ "$rows" == jsonl* ]]; then
        mb="${rows#jsonl}"
        rows=$((mb * 1024))
        key=rows.jsonl
        config='"ReaderConfig":{"InputType":"JSONL"}'
        awk -v n="$rows" 'BEGIN { pad = sprintf("%1000s", ""); gsub(/ /, "x", pad);
                                 for (i = 0; i < n; i++) printf "{\"id\":%d,\"pad\":\"%s\"}\n", i, pad }' > "$work/bucket/$key"
        echo "jsonl object: $(du -m "$work/bucket/$key" | cut -f1) MiB"
    else
        awk -v n="$rows" 'BEGIN { print "id,name,amount"; for (i = 0; i < n; i++) printf "%d,customer-%d,%d.%02d\n", i, i % 977, i % 10000, i % 100 }' \
            > "$work/bucket/$key"
    fi
    if [[ "$writer" == yes ]]; then
        tail='"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"bench","Prefix":"out"}},'
    else
        tail='"ResultPath":null,'
    fi
    cat > "$work/machine.json" <<JSON
{"StartAt":"Map","States":{"Map":{"Type":"Map","MaxConcurrency":1000,
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bench","Key":"${key}"},
               ${config}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                  "StartAt":"Pass","States":{"Pass":{"Type":"Pass","End":true}}},
 ${tail}
 "End":true}}}
JSON
    rm -rf "$work/bucket/out"
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$sfn" run "$work/machine.json" --json --type EXPRESS \
        --s3-dir "bench=$work/bucket" > "$work/out.json"
    end=$(date +%s.%N)
    status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$work/out.json")
    python3 - "$rows" "$start" "$end" "$(cat "$work/rss")" "$writer" "$status" <<'PY'
import sys
rows, start, end, rss_kb, writer, status = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
secs = end - start
print("rows=%d result_writer=%s status=%s wall=%.2fs items/s=%.0f peak_rss=%.0f MiB"
      % (rows, writer, status, secs, rows / secs, rss_kb / 1024.0))
PY
done
