#!/usr/bin/env python3
"""Record and replay with `sfn run`: a run whose Tasks are served by --handler commands (Lambda, with a retried
throttle and a caught function error, a Map) and by the HTTP Task against a loopback server (--integrations aws
with a connections file) is recorded with --record; replaying the file with --mock-config, the handlers gone and
the server stopped, gives the same output and the same history event types; errors are Throw entries.
Usage: record_replay_test.py SFN_BINARY"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_api import LoopbackApi  # noqa: E402
from moto_process import MotoServer  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/orders/1"

ADD = """import json, sys
event = json.load(sys.stdin)
print(json.dumps({"n": event["n"] + 1}))
"""
# Fails with a throttle the first time it is called (a counter file beside it), then answers.
FLAKY = """import json, os, sys
event = json.load(sys.stdin)
counter = os.path.join(os.path.dirname(os.path.abspath(__file__)), "flaky.count")
count = int(open(counter).read()) if os.path.exists(counter) else 0
open(counter, "w").write(str(count + 1))
if count == 0:
    print(json.dumps({"errorType": "Throttled", "errorMessage": "slow down"}))
    sys.exit(1)
print(json.dumps({"ok": event}))
"""
REJECT = """import json, sys
json.load(sys.stdin)
print(json.dumps({"errorType": "Rejected", "errorMessage": "no thanks"}))
sys.exit(1)
"""


def definition(api_url):
    lam = lambda name, nxt, **extra: dict({  # noqa: E731
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": name, "Payload.$": "$"}, "ResultSelector": {"v.$": "$.Payload"},
        "Next": nxt}, **extra)
    return {"StartAt": "Add", "States": {
        "Add": lam("add", "Flaky", ResultPath="$.added"),
        "Flaky": lam("flaky", "Each", ResultPath="$.flaky",
                     Retry=[{"ErrorEquals": ["Throttled"], "IntervalSeconds": 1, "MaxAttempts": 2}]),
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ResultPath": "$.each",
                 "ItemProcessor": {"StartAt": "AddItem", "States": {"AddItem": {
                     "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:add",
                     "End": True}}},
                 "Next": "Price"},
        "Price": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                  "Parameters": {"ApiEndpoint": api_url, "Method": "GET",
                                 "Authentication": {"ConnectionArn": CONNECTION}},
                  "ResultSelector": {"body.$": "$.ResponseBody", "status.$": "$.StatusCode"},
                  "ResultPath": "$.price", "Next": "Reject"},
        "Reject": lam("reject", "Done", ResultPath="$.rejected",
                      Catch=[{"ErrorEquals": ["Rejected"], "ResultPath": "$.rejected", "Next": "Done"}]),
        "Done": {"Type": "Pass", "End": True}}}


class RecordReplayTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sfn-record-")
        for name, text in (("add.py", ADD), ("flaky.py", FLAKY), ("reject.py", REJECT)):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)
        self.connections = os.path.join(self.dir, "connections.json")
        with open(self.connections, "w") as f:
            json.dump({"Connections": {CONNECTION: {"AuthorizationType": "API_KEY", "AuthParameters": {
                "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "k1"}}}}}, f)

    def run_sfn(self, *args, env=None, run_input=None):
        run_input = run_input if run_input is not None else {"n": 1, "items": [{"n": 10}, {"n": 20}]}
        proc = subprocess.run([BINARY, "run", *args, "--json", "--history", "--clock", "virtual",
                               "--input", json.dumps(run_input)],
                              capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_replay_reproduces_a_recorded_run_offline(self):
        server = LoopbackApi(lambda method, path, headers, body: (200, {"price": 42, "key": headers.get("x-api-key")}))
        machine = os.path.join(self.dir, "orders.json")
        with open(machine, "w") as f:
            json.dump(definition(server.url("/price")), f)
        record = os.path.join(self.dir, "mock.json")
        py = lambda script: "python3 " + os.path.join(self.dir, script)  # noqa: E731
        try:
            # GIVEN a run recorded against the handlers and the loopback API
            recorded = self.run_sfn(machine, "--handler", "add=" + py("add.py"), "--handler", "flaky=" + py("flaky.py"),
                                    "--handler", "reject=" + py("reject.py"), "--integrations", "aws",
                                    "--connections", self.connections, "--record", record, "--test-case", "Happy")
        finally:
            server.stop()
        self.assertEqual(recorded["status"], "SUCCEEDED", recorded)
        self.assertEqual(recorded["output"]["price"], {"body": {"price": 42, "key": "k1"}, "status": 200})
        self.assertEqual(recorded["output"]["each"], [{"n": 11}, {"n": 21}])
        with open(record) as f:
            mock = json.load(f)
        case = mock["StateMachines"]["orders"]["TestCases"]["Happy"]
        self.assertEqual(sorted(case), ["Add", "AddItem", "Flaky", "Price", "Reject"])
        flaky = mock["MockedResponses"][case["Flaky"]]
        self.assertEqual(flaky["0"]["Throw"]["Error"], "Throttled")
        self.assertIn("Return", flaky["1"])
        self.assertEqual(mock["MockedResponses"][case["Reject"]]["0"]["Throw"]["Error"], "Rejected")
        self.assertEqual(sorted(mock["MockedResponses"][case["AddItem"]]), ["0", "1"])
        # WHEN it is replayed with no handler, no integrations and the API gone
        replayed = self.run_sfn(machine, "--mock-config", record, "--test-case", "Happy")
        # THEN the output and the history's event types are the recorded run's
        self.assertEqual(replayed["output"], recorded["output"])
        self.assertEqual([e["type"] for e in replayed["history"]], [e["type"] for e in recorded["history"]])

    def test_a_run_recorded_against_moto_replays_with_moto_stopped(self):
        # GIVEN a table with an item and a queue on moto, and a workflow that reads the item through the
        # optimised integration, sends it with aws-sdk:sqs and fails over a missing item into a Catch
        machine = os.path.join(self.dir, "ledger.json")
        with open(machine, "w") as f:
            json.dump({"StartAt": "Get", "States": {
                "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                        "Parameters": {"TableName": "ledger", "Key": {"id": {"S.$": "$.id"}}},
                        "ResultSelector": {"total.$": "$.Item.total.N"}, "ResultPath": "$.item", "Next": "Send"},
                "Send": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:sendMessage",
                         "Parameters": {"QueueUrl.$": "$.queue", "MessageBody.$": "$.item.total"},
                         "ResultSelector": {"sent.$": "States.ArrayLength(States.Array($.MessageId))"},
                         "ResultPath": "$.sent", "Next": "Missing"},
                "Missing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                            "Parameters": {"Bucket": "ledger-archive", "Key": "absent.json"},
                            "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "ResultPath": "$.missing",
                                       "Next": "Done"}], "Next": "Done"},
                "Done": {"Type": "Pass", "End": True}}}, f)
        record = os.path.join(self.dir, "ledger-mock.json")
        with MotoServer() as moto:
            dynamodb = moto.client("dynamodb")
            dynamodb.create_table(TableName="ledger", BillingMode="PAY_PER_REQUEST",
                                  AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                  KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
            dynamodb.put_item(TableName="ledger", Item={"id": {"S": "a"}, "total": {"N": "42"}})
            queue = moto.client("sqs").create_queue(QueueName="ledger")["QueueUrl"]
            moto.client("s3").create_bucket(Bucket="ledger-archive")
            run_input = {"id": "a", "queue": queue}
            # WHEN the run is recorded against moto
            recorded = self.run_sfn(machine, "--integrations", "aws", "--record", record, "--test-case", "Moto",
                                    env=moto.env, run_input=run_input)
            # THEN it really ran there: the message is in the queue
            messages = moto.client("sqs").receive_message(QueueUrl=queue).get("Messages", [])
            self.assertEqual([m["Body"] for m in messages], ["42"])
        self.assertEqual(recorded["status"], "SUCCEEDED", recorded)
        self.assertEqual(recorded["output"]["item"], {"total": "42"})
        self.assertEqual(recorded["output"]["missing"]["Error"], "S3.NoSuchKeyException")
        # WHEN it is replayed with moto stopped and no integrations
        replayed = self.run_sfn(machine, "--mock-config", record, "--test-case", "Moto", run_input=run_input)
        # THEN the output and the history's event types are the recorded run's
        self.assertEqual(replayed["status"], "SUCCEEDED", replayed)
        self.assertEqual(replayed["output"], recorded["output"])
        self.assertEqual([e["type"] for e in replayed["history"]], [e["type"] for e in recorded["history"]])

    def test_record_refuses_contradicting_options(self):
        machine = os.path.join(self.dir, "m.json")
        with open(machine, "w") as f:
            json.dump({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, f)
        proc = subprocess.run([BINARY, "run", machine, "--record", os.path.join(self.dir, "r.json")],
                              capture_output=True, text=True, timeout=30)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("--record needs --test-case NAME", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
