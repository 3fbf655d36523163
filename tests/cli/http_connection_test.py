#!/usr/bin/env python3
"""The HTTP Task authorised by a real EventBridge connection: moto_server holds the connection (API key and an
invocation header) and the secret EventBridge keeps for it; `sfn run --integrations aws` (endpoint from
AWS_ENDPOINT_URL) reads both and calls a loopback API with them. Usage: http_connection_test.py SFN_BINARY"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import boto3

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_api import LoopbackApi  # noqa: E402
from moto_process import MotoServer  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"


class EventBridgeConnectionTest(unittest.TestCase):
    def setUp(self):
        self.moto = MotoServer().start()
        self.endpoint = self.moto.url
        self.env = self.moto.env
        self.api = LoopbackApi(lambda method, path, headers, body: (
            200, {"key": headers.get("x-api-key"), "team": headers.get("x-team")}))

    def tearDown(self):
        self.api.stop()
        self.moto.stop()

    def test_connection_and_secret_come_from_eventbridge(self):
        events = boto3.client("events", endpoint_url=self.endpoint, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        arn = events.create_connection(Name="orders", AuthorizationType="API_KEY", AuthParameters={
            "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "from-secret"},
            "InvocationHttpParameters": {"HeaderParameters": [{"Key": "x-team", "Value": "orders",
                                                               "IsValueSecret": False}]}})["ConnectionArn"]
        machine = os.path.join(tempfile.mkdtemp(prefix="sfn-conn-"), "call.json")
        with open(machine, "w") as f:
            json.dump({"StartAt": "Call", "States": {"Call": {
                "Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": self.api.url("/x"), "Method": "GET",
                               "Authentication": {"ConnectionArn": arn}},
                "OutputPath": "$.ResponseBody", "End": True}}}, f)
        proc = subprocess.run([BINARY, "run", machine, "--json", "--integrations", "aws"], env=self.env,
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = json.loads(proc.stdout)
        self.assertEqual(out, {"status": "SUCCEEDED", "output": {"key": "from-secret", "team": "orders"}})
        # A connection EventBridge does not know fails the task with the connection error.
        with open(machine) as f:
            text = f.read().replace(arn, arn.replace("orders", "nothere"))
        with open(machine, "w") as f:
            f.write(text)
        proc = subprocess.run([BINARY, "run", machine, "--json", "--integrations", "aws"], env=self.env,
                              capture_output=True, text=True, timeout=60)
        out = json.loads(proc.stdout)
        self.assertEqual((out["status"], out["error"]), ("FAILED", "Events.ConnectionResource.ResourceNotFound"),
                         out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
