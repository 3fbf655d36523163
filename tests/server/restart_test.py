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

    def finished(self, sfn, arn):
        for _ in range(3000):
            d = sfn.describe_execution(executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.01)
        self.fail("%s still RUNNING" % arn)


if __name__ == "__main__":
    unittest.main()
