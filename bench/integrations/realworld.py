#!/usr/bin/env python3
"""How many of the real workflows of ../shared/realworld run locally with `--integrations aws`.

(a) handled: the share whose every Task resource the integrations handle, as `sfn resources --json` reports it
    (the dispatcher answers, not this script); a workflow without Task states counts as handled.
(b) completed: the share that runs to completion (SUCCEEDED) on `sfn serve --integrations aws --clock virtual`
    against moto_server, once the resources the definition names exist. This script creates them from the
    definition: DynamoDB tables (key schema from the Key the workflow uses), SQS queues, SNS topics, S3 buckets
    (and the objects it reads by a literal key), EventBridge buses, SSM parameters, activities (with a worker
    answering {}), child state machines (another workflow of the same sample when the name matches one, else a
    single Succeed state); Lambda functions answer on a loopback Lambda endpoint with their input. Every workflow
    starts with the input {}; one that does not end within the deadline is stopped.

Usage: realworld.py --sfn SFN [--folder DIR] [--json OUT] [--check FIGURES] [--jobs N] [--verbose]
--check compares which workflows are handled and which complete with FIGURES (a file this script wrote with
--json) and exits 1 when they differ, so that the figures in the README cannot silently go stale."""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from serve_support import Server, client_env  # noqa: E402
from moto_process import MotoServer, free_port  # noqa: E402
from loopback_lambda import LoopbackLambda  # noqa: E402
from executions import wait_for_end  # noqa: E402

os.environ.update(client_env())
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

ACCOUNT = "123456789012"  # what the SAM placeholders were filled with
REGION = "us-east-1"
ROLE = "arn:aws:iam::%s:role/realworld" % ACCOUNT
DEADLINE_SECONDS = 30
CHILD = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}


def task_states(states, path=""):
    """(JSON pointer, state) of every Task state, branches and item processors included."""
    for name, state in states.items():
        here = "%s/States/%s" % (path, name)
        if state.get("Type") == "Task":
            yield here, state
        for i, branch in enumerate(state.get("Branches", [])):
            yield from task_states(branch["States"], "%s/Branches/%d" % (here, i))
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                yield from task_states(state[key]["States"], "%s/%s" % (here, key))


def literal(value):
    """A string the workflow fixes (not a path, an intrinsic or a JSONata expression)."""
    return isinstance(value, str) and value and not value.startswith("{%") and not value.startswith("$")


def walk_pairs(value):
    """Every (key, value) pair of every object in `value`."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk_pairs(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_pairs(v)


# --- (a) what the dispatcher handles -----------------------------------------------------------------------------

def handled_resources(sfn, path):
    """`sfn resources --json FILE`: [{state, resource, handled, by}]."""
    p = subprocess.run([sfn, "resources", "--json", path], capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):  # 1: some resource is not handled
        raise RuntimeError("sfn resources %s: %s" % (path, p.stderr.strip()))
    return json.loads(p.stdout)


# --- (b) the resources a definition names -------------------------------------------------------------------------

def key_schema(definition, table):
    """Attribute names and types of a table's key, from the Key (else the first Item attribute) the workflow uses."""
    key = None
    first_item = None
    for _, state in task_states(definition["States"]):
        params = state.get("Parameters") or state.get("Arguments") or {}
        if not isinstance(params, dict) or params.get("TableName") != table:
            continue
        if isinstance(params.get("Key"), dict) and key is None:
            key = params["Key"]
        if isinstance(params.get("Item"), dict) and first_item is None and params["Item"]:
            name = next(iter(params["Item"]))
            first_item = {name: params["Item"][name]}
    key = key or first_item or {"id": {"S": ""}}
    schema = []
    for name, typed in key.items():
        kind = next(iter(typed)).replace(".$", "") if isinstance(typed, dict) and typed else "S"
        schema.append((name.replace(".$", ""), kind if kind in ("S", "N", "B") else "S"))
    return schema[:2]


