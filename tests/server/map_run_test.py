#!/usr/bin/env python3
"""Map Runs through boto3 against `sfn serve --s3-dir`: ListMapRuns/DescribeMapRun while and after a
Distributed Map runs, UpdateMapRun raising the tolerated failures of a running Map Run (which then succeeds
where it would have failed), UpdateMapRun raising and lowering the MaxConcurrency of a running Map Run (seen
in DescribeMapRun's count of running children), MapRunStarted naming the run, and a ResultWriter writing into the mapped
directory; STANDARD children listed by ListExecutions(mapRunArn) (not by the parent's machine) with their own
history and `mapRunArn`, shown RUNNING while they run; Map Runs and children still there after a kill -9 and
restart of `sfn serve` (a child running at the kill ends ABORTED).
Usage: map_run_test.py SFN_BINARY"""
import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env, stepfunctions_client  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
ROLE = "arn:aws:iam::123456789012:role/R"


def wait_for(predicate, what, limit=120):
    deadline = time.time() + limit
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def new_database():
    """A database path of its own for a test that restarts the service (and the client environment)."""
    os.environ.update(client_env())
    return os.path.join(tempfile.mkdtemp(prefix="sfn-maprun-db-"), "sfn.db")


def distributed(child_states, extra=None, start="W"):
    state = {"Type": "Map", "MaxConcurrency": 1,
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                               "StartAt": start, "States": child_states},
             "End": True}
    state.update(extra or {})
    return json.dumps({"StartAt": "M", "States": {"M": state}})


class MapRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.environ.update(client_env())
        cls.bucket = tempfile.mkdtemp(prefix="sfn-maprun-")
        cls.server = Server(BINARY, "--s3-dir", "results=" + cls.bucket).start()
        cls.sfn = stepfunctions_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def finished(self, arn):
        d = self.sfn.describe_execution(executionArn=arn)
        return d if d["status"] != "RUNNING" else None

    def test_update_map_run_applies_to_the_running_run(self):
        # Two items pass, two fail, one at a time after a one-second wait: with no failure tolerated the run
        # would fail; raised to 2 while it runs, it succeeds.
        child = {"W": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                 "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}],
                       "Default": "P"},
                 "F": {"Type": "Fail", "Error": "Bad"}, "P": {"Type": "Pass", "End": True}}
        machine = self.sfn.create_state_machine(name="maprun-update", roleArn=ROLE, definition=distributed(
            child, {"ToleratedFailureCount": 0, "Label": "Work"}))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[0, 0, 1, 1]")["executionArn"]
        runs = wait_for(lambda: self.sfn.list_map_runs(executionArn=execution)["mapRuns"], "the map run")
        self.assertEqual(len(runs), 1)
        run_arn = runs[0]["mapRunArn"]
        self.assertIn(":mapRun:maprun-update/Work:", run_arn)
        self.assertTrue(runs[0]["stateMachineArn"].endswith(":stateMachine:maprun-update/Work"))
        running = self.sfn.describe_map_run(mapRunArn=run_arn)
        self.assertEqual(running["status"], "RUNNING")
        self.assertEqual(running["toleratedFailureCount"], 0)
        self.assertEqual(running["maxConcurrency"], 1)
        self.sfn.update_map_run(mapRunArn=run_arn, toleratedFailureCount=2)

        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        described = self.sfn.describe_map_run(mapRunArn=run_arn)
        self.assertEqual(described["status"], "SUCCEEDED")
        self.assertEqual(described["toleratedFailureCount"], 2)
        for counts in (described["itemCounts"], described["executionCounts"]):
            self.assertEqual((counts["total"], counts["succeeded"], counts["failed"], counts["pending"],
                              counts["running"]), (4, 2, 2, 0, 0))
        self.assertIn("stopDate", described)
        events = self.sfn.get_execution_history(executionArn=execution)["events"]
        started = [e for e in events if e["type"] == "MapRunStarted"]
        self.assertEqual(started[0]["mapRunStartedEventDetails"]["mapRunArn"], run_arn)

        # The same run without the update fails over its threshold.
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[0, 1]")["executionArn"]
        done = wait_for(lambda: self.finished(execution), "the second execution")
        self.assertEqual(done["status"], "FAILED")
        self.assertEqual(done["error"], "States.ExceedToleratedFailureThreshold")
        run_arn = self.sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"]
        self.assertEqual(self.sfn.describe_map_run(mapRunArn=run_arn)["status"], "FAILED")

    def running_children(self, run_arn):
        d = self.sfn.describe_map_run(mapRunArn=run_arn)
        return d["executionCounts"]["running"], d["status"]

    def start_waiting_run(self, name, max_concurrency, items):
        child = {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"}, "P": {"Type": "Pass", "End": True}}
        machine = self.sfn.create_state_machine(name=name, roleArn=ROLE, definition=distributed(
            child, {"MaxConcurrency": max_concurrency}))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input=json.dumps(list(range(items))))
        runs = wait_for(lambda: self.sfn.list_map_runs(executionArn=execution["executionArn"])["mapRuns"],
                        "the map run")
        return execution["executionArn"], runs[0]["mapRunArn"]

    def running_until_done(self, run_arn):
        """The running counts DescribeMapRun reports until the run ends."""
        seen = []
        while True:
            running, status = self.running_children(run_arn)
            if status != "RUNNING":
                return seen
            seen.append(running)
            time.sleep(0.05)

    def test_update_map_run_raises_max_concurrency_while_it_runs(self):
        execution, run_arn = self.start_waiting_run("maprun-raise", 1, 6)
        wait_for(lambda: self.running_children(run_arn)[0] == 1, "the first child running")
        self.sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=3)
        seen = self.running_until_done(run_arn)
        self.assertGreaterEqual(max(seen), 2, seen)  # more than one child at a time once raised
        self.assertLessEqual(max(seen), 3, seen)
        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        described = self.sfn.describe_map_run(mapRunArn=run_arn)
        self.assertEqual(described["maxConcurrency"], 3)
        self.assertEqual(described["executionCounts"]["succeeded"], 6)

    def test_update_map_run_lowers_max_concurrency_while_it_runs(self):
        execution, run_arn = self.start_waiting_run("maprun-lower", 3, 6)
        wait_for(lambda: self.running_children(run_arn)[0] == 3, "three children running")
        self.sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=1)
        seen = self.running_until_done(run_arn)
        # The three running children finish; the three left then run one at a time.
        drained = next(i for i, running in enumerate(seen) if running <= 1)
        self.assertLessEqual(max(seen[drained:]), 1, seen)
        self.assertIn(1, seen[drained:], seen)
        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        self.assertEqual(self.sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["succeeded"], 6)

    def test_batches_count_items_apart_from_executions(self):
        machine = self.sfn.create_state_machine(name="maprun-batches", roleArn=ROLE, definition=distributed(
            {"P": {"Type": "Pass", "End": True}}, {"ItemBatcher": {"MaxItemsPerBatch": 2}}, start="P"))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[1, 2, 3, 4, 5]")["executionArn"]
        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        self.assertEqual(json.loads(done["output"]), [{"Items": [1, 2]}, {"Items": [3, 4]}, {"Items": [5]}])
        run_arn = self.sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"]
        described = self.sfn.describe_map_run(mapRunArn=run_arn)
        self.assertEqual((described["itemCounts"]["total"], described["itemCounts"]["succeeded"]), (5, 5))
        self.assertEqual((described["executionCounts"]["total"], described["executionCounts"]["succeeded"]), (3, 3))

    def test_list_map_runs_pages_and_checks_its_execution(self):
        # Three Distributed Maps in one execution: ListMapRuns pages them maxResults at a time, as AWS's paginator
        # (maxResults / nextToken) does, and refuses an ARN that is not an execution's
        maps = {name: json.loads(distributed({"P" + name: {"Type": "Pass", "End": True}}, start="P" + name))["States"]["M"]
                for name in ("A", "B", "C")}
        maps["A"].pop("End"), maps["B"].pop("End")
        maps["A"]["Next"], maps["B"]["Next"] = "B", "C"
        machine = self.sfn.create_state_machine(name="maprun-pages", roleArn=ROLE, definition=json.dumps(
            {"StartAt": "A", "States": maps}))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[1]")["executionArn"]
        self.assertEqual(wait_for(lambda: self.finished(execution), "the execution")["status"], "SUCCEEDED")
        every = self.sfn.list_map_runs(executionArn=execution)["mapRuns"]
        self.assertEqual(len(every), 3)
        first = self.sfn.list_map_runs(executionArn=execution, maxResults=2)
        self.assertEqual(first["mapRuns"], every[:2])
        rest = self.sfn.list_map_runs(executionArn=execution, maxResults=2, nextToken=first["nextToken"])
        self.assertEqual(rest["mapRuns"], every[2:])
        self.assertNotIn("nextToken", rest)
        with self.assertRaises(self.sfn.exceptions.InvalidToken):
            self.sfn.list_map_runs(executionArn=execution, nextToken="garbage")
        with self.assertRaises(self.sfn.exceptions.InvalidArn):
            self.sfn.list_map_runs(executionArn="notanarn")
        with self.assertRaises(self.sfn.exceptions.InvalidArn):
            self.sfn.list_map_runs(executionArn=machine)
        with self.assertRaises(self.sfn.exceptions.ExecutionDoesNotExist):
            self.sfn.list_map_runs(executionArn=execution + "-nope")

    def test_unknown_map_run_and_bad_update(self):
        with self.assertRaises(self.sfn.exceptions.ResourceNotFound):
            self.sfn.describe_map_run(
                mapRunArn="arn:aws:states:us-east-1:123456789012:mapRun:nope/M:00000000-0000-4000-8000-000000000000")
        with self.assertRaises(self.sfn.exceptions.InvalidArn):
            self.sfn.describe_map_run(mapRunArn="arn:aws:states:us-east-1:123456789012:execution:x:y")

    def test_result_writer_writes_into_the_mapped_directory(self):
        machine = self.sfn.create_state_machine(name="maprun-writer", roleArn=ROLE, definition=distributed(
            {"P": {"Type": "Pass", "End": True}},
            {"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                              "Parameters": {"Bucket": "results", "Prefix": "out"}}}, start="P"))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input='["a", "b"]')["executionArn"]
        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        output = json.loads(done["output"])
        key = output["ResultWriterDetails"]["Key"]
        with open(os.path.join(self.bucket, key)) as f:
            manifest = json.load(f)
        self.assertEqual(manifest["MapRunArn"], output["MapRunArn"])
        self.assertEqual(manifest["DestinationBucket"], "results")
        with open(os.path.join(self.bucket, manifest["ResultFiles"]["SUCCEEDED"][0]["Key"])) as f:
            results = json.load(f)
        self.assertEqual([r["Output"] for r in results], ['"a"', '"b"'])

    def test_standard_children_are_executions_of_the_map_run(self):
        # Three items, one failing (tolerated): each child is an execution of its own, listed by its Map Run
        # and not by the parent's state machine, with the history of its own states.
        child = {"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}],
                       "Default": "P"},
                 "F": {"Type": "Fail", "Error": "Bad", "Cause": "one"}, "P": {"Type": "Pass", "End": True}}
        machine = self.sfn.create_state_machine(name="maprun-children", roleArn=ROLE, definition=distributed(
            child, {"ToleratedFailureCount": 1, "Label": "Kids"}, start="C"))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[0, 1, 2]")["executionArn"]
        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        run_arn = self.sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"]
        children = self.sfn.list_executions(mapRunArn=run_arn)["executions"]
        self.assertEqual(sorted(c["status"] for c in children), ["FAILED", "SUCCEEDED", "SUCCEEDED"])
        for c in children:
            self.assertEqual(c["mapRunArn"], run_arn)
            self.assertIn(":execution:maprun-children/Kids:", c["executionArn"])
        failed = self.sfn.list_executions(mapRunArn=run_arn, statusFilter="FAILED")["executions"]
        self.assertEqual(len(failed), 1)
        described = self.sfn.describe_execution(executionArn=failed[0]["executionArn"])
        self.assertEqual(described["mapRunArn"], run_arn)
        self.assertEqual((described["error"], described["cause"]), ("Bad", "one"))
        self.assertEqual(described["redriveStatus"], "REDRIVABLE_BY_MAP_RUN")
        events = self.sfn.get_execution_history(executionArn=failed[0]["executionArn"])["events"]
        self.assertEqual([e["type"] for e in events],
                         ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered",
                          "ExecutionFailed"])
        self.assertEqual(json.loads(events[0]["executionStartedEventDetails"]["input"]), 1)
        parent = self.sfn.list_executions(stateMachineArn=machine)["executions"]
        self.assertEqual([e["executionArn"] for e in parent], [execution])
        with self.assertRaises(self.sfn.exceptions.ClientError):
            self.sfn.list_executions(mapRunArn=run_arn, stateMachineArn=machine)

    def test_running_standard_children_are_shown_while_the_run_goes_on(self):
        # GIVEN a Map Run whose two STANDARD children each wait for an activity worker
        activity = self.sfn.create_activity(name="maprun-live-worker")["activityArn"]
        machine = self.sfn.create_state_machine(name="maprun-live", roleArn=ROLE, definition=distributed(
            {"T": {"Type": "Task", "Resource": activity, "End": True}}, {"MaxConcurrency": 2, "Label": "Live"},
            start="T"))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[1, 2]")["executionArn"]
        run_arn = wait_for(lambda: self.sfn.list_map_runs(executionArn=execution)["mapRuns"], "the map run")[0][
            "mapRunArn"]
        # WHEN both children have started (a worker holds each one's task)
        tokens = [wait_for(lambda: self.sfn.get_activity_task(activityArn=activity).get("taskToken"), "a task")
                  for _ in range(2)]
        # THEN ListExecutions(mapRunArn), with and without statusFilter RUNNING, DescribeExecution and
        # GetExecutionHistory show them running
        running = wait_for(lambda: (lambda page: page if len(page) == 2 else None)(
            self.sfn.list_executions(mapRunArn=run_arn, statusFilter="RUNNING")["executions"]), "running children")
        self.assertEqual([c["executionArn"] for c in self.sfn.list_executions(mapRunArn=run_arn)["executions"]],
                         [c["executionArn"] for c in running])
        inputs = []
        for c in running:
            self.assertEqual((c["status"], c["mapRunArn"]), ("RUNNING", run_arn))
            self.assertNotIn("stopDate", c)
            self.assertIn(":execution:maprun-live/Live:", c["executionArn"])
            described = self.sfn.describe_execution(executionArn=c["executionArn"])
            self.assertEqual((described["status"], described["mapRunArn"]), ("RUNNING", run_arn))
            self.assertNotIn("stopDate", described)
            inputs.append(json.loads(described["input"]))
            # its events so far: up to the task it waits in (not ExecutionStarted alone)
            events = self.sfn.get_execution_history(executionArn=c["executionArn"])["events"]
            types = [e["type"] for e in events]
            self.assertEqual(types[:2], ["ExecutionStarted", "TaskStateEntered"], types)
            self.assertTrue(types[-1].endswith("Scheduled") or types[-1].endswith("Started"), types)
            self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
        self.assertEqual(sorted(inputs), [1, 2])
        self.assertEqual(self.sfn.list_executions(mapRunArn=run_arn, statusFilter="SUCCEEDED")["executions"], [])
        for token in tokens:
            self.sfn.send_task_success(taskToken=token, output='"done"')
        done = wait_for(lambda: self.finished(execution), "the execution")
        self.assertEqual(done["status"], "SUCCEEDED", done)
        # AND once ended, each child is listed once, with its whole history (one ExecutionStarted)
        ended = wait_for(lambda: (lambda page: page if len(page) == 2 else None)(
            self.sfn.list_executions(mapRunArn=run_arn, statusFilter="SUCCEEDED")["executions"]), "ended children")
        self.assertEqual([c["executionArn"] for c in ended], [c["executionArn"] for c in running])
        self.assertEqual(self.sfn.list_executions(mapRunArn=run_arn, statusFilter="RUNNING")["executions"], [])
        for c in ended:
            self.assertIn("stopDate", self.sfn.describe_execution(executionArn=c["executionArn"]))
            types = [e["type"] for e in self.sfn.get_execution_history(executionArn=c["executionArn"])["events"]]
            self.assertEqual((types[0], types[-1], types.count("ExecutionStarted")),
                             ("ExecutionStarted", "ExecutionSucceeded", 1), types)


    def test_a_redrive_continues_the_failed_map_run_with_only_its_unsuccessful_children(self):
        # GIVEN a run (one child at a time) whose second child fails, so that the third never starts
        activity = self.sfn.create_activity(name="maprun-redrive-worker")["activityArn"]
        machine = self.sfn.create_state_machine(name="maprun-redrive", roleArn=ROLE, definition=distributed(
            {"T": {"Type": "Task", "Resource": activity, "End": True}}, {"Label": "R"}, start="T"))["stateMachineArn"]
        execution = self.sfn.start_execution(stateMachineArn=machine, input="[0, 1, 2]")["executionArn"]

        def work(expected, fail=False):
            task = self.sfn.get_activity_task(activityArn=activity, workerName="redrive")
            self.assertEqual(json.loads(task["input"]), expected)
            if fail:
                self.sfn.send_task_failure(taskToken=task["taskToken"], error="Broken", cause="item %d" % expected)
            else:
                self.sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps(expected * 10))

        work(0)
        work(1, fail=True)
        failed = wait_for(lambda: self.finished(execution), "the failed execution")
        self.assertEqual(failed["status"], "FAILED", failed)
        (run_arn,) = [r["mapRunArn"] for r in self.sfn.list_map_runs(executionArn=execution)["mapRuns"]]
        first = self.sfn.describe_map_run(mapRunArn=run_arn)
        self.assertEqual((first["status"], first["redriveCount"]), ("FAILED", 0))
        # WHEN the execution is redriven
        self.sfn.redrive_execution(executionArn=execution)
        # THEN the same run goes on, rerunning the failed child and starting the one that never ran
        work(1)
        work(2)
        done = wait_for(lambda: self.finished(execution), "the redriven execution")
        self.assertEqual((done["status"], json.loads(done["output"])), ("SUCCEEDED", [0, 10, 20]), done)
        self.assertEqual([r["mapRunArn"] for r in self.sfn.list_map_runs(executionArn=execution)["mapRuns"]], [run_arn])
        described = self.sfn.describe_map_run(mapRunArn=run_arn)
        self.assertEqual((described["status"], described["redriveCount"]), ("SUCCEEDED", 1))
        self.assertIn("redriveDate", described)
        self.assertEqual(described["startDate"], first["startDate"])
        self.assertEqual(described["executionCounts"]["succeeded"], 3)
        events = self.sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
        redriven = [e["mapRunRedrivenEventDetails"] for e in events if e["type"] == "MapRunRedriven"]
        self.assertEqual(redriven, [{"mapRunArn": run_arn, "redriveCount": 1}])
        children = self.sfn.list_executions(mapRunArn=run_arn)["executions"]
        self.assertEqual(sorted(c["status"] for c in children), ["SUCCEEDED"] * 3)
        for c in children:
            history = self.sfn.get_execution_history(executionArn=c["executionArn"])["events"]
            self.assertEqual([e["id"] for e in history], list(range(1, len(history) + 1)))
            self.assertEqual((history[0]["type"], history[-1]["type"]), ("ExecutionStarted", "ExecutionSucceeded"))


