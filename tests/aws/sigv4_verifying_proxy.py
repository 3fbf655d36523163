#!/usr/bin/env python3
"""A loopback HTTP proxy for the ServiceClient tests: recomputes every request's SigV4 signature with botocore
(over the method, path, query, signed headers and body as received, at the request's own X-Amz-Date, with the
known secret) and forwards the request to an upstream server (moto_server) unchanged.

A request whose signature does not match is answered 403 SignatureDoesNotMatch and not forwarded. For S3,
x-amz-content-sha256 must also be the SHA-256 of the body. GET /__sigv4/log (unsigned) returns every request
seen as JSON: [{"method", "path", "service", "region", "ok", "reason"}].

usage: sigv4_verifying_proxy.py LISTEN_PORT UPSTREAM_PORT SECRET_ACCESS_KEY
"""
import hashlib
import http.client
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

LISTEN_PORT, UPSTREAM_PORT, SECRET = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
    r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}

log = []
log_lock = threading.Lock()


def verify(method, raw_path, headers, body):
    """Returns (service, region, reason); reason is None when the signature is right."""
    auth_header = headers.get("Authorization", "")
    m = AUTH_RE.match(auth_header)
    if not m:
        return None, None, "no SigV4 Authorization header: %r" % auth_header
    access_key, date, region, service, signed, signature = m.groups()
    amz_date = headers.get("X-Amz-Date")
    if not amz_date or not amz_date.startswith(date):
        return service, region, "X-Amz-Date %r does not match the scope date %s" % (amz_date, date)
    signed_names = signed.split(";")
    if "host" not in signed_names or "x-amz-date" not in signed_names:
        return service, region, "host and x-amz-date must be signed, got %s" % signed
    if service == "s3":
        expected_hash = hashlib.sha256(body).hexdigest()
        if headers.get("x-amz-content-sha256") != expected_hash:
            return service, region, "x-amz-content-sha256 %r is not the body's SHA-256 %s" % (
                headers.get("x-amz-content-sha256"), expected_hash)
    signed_headers = {}
    for name in signed_names:
        values = headers.get_all(name)
        if values is None:
            return service, region, "signed header %s is missing" % name
        signed_headers[name] = ",".join(values)
    request = AWSRequest(method=method, url="http://" + headers["Host"] + raw_path, headers=signed_headers,
                         data=body)
    request.context["timestamp"] = amz_date
    signer_class = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = signer_class(Credentials(access_key, SECRET), service, region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if expected != signature:
        return service, region, "signature mismatch; botocore's canonical request:\n" + canonical
    return service, region, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__sigv4/log":
            with log_lock:
                self.answer(200, [("Content-Type", "application/json")], json.dumps(log).encode())
            return
        service, region, reason = verify(self.command, self.path, self.headers, body)
        with log_lock:
            log.append({"method": self.command, "path": self.path, "service": service, "region": region,
                        "ok": reason is None, "reason": reason})
        if reason is not None:
            self.answer(403, [("Content-Type", "application/json")],
                        json.dumps({"__type": "SignatureDoesNotMatch", "message": reason}).encode())
            return
        upstream = http.client.HTTPConnection("127.0.0.1", UPSTREAM_PORT, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            length = response.getheader("Content-Length") if self.command == "HEAD" else None
            self.answer(response.status, headers, data, length=length)
        finally:
            upstream.close()

    def answer(self, status, headers, data, length=None):
        """Sends the answer; `length` is the Content-Length a HEAD answer announces (there is no body)."""
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", length if length is not None else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", LISTEN_PORT), Handler).serve_forever()
