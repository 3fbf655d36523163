#!/usr/bin/env bash
# Soak `sfn serve`: build sfn and sfn_server_soak, start the server on a free port with a temporary database,
# run the soak against it (RSS sampled from the server's pid), stop the server, and exit with the soak's status
# (non-zero on any unexpected error, unbounded RSS growth with --max-growth-mb, or a server that died).
#
#   bench/server/soak.sh [--build-dir DIR] [--no-build] [--sfn BINARY --soak BINARY] [soak options]
#   bench/server/soak.sh --build-dir build-aws --seconds 600 --connections 16
#
# Soak options (passed through): --seconds S (600), --connections N (16), --sample-seconds S (5),
# --warmup-seconds S (60), --max-growth-mb MB (off), --skip ListExecutions|ListStateMachines.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="$root/build"
build=1
sfn=""
soak=""
pass=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build-dir) build_dir="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --sfn) sfn="$2"; build=0; shift 2 ;;
        --soak) soak="$2"; build=0; shift 2 ;;
        *) pass+=("$1"); shift ;;
    esac
done
sfn="${sfn:-$build_dir/bin/sfn}"
soak="${soak:-$build_dir/bin/sfn_server_soak}"

if [[ $build -eq 1 ]]; then
    if [[ ! -f "$build_dir/build.ninja" ]]; then
        cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fi
    cmake --build "$build_dir" -j2 --target sfn_cli sfn_server_soak
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sfn-soak.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        # A server that does not stop within 10 s (e.g. deadlocked) is killed, so the run always ends.
        for _ in $(seq 1 100); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            echo "soak.sh: sfn serve ignored SIGTERM for 10 s; killing it" >&2
            kill -KILL "$server_pid"
        fi
        wait "$server_pid" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the server binds a free port and prints it.
"$sfn" serve --port 0 --db "$work/soak.db" >"$work/serve.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 200); do
    port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.log")"
    [[ -n "$port" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "soak.sh: sfn serve exited:" >&2
        cat "$work/serve.log" >&2
        exit 1
    fi
    sleep 0.05
done
if [[ -z "$port" ]]; then
    echo "soak.sh: sfn serve did not report its port" >&2
    exit 1
fi
echo "soak.sh: sfn serve pid $server_pid on port $port, database $work/soak.db (load: $(cut -d' ' -f1-3 /proc/loadavg))"

status=0
"$soak" --port "$port" --pid "$server_pid" "${pass[@]}" || status=$?
echo "soak.sh: database $(du -h "$work/soak.db" | cut -f1), load $(cut -d' ' -f1-3 /proc/loadavg)"
if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "soak.sh: sfn serve died during the soak:" >&2
    tail -20 "$work/serve.log" >&2
    status=1
fi
exit $status
