"""A minimal AWS JSON 1.0 client over one keep-alive connection (no SDK start-up cost), for the fault and
limits tests that restart or provoke `sfn serve` many times."""
import http.client
import json


class Api:
    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def raw(self, operation, body, headers=None):
        """POSTs `body` (bytes or str) as `operation`; returns (status, parsed JSON or None). Raises OSError
        (or http.client exceptions) when the connection fails."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        all_headers = {"Content-Type": "application/x-amz-json-1.0",
                       "X-Amz-Target": "AWSStepFunctions." + operation}
        all_headers.update(headers or {})
        try:
            self.conn.request("POST", "/", body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return response.status, parsed

    def call(self, operation, **request):
        """The answer of a request that must succeed (AssertionError with the error otherwise)."""
        status, answer = self.raw(operation, json.dumps(request))
        if status != 200:
            raise AssertionError("%s answered %d: %r" % (operation, status, answer))
        return answer

    def error(self, operation, **request):
        """(status, __type, message) of a request that must fail."""
        status, answer = self.raw(operation, json.dumps(request))
        if status == 200:
            raise AssertionError("%s succeeded: %r" % (operation, answer))
        return status, answer.get("__type"), answer.get("message")

    def pages(self, operation, key, **request):
        """Every item of a paginated List* operation."""
        items = []
        while True:
            answer = self.call(operation, **request)
            items += answer[key]
            if not answer.get("nextToken"):
                return items
            request["nextToken"] = answer["nextToken"]

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
