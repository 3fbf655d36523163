"""Durable executions under kill -9 (used by fault_test.py; scripts/soak-durable.sh runs more rounds).

STANDARD executions mixing a Pass chain, a real-clock Wait, a Choice loop over variables, a Task retried with
backoff (a mock that fails its first invocation), a Parallel, an inline Map of 200 items, an inline Map of 200 items that each wait a second (finished
iterations are stored and not run again after a kill), a
nested `.sync:2` execution (started once per parent, however often the parent is killed while it runs), a
`.waitForTaskToken` task (a nested child; the test answers with SendTaskSuccess) and an activity worked by a
boto3 worker run while `sfn serve` is killed with kill -9 at seeded random moments and restarted on the same
file; every tenth round the server dies instead between two SQLite statements of a group commit (the store's
fault point SFN_FAULT_EXIT_AFTER_STATEMENTS, after a seeded number of statements). After every restart the
database is sound (PRAGMA integrity_check every few rounds) and every history is
gap-free; at the end every execution reaches the status and output of an uninterrupted run of the same input,
with a gap-free, duplicate-free history, and boto3 sees them all completed (describe, history, list by status)."""
import json
import os
import sqlite3
import subprocess
import threading
import time
from contextlib import closing

from serve_support import Server, client_env, stepfunctions_client
from wire import Api

os.environ.update(client_env())
RESUME_ROUNDS = int(os.environ.get("SFN_FAULT_RESUME_ROUNDS", "100"))
ROLE = "arn:aws:iam::123456789012:role/test"
MACHINE = "durable"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:durable-work"
CHILD = "arn:aws:states:us-east-1:123456789012:stateMachine:durable-child"
MOCK = {"StateMachines": {MACHINE: {"TestCases": {"Flaky": {"Flaky": "FailsOnce"}}}},
        "MockedResponses": {"FailsOnce": {"0": {"Throw": {"Error": "Flaky", "Cause": "the first attempt fails"}},
                                          "1-99": {"Return": {"StatusCode": 200, "Payload": {"ok": True}}}}}}
NESTED = "arn:aws:states:us-east-1:123456789012:stateMachine:durable-nested"
CHILD_DEFINITION = {"StartAt": "Hand", "States": {"Hand": {"Type": "Pass", "End": True}}}
NESTED_DEFINITION = {"StartAt": "Nap", "States": {
    "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Twice"},
    "Twice": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.seed, $.seed)"}, "End": True}}}
DEFINITION = {"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Assign": {"i": 0, "total": 0}, "Next": "Chain1"},
    "Chain1": {"Type": "Pass", "Parameters": {"seed.$": "$.seed", "dues.$": "$.dues", "step": 1}, "Next": "Chain2"},
    "Chain2": {"Type": "Pass", "Parameters": {"seed.$": "$.seed", "dues.$": "$.dues", "step": 2}, "Next": "Nap"},
    "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Loop"},
    "Loop": {"Type": "Choice", "Choices": [{"Variable": "$i", "NumericLessThan": 6, "Next": "Body"}],
             "Default": "Flaky"},
    "Body": {"Type": "Pass", "Assign": {"i.$": "States.MathAdd($i, 1)", "total.$": "States.MathAdd($total, $.seed)"},
             "Next": "Loop"},
    "Flaky": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "flaky", "Payload.$": "$"},
              "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 3}],
              "ResultSelector": {"ok.$": "$.Payload.ok", "attempt.$": "$$.State.RetryCount"},
              "ResultPath": "$.flaky", "Next": "Fan"},
    "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Range", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Parameters": {"b.$": "$.seed", "total.$": "$total"},
                                            "End": True}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Result": "two", "Next": "B3"},
                                     "B3": {"Type": "Pass", "End": True}}}]},
    "Range": {"Type": "Pass", "Parameters": {"items.$": "States.ArrayRange(1, 200, 1)"}, "ResultPath": "$.range",
              "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.range.items",
             "ItemSelector": {"n.$": "$$.Map.Item.Value", "seed.$": "$.seed"},
             "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Add", "States": {
                 "Add": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.n, $.seed)"}, "End": True}}},
             "ResultSelector": {"count.$": "States.ArrayLength($)", "last.$": "$[199].v"}, "ResultPath": "$.each",
             "Next": "Slow"},
    # Iterations that wait until their own due time (spread over the first seconds of the kill rounds): each is
    # stored as it ends and not run again after a kill inside the Map; those still due wait on after a restart.
    "Slow": {"Type": "Map", "ItemsPath": "$.dues", "ResultPath": "$.slow", "Next": "Nested",
             "ItemSelector": {"n.$": "$$.Map.Item.Index", "seed.$": "$.seed", "at.$": "$$.Map.Item.Value"},
             "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Doze", "States": {
                 "Doze": {"Type": "Wait", "TimestampPath": "$.at", "Next": "Square"},
                 "Square": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.n, $.seed)"}, "End": True}}},
             "ResultSelector": {"count.$": "States.ArrayLength($)", "first.$": "$[0].v"}},
    "Nested": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
               "Parameters": {"StateMachineArn": NESTED, "Input": {"seed.$": "$.seed"}},
               "ResultSelector": {"twice.$": "$.Output.twice"}, "ResultPath": "$.nested", "Next": "Callback"},
    "Callback": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
                 "Parameters": {"StateMachineArn": CHILD, "Input": {"token.$": "$$.Task.Token", "seed.$": "$.seed"}},
                 "ResultPath": "$.callback", "Next": "Work"},
    "Work": {"Type": "Task", "Resource": ACTIVITY, "Parameters": {"seed.$": "$.seed"}, "ResultPath": "$.work",
             "Next": "Done"},
    "Done": {"Type": "Pass", "End": True, "Parameters": {
        "seed.$": "$.seed", "i.$": "$i", "total.$": "$total", "flaky.$": "$.flaky", "fan.$": "$.fan",
        "each.$": "$.each", "slow.$": "$.slow", "nested.$": "$.nested", "callback.$": "$.callback", "work.$": "$.work", "started.$": "$$.Execution.StartTime"}}}}
