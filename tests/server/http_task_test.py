#!/usr/bin/env python3
"""The HTTP Task on `sfn serve --integrations aws --connections FILE`, driven by boto3 against a loopback API:
the result shape, the connection's API key, and a 4xx as States.Http.StatusCode.NNN.
Usage: http_task_test.py SFN_BINARY"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_api import LoopbackApi  # noqa: E402
from serve_support import Server, client_env  # noqa: E402

os.environ.update(client_env())
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
ROLE = "arn:aws:iam::123456789012:role/test"
CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/api/1"


def answer(method, path, headers, body):
    status = 200 if path.startswith("/ok") else 422
    return status, {"echo": json.loads(body), "key": headers.get("x-api-key"), "path": path}


class HttpTaskOnServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.api = LoopbackApi(answer)
        connections = os.path.join(tempfile.mkdtemp(prefix="sfn-http-"), "connections.json")
        with open(connections, "w") as f:
            json.dump({"Connections": {CONNECTION: {"AuthorizationType": "API_KEY", "AuthParameters": {
                "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "k-123"}}}}}, f)
        cls.server = Server(BINARY, "--integrations", "aws", "--connections", connections).start()
        cls.sfn = boto3.client("stepfunctions", endpoint_url=cls.server.url, region_name="us-east-1",
                               config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.api.stop()

    def run_call(self, name, path):
        definition = {"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {"ApiEndpoint": self.api.url(path),
                           "Method": "POST", "Authentication": {"ConnectionArn": CONNECTION},
                           "QueryParameters": {"q": "1"}, "RequestBody": {"order.$": "$.order"}},
            "End": True}}}
        arn = self.sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE,
                                            type="EXPRESS")["stateMachineArn"]
        return self.sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"order": 7}))

    def test_success_has_the_http_task_result_shape(self):
        out = self.run_call("http_ok", "/ok")
        self.assertEqual(out["status"], "SUCCEEDED", out)
        result = json.loads(out["output"])
        self.assertEqual(sorted(result), ["Headers", "ResponseBody", "StatusCode", "StatusText"])
        self.assertEqual(result["StatusCode"], 200)
        self.assertEqual(result["StatusText"], "OK")
        self.assertEqual(result["ResponseBody"], {"echo": {"order": 7}, "key": "k-123", "path": "/ok?q=1"})
        self.assertEqual(result["Headers"]["Content-Type"], ["application/json"])

    def test_client_error_fails_with_the_status_code(self):
        out = self.run_call("http_bad", "/bad")
        self.assertEqual((out["status"], out["error"], out["cause"]),
                         ("FAILED", "States.Http.StatusCode.422", "Unprocessable Entity"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
