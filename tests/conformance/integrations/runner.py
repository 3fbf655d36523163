#!/usr/bin/env python3
"""The integration conformance corpus (../shared/conformance-integrations, recorded on AWS) against moto_server.

One moto_server (account 111111111111) and one `sfn serve --integrations aws` (AWS_ENDPOINT_URL = moto; Step
Functions calls of the workflows, such as the callback helpers' states:SendTaskSuccess, go to that same service
through AWS_ENDPOINT_URL_SFN; Lambda to a loopback Lambda endpoint) serve every case. Per case: the setup's boto3
calls (Step Functions ones on sfn serve), the state machine created and its execution started with boto3, the
result compared by sfn_conformance_compare (the pure corpus's comparison: status, output, error, cause, history
event types), then the side effects checked with boto3 against moto. Cases run in parallel; each case's resource
names get a suffix of their own so that they do not meet.

Usage: runner.py --sfn SFN --compare SFN_CONFORMANCE_COMPARE --cases DIR [--expected-failures FILE]
                 [--filter SUBSTRING] [--jobs N] [--verbose]
Exit status 1 when a case fails that the expected-failures file does not list."""
import argparse
import base64
import concurrent.futures
import copy
import glob
import json
import os
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "server"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "support"))
from serve_support import Server, client_env  # noqa: E402
from moto_process import MotoServer, free_port  # noqa: E402
from loopback_lambda import LoopbackLambda  # noqa: E402
from executions import history_types, wait_for_end  # noqa: E402

os.environ.update(client_env())
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

ACCOUNT = "111111111111"
REGION = "us-east-1"
ROLE = "arn:aws:iam::%s:role/sfn-integration-corpus" % ACCOUNT
# Generous: CI also runs this under ASan at -O0.
EXECUTION_DEADLINE_SECONDS = 120
# The corpus's Lambda behaviours (`lambdas`), as the loopback Lambda endpoint runs them.
LAMBDA_BEHAVIOURS = {"returns its input event unchanged (identity function)": lambda event: event}
# Optimised integrations put the HTTP exchange in these: compare presence and the status code, not headers.
METADATA_KEYS = ("SdkHttpMetadata", "SdkResponseMetadata")
# Response fields the service decides, not the interpreter (README): compared where both sides have them.
SERVICE_DEPENDENT_KEYS = ("ConsumedCapacity", "ServerSideEncryption", "ChecksumType", "ChecksumCRC32",
                          "ChecksumCrc32")


class Comparer:
    """sfn_conformance_compare as a coprocess: one JSON request line, one JSON answer line."""

    def __init__(self, binary):
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lock = threading.Lock()

    def ask(self, request):
        with self.lock:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("sfn_conformance_compare exited")
        answer = json.loads(line)
        return None if answer["ok"] else answer["reason"]

    def run(self, case, run):
        return self.ask({"case": case, "run": run})

    def value(self, expected, actual, path):
        return self.ask({"expected": expected, "actual": actual, "path": path})

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


# --- case preparation -------------------------------------------------------------------------------------------

def isolated(case, index):
    """The case with its generated names (`...5eed0001`) made unique to it, everywhere they occur."""
    case_id = case["id"]
    text = re.sub(r"5eed(\d{4})", lambda m: "5eed%sc%02d" % (m.group(1), index), json.dumps(case))
    out = json.loads(text)
    out["id"] = case_id
    return out


