"""Starts ../shared/aws/moto_server_fixed.py on a free 127.0.0.1 port (account 111111111111 unless told) and
stops it: `with MotoServer() as moto: moto.client("sqs")`; `moto.env` is the environment that points the sfn
binary at it (AWS_ENDPOINT_URL, fake credentials, no user configuration)."""
import os
import socket
import subprocess
import sys
import time

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "aws",
                      "moto_server_fixed.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    def __init__(self, account="111111111111"):
        self.account = account
        self.proc = None
        self.port = None

    def start(self, attempts=300):
        self.port = free_port()
        env = dict(os.environ, MOTO_ACCOUNT_ID=self.account)
        self.proc = subprocess.Popen([sys.executable, SCRIPT, str(self.port)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(attempts):
            if self.proc.poll() is not None:
                raise RuntimeError("moto_server exited with status %d" % self.proc.returncode)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto_server did not listen on port %d" % self.port)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def env(self):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.url,
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
        env.pop("AWS_PROFILE", None)
        return env

    def client(self, service):
        import boto3
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
