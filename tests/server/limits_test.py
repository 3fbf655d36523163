#!/usr/bin/env python3
"""Limits of `sfn serve`, each answered with a clear AWS-shaped error while the server stays up: HTTP body size
and header count, the bytes of one request (an endless stream of header lines is cut off), JSON nesting of
request bodies and definitions, definition size (1 MiB), execution input (256 KiB), names, history length
(25,000 events, reached by a large Map), and silent or half-open clients that hold more connections than the
server has threads. Usage: limits_test.py SFN_BINARY"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import unittest
from contextlib import closing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server  # noqa: E402
from wire import Api  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
ROLE = "arn:aws:iam::123456789012:role/test"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
DEEP = "[" * 1_000_000 + "]" * 1_000_000
DEEP_DEFINITION = "[" * 500_000 + "]" * 500_000  # within the 1 MiB definition quota


def peak_rss_bytes(pid):
    """The highest resident set size the process ever had (VmHWM)."""
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/%d/status" % pid)


class LimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--clock", "virtual").start()
        cls.api = Api(cls.server.port)
        cls.machine = cls.api.call("CreateStateMachine", name="limits", definition=PASS,
                                   roleArn=ROLE)["stateMachineArn"]

    @classmethod
    def tearDownClass(cls):
        cls.api.close()  # an idle keep-alive connection would hold the server's shutdown
        cls.server.stop()

    def one_shot(self, operation, body, headers=None):
        """A request on its own connection (the server may close it after an error)."""
        with closing(Api(self.server.port)) as api:
            return api.raw(operation, body, headers)

    def assert_still_serving(self):
        status, answer = self.one_shot("DescribeStateMachine", json.dumps({"stateMachineArn": self.machine}))
        self.assertEqual((status, answer["name"]), (200, "limits"))

    def test_a_second_server_on_a_port_in_use_refuses_to_start(self):
        # Two servers on one port would split the requests between two stores: the second one must not start.
        with Server(BINARY, "--in-memory") as first:
            second = subprocess.run([BINARY, "serve", "--host", "127.0.0.1", "--port", str(first.port), "--in-memory"],
                                    capture_output=True, text=True, timeout=30)
            self.assertNotEqual(second.returncode, 0, second.stdout)
            self.assertIn("cannot listen on 127.0.0.1:%d" % first.port, second.stderr)
            self.assertNotIn("listening on", second.stdout)

    def test_a_body_over_8_mib_gets_413(self):
        status, answer = self.one_shot("ListStateMachines", b" " * (8 * 1024 * 1024 + 1))
        self.assertEqual(status, 413)
        self.assertEqual(answer, {"__type": "RequestEntityTooLargeException",
                                  "message": "The request body is 8388609 bytes; the local service accepts at most "
                                             "8388608"})
        self.assert_still_serving()

    def test_more_than_100_header_fields_get_431(self):
        headers = {"X-Filler-%d" % i: "x" for i in range(120)}
        status, answer = self.one_shot("ListStateMachines", "{}", headers)
        self.assertEqual(status, 431)
        self.assertEqual(answer["__type"], "RequestHeaderFieldsTooLargeException")
        self.assertRegex(answer["message"], r"^The request has 12\d header fields; the local service accepts at "
                                            r"most 100$")
        self.assert_still_serving()

    def test_an_endless_stream_of_header_lines_is_cut_off(self):
        # httplib stores every header line before a handler runs; the connection guard cuts the connection once
        # it has sent more than the body limit plus the header limit (8 + 1 MiB) for one request.
        with Server(BINARY, "--in-memory") as server:
            # GIVEN a client that sends a request line and then header lines as fast as the server takes them
            line = b"X-Filler: " + b"a" * 4000 + b"\r\n"
            sent, cut = 0, False
            with closing(socket.create_connection(("127.0.0.1", server.port), timeout=30)) as sock:
                sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
                try:
                    while sent < 256 * 1024 * 1024:
                        sock.sendall(line * 64)
                        sent += len(line) * 64
                    sock.settimeout(5)
                    cut = sock.recv(1) == b""
                except (ConnectionError, socket.timeout) as error:
                    cut = not isinstance(error, socket.timeout)
            # THEN the server cut the connection within a few MiB over the limit, its memory stayed small
            self.assertTrue(cut, "the server still read after %d bytes" % sent)
            self.assertLess(sent, 64 * 1024 * 1024)
            self.assertLess(peak_rss_bytes(server.proc.pid), 256 * 1024 * 1024)
            # AND it still serves
            with closing(Api(server.port)) as api:
                self.assertEqual(api.call("ListStateMachines"), {"stateMachines": []})

    def test_requests_with_a_7_mib_body_are_answered_one_after_another_on_one_connection(self):
        # GIVEN requests of 7 MiB body and 240 KB of headers on one connection: together over 9 MiB, each under
        body = b"{" + b" " * (7 * 1024 * 1024) + b"}"
        headers = {"X-Filler-%d" % i: "x" * 4000 for i in range(60)}

        def slowly():  # the second body over 0.7 s, so the guard looks at the connection several times
            for offset in range(0, len(body), 1024 * 1024):
                time.sleep(0.1)
                yield body[offset:offset + 1024 * 1024]

        with closing(Api(self.server.port)) as api:
            # WHEN they are sent one after another THEN each is answered: a request counts from the one before
            headers["Content-Length"] = str(len(body))
            for payload in (body, slowly()):
                status, answer = api.raw("ListStateMachines", payload, headers)
                self.assertEqual(status, 200)
                self.assertIn("stateMachines", answer)

    def test_a_request_line_that_is_not_utf8_gets_an_error_not_a_crash(self):
        # Found by fuzz/server_http: the error message quoting the path made the JSON dump throw.
        request = (b"POST /" + b"\xff" * 34 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}")
        with closing(socket.create_connection(("127.0.0.1", self.server.port), timeout=30)) as sock:
            sock.sendall(request)
            # The headers and the body may arrive in separate segments: read the whole answer.
            answer = b""
            while b"\r\n\r\n" not in answer:
                more = sock.recv(65536)
                self.assertTrue(more, "the server closed the connection before its answer's headers")
                answer += more
            head, _, body = answer.partition(b"\r\n\r\n")
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
            while len(body) < length:
                more = sock.recv(65536)
                if not more:
                    break
                body += more
            answer = head + b"\r\n\r\n" + body
        self.assertRegex(answer, rb"^HTTP/1\.1 4\d\d ")
        self.assertIn("\ufffd".encode(), answer)
        self.assert_still_serving()

    def test_a_million_nested_brackets_in_a_body_or_definition_are_refused(self):
        status, answer = self.one_shot("ListStateMachines", DEEP)
        self.assertEqual((status, answer["__type"]), (400, "SerializationException"))
        self.assertEqual(answer["message"], "The request body is not valid JSON: nesting deeper than 512 levels at "
                                            "line 1, column 513")
        status, kind, message = self.api.error("CreateStateMachine", name="deep", definition=DEEP_DEFINITION,
                                               roleArn=ROLE)
        self.assertEqual((status, kind), (400, "InvalidDefinition"))
        self.assertIn("nesting deeper than 512 levels at line 1, column 513", message)
        result = self.api.call("ValidateStateMachineDefinition", definition=DEEP_DEFINITION)
        self.assertEqual(result["result"], "FAIL")
        self.assertEqual(result["diagnostics"][0]["code"], "INVALID_JSON_DESCRIPTION")
        status, kind, _ = self.api.error("TestState", definition=DEEP_DEFINITION)
        self.assertEqual((status, kind), (400, "InvalidDefinition"))
        status, kind, message = self.api.error("StartExecution", stateMachineArn=self.machine, input=DEEP[:200_000])
        self.assertEqual((status, kind), (400, "InvalidExecutionInput"))
        self.assertIn("nesting deeper than 512 levels", message)
        self.assert_still_serving()

    def test_a_definition_over_1_mib_is_refused(self):
        big = json.dumps({"Comment": "x" * (1024 * 1024), "StartAt": "P",
                          "States": {"P": {"Type": "Pass", "End": True}}})
        status, kind, message = self.api.error("CreateStateMachine", name="big", definition=big, roleArn=ROLE)
        self.assertEqual((status, kind), (400, "ValidationException"))
        self.assertIn("at 'definition' failed to satisfy constraint: Member must have length less than or equal to "
                      "1048576", message)
        status, kind, _ = self.api.error("UpdateStateMachine", stateMachineArn=self.machine, definition=big)
        self.assertEqual((status, kind), (400, "ValidationException"))

    def test_an_input_over_256_kib_is_refused(self):
        text = json.dumps({"x": "y" * 262144})
        status, kind, message = self.api.error("StartExecution", stateMachineArn=self.machine, input=text)
        self.assertEqual((status, kind), (400, "InvalidExecutionInput"))
        self.assertIn("more than the maximum of 262144 bytes", message)

    def test_names_longer_than_80_characters_or_with_special_characters_are_invalid(self):
        # Over 80 characters breaks the API model's length constraint (ValidationException, as on AWS) ...
        status, kind, message = self.api.error("StartExecution", stateMachineArn=self.machine, name="n" * 81)
        self.assertEqual((status, kind), (400, "ValidationException"))
        self.assertIn("at 'name' failed to satisfy constraint: Member must have length less than or equal to 80",
                      message)
        # ... characters AWS does not allow in names are InvalidName.
        for name in ["with space", "star*", "br[ack]et", "ctl\x01", "quest?ion"]:
            status, kind, _ = self.api.error("StartExecution", stateMachineArn=self.machine, name=name)
            self.assertEqual((status, kind), (400, "InvalidName"), name)
            status, kind, _ = self.api.error("CreateStateMachine", name=name, definition=PASS, roleArn=ROLE)
            self.assertEqual((status, kind), (400, "InvalidName"), name)
        self.api.call("StartExecution", stateMachineArn=self.machine, name="n" * 80)
        long_state = json.dumps({"StartAt": "s" * 81, "States": {"s" * 81: {"Type": "Pass", "End": True}}})
        status, kind, message = self.api.error("CreateStateMachine", name="longstate", definition=long_state,
                                               roleArn=ROLE)
        self.assertEqual((status, kind), (400, "InvalidDefinition"))
        self.assertIn("sfn.asl.E017", message)

    def test_a_map_too_large_for_the_history_fails_at_25000_events(self):
        definition = json.dumps({"StartAt": "M", "States": {"M": {
            "Type": "Map", "MaxConcurrency": 1000000, "End": True,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}})
        arn = self.api.call("CreateStateMachine", name="bigmap", definition=definition,
                            roleArn=ROLE)["stateMachineArn"]
        execution = self.api.call("StartExecution", stateMachineArn=arn, input=json.dumps([0] * 20000))["executionArn"]
        for _ in range(6000):
            d = self.api.call("DescribeExecution", executionArn=execution)
            if d["status"] != "RUNNING":
                break
            time.sleep(0.01)
        self.assertEqual((d["status"], d.get("error")), ("FAILED", "States.Runtime"))
        self.assertIn("maximum number of history events (25000)", d["cause"])
        events = self.api.pages("GetExecutionHistory", "events", executionArn=execution, maxResults=1000)
        self.assertLessEqual(len(events), 25001)
        self.assertEqual(events[-1]["type"], "ExecutionFailed")

    def test_silent_and_half_open_clients_do_not_starve_a_normal_request(self):
        # GIVEN a server with 2 HTTP threads and 12 connections holding them: 6 silent, 6 stopped mid-headers
        with Server(BINARY, "--http-threads", "2", "--in-memory") as server:
            held = []
            try:
                for i in range(12):
                    s = socket.create_connection(("127.0.0.1", server.port))
                    if i % 2:
                        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n")
                    held.append(s)
                # WHEN a normal client calls THEN it is answered while they still hold their connections
                with closing(Api(server.port, timeout=30)) as api:
                    self.assertEqual(api.call("ListStateMachines"), {"stateMachines": []})
                for s in held:
                    s.setblocking(False)
                    try:
                        self.assertNotEqual(s.recv(1), b"", "the server dropped a held connection")
                    except BlockingIOError:
                        pass  # still open, nothing to read: as expected
            finally:
                for s in held:
                    s.close()


if __name__ == "__main__":
    unittest.main()
