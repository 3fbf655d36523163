#!/usr/bin/env bash
# Measures sfn's engine and the peer aws-local-stepfunctions side by side on the same machine in the same run,
# and prints, per workload of ../shared/bench/workloads: sfn s/exec, peer s/exec and the ratio (wall time;
# the ratio of CPU times beside it), then the wall time of map-10k and parallel-fanout with 1 and 2 threads.
# Figures are medians over the rounds; ratios are the median of each round's ratio of neighbouring runs.
#
#   bench/engine/compare.sh [--build DIR] [--rounds N] [--only NAME] [--min-seconds S] [--rt]
#
# Installs the peer with npm into bench/engine/peer/node_modules on first use. Every round runs, for each
# workload in turn: sfn with 1 thread, the peer (a fresh node process: one warm-up, then the median of >= 3
# executions), and for map-10k and parallel-fanout sfn with 2 threads. Each figure is the median over the
# rounds of the per-round medians (per execution). The load average is printed before and after. On a
# machine others are using, --rt runs both engines at real-time priority (chrt -f 10, needs root) so that
# wall time measures the work rather than the wait for a core; without it compare the CPU ratio.
# A bench, not a test: it is in neither ctest nor CI.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build"
rounds=5
only=""
min_seconds=0.5
prio=()
workloads="$root/../shared/bench/workloads"
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --min-seconds) min_seconds=$2; shift 2 ;;
        --workloads) workloads=$2; shift 2 ;;
        --rt) prio=(chrt -f 10); shift ;;
        *) echo "usage: $0 [--build DIR] [--rounds N] [--only NAME] [--min-seconds S] [--workloads DIR] [--rt]" >&2; exit 2 ;;
    esac
done

bench="$build/bin/sfn_bench_engine"
if [ ! -x "$bench" ]; then
    echo "$bench not found: cmake --build $build --target sfn_bench_engine (Release)" >&2
    exit 1
fi
if ! grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "warning: $build is not a Release build" >&2
fi
peer="$here/peer"
if [ ! -f "$peer/node_modules/aws-local-stepfunctions/package.json" ]; then
    echo "installing the peer (npm install in $peer)" >&2
    npm install --prefix "$peer" --no-audit --no-fund --loglevel=error >&2
fi
peer_version=$(node -p "require('$peer/node_modules/aws-local-stepfunctions/package.json').version")

names=()
for f in "$workloads"/*.json; do
    name=$(basename "$f" .json)
    if [ -z "$only" ] || [ "$name" = "$only" ]; then names+=("$name"); fi
done
threaded="map-10k parallel-fanout"

raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

# One sfn figure, "wall cpu" s/exec, from sfn_bench_engine's line for the workload ("name cpu wall ... check").
sfn_run() {  # name threads
    local line
    line=$("${prio[@]}" "$bench" --workloads "$workloads" --only "$1" --threads "$2" --min-seconds "$min_seconds" | awk -v n="$1" '$1 == n')
    case "$line" in *" ok") ;; *) echo "sfn gave a wrong result for $1: $line" >&2; exit 1 ;; esac
    echo "$line" | awk '{print $3, $2}'
}

peer_run() {  # name
    local line
    line=$(cd "$peer" && "${prio[@]}" node run_peer.mjs "$workloads/$1.json" --min-seconds "$min_seconds")
    case "$line" in *'"ok":true'*) ;; *) echo "the peer gave a wrong result for $1: $line" >&2; exit 1 ;; esac
    echo "$line" | sed 's/.*"wall_s":\([0-9.e-]*\),"cpu_s":\([0-9.e-]*\).*/\1 \2/'
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "peer: aws-local-stepfunctions $peer_version on node $(node --version); sfn: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
[ ${#prio[@]} -gt 0 ] && echo "priority: both engines run under ${prio[*]}"
# What a second thread can gain depends on how fast cache lines move between the cores.
if [ -x "$build/bin/sfn_bench_core_latency" ]; then "$build/bin/sfn_bench_core_latency"; fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; ++r)); do
    for name in "${names[@]}"; do
        echo "$name sfn1 $(sfn_run "$name" 1)" >> "$raw"
        echo "$name peer $(peer_run "$name")" >> "$raw"
        case " $threaded " in *" $name "*) echo "$name sfn2 $(sfn_run "$name" 2)" >> "$raw" ;; esac
    done
    echo "round $r/$rounds done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds: $rounds (each figure: median over the rounds of the per-round medians per execution; each ratio: median of the rounds' own ratios)"
echo

# paired NAME KIND_A KIND_B COLUMN: the median over the rounds of B/A, each round's two figures taken minutes
# apart at most (the machine's speed drifts over a run: the ratio of one round's neighbours holds better than
# the ratio of two medians).
paired() {
    awk -v n="$1" -v a="$2" -v b="$3" -v c="$4" '$1 == n && $2 == a {x[++i] = $c} $1 == n && $2 == b {y[++j] = $c}
        END {for (k = 1; k <= i && k <= j; ++k) print y[k] / x[k]}' "$raw" | sort -g |
        awk '{v[NR] = $1} END {if (NR == 0) exit; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# median NAME KIND COLUMN: median of the raw figures (column 3 wall, 4 CPU).
median() {
    awk -v n="$1" -v k="$2" -v c="$3" '$1 == n && $2 == k {print $c}' "$raw" | sort -g |
        awk '{v[NR] = $1} END {if (NR == 0) exit; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

printf '| %-16s | %12s | %13s | %8s | %12s | %13s | %9s |\n' "workload" "sfn s/exec" "peer s/exec" "ratio" \
    "sfn CPU s" "peer CPU s" "CPU ratio"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------" "--------------" "---------------" "----------" \
    "--------------" "---------------" "-----------"
for name in "${names[@]}"; do
    s=$(median "$name" sfn1 3)
    p=$(median "$name" peer 3)
    sc=$(median "$name" sfn1 4)
    pc=$(median "$name" peer 4)
    r=$(paired "$name" sfn1 peer 3)
    rc=$(paired "$name" sfn1 peer 4)
    awk -v n="$name" -v s="$s" -v p="$p" -v sc="$sc" -v pc="$pc" -v r="$r" -v rc="$rc" \
        'BEGIN {printf "| %-16s | %12.6f | %13.6f | %7.0fx | %12.6f | %13.6f | %8.0fx |\n", n, s, p, r, sc, pc, rc}'
done
echo
printf '| %-16s | %16s | %17s | %8s |\n' "workload" "1 thread s/exec" "2 threads s/exec" "speed-up"
printf '|%s|%s|%s|%s|\n' "------------------" "------------------" "-------------------" "----------"
for name in "${names[@]}"; do
    case " $threaded " in *" $name "*) ;; *) continue ;; esac
    s1=$(median "$name" sfn1 3)
    s2=$(median "$name" sfn2 3)
    r=$(paired "$name" sfn2 sfn1 3)
    awk -v n="$name" -v a="$s1" -v b="$s2" -v r="$r" 'BEGIN {printf "| %-16s | %16.6f | %17.6f | %7.2fx |\n", n, a, b, r}'
done
