#!/bin/sh
# Compares sfn::jsonata with the reference implementation (npm `jsonata`) on the test-suite expressions,
# and on the `{% %}` expressions of the Step Functions conformance corpus, in one run. Usage: bench/jsonata/run.sh <build-dir> [repeat]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh <build-dir> [repeat]}
repeat=${2:-200}
suite="$here/../../../shared/jsonata-testsuite"
corpus="$here/../../../shared/conformance"
if [ ! -d "$here/node/node_modules/jsonata" ]; then
  npm install --silent --prefix "$here/node" jsonata >/dev/null
fi
out=$(mktemp)
"$build/bin/sfn_jsonata_bench" "$suite" "$corpus" "$out" "$repeat"
NODE_PATH="$here/node/node_modules" node "$here/compare.js" "$suite" "$out"
rm -f "$out"
