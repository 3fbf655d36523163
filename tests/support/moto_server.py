"""Starts ../shared/aws/moto_server_fixed.py on a free loopback port for a test, and the environment that points
the sfn binary (AWS_ENDPOINT_URL, fake credentials, no user config) at it."""
import os
import socket
import subprocess
import sys
import time

MOTO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "aws",
                    "moto_server_fixed.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    def __init__(self, account=None):
        port = free_port()
        env = dict(os.environ)
        if account:
            env["MOTO_ACCOUNT_ID"] = account
        self.proc = subprocess.Popen([sys.executable, MOTO, str(port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=env)
        self.endpoint = "http://127.0.0.1:%d" % port
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        self.env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                        AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.endpoint,
                        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
        self.env.pop("AWS_PROFILE", None)

    def client(self, service):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
