"""Headless Chromium driven over the DevTools protocol (a websocket), for the console tests: open a page,
evaluate JavaScript, wait for a DOM condition (polling, never sleeping a fixed time), click, take screenshots.
Needs Debian's `chromium` and `python3-websocket` (scripts/install-deps.sh --test)."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket
except ImportError:  # a Python of its own (pyenv, venv) does not see Debian's packages: look there too
    sys.path.append("/usr/lib/python3/dist-packages")
    import websocket


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self, width=1440, height=1000):
        self.profile = tempfile.mkdtemp(prefix="sfn-console-chromium-")
        binary = find_chromium()
        if not binary:
            raise BrowserError("chromium is not installed (scripts/install-deps.sh --test)")
        args = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + self.profile,
                "--window-size=%d,%d" % (width, height), "about:blank"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        deadline = time.time() + 60
        while time.time() < deadline and port is None:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                raise BrowserError("chromium exited with status %s" % self.proc.returncode)
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                port = int(match.group(1))
        if port is None:
            self.close()
            raise BrowserError("chromium did not print its DevTools address")
        # Keep reading stderr so chromium never blocks on a full pipe.
        self._drain = subprocess.Popen(["cat"], stdin=self.proc.stderr, stdout=subprocess.DEVNULL)
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=30))
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120, suppress_origin=True)
        self.next_id = 0
        self.console_errors = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        message_id = self.next_id
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Runtime.exceptionThrown":
                self.console_errors.append(message["params"]["exceptionDetails"].get("exception", {})
                                           .get("description", str(message["params"])))
            if message.get("id") == message_id:
                if "error" in message:
                    raise BrowserError("%s failed: %s" % (method, message["error"]))
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError("%s threw: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def wait_for(self, expression, timeout=60, what=None):
        """Polls `expression` until it is truthy; returns its value. Fails after `timeout` seconds."""
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise BrowserError("timed out after %ss waiting for %s (last value %r; page errors %r)"
                           % (timeout, what or expression, value, self.console_errors))

    def open(self, url, timeout=60):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && document.body && document.body.dataset.ready === 'true'",
                      timeout, "the page at " + url)

    def goto_hash(self, fragment, timeout=60):
        # The same fragment again fires no hashchange: fire it, so the page is drawn anew either way.
        self.evaluate("document.body.dataset.ready = 'false'; if (location.hash === %s)"
                      " window.dispatchEvent(new HashChangeEvent('hashchange')); else location.hash = %s; true"
                      % (json.dumps(fragment), json.dumps(fragment)))
        self.wait_for("document.body.dataset.ready === 'true'", timeout, "the page " + fragment)

    def click(self, selector):
        found = self.evaluate("(() => { const e = document.querySelector(%s); if (!e || e.disabled) return false;"
                              " e.dispatchEvent(new MouseEvent('click', {bubbles: true})); return true; })()"
                              % json.dumps(selector))
        if not found:
            raise BrowserError("nothing clickable matches %s" % selector)

    def screenshot(self, path, until=None):
        """A PNG of the page from its top, down to the bottom of the element `until` when given."""
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = min(size["height"], 4000)
        if until:
            height = self.evaluate("document.querySelector(%s).getBoundingClientRect().bottom + scrollY + 12"
                                   % json.dumps(until))
        clip = {"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1}
        data = self.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            if getattr(self, "ws", None):
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            if getattr(self, "_drain", None):
                self._drain.wait(timeout=20)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
