#!/usr/bin/env python3
"""`sfn ... --endpoint-url URL` signs with the credentials chain (here: keys in the environment), never with dummy
keys when keys are configured; STS GetCallerIdentity goes to STS's own endpoint, not to --endpoint-url; where STS
is unreachable the account comes from the ARNs the Step Functions endpoint returns.
Every request is checked by botocore's SigV4 signer (an independent implementation) in a loopback proxy and by
`sfn serve --require-sigv4`. Usage: endpoint_credentials_test.py SFN_BINARY"""
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env  # noqa: E402

import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.credentials  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
KEY, SECRET = "AKIDFROMENV", "secret-from-the-environment"
STS_ACCOUNT = "444455556666"  # the account the keys belong to, as the endpoint sees it
SERVE_ACCOUNT = STS_ACCOUNT
DEFINITION = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
ROLE = "arn:aws:iam::%s:role/r" % SERVE_ACCOUNT


def verify_sigv4(method, path, headers, body, secret):
    """Recomputes the signature of a received request with botocore; returns (ok, access key, service)."""
    auth = headers.get("Authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        return False, None, None
    key, _, region, service, signed, signature = m.groups()
    names = signed.split(";")
    request = botocore.awsrequest.AWSRequest(method=method, url="http://%s%s" % (headers["Host"], path), data=body,
                                             headers={n: headers[n] for n in names if n in headers})
    request.context["timestamp"] = headers["X-Amz-Date"]
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), service, region)
    signer._headers_to_sign = lambda r: {n: r.headers[n] for n in names}  # exactly what the client signed
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    return expected == signature, key, service


class Recorder(http.server.ThreadingHTTPServer):
    """A loopback server that verifies every request's SigV4 signature and records the outcome."""

    def __init__(self, upstream=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.upstream = upstream  # forward Step Functions calls here; None: answer STS GetCallerIdentity
        self.seen = []  # (ok, access key, service, target)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ok, key, service = verify_sigv4("POST", self.path, self.headers, body, SECRET)
        # The check can fail: the same request does not verify with another secret.
        ok &= not verify_sigv4("POST", self.path, self.headers, body, "sfn-local")[0]
        self.server.seen.append((ok, key, service, self.headers.get("X-Amz-Target")))
        if not ok:
            return self.answer(403, b'{"__type":"InvalidSignatureException"}', "application/x-amz-json-1.0")
        if self.server.upstream is None:
            xml = ("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/u</Arn>"
                   "<UserId>AIDA</UserId><Account>%s</Account></GetCallerIdentityResult>"
                   "</GetCallerIdentityResponse>" % (STS_ACCOUNT, STS_ACCOUNT))
            return self.answer(200, xml.encode(), "text/xml")
        forward = urllib.request.Request(self.server.upstream + self.path, data=body, method="POST", headers={
            "Content-Type": self.headers["Content-Type"], "X-Amz-Target": self.headers["X-Amz-Target"]})
        try:
            with urllib.request.urlopen(forward) as r:
                self.answer(r.status, r.read(), r.headers["Content-Type"])
        except urllib.error.HTTPError as e:
            self.answer(e.code, e.read(), e.headers["Content-Type"])

    def answer(self, status, payload, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EndpointCredentialsTest(unittest.TestCase):
    def setUp(self):
        self.env = client_env()
        self.env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET})
        for v in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_STS", "AWS_SESSION_TOKEN"):
            self.env.pop(v, None)
        self.folder = tempfile.mkdtemp(prefix="sfn-endpoint-")
        self.definition = os.path.join(self.folder, "d.json")
        with open(self.definition, "w") as f:
            json.dump(DEFINITION, f)

    def sfn(self, *args, env=None, check=True):
        p = subprocess.run([BINARY, *args], env=env or self.env, capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(p.returncode, 0, "sfn %s: %s%s" % (" ".join(args), p.stdout, p.stderr))
        return p

    def lifecycle(self, url, name):
        self.sfn("deploy", self.definition, "--name", name, "--role-arn", ROLE, "--endpoint-url", url)
        self.sfn("deploy", self.definition, "--name", name, "--role-arn", ROLE, "--endpoint-url", url)  # update
        out = self.sfn("execute", name, "--sync", "--input", "{}", "--endpoint-url", url).stdout
        self.assertIn('"ok"', out)
        self.assertIn(name, self.sfn("list", "--endpoint-url", url).stdout)
        self.sfn("list", "--executions", name, "--endpoint-url", url)
        self.sfn("describe", name, "--endpoint-url", url)
        self.sfn("delete", name, "--endpoint-url", url)

    def test_require_sigv4_accepts_every_cli_request_signed_with_the_environments_keys(self):
        self.env["AWS_ENDPOINT_URL_STS"] = Recorder().url
        with Server(BINARY, "--require-sigv4", KEY + ":" + SECRET, "--account", SERVE_ACCOUNT) as server:
            self.lifecycle(server.url, "signed")
            # The same keys absent: nothing configured, a loopback endpoint, dummy keys, rejected by the server.
            bare = {k: v for k, v in self.env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
            p = self.sfn("list", "--endpoint-url", server.url, env=bare, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("UnrecognizedClientException", p.stdout + p.stderr)

    def test_every_request_verifies_with_the_environments_secret_and_sts_keeps_its_endpoint(self):
        sts = Recorder()
        self.env["AWS_ENDPOINT_URL_STS"] = sts.url
        with Server(BINARY, "--account", SERVE_ACCOUNT) as server:
            proxy = Recorder(upstream=server.url)
            self.lifecycle(proxy.url, "proxied")
        self.assertGreater(len(proxy.seen), 6)
        for ok, key, service, target in proxy.seen:
            self.assertTrue(ok, "bad signature on %s" % target)
            self.assertEqual((key, service), (KEY, "states"))
            self.assertTrue(target.startswith("AWSStepFunctions."), target)
        # GetCallerIdentity went to STS's own endpoint, signed for sts, never to --endpoint-url.
        self.assertGreater(len(sts.seen), 0)
        self.assertEqual({(ok, key, service) for ok, key, service, _ in sts.seen}, {(True, KEY, "sts")})

    def test_without_sts_the_account_comes_from_the_endpoints_arns(self):
        self.env["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:%d" % closed_port()
        with Server(BINARY, "--account", SERVE_ACCOUNT) as server:
            self.sfn("deploy", self.definition, "--name", "first", "--role-arn", ROLE, "--endpoint-url", server.url)
            out = self.sfn("deploy", self.definition, "--name", "second", "--role-arn", ROLE, "--endpoint-url",
                           server.url, "--json").stdout
            self.assertIn("arn:aws:states:us-east-1:%s:stateMachine:second" % SERVE_ACCOUNT, out)
            # Updating addresses the machine by the ARN built from that account: found, not created twice.
            self.sfn("deploy", self.definition, "--name", "second", "--role-arn", ROLE, "--endpoint-url", server.url)
            listed = self.sfn("list", "--endpoint-url", server.url).stdout
            self.assertEqual(listed.count(":stateMachine:second"), 1, listed)


if __name__ == "__main__":
    unittest.main()
