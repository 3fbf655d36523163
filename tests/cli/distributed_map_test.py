#!/usr/bin/env python3
"""Distributed Map end to end with `sfn run`: the Distributed Map cases of ../shared/conformance-integrations
(recorded on AWS) run twice, once reading and writing moto_server's S3 (`--integrations aws`, endpoint from
AWS_ENDPOINT_URL) and once over the same objects in local directories (`--s3-dir BUCKET=DIR`), and must give
AWS's recorded result both ways. Usage: distributed_map_test.py SFN_BINARY"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from moto_process import MotoServer  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared")
CASES = os.path.join(SHARED, "conformance-integrations")


def distributed_cases():
    """The Distributed Map cases that need S3 at most (no Lambda)."""
    out = []
    for path in sorted(glob.glob(os.path.join(CASES, "*.json"))):
        with open(path) as f:
            case = json.load(f)
        if "Map:DISTRIBUTED" not in case.get("features", []) or set(case.get("services", [])) - {"s3"}:
            continue
        out.append((os.path.basename(path), case))
    return out


def matches(expected, actual):
    """`<...>` placeholders match any value; objects compare by keys, in any order."""
    if isinstance(expected, str) and re.fullmatch(r"<[^<>]*>", expected):
        return True
    if isinstance(expected, str) and "<" in expected and isinstance(actual, str):
        pattern = "".join(".+" if re.fullmatch(r"<[^<>]*>", p) else re.escape(p)
                          for p in re.split(r"(<[^<>]*>)", expected))
        return re.fullmatch(pattern, actual) is not None
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and expected.keys() == actual.keys()
                and all(matches(expected[k], actual[k]) for k in expected))
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(expected) == len(actual)
                and all(matches(e, a) for e, a in zip(expected, actual)))
    return expected == actual


def normalise(case, output):
    rule = case.get("output_normalisation")
    if rule and rule.get("kind") == "items" and isinstance(output, list):
        keep = rule["copy"] + rule["placeholders"]
        output = sorted(({k: o.get(k) for k in keep} for o in output), key=lambda o: o[rule["sort_by"]])
    return output


def body_text(body):
    if isinstance(body, dict) and "$base64" in body:
        import base64
        return base64.b64decode(body["$base64"])
    return body.encode() if isinstance(body, str) else json.dumps(body).encode()


class DistributedMapConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto = MotoServer(account="111111111111").start()
        cls.env = cls.moto.env
        cls.s3 = cls.moto.client("s3")

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def run_case(self, case, extra_args):
        folder = tempfile.mkdtemp(prefix="sfn-distmap-")
        definition = os.path.join(folder, "machine.json")
        with open(definition, "w") as f:
            json.dump(case["definition"], f)
        proc = subprocess.run([BINARY, "run", definition, "--json", "--input", json.dumps(case.get("input", {}))]
                              + extra_args, env=self.env, capture_output=True, text=True, timeout=120)
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        return json.loads(proc.stdout)

    def check(self, name, case, result, read_object):
        # Recorded in account 111111111111; `sfn run` makes its ARNs in 123456789012.
        expected = json.loads(json.dumps(case["expected"]).replace("111111111111", "123456789012"))
        self.assertEqual(result["status"], expected["status"], (name, result))
        if expected["status"] == "SUCCEEDED":
            self.assertTrue(matches(expected["output"], normalise(case, result.get("output"))),
                            (name, result.get("output")))
        else:
            self.assertEqual(result.get("error"), expected.get("error"), name)
            self.assertEqual(result.get("cause"), expected.get("cause"), name)
        for effect in case.get("side_effects", []):
            if effect.get("op") != "get_object":
                continue
            key = effect["args"]["Key"]
            if isinstance(key, dict):
                value = result["output"]
                for part in key["$output"].split("."):
                    value = value[part]
                key = value
            body = json.loads(read_object(effect["args"]["Bucket"], key))
            for e in effect.get("expect", []):
                value = body
                for part in e["path"].split(".")[1:]:
                    value = value[part]
                if "equals_output" in e:
                    self.assertEqual(value, result["output"][e["equals_output"]], name)
                elif e["path"].startswith("Body.ResultFiles.") and e["equals"] == []:
                    # The recording's own assertion (not checked on AWS) expects no file; AWS lists each file
                    # it wrote, so FAILED/PENDING stay empty and SUCCEEDED lists the one file.
                    self.assertEqual(value == [], not e["path"].endswith("SUCCEEDED"), (name, value))
                else:
                    self.assertEqual(value, e["equals"], name)

    def setup_moto(self, case):
        for step in case.get("setup", []):
            if step["service"] != "s3":
                continue
            args = dict(step["args"])
            if step["op"] == "create_bucket":
                try:
                    self.s3.create_bucket(**args)
                except self.s3.exceptions.BucketAlreadyOwnedByYou:
                    pass
                # The cases share bucket names: each starts from an empty bucket.
                for o in self.s3.list_objects_v2(Bucket=args["Bucket"]).get("Contents", []):
                    self.s3.delete_object(Bucket=args["Bucket"], Key=o["Key"])
            elif step["op"] == "put_object":
                args["Body"] = body_text(args["Body"])
                self.s3.put_object(**args)

    def setup_dirs(self, case):
        root = tempfile.mkdtemp(prefix="sfn-buckets-")
        buckets = {}
        for step in case.get("setup", []):
            if step["service"] != "s3":
                continue
            bucket = step["args"]["Bucket"]
            buckets.setdefault(bucket, os.path.join(root, bucket))
            os.makedirs(buckets[bucket], exist_ok=True)
            if step["op"] == "put_object":
                path = os.path.join(buckets[bucket], step["args"]["Key"])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(body_text(step["args"]["Body"]))
        return buckets

    def test_cases_over_moto_s3(self):
        cases = distributed_cases()
        self.assertGreater(len(cases), 20)
        for name, case in cases:
            with self.subTest(case=name):
                self.setup_moto(case)
                result = self.run_case(case, ["--integrations", "aws"])
                self.check(name, case, result,
                           lambda b, k: self.s3.get_object(Bucket=b, Key=k)["Body"].read().decode())

    def test_large_object_is_read_in_ranges_from_s3(self):
        # Over 1 MiB (several ranged GetObjects) with multi-byte characters, so that ranges cut characters.
        bucket = "sfn-distmap-large"
        self.s3.create_bucket(Bucket=bucket)
        lines = ['{"i":%d,"s":"éè中-%d"}' % (i, i) for i in range(40000)]
        self.s3.put_object(Bucket=bucket, Key="big.jsonl", Body="\n".join(lines).encode())
        case = {"definition": {"StartAt": "M", "States": {"M": {
            "Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                           "Parameters": {"Bucket": bucket, "Key": "big.jsonl"}, "ReaderConfig": {"InputType": "JSONL"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                              "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                             "Parameters": {"Bucket": bucket, "Prefix": "out"},
                             "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}},
            "End": True}}}}
        result = self.run_case(case, ["--integrations", "aws"])
        self.assertEqual(result["status"], "SUCCEEDED", result)
        manifest = json.loads(self.s3.get_object(Bucket=bucket, Key=result["output"]["ResultWriterDetails"]["Key"])
                              ["Body"].read())
        key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        written = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
        self.assertEqual([json.loads(line) for line in written], [json.loads(line) for line in lines])

    def test_cases_over_local_directories(self):
        for name, case in distributed_cases():
            with self.subTest(case=name):
                buckets = self.setup_dirs(case)
                args = []
                for bucket, folder in buckets.items():
                    args += ["--s3-dir", "%s=%s" % (bucket, folder)]
                result = self.run_case(case, args)

                def read(bucket, key):
                    with open(os.path.join(buckets[bucket], key)) as f:
                        return f.read()
                self.check(name, case, result, read)


if __name__ == "__main__":
    unittest.main()