TERMINAL = {"SUCCEEDED": "ExecutionSucceeded", "FAILED": "ExecutionFailed", "TIMED_OUT": "ExecutionTimedOut",
            "ABORTED": "ExecutionAborted"}


class Helpers:
    """The outside world of the executions: a boto3 activity worker and the answer to `.waitForTaskToken`
    tasks, each on a thread that follows the server across restarts (`port` changes)."""

    def __init__(self):
        self.port = None
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.work_activities, daemon=True),
                        threading.Thread(target=self.answer_callbacks, daemon=True)]
        self.arns = []  # executions whose callbacks are answered
        self.lock = threading.Lock()

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=90)

    def follow_server(self, serve):
        """Calls serve(port) for the server of the moment until stopped; a killed server ends the call."""
        while not self.stopping.is_set():
            port = self.port
            if port is None:
                time.sleep(0.02)
                continue
            try:
                serve(port)
            except Exception:  # noqa: BLE001 - a killed server: boto3, http.client, JSON and wire errors alike
                time.sleep(0.02)

    def work_activities(self):
        def serve(port):
            sfn = stepfunctions_client(type("At", (), {"url": "http://127.0.0.1:%d" % port})())
            while not self.stopping.is_set() and self.port == port:
                task = sfn.get_activity_task(activityArn=ACTIVITY, workerName="durable-worker")
                if not task.get("taskToken"):
                    continue
                seed = json.loads(task["input"])["seed"]
                try:
                    sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps({"worked": seed * 2}))
                except sfn.exceptions.TaskDoesNotExist:
                    pass  # the server restarted since: the resumed execution schedules the task again
        self.follow_server(serve)

    def answer_callbacks(self):
        def serve(port):
            with closing(Api(port, timeout=10)) as api:
                while not self.stopping.is_set() and self.port == port:
                    with self.lock:
                        arns = list(self.arns)
                    for arn in arns:
                        last = api.call("GetExecutionHistory", executionArn=arn, reverseOrder=True, maxResults=3)
                        for event in last["events"]:
                            details = event.get("taskScheduledEventDetails")
                            if details and details["resource"] == "startExecution.waitForTaskToken":
                                request = json.loads(details["parameters"])["Input"]
                                # TaskDoesNotExist right after a restart: the resumed task is not waiting yet
                                api.raw("SendTaskSuccess", json.dumps(
                                    {"taskToken": request["token"], "output": json.dumps({"called": request["seed"]})}))
                    time.sleep(0.05)
        self.follow_server(serve)


def setup_machines(api):
    api.call("CreateActivity", name="durable-work")
    api.call("CreateStateMachine", name="durable-child", definition=json.dumps(CHILD_DEFINITION), roleArn=ROLE)
    api.call("CreateStateMachine", name="durable-nested", definition=json.dumps(NESTED_DEFINITION), roleArn=ROLE)
    return api.call("CreateStateMachine", name=MACHINE, definition=json.dumps(DEFINITION),
                    roleArn=ROLE)["stateMachineArn"] + "#Flaky"