def replaced(value, old, new):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [replaced(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: replaced(v, old, new) for k, v in value.items()}
    return value


def decoded_args(value):
    """Setup arguments with `{"$base64": ...}` bodies as bytes."""
    if isinstance(value, dict):
        if set(value) == {"$base64"}:
            return base64.b64decode(value["$base64"])
        return {k: decoded_args(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decoded_args(v) for v in value]
    return value


def ignored_keys(case):
    """`compare_ignore` entries of the form `$..Key` (the others name history event details, which this runner
    does not compare: it compares event types)."""
    keys = set()
    for path in case.get("compare_ignore", []):
        m = re.fullmatch(r"\$\.\.([A-Za-z0-9_]+)", path)
        if m:
            keys.add(m.group(1))
    return keys


def reduce_metadata(value):
    """SdkHttpMetadata down to its HttpStatusCode, SdkResponseMetadata to its presence (README)."""
    if isinstance(value, list):
        return [reduce_metadata(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if k == "SdkHttpMetadata" and isinstance(v, dict):
            out[k] = {"HttpStatusCode": v["HttpStatusCode"]} if "HttpStatusCode" in v else {}
        elif k == "SdkResponseMetadata" and isinstance(v, dict):
            out[k] = {}
        else:
            out[k] = reduce_metadata(v)
    return out


def without_keys(value, keys):
    if isinstance(value, list):
        return [without_keys(v, keys) for v in value]
    if isinstance(value, dict):
        return {k: without_keys(v, keys) for k, v in value.items() if k not in keys}
    return value


def pruned_like(expected, actual, keys):
    """`actual` without the `keys` where `expected` has none at the same place (where AWS recorded them, their
    presence is still compared)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {k: pruned_like(expected.get(k), v, keys) for k, v in actual.items()
                if not (k in keys and k not in expected)}
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [pruned_like(e, a, keys) for e, a in zip(expected, actual)]
    return actual


def service_dependent_pruned(expected, actual):
    """Both values without the service-dependent fields the other side lacks at the same place."""
    return pruned_like(actual, expected, SERVICE_DEPENDENT_KEYS), pruned_like(expected, actual, SERVICE_DEPENDENT_KEYS)


def comparable(case, expected_value, actual_value):
    """Expected and actual values with the case's compare_ignore applied and the HTTP metadata reduced."""
    keys = ignored_keys(case)
    plain = keys - set(METADATA_KEYS)
    metadata = keys & set(METADATA_KEYS)
    e = without_keys(reduce_metadata(expected_value), plain)
    a = without_keys(reduce_metadata(actual_value), plain)
    e, a = service_dependent_pruned(e, a)
    return e, pruned_like(e, a, metadata)


def json_strings_parsed(value):
    """Side effects: a string value starting with `{` that is JSON stands for its parsed value (README)."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json_strings_parsed(json.loads(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return [json_strings_parsed(v) for v in value]
    if isinstance(value, dict):
        return {k: json_strings_parsed(v) for k, v in value.items()}
    return value


def at_path(value, path):
    """`Messages[0].MessageAttributes.x.StringValue` in `value`; KeyError/IndexError when absent."""
    for part in path.split("."):
        m = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", part)
        if m.group(1):
            value = value[m.group(1)]
        for index in re.findall(r"\[(\d+)\]", m.group(2)):
            value = value[int(index)]
    return value


# --- one case ---------------------------------------------------------------------------------------------------

class Corpus:
    def __init__(self, clients, comparer):
        self.clients = clients
        self.comparer = comparer

    def client(self, service):
        return self.clients[service]

    def run_case(self, case, index):
        """None when the case passes, else why not."""
        case = isolated(case, index)
        helpers = []
        try:
            why = self.setup(case, helpers)
            if why:
                return why
            collected = {}
            result = self.execute(case, index, responder=self.responder(case, helpers, collected))
            why = self.compare(case, result)
            if why:
                return why
            return self.check_side_effects(case, result, collected)
        finally:
            for arn in helpers:
                try:
                    self.client("stepfunctions").stop_execution(executionArn=arn)
                except ClientError:
                    pass  # it has ended by itself

    def setup(self, case, helpers):
        steps = case["setup"]
        for k in range(len(steps)):
            step = case["setup"][k]
            try:
                answer = getattr(self.client(step["service"]), step["op"])(**decoded_args(step["args"]))
            except ClientError as e:
                return "setup step %d (%s.%s): %s" % (k, step["service"], step["op"], e)
            if step["service"] == "stepfunctions" and step["op"] == "start_execution":
                helpers.append(answer["executionArn"])
            for binding in case["bindings"].values():
                source = binding.get("from_setup")
                if source and source["step"] == k and answer.get(source["field"]) != binding["value"]:
                    old, new = binding["value"], answer[source["field"]]
                    for part in ("setup", "definition", "input", "expected", "side_effects"):
                        if part in case:
                            case[part] = replaced(case[part], old, new)
        return None

    def responder(self, case, helpers, collected):
        """The recording test's part in a callback case without a helper machine: it received the message the task
        sent (the first side effect) and answered its task token with {}. None for every other case."""
        waits = any(str(state.get("Resource", "")).endswith(".waitForTaskToken")
                    for state in case["definition"]["States"].values())
        effects = case.get("side_effects", [])
        if not waits or helpers or not effects or "collect" not in effects[0]:
            return None

        def respond():
            effect = effects[0]
            collected[0] = collected_messages(self.client(effect["service"]), effect["args"], effect["collect"])
            for token in task_tokens(json_strings_parsed(collected[0])):
                self.client("stepfunctions").send_task_success(taskToken=token, output="{}")
        return respond

    def execute(self, case, index, responder=None):
        sfn = self.client("stepfunctions")
        machine = sfn.create_state_machine(name="integration-case-%02d" % index,
                                           definition=json.dumps(case["definition"]), roleArn=ROLE)
        arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="execution",
                                  input=json.dumps(case["input"]))["executionArn"]
        if responder:
            responder()
        described = wait_for_end(sfn, arn, EXECUTION_DEADLINE_SECONDS) or sfn.describe_execution(executionArn=arn)
        history = history_types(sfn, arn)
        return {"status": described["status"], "output": described.get("output"),
                "error": described.get("error"), "cause": described.get("cause"), "history": history}

    def compare(self, case, result):
        expected = copy.deepcopy(case["expected"])
        keys = ignored_keys(case)
        for key in ("error", "cause"):
            if key in keys:
                expected.pop(key, None)
        run = dict(result)
        if "output" in expected and result["output"] is not None:
            actual_output = json.loads(result["output"])
            if case.get("output_normalisation", {}).get("kind") == "items":
                actual_output = normalised_items(actual_output, case["output_normalisation"])
            expected["output"], actual_output = comparable(case, expected["output"], actual_output)
            run["output"] = json.dumps(actual_output)
        compared = {k: case[k] for k in ("input", "recorded_input", "history_event_types") if k in case}
        compared["expected"] = expected
        return self.comparer.run(compared, run)

    def check_side_effects(self, case, result, collected):
        output = json.loads(result["output"]) if result.get("output") else None
        for n, effect in enumerate(case.get("side_effects", [])):
            where = "side_effects/%d (%s.%s)" % (n, effect["service"], effect["op"])
            args = resolved_args(effect["args"], output)
            client = self.client(effect["service"])
            if n in collected:
                actual = collected[n]
            elif "collect" in effect:
                actual = collected_messages(client, args, effect["collect"])
            else:
                try:
                    actual = getattr(client, effect["op"])(**args)
                except ClientError as e:
                    return "%s: %s" % (where, e)
                if "read_body" in effect:
                    actual["Body"] = body_value(actual["Body"].read(), effect["read_body"])
            actual = json_strings_parsed(actual)
            if "expect" in effect:
                why = self.check_expectations(effect["expect"], actual, output, where)
            else:
                expected = json_strings_parsed(effect["expected"])
                keys = effect.get("compare_keys")
                if keys:
                    expected, actual = only_keys(expected, keys), only_keys(actual, keys)
                why = self.comparer.value(expected, actual, where)
            if why:
                return why
        return None

    def check_expectations(self, expectations, actual, output, where):
        for e in expectations:
            try:
                value = at_path(actual, e["path"])
            except (KeyError, IndexError, TypeError):
                return "%s: %s missing in %s" % (where, e["path"], json.dumps(actual, default=str)[:300])
            if "len" in e and len(value) != e["len"]:
                return "%s: %s has %d elements, expected %d" % (where, e["path"], len(value), e["len"])
            if "equals" in e:
                why = self.comparer.value(e["equals"], value, where + ": " + e["path"])
                if why:
                    return why
            if "equals_output" in e and value != at_path(output, e["equals_output"]):
                return "%s: %s is %r, the output's %s is not" % (where, e["path"], value, e["equals_output"])
        return None


def resolved_args(args, output):
    """Side-effect arguments with `{"$output": PATH}` taken from the execution's output."""
    if isinstance(args, dict):
        if set(args) == {"$output"}:
            return at_path(output, args["$output"])
        return {k: resolved_args(v, output) for k, v in args.items()}
    if isinstance(args, list):
        return [resolved_args(v, output) for v in args]
    return args


def body_value(data, how):
    text = data.decode("utf-8")
    if how == "json":
        return json.loads(text)
    try:
        parsed = json.loads(text)
        return parsed if isinstance(parsed, dict) else text
    except ValueError:
        return text


def only_keys(value, keys):
    if isinstance(value, list):
        return [only_keys(v, keys) for v in value]
    return {k: v for k, v in value.items() if k in keys}


def collected_messages(client, args, spec):
    """Receives SQS messages until `count` arrived (then once more, to see extras), bodies parsed, sorted."""
    messages = {}
    args = dict(args, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    deadline = time.time() + 60
    extra_look = False
    while time.time() < deadline:
        for m in client.receive_message(**args).get("Messages", []):
            messages.setdefault(m["MessageId"], m)
            if spec.get("delete"):
                client.delete_message(QueueUrl=args["QueueUrl"], ReceiptHandle=m["ReceiptHandle"])
        if len(messages) >= spec["count"]:
            if extra_look:
                break
            extra_look = True
    items = [json.loads(m["Body"]) if spec.get("body") == "json" else m for m in messages.values()]
    sort = spec.get("sort")
    if sort:
        m = re.fullmatch(r"json\.dumps\((\w+)\)", sort)
        items.sort(key=(lambda i: json.dumps(i.get(m.group(1)), sort_keys=True)) if m else None)
    return items


def task_tokens(value):
    """Every `TaskToken` value in `value`."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "TaskToken" and isinstance(v, str):
                yield v
            else:
                yield from task_tokens(v)
    elif isinstance(value, list):
        for v in value:
            yield from task_tokens(v)


def normalised_items(output, how):
    """output_normalisation kind `items`: what the recording test did to the output before recording it."""
    keep = set(how["copy"]) | set(how["placeholders"])  # the placeholders' values are wildcards
    items = [{k: v for k, v in item.items() if k in keep} for item in output]
    return sorted(items, key=lambda i: i.get(how["sort_by"], ""))


# --- the run ----------------------------------------------------------------------------------------------------

def read_expected_failures(path):
    out = {}
    if not path:
        return out
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or " | " not in line:
                continue
            case_id, why = line.split(" | ", 1)
            out[case_id] = why
    return out


def reason_class(why):
    """The part of a justification before its first colon: how expected failures are counted."""
    return why.split(":", 1)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sfn", required=True)
    parser.add_argument("--compare", required=True)
    parser.add_argument("--cases", required=True)
    parser.add_argument("--expected-failures")
    parser.add_argument("--filter")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()

    cases = []
    for path in sorted(glob.glob(os.path.join(options.cases, "*.json"))):
        with open(path) as f:
            cases.append(json.load(f))
    if not cases:
        print("no cases in " + options.cases)
        return 1
    if options.filter:
        cases = [c for c in cases if options.filter in c["id"]]
    expected_failures = read_expected_failures(options.expected_failures)

    functions = {}
    for case in cases:
        for name, behaviour in case.get("lambdas", {}).items():
            functions[name] = LAMBDA_BEHAVIOURS[behaviour]
    lam = LoopbackLambda({re.sub(r"5eed(\d{4})", lambda m: m.group(0) + "c%02d" % i, name): f
                          for i in range(2 * len(cases)) for name, f in functions.items()})
    moto = MotoServer(ACCOUNT).start()
    port = free_port()
    service_url = "http://127.0.0.1:%d" % port
    os.environ.update({"AWS_ENDPOINT_URL": moto.url, "AWS_ENDPOINT_URL_SFN": service_url,
                       "AWS_ENDPOINT_URL_LAMBDA": lam.url})
    server = Server(options.sfn, "--integrations", "aws", "--account", ACCOUNT, "--region", REGION,
                    "--workers", "16", port=port)
    comparer = Comparer(options.compare)
    try:
        server.start()
        retries = Config(retries={"max_attempts": 2, "mode": "standard"})
        clients = {s: boto3.client(s, endpoint_url=moto.url, region_name=REGION, config=retries)
                   for s in ("sqs", "sns", "dynamodb", "events", "secretsmanager", "lambda")}
        clients["s3"] = boto3.client("s3", endpoint_url=moto.url, region_name=REGION,
                                     config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))
        clients["stepfunctions"] = boto3.client("stepfunctions", endpoint_url=server.url, region_name=REGION,
                                                config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))
        corpus = Corpus(clients, comparer)

        def one(index, run=0):
            started = time.time()
            try:
                why = corpus.run_case(cases[index], index + run * len(cases))
            except Exception as e:  # a runner error fails the case, named, and the run goes on
                why = "runner: %s: %s" % (type(e).__name__, e)
            return why, time.time() - started

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            results = list(pool.map(one, range(len(cases))))
        # moto is not built for concurrent load: a case that failed unlisted in the concurrent pass runs once
        # more alone (with resources of its own), and is reported as flaky when it then passes.
        flaky = {}
        for index, (why, _) in enumerate(results):
            if why is not None and cases[index]["id"] not in expected_failures:
                again = one(index, run=1)
                if again[0] is None:
                    flaky[index] = why
                    results[index] = again
    finally:
        comparer.close()
        server.stop()
        moto.stop()
        lam.stop()

    passed, unexpected, xpass = 0, 0, 0
    by_reason = {}
    for case, (why, seconds) in zip(cases, results):
        listed = expected_failures.get(case["id"])
        if why is None:
            passed += 1
            if listed:
                xpass += 1
                print("XPASS %s (listed as expected failure; remove it)" % case["id"])
            elif options.verbose:
                print("PASS  %s (%.1f s)" % (case["id"], seconds))
        elif listed:
            reason = reason_class(listed)
            by_reason[reason] = by_reason.get(reason, 0) + 1
            if options.verbose:
                print("XFAIL %s: %s\n      %s" % (case["id"], listed, why))
        else:
            unexpected += 1
            print("FAIL  %s\n      %s" % (case["id"], why))
    for index, why in flaky.items():
        print("FLAKY %s: failed in the concurrent pass, passed run alone\n      %s" % (cases[index]["id"], why))
    listed_unseen = sorted(set(expected_failures) - {c["id"] for c in cases})
    if listed_unseen and not options.filter:
        for case_id in listed_unseen:
            print("STALE %s (listed as expected failure, no such case)" % case_id)
    expected_count = sum(by_reason.values())
    print("\nconformance-integrations: %d passed, %d expected failures, %d unexpected (of %d cases)"
          % (passed, expected_count, unexpected, len(cases)))
    for reason, n in sorted(by_reason.items(), key=lambda kv: -kv[1]):
        print("  expected failures, %s: %d" % (reason, n))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
