#!/usr/bin/env python3
"""The HTTP Task authorised by a real EventBridge connection: moto_server holds the connection (API key and an
invocation header) and the secret EventBridge keeps for it; `sfn run --integrations aws` (endpoint from
AWS_ENDPOINT_URL) reads both and calls a loopback API with them. Usage: http_connection_test.py SFN_BINARY"""
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import boto3

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
HERE = os.path.dirname(os.path.abspath(__file__))
MOTO = os.path.join(HERE, "..", "..", "..", "shared", "aws", "moto_server_fixed.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"key": self.headers.get("x-api-key"), "team": self.headers.get("x-team")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class EventBridgeConnectionTest(unittest.TestCase):
    def setUp(self):
        port = free_port()
        self.moto = subprocess.Popen([sys.executable, MOTO, str(port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.endpoint = "http://127.0.0.1:%d" % port
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        self.env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                        AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.endpoint,
                        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
        self.env.pop("AWS_PROFILE", None)
        self.api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
        self.thread = threading.Thread(target=self.api.serve_forever)
        self.thread.start()

    def tearDown(self):
        self.api.shutdown()
        self.api.server_close()
        self.thread.join()
        self.moto.terminate()
        self.moto.wait()

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
                "Parameters": {"ApiEndpoint": "http://127.0.0.1:%d/x" % self.api.server_address[1], "Method": "GET",
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
