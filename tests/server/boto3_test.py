#!/usr/bin/env python3
"""boto3 against `sfn serve`: every implemented operation, pagination, error cases and the flagship
scenario. Usage: boto3_test.py SFN_BINARY"""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env, stepfunctions_client  # noqa: E402

os.environ.update(client_env())

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
ROLE = "arn:aws:iam::123456789012:role/test"


def hello(name):
    return json.dumps({"StartAt": "Input Argument Handling", "States": {
        "Input Argument Handling": {"Type": "Pass", "Result": {"message": "Hello " + name}, "Next": "Task 1"},
        "Task 1": {"Type": "Pass", "Next": "Task 2"},
        "Task 2": {"Type": "Pass", "End": True}}})


def task_events(sfn, execution):
    """The history after ExecutionStarted as (type, details) pairs."""
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    out = []
    for e in events[1:]:
        details = [v for k, v in e.items() if k.endswith("EventDetails")]
        out.append((e["type"], details[0] if details else None))
    return out


class Boto3Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--clock", "virtual").start()
        cls.sfn = stepfunctions_client(cls.server)
        # Another client that keeps botocore's sync- host prefix; only usable where sync-127.0.0.1 resolves,
        # so the server's Host handling is checked by sending the header directly below.

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def wait(self, arn):
        for _ in range(2000):
            d = self.sfn.describe_execution(executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.01)
        self.fail("execution still running: " + arn)

    def error(self, fn, **kw):
        try:
            fn(**kw)
        except self.sfn.exceptions.ClientError as e:
            return e.response["Error"]["Code"]
        return None

    def test_flagship_scenario(self):
        # GIVEN an EXPRESS workflow deployed; WHEN run, changed to Bob, redeployed and run; THEN outputs follow.
        arn = self.sfn.create_state_machine(name="flagship", definition=hello("Alice"), roleArn=ROLE,
                                            type="EXPRESS")["stateMachineArn"]
        out = self.sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        self.assertEqual(out["status"], "SUCCEEDED")
        self.assertEqual(json.loads(out["output"]), {"message": "Hello Alice"})
        self.sfn.update_state_machine(stateMachineArn=arn, definition=hello("Bob"))
        out = self.sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        self.assertEqual(json.loads(out["output"]), {"message": "Hello Bob"})
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertEqual(self.error(self.sfn.describe_state_machine, stateMachineArn=arn), "StateMachineDoesNotExist")

    def test_standard_lifecycle_history_and_pagination(self):
        arn = self.sfn.create_state_machine(name="std", definition=hello("Alice"), roleArn=ROLE)["stateMachineArn"]
        again = self.sfn.create_state_machine(name="std", definition=hello("Alice"), roleArn=ROLE)
        self.assertEqual(again["stateMachineArn"], arn)
        self.assertEqual(self.error(self.sfn.create_state_machine, name="std", definition=hello("Bob"), roleArn=ROLE),
                         "StateMachineAlreadyExists")
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(d["type"], "STANDARD")
        self.assertEqual(json.loads(d["definition"])["StartAt"], "Input Argument Handling")
        arns = [self.sfn.start_execution(stateMachineArn=arn, name="run-%d" % i)["executionArn"] for i in range(7)]
        for a in arns:
            self.assertEqual(self.wait(a)["status"], "SUCCEEDED")
        pages = list(self.sfn.get_paginator("list_executions").paginate(stateMachineArn=arn,
                                                                         PaginationConfig={"PageSize": 3}))
        self.assertEqual(len(pages), 3)
        names = [e["name"] for p in pages for e in p["executions"]]
        self.assertEqual(names, ["run-%d" % i for i in reversed(range(7))])
        history = self.sfn.get_execution_history(executionArn=arns[0])["events"]
        self.assertEqual([e["type"] for e in history][:2], ["ExecutionStarted", "PassStateEntered"])
        self.assertEqual(history[-1]["type"], "ExecutionSucceeded")
        paged = list(self.sfn.get_paginator("get_execution_history").paginate(
            executionArn=arns[0], reverseOrder=True, PaginationConfig={"PageSize": 2}))
        ids = [e["id"] for p in paged for e in p["events"]]
        self.assertEqual(ids, list(range(len(history), 0, -1)))
        forexec = self.sfn.describe_state_machine_for_execution(executionArn=arns[0])
        self.assertEqual(forexec["definition"], hello("Alice"))
        self.assertEqual(self.error(self.sfn.start_execution, stateMachineArn=arn, name="run-0"),
                         "ExecutionAlreadyExists")
        self.assertEqual(self.error(self.sfn.start_sync_execution, stateMachineArn=arn),
                         "StateMachineTypeNotSupported")

    def test_list_state_machines_paginates(self):
        for i in range(5):
            self.sfn.create_state_machine(name="page-%d" % i, definition=hello("x"), roleArn=ROLE)
        pages = list(self.sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2}))
        names = [m["name"] for p in pages for m in p["stateMachines"]]
        self.assertEqual([n for n in names if n.startswith("page-")], ["page-%d" % i for i in range(5)])

    def test_errors_have_aws_names(self):
        self.assertEqual(self.error(self.sfn.describe_state_machine, stateMachineArn="nope"), "InvalidArn")
        self.assertEqual(self.error(self.sfn.describe_execution,
                                    executionArn="arn:aws:states:us-east-1:123456789012:execution:x:y"),
                         "ExecutionDoesNotExist")
        self.assertEqual(self.error(self.sfn.create_state_machine, name="bad name", definition=hello("x"),
                                    roleArn=ROLE), "InvalidName")
        self.assertEqual(self.error(self.sfn.create_state_machine, name="baddef", definition="{}", roleArn=ROLE),
                         "InvalidDefinition")
        self.assertEqual(self.error(self.sfn.list_executions,
                                    stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:none"),
                         "StateMachineDoesNotExist")
        self.assertEqual(self.error(self.sfn.send_task_success, taskToken="t", output="{}"), "InvalidToken")

    def test_stop_redrive_and_tags(self):
        # An activity task nobody works on keeps the execution RUNNING until it is stopped.
        blocker = self.sfn.create_activity(name="blocker")["activityArn"]
        wait_def = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": blocker, "End": True}}})
        arn = self.sfn.create_state_machine(name="stoppable", definition=wait_def, roleArn=ROLE,
                                            tags=[{"key": "team", "value": "a"}])["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.sfn.stop_execution(executionArn=e, error="Stop", cause="by test")
        d = self.sfn.describe_execution(executionArn=e)
        self.assertEqual(d["status"], "ABORTED")
        self.assertEqual(d["redriveStatus"], "REDRIVABLE")
        self.sfn.redrive_execution(executionArn=e)
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["redriveCount"], 1)
        self.sfn.stop_execution(executionArn=e)
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "team", "value": "a"}])
        self.sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}])
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "env", "value": "dev"}])

    def test_versions_aliases_validate_and_test_state(self):
        m = self.sfn.create_state_machine(name="versioned", definition=hello("A"), roleArn=ROLE, publish=True)
        v1 = m["stateMachineVersionArn"]
        v2 = self.sfn.update_state_machine(stateMachineArn=m["stateMachineArn"], definition=hello("B"),
                                           publish=True)["stateMachineVersionArn"]
        alias = self.sfn.create_state_machine_alias(name="live", routingConfiguration=[
            {"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        e = self.sfn.start_execution(stateMachineArn=alias)["executionArn"]
        d = self.wait(e)
        self.assertEqual(json.loads(d["output"]), {"message": "Hello A"})
        self.assertEqual(d["stateMachineAliasArn"], alias)
        self.sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[
            {"stateMachineVersionArn": v2, "weight": 100}])
        d = self.wait(self.sfn.start_execution(stateMachineArn=alias)["executionArn"])
        self.assertEqual(json.loads(d["output"]), {"message": "Hello B"})
        self.assertEqual(len(self.sfn.list_state_machine_versions(stateMachineArn=m["stateMachineArn"])
                             ["stateMachineVersions"]), 2)
        self.assertEqual(len(self.sfn.list_state_machine_aliases(stateMachineArn=m["stateMachineArn"])
                             ["stateMachineAliases"]), 1)
        self.assertEqual(self.error(self.sfn.delete_state_machine_version, stateMachineVersionArn=v2),
                         "ConflictException")
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        self.sfn.delete_state_machine_version(stateMachineVersionArn=v1)
        ok = self.sfn.validate_state_machine_definition(definition=hello("x"))
        self.assertEqual(ok["result"], "OK")
        bad = self.sfn.validate_state_machine_definition(definition='{"StartAt":"Q","States":{}}')
        self.assertEqual(bad["result"], "FAIL")
        t = self.sfn.test_state(definition='{"Type":"Pass","Result":1,"End":true}', roleArn=ROLE)
        self.assertEqual((t["status"], t["output"]), ("SUCCEEDED", "1"))

    def test_activity_worker_completes_a_task(self):
        a = self.sfn.create_activity(name="worked")["activityArn"]
        arn = self.sfn.create_state_machine(name="uses-activity", roleArn=ROLE, definition=json.dumps(
            {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": a, "End": True}}}))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"n": 1}')["executionArn"]
        task = self.sfn.get_activity_task(activityArn=a, workerName="w")
        self.assertEqual(json.loads(task["input"]), {"n": 1})
        self.sfn.send_task_heartbeat(taskToken=task["taskToken"])
        self.sfn.send_task_success(taskToken=task["taskToken"], output='{"n": 2}')
        self.assertEqual(json.loads(self.wait(e)["output"]), {"n": 2})
        # The history shows the activity's events as AWS records them, the worker's name included.
        self.assertEqual(task_events(self.sfn, e), [
            ("TaskStateEntered", {"name": "A", "input": '{"n":1}', "inputDetails": {"truncated": False}}),
            ("ActivityScheduled", {"resource": a, "input": '{"n":1}', "inputDetails": {"truncated": False}}),
            ("ActivityStarted", {"workerName": "w"}),
            ("ActivitySucceeded", {"output": '{"n":2}', "outputDetails": {"truncated": False}}),
            ("TaskStateExited", {"name": "A", "output": '{"n":2}', "outputDetails": {"truncated": False}}),
            ("ExecutionSucceeded", {"output": '{"n":2}', "outputDetails": {"truncated": False}})])

    def test_activities(self):
        a = self.sfn.create_activity(name="act")["activityArn"]
        self.assertEqual(self.sfn.describe_activity(activityArn=a)["name"], "act")
        self.assertIn(a, [x["activityArn"] for x in self.sfn.list_activities()["activities"]])
        self.sfn.delete_activity(activityArn=a)
        self.assertEqual(self.error(self.sfn.describe_activity, activityArn=a), "ActivityDoesNotExist")

    def test_sync_host_prefix_is_accepted(self):
        import urllib.request
        body = json.dumps({"definition": '{"Type":"Pass","End":true}', "roleArn": ROLE}).encode()
        req = urllib.request.Request(self.server.url + "/", data=body, method="POST", headers={
            "Host": "sync-127.0.0.1:%d" % self.server.port, "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AWSStepFunctions.TestState"})
        with urllib.request.urlopen(req) as r:
            self.assertEqual(json.loads(r.read())["status"], "SUCCEEDED")


class ActivityTimeoutsTest(unittest.TestCase):
    """Activity workers against a real-clock server: heartbeats and their timeouts take real seconds."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY).start()
        cls.sfn = stepfunctions_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_a_lapsed_heartbeat_is_retried_and_a_workers_failure_caught(self):
        # GIVEN an activity task with a one-second heartbeat, retried once on States.HeartbeatTimeout and
        # catching the worker's own error
        a = self.sfn.create_activity(name="beats")["activityArn"]
        arn = self.sfn.create_state_machine(name="beats", roleArn=ROLE, definition=json.dumps({
            "StartAt": "A", "States": {
                "A": {"Type": "Task", "Resource": a, "HeartbeatSeconds": 1, "Next": "Done",
                      "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                      "Catch": [{"ErrorEquals": ["Worker.Broke"], "ResultPath": "$.error", "Next": "Done"}]},
                "Done": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
        # WHEN worker w1 takes it and never sends a heartbeat, and a worker without a name takes the retry and
        # fails it
        first = self.sfn.get_activity_task(activityArn=a, workerName="w1")
        second = self.sfn.get_activity_task(activityArn=a)
        self.assertTrue(second.get("taskToken"), "the retry was not scheduled")
        self.sfn.send_task_failure(taskToken=second["taskToken"], error="Worker.Broke", cause="disk full")
        for _ in range(500):
            if self.sfn.describe_execution(executionArn=e)["status"] != "RUNNING":
                break
            time.sleep(0.01)
        # THEN the first attempt timed out as States.Timeout, the second failed with the worker's error
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "SUCCEEDED")
        with self.assertRaises(self.sfn.exceptions.ClientError):
            self.sfn.send_task_heartbeat(taskToken=first["taskToken"])
        scheduled = ("ActivityScheduled", {"resource": a, "input": "{}", "inputDetails": {"truncated": False},
                                           "heartbeatInSeconds": 1})
        self.assertEqual(task_events(self.sfn, e)[1:7], [
            scheduled,
            ("ActivityStarted", {"workerName": "w1"}),
            ("ActivityTimedOut", {"error": "States.Timeout"}),
            scheduled,
            ("ActivityStarted", {}),
            ("ActivityFailed", {"error": "Worker.Broke", "cause": "disk full"})])


if __name__ == "__main__":
    unittest.main()
