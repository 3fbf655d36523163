"""A JSON API on a free 127.0.0.1 port for the HTTP Task tests: `answer(method, path, headers, body)` returns
(status, JSON value); the server runs on a thread until stop()."""
import http.server
import json
import threading


class LoopbackApi:
    def __init__(self, answer):
        class Handler(http.server.BaseHTTPRequestHandler):
            def respond(self):
                length = int(self.headers.get("Content-Length", 0) or 0)
                sent = self.rfile.read(length) if length else b""
                status, value = answer(self.command, self.path, self.headers, sent)
                body = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = respond

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.server.server_address[1], path)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
