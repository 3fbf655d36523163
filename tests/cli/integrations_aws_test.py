#!/usr/bin/env python3
"""`sfn run --integrations aws` and `sfn serve --integrations aws` against moto_server behind the SigV4-verifying
proxy (tests/aws/sigv4_verifying_proxy.py): one workflow writes to DynamoDB, SQS, SNS (to a subscribed queue),
EventBridge (a rule targeting a queue), S3 and asks STS who it is, through optimised and aws-sdk:* resources; every
side effect is checked with boto3 directly against moto, every request's signature is checked by the proxy, and
the secret key shows nowhere in what sfn prints. On `sfn serve`, a nested states:startExecution stays on the local
service. Usage: integrations_aws_test.py SFN_BINARY"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import boto3

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/sfn"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
from serve_support import Server  # noqa: E402

MOTO = os.path.join(HERE, "..", "..", "..", "shared", "aws", "moto_server_fixed.py")
PROXY = os.path.join(HERE, "..", "aws", "sigv4_verifying_proxy.py")
SECRET = "integrations-cli-secret-key"
ACCOUNT = "111111111111"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, what):
    for _ in range(1200):
        if proc.poll() is not None:
            raise RuntimeError(what + " exited during startup")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(what + " did not start")


def workflow(names):
    """Every service once; the names of the resources come in the input."""
    return {
        "StartAt": "Put",
        "States": {
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName.$": "$.table", "Item": {"id": {"S.$": "$.id"}, "kind": {"S": "order"}}},
                    "ResultPath": None, "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                    "Parameters": {"TableName.$": "$.table", "Key": {"id": {"S.$": "$.id"}}},
                    "ResultSelector": {"kind.$": "$.Item.kind.S"}, "ResultPath": "$.got", "Next": "Send"},
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                     "Parameters": {"QueueUrl.$": "$.queue", "MessageBody": {"id.$": "$.id"}},
                     "ResultPath": None, "Next": "Publish"},
            "Publish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                        "Parameters": {"TopicArn.$": "$.topic", "Message.$": "$.id"},
                        "ResultPath": None, "Next": "Event"},
            "Event": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
                      "Parameters": {"Entries": [{"Source": "shop", "DetailType": "order",
                                                  "Detail": {"id.$": "$.id"}}]},
                      "ResultPath": None, "Next": "Store"},
            "Store": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                      "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.id", "Body": "stored"},
                      "ResultPath": None, "Next": "Who"},
            "Who": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sts:getCallerIdentity", "Parameters": {},
                    "ResultSelector": {"account.$": "$.Account"}, "ResultPath": "$.who", "End": True},
        },
    }


class IntegrationsAws(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        moto_port, proxy_port = free_port(), free_port()
        cls.moto = subprocess.Popen([sys.executable, MOTO, str(moto_port)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, env=dict(os.environ, MOTO_ACCOUNT_ID=ACCOUNT))
        wait_for_port(moto_port, cls.moto, "moto_server")
        cls.proxy = subprocess.Popen([sys.executable, PROXY, str(proxy_port), str(moto_port), SECRET],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(proxy_port, cls.proxy, "the SigV4 proxy")
        cls.moto_url = "http://127.0.0.1:%d" % moto_port
        cls.proxy_url = "http://127.0.0.1:%d" % proxy_port
        cls.env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDCLITEST", AWS_SECRET_ACCESS_KEY=SECRET,
                       AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1", AWS_ENDPOINT_URL=cls.proxy_url,
                       AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                       SFN_HOME=tempfile.mkdtemp(prefix="sfn-integ-home-"))
        cls.env.pop("AWS_PROFILE", None)
        # `sfn serve` (serve_support.Server) inherits this process's environment.
        cls.saved_env = dict(os.environ)
        os.environ.clear()
        os.environ.update(cls.env)

    @classmethod
    def tearDownClass(cls):
        os.environ.clear()
        os.environ.update(cls.saved_env)
        for proc in (cls.proxy, cls.moto):
            proc.terminate()
            proc.wait(timeout=20)

    def client(self, name):
        return boto3.client(name, endpoint_url=self.moto_url, region_name="us-east-1",
                            aws_access_key_id="AKIDBOTO3", aws_secret_access_key="x")

    def resources(self, suffix):
        """Table, queue (with SNS and EventBridge delivering to further queues), topic and bucket."""
        ddb, sqs, sns, events, s3 = (self.client(n) for n in ("dynamodb", "sqs", "sns", "events", "s3"))
        table = "orders-" + suffix
        ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        queues = {}
        for role in ("direct", "sns", "events"):
            url = sqs.create_queue(QueueName="%s-%s" % (role, suffix))["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            queues[role] = (url, arn)
        topic = sns.create_topic(Name="news-" + suffix)["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues["sns"][1],
                      Attributes={"RawMessageDelivery": "true"})
        events.put_rule(Name="orders-" + suffix, EventPattern=json.dumps({"source": ["shop"]}))
        events.put_targets(Rule="orders-" + suffix, Targets=[{"Id": "q", "Arn": queues["events"][1]}])
        bucket = "bucket-" + suffix
        s3.create_bucket(Bucket=bucket)
        return {"table": table, "queue": queues["direct"][0], "topic": topic, "bucket": bucket,
                "sns_queue": queues["sns"][0], "events_queue": queues["events"][0]}

    def messages(self, url):
        got = self.client("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=1, MaxNumberOfMessages=10)
        return [m["Body"] for m in got.get("Messages", [])]

    def check_side_effects(self, res, ident):
        item = self.client("dynamodb").get_item(TableName=res["table"], Key={"id": {"S": ident}})["Item"]
        self.assertEqual(item["kind"], {"S": "order"})
        self.assertEqual(self.messages(res["queue"]), [json.dumps({"id": ident}, separators=(",", ":"))])
        self.assertEqual(self.messages(res["sns_queue"]), [ident])
        events = [json.loads(b) for b in self.messages(res["events_queue"])]
        self.assertEqual([e["detail"] for e in events], [{"id": ident}])
        # aws-sdk:s3:putObject stores a string Body JSON-encoded, as text/plain, as AWS does
        stored = self.client("s3").get_object(Bucket=res["bucket"], Key=ident)
        self.assertEqual(stored["Body"].read(), b'"stored"')
        self.assertEqual(stored["ContentType"], "text/plain; charset=UTF-8")

    def proxy_log(self):
        with urllib.request.urlopen(self.proxy_url + "/__sigv4/log") as r:
            return json.load(r)

    def assert_all_signed(self, since):
        log = self.proxy_log()[since:]
        self.assertGreater(len(log), 0, "no request went through the proxy")
        self.assertEqual([e for e in log if not e["ok"]], [])
        return {e["service"] for e in log}

    def test_sfn_run_calls_every_service(self):
        # GIVEN the resources and a workflow that uses them
        res = self.resources("run")
        mark = len(self.proxy_log())
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(workflow(res), f)
        # WHEN sfn run executes it with --integrations aws
        inp = dict(res, id="o-run")
        out = subprocess.run([BINARY, "run", f.name, "--integrations", "aws", "--json", "--history",
                              "--input", json.dumps(inp)], env=self.env, capture_output=True, text=True, timeout=120)
        os.unlink(f.name)
        # THEN it succeeds with the results it read back, the effects are there and every request was signed
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn(SECRET, out.stdout + out.stderr)
        result = json.loads(out.stdout.splitlines()[0]) if out.stdout.startswith("{") else json.loads(out.stdout)
        self.assertEqual(result["status"], "SUCCEEDED", out.stdout)
        self.assertEqual(result["output"]["got"], {"kind": "order"})
        self.assertEqual(result["output"]["who"], {"account": ACCOUNT})
        self.check_side_effects(res, "o-run")
        services = self.assert_all_signed(mark)
        self.assertTrue({"dynamodb", "sqs", "sns", "events", "s3", "sts"} <= services, services)

    def test_sfn_run_failure_names_the_error_and_hides_the_secret(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"StartAt": "P", "States": {"P": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                       "Parameters": {"TableName": "no-such-table", "Item": {"id": {"S": "x"}}}, "End": True}}}, f)
        out = subprocess.run([BINARY, "run", f.name, "--integrations", "aws", "--json", "--history"], env=self.env,
                             capture_output=True, text=True, timeout=120)
        os.unlink(f.name)
        self.assertNotIn(SECRET, out.stdout + out.stderr)
        result = json.loads(out.stdout.splitlines()[0]) if out.stdout.startswith("{") else json.loads(out.stdout)
        self.assertEqual(result["status"], "FAILED")
        self.assertEqual(result["error"], "DynamoDB.ResourceNotFoundException")

    def test_sfn_serve_calls_out_and_keeps_nested_executions_local(self):
        res = self.resources("serve")
        mark = len(self.proxy_log())
        with Server(BINARY, "--integrations", "aws", "--account", "123456789012") as server:
            local = boto3.client("stepfunctions", endpoint_url=server.url, region_name="us-east-1",
                                 aws_access_key_id="AKIDLOCAL", aws_secret_access_key="x")
            role = "arn:aws:iam::123456789012:role/r"
            child = local.create_state_machine(name="child", roleArn=role,
                                               definition=json.dumps(workflow(res)))["stateMachineArn"]
            parent = local.create_state_machine(name="parent", roleArn=role, definition=json.dumps({
                "StartAt": "Nested", "States": {"Nested": {
                    "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child, "Input.$": "$"},
                    "OutputPath": "$.Output", "End": True}}}))["stateMachineArn"]
            arn = local.start_execution(stateMachineArn=parent, input=json.dumps(dict(res, id="o-serve")))["executionArn"]
            for _ in range(600):
                described = local.describe_execution(executionArn=arn)
                if described["status"] != "RUNNING":
                    break
                time.sleep(0.1)
            self.assertEqual(described["status"], "SUCCEEDED", described)
            output = json.loads(described["output"])
            self.assertEqual(output["got"], {"kind": "order"})
            # The child ran on this service (moto never saw a Step Functions call)
            children = local.list_executions(stateMachineArn=child)["executions"]
            self.assertEqual([c["status"] for c in children], ["SUCCEEDED"])
        self.check_side_effects(res, "o-serve")
        services = self.assert_all_signed(mark)
        self.assertNotIn("states", services)
        self.assertTrue({"dynamodb", "sqs", "sns", "events", "s3", "sts"} <= services, services)


if __name__ == "__main__":
    unittest.main()
