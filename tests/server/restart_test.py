#!/usr/bin/env python3
"""Restart: create machines and run executions against `sfn serve --db F`, kill -9 it while an execution is
running, restart on the same file and check that nothing committed was lost and the interrupted execution is
FAILED with a clear cause (and can be redriven). Usage: restart_test.py SFN_BINARY"""
import json
import os
import shutil
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
            while len(sfn.get_execution_history(executionArn=running)["events"]) < 2:
                time.sleep(0.01)
        finally:
            server.kill9()
        server = Server(BINARY, "--clock", "virtual", db=self.db).start()
        try:
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
            d = sfn.describe_execution(executionArn=running)
            self.assertEqual(d["status"], "FAILED")
            self.assertEqual(d["error"], "States.Runtime")
            self.assertIn("stopped while this execution was running", d["cause"])
            events = sfn.get_execution_history(executionArn=running)["events"]
            self.assertEqual([e["type"] for e in events][:2], ["ExecutionStarted", "WaitStateEntered"])
            self.assertEqual(events[-1]["type"], "ExecutionFailed")
            # The interrupted execution continues from its Wait state when redriven (virtual clock now).
            sfn.redrive_execution(executionArn=running)
            for _ in range(1000):
                d = sfn.describe_execution(executionArn=running)
                if d["status"] != "RUNNING":
                    break
                time.sleep(0.01)
            self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", "finished"))
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
