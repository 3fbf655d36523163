#!/usr/bin/env python3
"""`sfn serve --require-sigv4`: boto3-signed requests pass; wrong keys, wrong secrets, tampered bodies and
headers and unsigned requests get AWS's errors. Usage: sigv4_test.py SFN_BINARY"""
import json
import os
import sys
import unittest
import urllib.request
import urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env  # noqa: E402

os.environ.update(client_env())
import boto3  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.credentials  # noqa: E402
from botocore.config import Config  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
KEY, SECRET = "AKIDSIGNED", "signed-secret"


class SigV4Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--require-sigv4", KEY + ":" + SECRET).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self, key, secret):
        return boto3.client("stepfunctions", endpoint_url=self.server.url, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))

    def code(self, fn):
        try:
            fn()
        except Exception as e:  # botocore ClientError
            return e.response["Error"]["Code"]
        return None

    def signed_request(self, body, target="AWSStepFunctions.ListStateMachines"):
        request = botocore.awsrequest.AWSRequest(method="POST", url=self.server.url + "/", data=body, headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(KEY, SECRET), "states", "us-east-1").add_auth(request)
        return request

    def send(self, url, body, headers):
        req = urllib.request.Request(url, data=body, method="POST", headers=dict(headers))
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_signed_requests_pass(self):
        self.assertIn("stateMachines", self.client(KEY, SECRET).list_state_machines())

    def test_unknown_key_is_unrecognized(self):
        self.assertEqual(self.code(lambda: self.client("AKIDOTHER", SECRET).list_state_machines()),
                         "UnrecognizedClientException")

    def test_wrong_secret_is_invalid_signature(self):
        self.assertEqual(self.code(lambda: self.client(KEY, "nope").list_state_machines()),
                         "InvalidSignatureException")

    def test_tampered_body_is_invalid_signature(self):
        request = self.signed_request(b"{}")
        status, body = self.send(self.server.url + "/", b'{"maxResults":1}', request.headers.items())
        self.assertEqual((status, body["__type"]), (400, "InvalidSignatureException"))

    def test_tampered_header_is_invalid_signature(self):
        request = self.signed_request(b"{}")
        headers = dict(request.headers.items())
        headers["X-Amz-Target"] = "AWSStepFunctions.ListActivities"
        status, body = self.send(self.server.url + "/", b"{}", headers.items())
        self.assertEqual(body["__type"], "InvalidSignatureException")

    def test_untampered_manual_request_passes(self):
        request = self.signed_request(b"{}")
        status, body = self.send(self.server.url + "/", b"{}", request.headers.items())
        self.assertEqual(status, 200)

    def test_unsigned_request_is_rejected(self):
        status, body = self.send(self.server.url + "/", b"{}", {
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.ListStateMachines"}.items())
        self.assertEqual(body["__type"], "MissingAuthenticationTokenException")


if __name__ == "__main__":
    unittest.main()