def wait_all(test, api, arns, limit=float(os.environ.get("SFN_FAULT_RESUME_LIMIT", "180"))):
    deadline = time.time() + limit
    pending = set(arns)
    while pending and time.time() < deadline:
        for arn in list(pending):
            if api.call("DescribeExecution", executionArn=arn)["status"] != "RUNNING":
                pending.discard(arn)
        time.sleep(0.1)
    if pending:
        arn = sorted(pending)[0]
        tail = api.call("GetExecutionHistory", executionArn=arn, reverseOrder=True, maxResults=4)["events"]
        test.assertEqual(pending, set(), "still RUNNING after %d s; %s ends with %s" % (
            limit, arn, json.dumps(tail[::-1])[:1500]))
    return {arn: api.call("DescribeExecution", executionArn=arn) for arn in arns}


def check_history_prefix(test, api, arn, finished):
    """Ids 1..n without gaps or duplicates, ExecutionStarted first; a terminal event only last."""
    events = api.pages("GetExecutionHistory", "events", executionArn=arn, maxResults=1000)
    test.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)), arn)
    test.assertEqual(events[0]["type"], "ExecutionStarted", arn)
    terminal = [i for i, e in enumerate(events) if e["type"] in TERMINAL.values()]
    test.assertLessEqual(len(terminal), 1, arn)
    if finished:
        test.assertEqual(terminal, [len(events) - 1], arn)
    for e in events[1:]:
        test.assertLess(e["previousEventId"], e["id"], arn)
    return events


def reference_outputs(binary, folder, inputs):
    """The outcome of uninterrupted runs of the same inputs, on a server of its own."""
    mock = os.path.join(folder, "mock.json")
    helpers = Helpers().start()
    try:
        with Server(binary, "--mock-config", mock, "--workers", "64", db=os.path.join(folder, "ref.db")) as server, \
                closing(Api(server.port)) as api:
            helpers.port = server.port
            machine = setup_machines(api)
            arns = [api.call("StartExecution", stateMachineArn=machine, name="ref-%d" % i, input=text)["executionArn"]
                    for i, text in enumerate(inputs)]
            with helpers.lock:
                helpers.arns.extend(arns)

            class Quiet:
                def assertEqual(self, a, b, msg=None):
                    assert a == b, msg

            done = wait_all(Quiet(), api, arns)
            # Not SIGTERM: a GetActivityTask long poll of the worker would hold the shutdown back.
            server.kill9()
            return [(done[a]["status"], done[a].get("output") or "%s: %s" % (done[a].get("error"), done[a].get("cause"))) for a in arns]
    finally:
        helpers.stop()


FAULT_EXIT_STATUS = 86  # the store's _exit status at SFN_FAULT_EXIT_AFTER_STATEMENTS


def die_in_a_commit(binary, mock, db, statements):
    """Runs a server that ends itself right after the `statements`th SQLite statement of its group commits (with
    the transaction still open); True when it did (False: it had not written that much within 30 s)."""
    server = Server(binary, "--mock-config", mock, "--workers", "64", db=db,
                    env={"SFN_FAULT_EXIT_AFTER_STATEMENTS": str(statements)})
    try:
        server.start()
    except RuntimeError:  # it died while resuming, before it printed its address
        return server.proc.wait() == FAULT_EXIT_STATUS
    try:
        return server.proc.wait(timeout=30) == FAULT_EXIT_STATUS
    except subprocess.TimeoutExpired:
        return False
    finally:
        server.kill9()


PAST = "2001-01-01T00:00:00Z"
SLOW_ITEMS = 20


def with_dues(text, rng):
    now = time.time()
    at = sorted(now + rng.uniform(0.3, 3.0) for _ in range(SLOW_ITEMS))
    return json.dumps(dict(json.loads(text), dues=[
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000) for t in at]))


def without_start(output):
    out = json.loads(output)
    out.pop("started", None)
    return out