class Resources:
    """Creates what a definition names, once per name (workflows of one sample share resources)."""

    def __init__(self, clients, workflows):
        self.clients = clients
        self.workflows = workflows
        self.lock = threading.Lock()
        self.done = set()
        self.activities = []

    def once(self, kind, name, create):
        with self.lock:
            if (kind, name) in self.done:
                return
            self.done.add((kind, name))
        try:
            create()
        except ClientError as e:
            if "AlreadyExists" not in str(e) and "InUse" not in str(e):
                raise

    def create_for(self, file, definition):
        c = self.clients
        for pointer, state in task_states(definition["States"]):
            resource = state.get("Resource", "")
            params = state.get("Parameters") or state.get("Arguments") or {}
            if ":activity:" in resource:
                self.once("activity", resource, lambda r=resource: self.activities.append(
                    c["stepfunctions"].create_activity(name=r.split(":")[-1])["activityArn"]))
            if resource.endswith("ssm:getParameter") and isinstance(params, dict) and literal(params.get("Name")):
                self.once("ssm", params["Name"], lambda n=params["Name"]: c["ssm"].put_parameter(
                    Name=n, Value="{}", Type="String"))
            if (resource.endswith("s3:getObject") and isinstance(params, dict) and literal(params.get("Bucket"))
                    and literal(params.get("Key"))):
                self.bucket(params["Bucket"])
                self.once("object", (params["Bucket"], params["Key"]), lambda b=params["Bucket"], k=params["Key"]:
                          c["s3"].put_object(Bucket=b, Key=k, Body=b"{}"))
        for key, value in walk_pairs(definition):
            if not literal(value):
                continue
            if key == "TableName":
                self.table(definition, value)
            elif key == "QueueUrl":
                self.once("queue", value, lambda v=value: c["sqs"].create_queue(QueueName=v.rstrip("/").split("/")[-1]))
            elif key == "TopicArn":
                self.once("topic", value, lambda v=value: c["sns"].create_topic(Name=v.split(":")[-1]))
            elif key in ("Bucket", "OutputBucketName"):
                self.bucket(value)
            elif key == "EventBusName" and value != "default":
                self.once("bus", value, lambda v=value: c["events"].create_event_bus(Name=v.split("/")[-1]))
            elif key == "StateMachineArn" and ":stateMachine:" in value:
                self.child(file, value)

    def bucket(self, name):
        self.once("bucket", name, lambda: self.clients["s3"].create_bucket(Bucket=name))

    def table(self, definition, name):
        schema = key_schema(definition, name)
        roles = ["HASH", "RANGE"]
        self.once("table", name, lambda: self.clients["dynamodb"].create_table(
            TableName=name, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": n, "KeyType": roles[i]} for i, (n, _) in enumerate(schema)],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in schema]))

    def child(self, file, arn):
        """The child a nested execution starts: the same sample's workflow whose file names it, else Succeed."""
        name = arn.split(":")[6]
        wanted = re.sub(r"^StateMachine(Util)?", "", name).lower().replace("-", "")
        sample = file.split("_statemachine")[0]
        chosen = CHILD
        for other, definition in self.workflows.items():
            stem = os.path.basename(other).lower().replace("-", "").replace("_", "")
            if other != file and other.startswith(sample) and wanted and wanted in stem:
                chosen = definition
                break
        self.once("machine", name, lambda: self.clients["stepfunctions"].create_state_machine(
            name=name, definition=json.dumps(chosen), roleArn=ROLE))


def activity_worker(sfn, arns, stop):
    """Answers every activity task with {} (the realworld activities are ECS workers)."""
    while not stop.is_set():
        for arn in list(arns):
            task = sfn.get_activity_task(activityArn=arn, workerName="realworld")
            if task.get("taskToken"):
                sfn.send_task_success(taskToken=task["taskToken"], output="{}")
        stop.wait(0.2)


def run_workflow(clients, resources, file, definition, index):
    sfn = clients["stepfunctions"]
    try:
        resources.create_for(file, definition)
    except ClientError as e:
        return {"status": "SETUP", "why": "creating its resources: %s" % e}
    try:
        machine = sfn.create_state_machine(name="realworld-%02d" % index, definition=json.dumps(definition),
                                           roleArn=ROLE)["stateMachineArn"]
    except ClientError as e:
        return {"status": "REJECTED", "why": str(e)}
    arn = sfn.start_execution(stateMachineArn=machine, name="run", input="{}")["executionArn"]
    d = wait_for_end(sfn, arn, DEADLINE_SECONDS)
    if d is None:
        events = sfn.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=20)["events"]
        waiting = [e["type"] for e in events if e["type"] in ("TaskSubmitted", "ActivityScheduled")]
        return {"status": "RUNNING", "why": "still running after %d s%s" % (
            DEADLINE_SECONDS, " (waits for a task token nobody sends)" if waiting else "")}
    out = {"status": d["status"]}
    if d["status"] != "SUCCEEDED":
        out["why"] = "%s: %s" % (d.get("error", ""), (d.get("cause") or "")[:300])
    return out


def summary_reason(outcome):
    """A short class for why a workflow did not complete."""
    why = outcome.get("why", "")
    if outcome["status"] == "RUNNING":
        return "callback: waits for a task token" if "task token" in why else "deadline"
    if outcome["status"] in ("SETUP", "REJECTED"):
        return outcome["status"].lower()
    error = why.split(":", 1)[0]
    if error == "States.Runtime" and ("Invalid path" in why or "could not be found" in why or "path" in why):
        return "input: reads fields of its input ({} given)"
    if error.startswith("States.") and error not in ("States.TaskFailed",):
        return error
    return "fails " + error if error else "fails"


def measure(options):
    files = sorted(glob.glob(os.path.join(options.folder, "*.json")))
    workflows = {}
    for f in files:
        with open(f) as fh:
            workflows[os.path.basename(f)] = json.load(fh)["definition"]
    rows = {}
    scratch = os.path.join(os.environ.get("TMPDIR", "/tmp"), "sfn-realworld-%d" % os.getpid())
    os.makedirs(scratch, exist_ok=True)
    for name, definition in workflows.items():
        path = os.path.join(scratch, name)
        with open(path, "w") as fh:
            json.dump(definition, fh)
        tasks = handled_resources(options.sfn, path)
        unhandled = sorted({t["resource"] for t in tasks if not t["handled"]})
        rows[name] = {"tasks": len(tasks), "handled": not unhandled, "unhandled": unhandled}

    lam = LoopbackLambda(default=lambda event: event)
    moto = MotoServer(ACCOUNT).start()
    port = free_port()
    os.environ.update({"AWS_ENDPOINT_URL": moto.url, "AWS_ENDPOINT_URL_SFN": "http://127.0.0.1:%d" % port,
                       "AWS_ENDPOINT_URL_LAMBDA": lam.url})
    server = Server(options.sfn, "--integrations", "aws", "--account", ACCOUNT, "--region", REGION,
                    "--clock", "virtual", "--workers", "16", port=port)
    stop = threading.Event()
    try:
        server.start()
        retries = Config(retries={"max_attempts": 2, "mode": "standard"})
        clients = {s: boto3.client(s, endpoint_url=moto.url, region_name=REGION, config=retries)
                   for s in ("sqs", "sns", "dynamodb", "events", "ssm")}
        clients["s3"] = boto3.client("s3", endpoint_url=moto.url, region_name=REGION,
                                     config=Config(s3={"addressing_style": "path"}))
        clients["stepfunctions"] = boto3.client("stepfunctions", endpoint_url=server.url, region_name=REGION,
                                                config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))
        resources = Resources(clients, workflows)
        worker = threading.Thread(target=activity_worker, args=(clients["stepfunctions"], resources.activities, stop),
                                  daemon=True)
        worker.start()
        names = sorted(workflows)
        with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
            outcomes = list(pool.map(lambda i: run_workflow(clients, resources, names[i], workflows[names[i]], i),
                                     range(len(names))))
        for name, outcome in zip(names, outcomes):
            rows[name].update(outcome)
    finally:
        stop.set()
        server.stop()
        moto.stop()
        lam.stop()
    total = len(rows)
    handled = sorted(n for n, r in rows.items() if r["handled"])
    completed = sorted(n for n, r in rows.items() if r["status"] == "SUCCEEDED")
    reasons = {}
    for n, r in rows.items():
        if r["status"] != "SUCCEEDED":
            reasons.setdefault(summary_reason(r), []).append(n)
    return {"workflows": total, "handled": handled, "completed": completed,
            "not_completed": {k: sorted(v) for k, v in sorted(reasons.items())}, "rows": rows}


