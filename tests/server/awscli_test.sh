#!/usr/bin/env bash
# The AWS CLI against `sfn serve`: create, start, describe, history, delete (isolated AWS config, fake keys).
# Usage: awscli_test.sh SFN_BINARY
set -euo pipefail
binary=${1:-build/bin/sfn}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
printf '[default]\nregion = us-east-1\n' > "$work/config"
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_DISABLE_HOST_PREFIX_INJECTION=true AWS_PAGER=""
unset AWS_PROFILE
"$binary" serve --port 0 --in-memory --clock virtual > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n '/listening/s/.*http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/out")
[ -n "$port" ] || { echo "server did not start: $(cat "$work/err")"; exit 1; }
aws() { command aws --endpoint-url "http://127.0.0.1:$port" --output json "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

definition='{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":{"message":"Hello Alice"},"End":true}}}'
arn=$(aws stepfunctions create-state-machine --name cli --definition "$definition" \
      --role-arn arn:aws:iam::123456789012:role/r --query stateMachineArn --output text)
[ "$arn" = "arn:aws:states:us-east-1:123456789012:stateMachine:cli" ] || fail "create returned $arn"
exec_arn=$(aws stepfunctions start-execution --state-machine-arn "$arn" --name run1 --input '{"a":1}' \
           --query executionArn --output text)
for _ in $(seq 1 100); do
  status=$(aws stepfunctions describe-execution --execution-arn "$exec_arn" --query status --output text)
  [ "$status" != RUNNING ] && break; sleep 0.1
done
[ "$status" = SUCCEEDED ] || fail "status $status"
output=$(aws stepfunctions describe-execution --execution-arn "$exec_arn" --query output --output text)
[ "$output" = '{"message":"Hello Alice"}' ] || fail "output $output"
types=$(aws stepfunctions get-execution-history --execution-arn "$exec_arn" --query 'events[].type' --output text)
[ "$(echo $types)" = "ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded" ] || fail "history $types"
express=$(aws stepfunctions create-state-machine --name cli-express --type EXPRESS --definition "$definition" \
          --role-arn arn:aws:iam::123456789012:role/r --query stateMachineArn --output text)
sync_out=$(aws stepfunctions start-sync-execution --state-machine-arn "$express" --query output --output text)
[ "$sync_out" = '{"message":"Hello Alice"}' ] || fail "sync output $sync_out"
aws stepfunctions delete-state-machine --state-machine-arn "$arn" > /dev/null
if aws stepfunctions describe-state-machine --state-machine-arn "$arn" > "$work/d" 2> "$work/e"; then
  fail "machine still exists"
fi
grep -q StateMachineDoesNotExist "$work/e" || fail "unexpected error: $(cat "$work/e")"
echo "awscli test passed"
