#!/usr/bin/env python3
"""Nested workflows on `sfn serve` driven by boto3: states:startExecution request/response, .sync, .sync:2 and
.waitForTaskToken; the child is a real execution of the service (Describe/List/history), linked through
AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID; child failures, stopping the parent and TimeoutSeconds.
Usage: nested_test.py SFN_BINARY"""
import json
import os
import subprocess
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

PASS_CHILD = {"StartAt": "State_1", "States": {"State_1": {"Type": "Pass", "Result": {"Arg1": "argument1"},
                                                           "End": True}}}
FAIL_CHILD = {"StartAt": "FailState", "States": {"FailState": {
    "Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."}}}
WAIT_CHILD = {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 30, "End": True}}}


def parent(resource, extra_input=None, **task):
    params = {"StateMachineArn.$": "$.StateMachineArn", "Input.$": "$.Input", "Name.$": "$.Name"}
    if extra_input is not None:
        params = {"StateMachineArn.$": "$.StateMachineArn", "Name.$": "$.Name", "Input": extra_input}
    state = {"Type": "Task", "Resource": resource, "Parameters": params, "End": True}
    state.update(task)
    return json.dumps({"StartAt": "StartExecution", "States": {"StartExecution": state}})


class NestedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY).start()
        cls.sfn = boto3.client("stepfunctions", endpoint_url=cls.server.url, region_name="us-east-1",
                               config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))
        cls.children = {}
        for name, definition in (("pass_child", PASS_CHILD), ("fail_child", FAIL_CHILD),
                                 ("wait_child", WAIT_CHILD)):
            cls.children[name] = cls.sfn.create_state_machine(
                name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def wait(self, arn, status=None):
        """Polls until the execution leaves RUNNING (or reaches `status`); a child the parent has not started yet
        does not exist for a moment (slow builds), so that is waited out too."""
        for _ in range(1500):
            try:
                d = self.sfn.describe_execution(executionArn=arn)
            except self.sfn.exceptions.ExecutionDoesNotExist:
                time.sleep(0.02)
                continue
            if d["status"] != "RUNNING" if status is None else d["status"] == status:
                return d
            time.sleep(0.02)
        self.fail("execution still running: " + arn)

    def run_parent(self, name, definition, child, child_name, child_input=None):
        arn = self.sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE)["stateMachineArn"]
        started = self.sfn.start_execution(stateMachineArn=arn, name="p", input=json.dumps(
            {"StateMachineArn": self.children[child], "Input": child_input, "Name": child_name}))
        return started["executionArn"]

    def history_types(self, arn):
        return [e["type"] for e in self.sfn.get_execution_history(executionArn=arn)["events"]]

    def child_arn(self, child, name):
        return self.children[child].replace(":stateMachine:", ":execution:") + ":" + name

    def test_request_response_starts_a_visible_child(self):
        # GIVEN a parent with states:startExecution; WHEN it runs; THEN it answers ExecutionArn/StartDate at once
        # and the child is an execution of the service with the parent's id in its input.
        definition = parent("arn:aws:states:::states:startExecution",
                            extra_input={"Hello": "World", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":
                                         "$$.Execution.Id"})
        arn = self.run_parent("rr_parent", definition, "pass_child", "rr")
        d = self.wait(arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        out = json.loads(d["output"])
        self.assertEqual(sorted(out), ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"])
        self.assertEqual(out["ExecutionArn"], self.child_arn("pass_child", "rr"))
        self.assertIsInstance(out["StartDate"], int)
        self.assertEqual(out["SdkHttpMetadata"]["HttpStatusCode"], 200)
        self.assertEqual(self.history_types(arn), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                                   "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                                   "ExecutionSucceeded"])
        child = self.wait(out["ExecutionArn"])
        self.assertEqual(child["status"], "SUCCEEDED")
        self.assertEqual(json.loads(child["input"]),
                         {"Hello": "World", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": arn})
        listed = self.sfn.list_executions(stateMachineArn=self.children["pass_child"])["executions"]
        self.assertIn(out["ExecutionArn"], [e["executionArn"] for e in listed])
        started = self.sfn.get_execution_history(executionArn=out["ExecutionArn"])["events"][0]
        self.assertEqual(json.loads(started["executionStartedEventDetails"]["input"])
                         ["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"], arn)

    def test_sync_answers_describe_execution_with_output_as_text(self):
        arn = self.run_parent("sync_parent", parent("arn:aws:states:::states:startExecution.sync"),
                              "pass_child", "SyncTarget")
        d = self.wait(arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        out = json.loads(d["output"])
        self.assertEqual(sorted(out), ["ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails",
                                       "StartDate", "StateMachineArn", "Status", "StopDate"])
        self.assertEqual(out["Input"], "{}")
        self.assertEqual(out["Output"], '{"Arg1":"argument1"}')
        self.assertEqual(out["InputDetails"], {"Included": True})
        self.assertEqual(out["Status"], "SUCCEEDED")
        self.assertEqual(out["StateMachineArn"], self.children["pass_child"])
        self.assertEqual(self.history_types(arn), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                                   "TaskStarted", "TaskSubmitted", "TaskSucceeded",
                                                   "TaskStateExited", "ExecutionSucceeded"])

    def test_sync2_parses_input_and_output(self):
        arn = self.run_parent("sync2_parent", parent("arn:aws:states:::states:startExecution.sync:2"),
                              "pass_child", "Sync2Target")
        d = self.wait(arn)
        out = json.loads(d["output"])
        self.assertEqual(out["Input"], {})
        self.assertEqual(out["Output"], {"Arg1": "argument1"})
        self.assertEqual(out["RedriveCount"], 0)
        self.assertEqual(out["RedriveStatus"], "NOT_REDRIVABLE")
        self.assertEqual(out["RedriveStatusReason"], "Execution is SUCCEEDED and cannot be redriven")

    def test_sync_child_failure_is_task_failed_with_the_describe_shape(self):
        arn = self.run_parent("fail_parent", parent("arn:aws:states:::states:startExecution.sync"),
                              "fail_child", "TestStartTarget")
        d = self.wait(arn)
        self.assertEqual(d["status"], "FAILED")
        self.assertEqual(d["error"], "States.TaskFailed")
        cause = json.loads(d["cause"])
        self.assertEqual(sorted(cause), ["Cause", "Error", "ExecutionArn", "Input", "InputDetails", "Name",
                                         "StartDate", "StateMachineArn", "Status", "StopDate"])
        self.assertEqual(cause["Error"], "SomeFailure")
        self.assertEqual(cause["Cause"], "This state machines raises a 'SomeFailure' failure.")
        self.assertEqual(cause["Status"], "FAILED")
        self.assertEqual(self.history_types(arn)[-3:], ["TaskSubmitted", "TaskFailed", "ExecutionFailed"])

    def test_wait_for_task_token_finishes_when_the_child_answers(self):
        definition = parent("arn:aws:states:::states:startExecution.waitForTaskToken",
                            extra_input={"token.$": "$$.Task.Token"})
        arn = self.run_parent("token_parent", definition, "wait_child", "tok")
        child = self.wait(self.child_arn("wait_child", "tok"), status="RUNNING")
        token = json.loads(child["input"])["token"]
        self.sfn.send_task_success(taskToken=token, output=json.dumps({"done": True}))
        d = self.wait(arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.assertEqual(json.loads(d["output"]), {"done": True})
        self.assertIn("TaskSubmitted", self.history_types(arn))
        self.sfn.stop_execution(executionArn=child["executionArn"])

    def test_stopping_the_parent_stops_a_sync_child(self):
        arn = self.run_parent("stop_parent", parent("arn:aws:states:::states:startExecution.sync"),
                              "wait_child", "stopme")
        child = self.wait(self.child_arn("wait_child", "stopme"), status="RUNNING")
        self.sfn.stop_execution(executionArn=arn)
        self.assertEqual(self.wait(arn)["status"], "ABORTED")
        self.assertEqual(self.wait(child["executionArn"])["status"], "ABORTED")

    def test_timeout_seconds_interrupts_and_stops_the_child(self):
        arn = self.run_parent("timeout_parent", parent("arn:aws:states:::states:startExecution.sync",
                                                       TimeoutSeconds=1), "wait_child", "slow")
        d = self.wait(arn)
        self.assertEqual((d["status"], d["error"]), ("FAILED", "States.Timeout"))
        self.assertEqual(self.wait(self.child_arn("wait_child", "slow"))["status"], "ABORTED")

    def test_unknown_child_machine_is_a_step_functions_exception(self):
        arn = self.sfn.create_state_machine(name="missing_parent", roleArn=ROLE, definition=parent(
            "arn:aws:states:::states:startExecution.sync"))["stateMachineArn"]
        exec_arn = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({
            "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:nope", "Input": {},
            "Name": "x"}))["executionArn"]
        d = self.wait(exec_arn)
        self.assertEqual(d["error"], "StepFunctions.StateMachineDoesNotExistException")
        self.assertTrue(d["cause"].startswith("State Machine Does Not Exist: "), d["cause"])
        self.assertIn("(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;",
                      d["cause"])

    def test_sfn_run_starts_children_through_the_step_functions_endpoint(self):
        # GIVEN a parent run locally by `sfn run --integrations aws` with the service as its endpoint
        folder = tempfile.mkdtemp(prefix="sfn-nested-")
        machine = os.path.join(folder, "parent.json")
        with open(machine, "w") as f:
            f.write(parent("arn:aws:states:::states:startExecution.sync:2"))
        proc = subprocess.run([BINARY, "run", machine, "--json", "--history", "--integrations", "aws",
                               "--endpoint-url", self.server.url, "--region", "us-east-1", "--input", json.dumps(
                                   {"StateMachineArn": self.children["pass_child"], "Input": {"x": 1},
                                    "Name": "from_run"})], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = json.loads(proc.stdout)
        # THEN the child ran on the service and the parent got its .sync:2 record
        self.assertEqual(out["status"], "SUCCEEDED", out)
        self.assertEqual(out["output"]["Output"], {"Arg1": "argument1"})
        self.assertEqual(out["output"]["Input"], {"x": 1})
        self.assertEqual(self.wait(self.child_arn("pass_child", "from_run"))["status"], "SUCCEEDED")
        self.assertIn("TaskSubmitted", [e["type"] for e in out["history"]])


if __name__ == "__main__":
    unittest.main(verbosity=2)