def report(figures, verbose):
    total = figures["workflows"]
    h, c = len(figures["handled"]), len(figures["completed"])
    print("realworld: %d workflows; every Task resource handled: %d (%.0f%%); ran to completion: %d (%.0f%%)"
          % (total, h, 100.0 * h / total, c, 100.0 * c / total))
    for reason, names in figures["not_completed"].items():
        print("  not completed, %s: %d" % (reason, len(names)))
        if verbose:
            for n in names:
                print("      %s  %s" % (n, figures["rows"][n].get("why", "")[:200]))
    unhandled = {}
    for r in figures["rows"].values():
        for res in r["unhandled"]:
            unhandled[res] = unhandled.get(res, 0) + 1
    if unhandled:
        print("  resources not handled: " + ", ".join("%s (%d)" % kv for kv in sorted(unhandled.items())))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sfn", required=True)
    parser.add_argument("--folder", default=os.path.join(ROOT, "..", "shared", "realworld"))
    parser.add_argument("--json")
    parser.add_argument("--check")
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    figures = measure(options)
    report(figures, options.verbose)
    if options.json:
        with open(options.json, "w") as f:
            json.dump({k: v for k, v in figures.items() if k != "rows"}, f, indent=1, sort_keys=True)
            f.write("\n")
    if options.check:
        with open(options.check) as f:
            recorded = json.load(f)
        # Which workflows are handled and which complete; why the others do not is printed, not checked (a
        # slow machine may turn a failure into a deadline).
        checked = ("workflows", "handled", "completed")
        measured = {k: figures[k] for k in checked}
        recorded = {k: recorded.get(k) for k in checked}
        if measured != recorded:
            for key in checked:
                if measured.get(key) != recorded.get(key):
                    print("differs from %s: %s\n  recorded %s\n  measured %s" % (
                        options.check, key, json.dumps(recorded.get(key)), json.dumps(measured.get(key))))
            print("the figures changed: rerun with --json %s and update the README's numbers" % options.check)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
