"""Starts `sfn serve --port 0` (or a given port) on 127.0.0.1 for a test and stops it (shared by the client tests)."""
import os
import re
import signal
import subprocess
import tempfile


class Server:
    def __init__(self, binary, *args, db=None, port=0, env=None):
        """env: variables added to the server's environment."""
        self.binary = binary
        self.env = env
        self.args = list(args)
        self.db = db
        self.proc = None
        self.port = None
        self.requested_port = port

    def start(self):
        cmd = [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.requested_port)]
        cmd += ["--db", self.db] if self.db else ["--in-memory"]
        cmd += self.args
        env = dict(os.environ, **self.env) if self.env else None
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not match:
            self.proc.kill()
            raise RuntimeError("sfn serve did not print its address: %r %r" % (line, self.proc.stderr.read()))
        self.port = int(match.group(1))
        return self

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.close_pipes()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.close_pipes()

    def close_pipes(self):
        if self.proc:
            for pipe in (self.proc.stdout, self.proc.stderr):
                if pipe:
                    pipe.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def client_env():
    """Fake credentials and an isolated AWS config (never the user's ~/.aws)."""
    folder = tempfile.mkdtemp(prefix="sfn-aws-")
    config = os.path.join(folder, "config")
    with open(config, "w") as f:
        f.write("[default]\nregion = us-east-1\n")
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY": "local-secret", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(folder, "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
    })
    env.pop("AWS_PROFILE", None)
    return env


def stepfunctions_client(server, inject_host_prefix=False):
    """A boto3 Step Functions client for `server` (call client_env() into os.environ first), no retries."""
    import boto3
    from botocore.config import Config
    return boto3.client("stepfunctions", endpoint_url=server.url, region_name="us-east-1",
                        config=Config(inject_host_prefix=inject_host_prefix, retries={"max_attempts": 1}))
