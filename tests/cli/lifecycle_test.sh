#!/usr/bin/env bash
# The deploy/execute/describe/history/list/delete subcommands on the embedded local service, each a separate
# process sharing one SQLite file through SFN_HOME: what one command stores, the next one reads.
# Usage: lifecycle_test.sh SFN_BINARY SHARED_DIR
set -euo pipefail
sfn=$1 shared=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SFN_HOME=$work/home AWS_CONFIG_FILE=$work/no-config AWS_SHARED_CREDENTIALS_FILE=$work/no-credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
      AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SFN AWS_REGION AWS_DEFAULT_REGION || true

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_json() {  # expect_json JSON PYTHON_EXPRESSION_ON_d
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$1" || fail "expected $2 in: $1"
}

python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1]))['expected_asl'], open(sys.argv[2],'w'))" \
  "$shared/seed-examples/07-deployment-seed-scenario.json" "$work/def.json"
role=arn:aws:iam::123456789012:role/demo

# EXPRESS: create, run synchronously.
out=$("$sfn" deploy "$work/def.json" --name cli-express --role-arn $role --type EXPRESS --tag team=core --json)
expect_json "$out" "d['action']=='create' and d['stateMachineArn'].endswith(':stateMachine:cli-express')"
out=$("$sfn" execute cli-express --sync --json)
expect_json "$out" "d['status']=='SUCCEEDED' and d['output']=={'message':'Hello Alice'}"

# A second deploy of the same name is an update.
sed 's/Hello Alice/Hello Bob/' "$work/def.json" > "$work/def2.json"
out=$("$sfn" deploy "$work/def2.json" --name cli-express --role-arn $role --type EXPRESS --json)
expect_json "$out" "d['action']=='update'"
out=$("$sfn" execute cli-express --sync --json)
expect_json "$out" "d['output']=={'message':'Hello Bob'}"

# STANDARD: execution, history and listing survive in the store between processes.
"$sfn" deploy "$work/def.json" --name cli-standard --role-arn $role --json >/dev/null
out=$("$sfn" execute cli-standard --sync --name run-1 --json)
expect_json "$out" "d['status']=='SUCCEEDED'"
exec_arn=arn:aws:states:us-east-1:123456789012:execution:cli-standard:run-1
out=$("$sfn" history $exec_arn --json)
expect_json "$out" "[e['type'] for e in d]==['ExecutionStarted']+['PassStateEntered','PassStateExited']*3+['ExecutionSucceeded']"
out=$("$sfn" list --json)
expect_json "$out" "sorted(m['name'] for m in d)==['cli-express','cli-standard']"
"$sfn" list --executions cli-standard | grep -q "^run-1	SUCCEEDED" || fail "run-1 not listed"
out=$("$sfn" describe cli-standard --json)
expect_json "$out" "d['type']=='STANDARD' and d['status']=='ACTIVE'"
# The human form prints the definition with its keys in the stored order (Type before Result before Next).
"$sfn" describe cli-standard | tr -d ' \n' | grep -q '"Type":"Pass","Result":{"message":"HelloAlice"},"Next":"Task1"' \
  || fail "describe did not keep the definition's key order"

# Delete, then describing it is the typed AWS error, not a crash.
"$sfn" delete cli-standard >/dev/null
if err=$("$sfn" describe cli-standard 2>&1); then fail "describe after delete succeeded"; fi
echo "$err" | grep -q "StateMachineDoesNotExist" || fail "unexpected error: $err"
# `sfn run --json` prints the output's numbers as the engine does everywhere else (1, 0, 1e-7; not 1.0, -0.0, 1e-07).
echo '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' > "$work/pass.json"
out=$("$sfn" run "$work/pass.json" --input '{"d":1.0,"z":-0.0,"f":1e-7,"h":100.0}' --json)
[ "$out" = '{"status":"SUCCEEDED","output":{"d":1,"z":0,"f":1e-7,"h":100}}' ] || fail "run --json printed: $out"
# A definition `sfn validate` (and AWS) rejects does not run: a misspelt field is not silently ignored.
echo '{"StartAt":"P","States":{"P":{"Type":"Pass","Resultt":1,"End":true}}}' > "$work/typo.json"
if err=$("$sfn" run "$work/typo.json" 2>&1); then fail "run of an invalid definition succeeded: $err"; fi
echo "$err" | grep -q "sfn.cli.E022" || fail "unexpected error: $err"
echo "$err" | grep -q "/States/P/Resultt: unknown field 'Resultt'" || fail "unexpected error: $err"
# deploy takes YAML as the other commands do, and names the file and place of a definition it cannot parse.
printf 'StartAt: P\nStates:\n  P: {Type: Pass, End: true}\n' > "$work/pass.yaml"
"$sfn" deploy "$work/pass.yaml" --name cli-yaml --role-arn arn:aws:iam::123456789012:role/demo >/dev/null
expect_json "$("$sfn" describe cli-yaml --json)" 'json.loads(d["definition"])["States"]["P"]["Type"] == "Pass"'
printf '{"StartAt": "P",\n "States": {\n' > "$work/broken.json"
if err=$("$sfn" deploy "$work/broken.json" --name cli-broken --role-arn arn:aws:iam::123456789012:role/demo 2>&1); then
    fail "deploy of a malformed file succeeded"
fi
echo "$err" | grep -q "$work/broken.json: malformed JSON: .*line 3" || fail "unexpected error: $err"
# A version description or an alias without --publish is a usage error (exit 2), not silently dropped.
set +e
err=$("$sfn" deploy "$work/pass.yaml" --name cli-yaml --role-arn arn:aws:iam::123456789012:role/demo \
      --version-description d 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "deploy --version-description without --publish exited $rc: $err"
echo "$err" | grep -q -- "--version-description requires --publish" || fail "unexpected error: $err"
echo "cli lifecycle: 1 passed, 0 failed"