class MapRunRestartTest(unittest.TestCase):
    def start_run_with_a_waiting_child(self, db, *server_args):
        """A Map Run whose STANDARD child waits for an activity worker, and the service killed while it runs."""
        server = Server(BINARY, *server_args, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            activity = sfn.create_activity(name="maprun-kill-worker")["activityArn"]
            machine = sfn.create_state_machine(name="maprun-kill", roleArn=ROLE, definition=distributed(
                {"T": {"Type": "Task", "Resource": activity, "End": True}}, {"Label": "K"}, start="T"))[
                "stateMachineArn"]
            execution = sfn.start_execution(stateMachineArn=machine, input="[1]")["executionArn"]
            run_arn = wait_for(lambda: sfn.list_map_runs(executionArn=execution)["mapRuns"], "the map run")[0][
                "mapRunArn"]
            child = wait_for(lambda: sfn.list_executions(mapRunArn=run_arn, statusFilter="RUNNING")["executions"],
                             "the running child")[0]["executionArn"]
            # listed RUNNING from its ExecutionStarted on: kill only once it waits in its Task state
            wait_for(lambda: "ActivityScheduled" in [e["type"] for e in sfn.get_execution_history(
                executionArn=child)["events"]], "the child waiting for its worker")
        finally:
            server.kill9()  # WHEN the service dies while the child runs
        return activity, execution, run_arn, child

    def test_a_child_running_at_a_kill_continues_with_its_run(self):
        db = new_database()
        activity, execution, run_arn, child = self.start_run_with_a_waiting_child(db)
        server = Server(BINARY, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            # THEN the parent resumes inside its Map state and the same run goes on with the same child
            task = sfn.get_activity_task(activityArn=activity, workerName="after-restart")
            self.assertEqual(json.loads(task["input"]), 1)
            self.assertEqual(sfn.describe_execution(executionArn=child)["status"], "RUNNING")
            sfn.send_task_success(taskToken=task["taskToken"], output='"done"')
            done = wait_for(lambda: self.finished(sfn, execution), "the execution")
            self.assertEqual((done["status"], done.get("output")), ("SUCCEEDED", '["done"]'), done)
            self.assertEqual([c["executionArn"] for c in sfn.list_executions(mapRunArn=run_arn)["executions"]], [child])
            self.assertEqual(sfn.describe_execution(executionArn=child)["status"], "SUCCEEDED")
            types = [e["type"] for e in sfn.get_execution_history(executionArn=child)["events"]]
            self.assertEqual((types[0], types[-1], types.count("ExecutionStarted"), "ExecutionAborted" in types),
                             ("ExecutionStarted", "ExecutionSucceeded", 1, False), types)
            self.assertEqual(sfn.describe_map_run(mapRunArn=run_arn)["status"], "SUCCEEDED")
        finally:
            server.stop()

    def test_a_child_running_at_a_kill_is_aborted_when_its_parent_cannot_resume(self):
        db = new_database()
        # The parent ran without checkpoints: it cannot resume, so its run and the child end with that process.
        _, execution, run_arn, child = self.start_run_with_a_waiting_child(db, "--no-checkpoints")
        server = Server(BINARY, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            self.assertEqual(sfn.describe_execution(executionArn=execution)["status"], "FAILED")
            described = sfn.describe_execution(executionArn=child)
            self.assertEqual(described["status"], "ABORTED", described)
            self.assertIn("stopDate", described)
            # its events up to the kill (stored as it ran), then the abort
            events = sfn.get_execution_history(executionArn=child)["events"]
            types = [e["type"] for e in events]
            self.assertEqual((types[0], types[1], types[-1]), ("ExecutionStarted", "TaskStateEntered", "ExecutionAborted"))
            self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
            self.assertEqual(sfn.describe_map_run(mapRunArn=run_arn)["status"], "ABORTED")
        finally:
            server.stop()

    def finished(self, sfn, arn):
        d = sfn.describe_execution(executionArn=arn)
        return d if d["status"] != "RUNNING" else None

    def test_map_runs_and_children_survive_a_kill(self):
        db = new_database()
        server = Server(BINARY, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            machine = sfn.create_state_machine(name="maprun-restart", roleArn=ROLE, definition=distributed(
                {"P": {"Type": "Pass", "End": True}}, {"Label": "L"}, start="P"))["stateMachineArn"]
            execution = sfn.start_execution(stateMachineArn=machine, input="[1, 2, 3, 4]")["executionArn"]
            wait_for(lambda: sfn.describe_execution(executionArn=execution)["status"] != "RUNNING", "the execution")
            run_arn = sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"]
            # The run's last record and the children are committed by the background flusher at the latest.
            wait_for(lambda: len(sfn.list_executions(mapRunArn=run_arn)["executions"]) == 4, "the children")
            wait_for(lambda: sfn.describe_map_run(mapRunArn=run_arn)["status"] == "SUCCEEDED", "the run")
            sfn.get_execution_history(executionArn=execution)  # a history read commits everything queued
        finally:
            server.kill9()
        server = Server(BINARY, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            self.assertEqual([r["mapRunArn"] for r in sfn.list_map_runs(executionArn=execution)["mapRuns"]], [run_arn])
            described = sfn.describe_map_run(mapRunArn=run_arn)
            self.assertEqual(described["status"], "SUCCEEDED")
            self.assertEqual(described["executionCounts"]["succeeded"], 4)
            self.assertEqual(described["itemCounts"]["total"], 4)
            children = sfn.list_executions(mapRunArn=run_arn)["executions"]
            self.assertEqual(len(children), 4)
            outputs = sorted(json.loads(sfn.describe_execution(executionArn=c["executionArn"])["output"])
                             for c in children)
            self.assertEqual(outputs, [1, 2, 3, 4])
        finally:
            server.stop()

    def test_an_execution_resumed_after_a_kill_reads_its_items_and_reports_its_map_run(self):
        # GIVEN a STANDARD execution that waits (real clock) and then reads its items from a mapped bucket
        db = new_database()
        bucket = tempfile.mkdtemp(prefix="sfn-maprun-items-")
        with open(os.path.join(bucket, "items.json"), "w") as f:
            json.dump([{"n": 1}, {"n": 2}, {"n": 3}], f)
        definition = json.loads(distributed({"P": {"Type": "Pass", "End": True}}, {
            "Label": "R", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                         "ReaderConfig": {"InputType": "JSON"},
                                         "Parameters": {"Bucket": "items", "Key": "items.json"}}}, start="P"))
        definition["StartAt"] = "W"
        definition["States"]["W"] = {"Type": "Wait", "Seconds": 2, "Next": "M"}
        server = Server(BINARY, "--s3-dir", "items=" + bucket, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            machine = sfn.create_state_machine(name="maprun-resume", roleArn=ROLE,
                                               definition=json.dumps(definition))["stateMachineArn"]
            execution = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
            wait_for(lambda: any(e["type"] == "WaitStateEntered" for e in
                                 sfn.get_execution_history(executionArn=execution)["events"]), "the Wait")
        finally:
            server.kill9()  # WHEN the service dies during the Wait, before the Map Run starts
        server = Server(BINARY, "--s3-dir", "items=" + bucket, db=db).start()
        try:
            sfn = stepfunctions_client(server)
            # THEN the resumed execution reads the bucket, its Map Run and children are in the service
            wait_for(lambda: sfn.describe_execution(executionArn=execution)["status"] != "RUNNING", "the execution")
            described = sfn.describe_execution(executionArn=execution)
            self.assertEqual(described["status"], "SUCCEEDED", described.get("cause"))
            self.assertEqual(json.loads(described["output"]), [{"n": 1}, {"n": 2}, {"n": 3}])
            runs = sfn.list_map_runs(executionArn=execution)["mapRuns"]
            self.assertEqual(len(runs), 1)
            wait_for(lambda: sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"])["status"] == "SUCCEEDED", "the run")
            wait_for(lambda: len(sfn.list_executions(mapRunArn=runs[0]["mapRunArn"])["executions"]) == 3,
                     "the children")
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
