#!/usr/bin/env python3
"""Restart: create machines and run executions against `sfn serve --db F`, kill -9 it while an execution is
running, restart on the same file and check that nothing committed was lost and the interrupted execution
resumes from its last transition (one whose checkpoint cannot be used, or that ran under --no-checkpoints, ends
FAILED with a clear cause, and can be redriven). Usage: restart_test.py SFN_BINARY"""
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import unittest
from contextlib import closing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env  # noqa: E402

os.environ.update(client_env())
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
ROLE = "arn:aws:iam::123456789012:role/test"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
                                              "Done": {"Type": "Pass", "Result": "finished", "End": True}}})


class RestartTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="sfn-restart-")
        self.db = os.path.join(self.folder, "local.db")

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def client(self, server):
        return boto3.client("stepfunctions", endpoint_url=server.url, region_name="us-east-1",
                            config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))

    def test_kill_9_loses_nothing_committed(self):
        server = Server(BINARY, db=self.db).start()  # real clock: the Wait keeps its execution running
        try:
            sfn = self.client(server)
            done_arn = sfn.create_state_machine(name="done", definition=PASS, roleArn=ROLE, publish=True,
                                                tags=[{"key": "k", "value": "v"}])["stateMachineArn"]
            wait_arn = sfn.create_state_machine(name="waits", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
            finished = [sfn.start_execution(stateMachineArn=done_arn, name="f%d" % i)["executionArn"]
                        for i in range(20)]
            for arn in finished:
                while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
                    time.sleep(0.01)
            histories = {arn: sfn.get_execution_history(executionArn=arn)["events"] for arn in finished}
            running = sfn.start_execution(stateMachineArn=wait_arn, name="interrupted")["executionArn"]
            spoiled = sfn.start_execution(stateMachineArn=wait_arn, name="spoiled")["executionArn"]
            for arn in (running, spoiled):
                while len(sfn.get_execution_history(executionArn=arn)["events"]) < 2:
                    time.sleep(0.01)
        finally:
            server.kill9()
        # A checkpoint written by a newer sfn cannot be used: that execution fails, the other one resumes.
        with sqlite3.connect(self.db) as db:
            (id_, doc) = db.execute("SELECT id, checkpoint FROM history WHERE execution = ? AND checkpoint IS NOT NULL "
                                    "ORDER BY id DESC LIMIT 1", (spoiled,)).fetchone()
            newer = dict(json.loads(doc), format=99)
            db.execute("UPDATE history SET checkpoint = ? WHERE execution = ? AND id = ?",
                       (json.dumps(newer), spoiled, id_))
        server = Server(BINARY, "--clock", "virtual", db=self.db).start()
        try:
            self.assertEqual(server.proc.stdout.readline().strip(),
                             "sfn serve: resumed 1 execution(s) interrupted by the previous process "
                             "(1 could not be resumed: FAILED)")
            sfn = self.client(server)
            names = sorted(m["name"] for m in sfn.list_state_machines()["stateMachines"])
            self.assertEqual(names, ["done", "waits"])
            self.assertEqual(sfn.describe_state_machine(stateMachineArn=done_arn)["definition"], PASS)
            self.assertEqual(len(sfn.list_state_machine_versions(stateMachineArn=done_arn)["stateMachineVersions"]), 1)
            self.assertEqual(sfn.list_tags_for_resource(resourceArn=done_arn)["tags"], [{"key": "k", "value": "v"}])
            for arn in finished:
                d = sfn.describe_execution(executionArn=arn)
                self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", {"ok": 1}))
                self.assertEqual(sfn.get_execution_history(executionArn=arn)["events"], histories[arn])
            # The interrupted execution continues in its Wait state (the virtual clock skips the rest of it).
            d = self.finished(sfn, running)
            self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", "finished"))
            events = sfn.get_execution_history(executionArn=running)["events"]
            self.assertEqual([e["type"] for e in events],
                             ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
                              "PassStateExited", "ExecutionSucceeded"])
            self.assertEqual([e["id"] for e in events], [1, 2, 3, 4, 5, 6])
            self.assertEqual([e["previousEventId"] for e in events], [0, 0, 2, 3, 4, 5])
            d = sfn.describe_execution(executionArn=spoiled)
            self.assertEqual(d["status"], "FAILED")
            self.assertEqual(d["error"], "States.Runtime")
            self.assertEqual(d["cause"], "The local Step Functions service stopped while this execution was running "
                             "and could not resume it when it restarted: [sfn.server.E004] its checkpoint was written "
                             "in format 99, newer than this sfn understands (1). Use RedriveExecution to continue it.")
            events = sfn.get_execution_history(executionArn=spoiled)["events"]
            self.assertEqual([e["type"] for e in events], ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"])
            # It continues from its Wait state when redriven (virtual clock now).
            sfn.redrive_execution(executionArn=spoiled)
            d = self.finished(sfn, spoiled)
            self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", "finished"))
        finally:
            server.stop()

    def test_without_checkpoints_an_interrupted_execution_ends_failed_and_can_be_redriven(self):
        server = Server(BINARY, "--no-checkpoints", db=self.db).start()
        try:
            sfn = self.client(server)
            wait_arn = sfn.create_state_machine(name="waits", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
            arn = sfn.start_execution(stateMachineArn=wait_arn, name="unsaved")["executionArn"]
            while len(sfn.get_execution_history(executionArn=arn)["events"]) < 2:
                time.sleep(0.01)
        finally:
            server.kill9()
        with sqlite3.connect(self.db) as db:
            rows = db.execute("SELECT COUNT(*), COUNT(checkpoint) FROM history WHERE execution = ?", (arn,)).fetchone()
        self.assertEqual(rows, (2, 0))  # ExecutionStarted and WaitStateEntered, no checkpoint with either
        server = Server(BINARY, "--clock", "virtual", db=self.db).start()  # checkpoints on again
        try:
            self.assertEqual(server.proc.stdout.readline().strip(),
                             "sfn serve: resumed 0 execution(s) interrupted by the previous process "
                             "(1 could not be resumed: FAILED)")
            sfn = self.client(server)
            d = sfn.describe_execution(executionArn=arn)
            self.assertEqual((d["status"], d["error"]), ("FAILED", "States.Runtime"))
            self.assertIn("could not resume it when it restarted: [sfn.server.E004] it ran without checkpoints "
                          "(the service was started with --no-checkpoints)", d["cause"])
            sfn.redrive_execution(executionArn=arn)  # redriven with checkpoints on: from its Wait state
            d = self.finished(sfn, arn)
            self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", "finished"))
            events = sfn.get_execution_history(executionArn=arn)["events"]
            self.assertEqual([e["type"] for e in events],
                             ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed", "ExecutionRedriven",
                              "WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited",
                              "ExecutionSucceeded"])
        finally:
            server.stop()

    def test_nested_children_started_inside_a_map_are_found_again_after_a_kill(self):
        # Concurrent iterations invoke their tasks in no fixed order; each child's name derives from where its
        # task runs (TaskRequest::invocation_key), so the iterations run again after the restart find their own
        # children instead of starting more (or colliding with a sibling's child of another input).
        child_definition = json.dumps({"StartAt": "Nap", "States": {
            "Nap": {"Type": "Wait", "Seconds": 4, "Next": "Echo"},
            "Echo": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "End": True}}})
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            child = sfn.create_state_machine(name="child", definition=child_definition,
                                             roleArn=ROLE)["stateMachineArn"]
            parent = sfn.create_state_machine(name="parent", roleArn=ROLE, definition=json.dumps({
                "StartAt": "Each", "States": {"Each": {
                    "Type": "Map", "ItemsPath": "$.items", "End": True,
                    "ItemProcessor": {"StartAt": "Until", "States": {
                        "Until": {"Type": "Wait", "TimestampPath": "$.at", "Next": "Start"},
                        "Start": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                                  "Parameters": {"StateMachineArn": child, "Input": {"n.$": "$.n"}},
                                  "OutputPath": "$.Output.n", "End": True}}}}}}))["stateMachineArn"]
            # The first run starts the children last item first; after the restart the due times have passed and
            # the iterations invoke their tasks about in item order.
            now = time.time()
            items = [{"n": n, "at": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now + 0.3 * (7 - n))) +
                      ".%03dZ" % (int((now + 0.3 * (7 - n)) * 1000) % 1000)} for n in range(1, 7)]
            arn = sfn.start_execution(stateMachineArn=parent, input=json.dumps({"items": items}))["executionArn"]
            for _ in range(1000):
                if len(sfn.list_executions(stateMachineArn=child, statusFilter="RUNNING")["executions"]) == 6:
                    break
                time.sleep(0.01)
            else:
                self.fail("the six children did not start")
        finally:
            server.kill9()
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            d = self.finished(sfn, arn)
            self.assertEqual((d["status"], d.get("output")), ("SUCCEEDED", "[1,2,3,4,5,6]"), d.get("cause"))
            children = sfn.list_executions(stateMachineArn=child)["executions"]
            inputs = sorted(json.loads(sfn.describe_execution(executionArn=c["executionArn"])["input"])["n"]
                            for c in children)
            self.assertEqual(inputs, [1, 2, 3, 4, 5, 6])  # one child per iteration, however often re-invoked
        finally:
            server.stop()

    def test_finished_map_iterations_and_parallel_branches_are_not_run_again_after_a_kill(self):
        # Every iteration and branch works an activity task; the test is the worker. Killed with three of six
        # iterations done, the resumed Map schedules only the other three; killed again with one branch of
        # the Parallel done, the resumed Parallel schedules only the other.
        activity_name = "work"
        definition = {"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "Next": "Fan",
                     "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
                         "Type": "Task", "Resource": "ACTIVITY", "Parameters": {"n.$": "$"}, "End": True}}}},
            "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "End": True, "Branches": [
                {"StartAt": side, "States": {side: {"Type": "Task", "Resource": "ACTIVITY",
                                                    "Parameters": {"side": side}, "End": True}}}
                for side in ("left", "right")]}}}

        def task(sfn, activity):
            t = sfn.get_activity_task(activityArn=activity, workerName="test")
            self.assertTrue(t.get("taskToken"), "no activity task came")
            return t["taskToken"], json.loads(t["input"])

        def stored_children(state):
            with closing(sqlite3.connect(self.db)) as db:
                return db.execute("SELECT COUNT(*) FROM finished_children WHERE state = ?", (state,)).fetchone()[0]

        def wait_for_stored(state, count):
            for _ in range(500):
                if stored_children(state) == count:
                    return
                time.sleep(0.01)
            self.fail("%d finished children of %s were not stored" % (count, state))

        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            activity = sfn.create_activity(name=activity_name)["activityArn"]
            text = json.dumps(definition).replace('"ACTIVITY"', json.dumps(activity))
            machine = sfn.create_state_machine(name="fans", definition=text, roleArn=ROLE)["stateMachineArn"]
            arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": list(range(6))}))["executionArn"]
            held = []
            for _ in range(6):
                token, given = task(sfn, activity)
                if given["n"] < 3:
                    sfn.send_task_success(taskToken=token, output=json.dumps({"done": given["n"] * 10}))
                else:
                    held.append(given["n"])
            self.assertEqual(sorted(held), [3, 4, 5])
            wait_for_stored("Each", 3)
        finally:
            server.kill9()
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            again = []
            for _ in range(3):
                token, given = task(sfn, activity)
                again.append(given["n"])
                sfn.send_task_success(taskToken=token, output=json.dumps({"done": given["n"] * 10}))
            self.assertEqual(sorted(again), [3, 4, 5])  # items 0-2 were not scheduled again
            sides = {}
            for _ in range(2):
                token, given = task(sfn, activity)
                self.assertIn("side", given, "an iteration's task was scheduled again: %s" % given)
                sides[given["side"]] = token
            sfn.send_task_success(taskToken=sides["left"], output=json.dumps({"side": "left"}))
            wait_for_stored("Fan", 1)
        finally:
            server.kill9()
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            token, given = task(sfn, activity)
            self.assertEqual(given, {"side": "right"})  # the left branch was not scheduled again
            sfn.send_task_success(taskToken=token, output=json.dumps({"side": "right"}))
            d = self.finished(sfn, arn)
            self.assertEqual(d["status"], "SUCCEEDED", d.get("cause"))
            self.assertEqual(json.loads(d["output"]), {"items": list(range(6)),
                                                       "each": [{"done": n * 10} for n in range(6)],
                                                       "fan": [{"side": "left"}, {"side": "right"}]})
            events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
            self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
            succeeded = sorted(e["mapIterationSucceededEventDetails"]["index"] for e in events
                               if e["type"] == "MapIterationSucceeded")
            self.assertEqual(succeeded, list(range(6)))
            self.assertEqual(sum(e["type"].endswith("Scheduled") for e in events), 8)
            self.assertEqual(sum(e["type"] in ("ActivitySucceeded", "TaskSucceeded") for e in events), 8)
            self.assertEqual(stored_children("Each") + stored_children("Fan"), 0)  # dropped once it succeeded
        finally:
            server.stop()

    def test_a_distributed_map_run_continues_after_a_kill_without_running_finished_children_again(self):
        # Children (STANDARD) work an activity task each; two of four finish before the kill. After the restart
        # the same Map Run goes on: only the other two children run, and the run ends with all four.
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            activity = sfn.create_activity(name="child-work")["activityArn"]
            machine = sfn.create_state_machine(name="distributed", roleArn=ROLE, definition=json.dumps({
                "StartAt": "Fan", "States": {"Fan": {
                    "Type": "Map", "End": True, "Label": "Fan",
                    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                                      "StartAt": "Work", "States": {"Work": {
                                          "Type": "Task", "Resource": activity, "End": True}}}}}}))["stateMachineArn"]
            arn = sfn.start_execution(stateMachineArn=machine, input="[0, 1, 2, 3]")["executionArn"]
            held = []
            for _ in range(4):
                t = sfn.get_activity_task(activityArn=activity, workerName="test")
                n = json.loads(t["input"])
                if n < 2:
                    sfn.send_task_success(taskToken=t["taskToken"], output=json.dumps(n * 10))
                else:
                    held.append(n)
            self.assertEqual(sorted(held), [2, 3])
            for _ in range(500):
                with closing(sqlite3.connect(self.db)) as db:
                    if db.execute("SELECT COUNT(*) FROM finished_children").fetchone()[0] == 2:
                        break
                time.sleep(0.01)
            else:
                self.fail("the two finished children were not stored")
            (run_arn,) = [r["mapRunArn"] for r in sfn.list_map_runs(executionArn=arn)["mapRuns"]]
        finally:
            server.kill9()
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            again = []
            for _ in range(2):
                t = sfn.get_activity_task(activityArn=activity, workerName="test")
                again.append(json.loads(t["input"]))
                sfn.send_task_success(taskToken=t["taskToken"], output=json.dumps(again[-1] * 10))
            self.assertEqual(sorted(again), [2, 3])  # children 0 and 1 did not run again
            d = self.finished(sfn, arn)
            self.assertEqual((d["status"], json.loads(d.get("output", "null"))), ("SUCCEEDED", [0, 10, 20, 30]),
                             d.get("cause"))
            runs = sfn.list_map_runs(executionArn=arn)["mapRuns"]
            self.assertEqual([r["mapRunArn"] for r in runs], [run_arn])  # the same run went on
            described = sfn.describe_map_run(mapRunArn=run_arn)
            self.assertEqual(described["status"], "SUCCEEDED")
            self.assertEqual((described["executionCounts"]["succeeded"], described["executionCounts"]["total"]), (4, 4))
            children = sfn.list_executions(mapRunArn=run_arn)["executions"]
            self.assertEqual(sorted(c["status"] for c in children), ["SUCCEEDED"] * 4)
            for c in children:
                events = sfn.get_execution_history(executionArn=c["executionArn"])["events"]
                self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
                self.assertEqual((events[0]["type"], events[-1]["type"]), ("ExecutionStarted", "ExecutionSucceeded"))
        finally:
            server.stop()

    def test_a_task_token_handed_out_inside_a_map_still_works_after_a_kill(self):
        # Each iteration starts a child with `.waitForTaskToken`; the tokens are read from the children's inputs
        # before the kill and answered after the restart, when the iterations have run again: the re-run tasks
        # wait for the same tokens (and find the same children: same name, same input).
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            child = sfn.create_state_machine(name="asked", roleArn=ROLE, definition=json.dumps(
                {"StartAt": "Hold", "States": {"Hold": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
            parent = sfn.create_state_machine(name="asks", roleArn=ROLE, definition=json.dumps({
                "StartAt": "Each", "States": {"Each": {
                    "Type": "Map", "End": True,
                    "ItemProcessor": {"StartAt": "Ask", "States": {"Ask": {
                        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
                        "Parameters": {"StateMachineArn": child, "Input": {"n.$": "$", "token.$": "$$.Task.Token"}},
                        "End": True}}}}}}))["stateMachineArn"]
            arn = sfn.start_execution(stateMachineArn=parent, input="[1, 2]")["executionArn"]
            tokens = {}
            for _ in range(1000):
                children = sfn.list_executions(stateMachineArn=child)["executions"]
                if len(children) == 2:
                    break
                time.sleep(0.01)
            for c in children:
                given = json.loads(sfn.describe_execution(executionArn=c["executionArn"])["input"])
                tokens[given["n"]] = given["token"]
        finally:
            server.kill9()
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            time.sleep(0.3)  # the resumed iterations wait again
            for n, token in sorted(tokens.items()):
                for _ in range(200):
                    try:
                        sfn.send_task_success(taskToken=token, output=json.dumps({"answer": n * 10}))
                        break
                    except sfn.exceptions.TaskDoesNotExist:
                        time.sleep(0.02)  # its iteration has not reached the task again yet
                else:
                    self.fail("token of item %d never worked again" % n)
            d = self.finished(sfn, arn)
            self.assertEqual((d["status"], json.loads(d.get("output", "null"))),
                             ("SUCCEEDED", [{"answer": 10}, {"answer": 20}]), d.get("cause"))
            self.assertEqual(len(sfn.list_executions(stateMachineArn=child)["executions"]), 2)
        finally:
            server.stop()

    def test_a_redrive_runs_only_the_iterations_that_failed(self):
        # AWS: for an inline Map or Parallel, RedriveExecution reschedules only the iterations and branches
        # that failed or aborted.
        server = Server(BINARY, db=self.db).start()
        try:
            sfn = self.client(server)
            activity = sfn.create_activity(name="items")["activityArn"]
            machine = sfn.create_state_machine(name="redrives", roleArn=ROLE, definition=json.dumps({
                "StartAt": "Each", "States": {"Each": {
                    "Type": "Map", "End": True, "MaxConcurrency": 1,
                    "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
                        "Type": "Task", "Resource": activity, "End": True}}}}}}))["stateMachineArn"]
            arn = sfn.start_execution(stateMachineArn=machine, input="[0, 1, 2, 3]")["executionArn"]
            for n in range(3):  # one at a time: 0 and 1 succeed, 2 fails and fails the Map (3 never starts)
                t = sfn.get_activity_task(activityArn=activity, workerName="test")
                self.assertEqual(json.loads(t["input"]), n)
                if n < 2:
                    sfn.send_task_success(taskToken=t["taskToken"], output=json.dumps(n * 10))
                else:
                    sfn.send_task_failure(taskToken=t["taskToken"], error="Broken", cause="item 2")
            d = self.finished(sfn, arn)
            self.assertEqual((d["status"], d["error"]), ("FAILED", "Broken"))
            sfn.redrive_execution(executionArn=arn)
            for n in (2, 3):  # only the failed iteration and the one that never ran
                t = sfn.get_activity_task(activityArn=activity, workerName="test")
                self.assertEqual(json.loads(t["input"]), n)
                sfn.send_task_success(taskToken=t["taskToken"], output=json.dumps(n * 10))
            d = self.finished(sfn, arn)
            self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", [0, 10, 20, 30]), d.get("cause"))
            events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
            self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
            after = [e for e in events[[e["type"] for e in events].index("ExecutionRedriven"):]]
            self.assertEqual(sorted(e["mapIterationStartedEventDetails"]["index"] for e in after
                                    if e["type"] == "MapIterationStarted"), [2, 3])
        finally:
            server.stop()

    def finished(self, sfn, arn):
        for _ in range(3000):
            d = sfn.describe_execution(executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.01)
        self.fail("%s still RUNNING" % arn)


if __name__ == "__main__":
    unittest.main()
