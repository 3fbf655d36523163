"""A Lambda Invoke endpoint on a free 127.0.0.1 port, for tests and measurements that point sfn's integrations
at it (AWS_ENDPOINT_URL_LAMBDA): `POST /2015-03-31/functions/{name}/invocations` answers with the function's
result, as Lambda's wire protocol does (X-Amz-Executed-Version, X-Amz-Function-Error for a function error,
ResourceNotFoundException for a function it does not have). `functions` maps a function name to a callable
event -> result; `default` (optional) answers every other name."""
import http.server
import json
import threading
import urllib.parse
import uuid

ACCOUNT = "111111111111"
REGION = "us-east-1"


class FunctionError(Exception):
    """Raised by a function to answer a function error (errorType, errorMessage) as Lambda does."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def function_name(path_name):
    """The function's name from the path segment (a name, a partial or a full ARN, maybe with a qualifier)."""
    name = urllib.parse.unquote(path_name)
    if name.startswith("arn:"):
        name = name.split(":")[6]
    elif ":" in name:
        name = name.split(":")[0]
    return name


class LoopbackLambda:
    def __init__(self, functions=None, default=None):
        self.functions = dict(functions or {})
        self.default = default
        self.calls = []
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def reply(self, status, body, headers):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0) or 0)
                sent = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlparse(self.path).path.split("/")
                if len(parts) != 5 or parts[2] != "functions" or parts[4] != "invocations":
                    self.reply(404, {"Type": "User", "message": "unknown path " + self.path},
                               {"x-amzn-ErrorType": "UnknownOperationException"})
                    return
                name = function_name(parts[3])
                with owner.lock:
                    owner.calls.append(name)
                function = owner.functions.get(name, owner.default)
                if function is None:
                    arn = "arn:aws:lambda:%s:%s:function:%s" % (REGION, ACCOUNT, name)
                    self.reply(404, {"Type": "User", "Message": "Function not found: " + arn},
                               {"x-amzn-ErrorType": "ResourceNotFoundException"})
                    return
                event = json.loads(sent) if sent.strip() else None
                try:
                    result = function(event)
                except FunctionError as e:
                    self.reply(200, {"errorMessage": str(e), "errorType": e.error_type, "stackTrace": []},
                               {"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"})
                    return
                self.reply(200, result, {"X-Amz-Executed-Version": "$LATEST"})

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