def run_durable_rounds(test, binary, folder, db, rng, rounds):
    with open(os.path.join(folder, "mock.json"), "w") as f:
        json.dump(MOCK, f)
    mock = os.path.join(folder, "mock.json")
    batches = max(1, rounds // 10)
    # The Slow Map's due times: long past for the reference runs, spread over 0.3-3 s after each start later.
    inputs = [json.dumps({"seed": i + 1, "dues": [PAST] * SLOW_ITEMS}) for i in range(2 * batches)]
    reference = reference_outputs(binary, folder, inputs)
    for status, output in reference:
        test.assertEqual(status, "SUCCEEDED", output)
    helpers = Helpers().start()
    server = Server(binary, "--mock-config", mock, "--workers", "64", db=db).start()
    helpers.port = server.port
    started = []  # (arn, index into inputs)
    died_in_commit = 0
    try:
        with closing(Api(server.port)) as api:
            machine = setup_machines(api)
        for round_ in range(rounds):
            with closing(Api(server.port, timeout=10)) as api:
                if round_ % 10 == 0 and len(started) < len(inputs):
                    for _ in range(2):
                        i = len(started)
                        try:
                            arn = api.call("StartExecution", stateMachineArn=machine, name="d-%d" % i,
                                           input=with_dues(inputs[i], rng))["executionArn"]
                        except (OSError, RuntimeError):
                            break
                        started.append((arn, i))
                        with helpers.lock:
                            helpers.arns.append(arn)
            # Mostly quick kills (at any point of a commit or a state); every tenth round lets states finish.
            time.sleep(rng.uniform(0.3, 0.9) if round_ % 10 == 5 else rng.uniform(0.005, 0.08))
            server.kill9()
            helpers.port = None
            if round_ % 10 == 0:
                # Executions were just started: a server that dies in the middle of a group commit takes over.
                died_in_commit += die_in_a_commit(binary, mock, db, rng.randint(1, 150))
            if round_ % 10 in (0, 9):
                with closing(sqlite3.connect(db)) as check:
                    test.assertEqual(check.execute("PRAGMA integrity_check").fetchone()[0], "ok",
                                     "round %d" % round_)
            server = Server(binary, "--mock-config", mock, "--workers", "64", db=db).start()
            helpers.port = server.port
            if round_ % 5 != 4:
                continue
            with closing(Api(server.port)) as api:
                # The newest executions (most often interrupted) and a sample of the others.
                sample = started[-2:] + rng.sample(started, min(len(started), 2))
                for arn, _ in sample:
                    try:
                        check_history_prefix(test, api, arn, finished=False)
                    except AssertionError as e:
                        raise AssertionError("round %d: %s" % (round_, e)) from e
        # No more kills: everything ends, as an uninterrupted run of the same input would.
        with closing(Api(server.port)) as api:
            done = wait_all(test, api, [a for a, _ in started])
            for arn, i in started:
                d = done[arn]
                test.assertEqual(d["status"], reference[i][0], arn)
                test.assertEqual(without_start(d["output"]), without_start(reference[i][1]), arn)
                events = check_history_prefix(test, api, arn, finished=True)
                test.assertEqual(events[-1]["type"], "ExecutionSucceeded")
                # The original start survives every restart ($$.Execution.StartTime).
                test.assertEqual(json.loads(d["output"])["started"][:10], time.strftime(
                    "%Y-%m-%d", time.gmtime(d["startDate"])), arn)
            # One nested child per parent: a `.sync:2` task re-invoked on resume found the child it had started.
            nested = [json.loads(api.call("DescribeExecution", executionArn=e["executionArn"])["input"])["seed"]
                      for e in api.pages("ListExecutions", "executions", stateMachineArn=NESTED)]
            test.assertEqual(sorted(nested), sorted(json.loads(inputs[i])["seed"] for _, i in started))
        sfn = stepfunctions_client(server)
        succeeded = set()
        for page in sfn.get_paginator("list_executions").paginate(
                stateMachineArn=machine.split("#")[0], statusFilter="SUCCEEDED"):
            succeeded.update(e["executionArn"] for e in page["executions"])
        test.assertEqual({a for a, _ in started} - succeeded, set())
        for arn, _ in started[:3]:
            test.assertEqual(sfn.describe_execution(executionArn=arn)["status"], "SUCCEEDED")
            last = sfn.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=1)["events"]
            test.assertEqual(last[0]["type"], "ExecutionSucceeded")
        # Executions were running at each of those rounds: the fault point is reached within a few statements.
        test.assertGreater(died_in_commit, 0, "the server never reached its fault point in a group commit")
        print("kill -9 during %d durable executions: %d rounds (%d deaths between two statements of a group commit),"
              " all resumed and ended as uninterrupted runs" % (len(started), rounds, died_in_commit))
    finally:
        server.kill9()  # see reference_outputs
        helpers.stop()

