#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a directory, built from ../shared at run time.

usage: make_seeds.py TARGET OUT_DIR [--shared DIR] [--max-len N]

Sources: the conformance definitions (ASL, paths, intrinsic calls, payload templates, JSONata expressions), the
JSONata test suite's expressions, the SigV4 test suite's signed requests and the Step Functions service model
(request and response bodies for every operation). A few hand-written inputs cover formats ../shared has no
examples of (AWS config files, mock configs). Multi-part inputs separate their parts with a NUL byte, as
fuzz/fuzz_support.hpp's split_parts expects.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import sys

SHAPE_SAMPLE_DEPTH = 6


def conformance_definitions(shared):
    for path in sorted(glob.glob(os.path.join(shared, "conformance", "cases", "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
        if isinstance(case, dict) and isinstance(case.get("definition"), dict):
            yield case["definition"]
    for path in sorted(glob.glob(os.path.join(shared, "seed-examples", "*.json"))):
        with open(path, encoding="utf-8") as f:
            yield json.load(f)


def walk(value, key=None):
    """Yields (key, value) for every member and element, depth first."""
    yield key, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


def to_yaml(value, indent=0):
    """Block-style YAML of a JSON value (scalars as JSON, which YAML reads the same)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        lines = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{json.dumps(k)}:\n{to_yaml(v, indent + 2)}")
            else:
                lines.append(f"{pad}{json.dumps(k)}: {json.dumps(v)}")
        return "\n".join(lines)
    if isinstance(value, list) and value:
        lines = []
        for v in value:
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}-\n{to_yaml(v, indent + 2)}")
            else:
                lines.append(f"{pad}- {json.dumps(v)}")
        return "\n".join(lines)
    return pad + json.dumps(value)


def seeds_asl(shared):
    for i, definition in enumerate(conformance_definitions(shared)):
        yield b"\x00" + json.dumps(definition, ensure_ascii=False).encode()
        if i % 8 == 0:
            yield b"\x01" + to_yaml(definition).encode()


def path_strings(shared):
    for definition in conformance_definitions(shared):
        for key, value in walk(definition):
            if isinstance(value, str) and value.startswith("$"):
                yield value
            if key in ("Variable",) and isinstance(value, str):
                yield value


def seeds_jsonpath(shared):
    yield from (p.encode() for p in path_strings(shared) if not p.startswith("States."))
    for extra in ["$..price", "$.order.items[?(@.price < 10 && @.qty)]", "$.numbers[1:3]", "$.numbers[::2]",
                  "$.numbers[-1]", "$['order']['id']", "$.order.items[0,1].sku", "$.order.items.length()",
                  "$$.Map.Item.Value", "$v.y[0]", "$.nested..c[*]", "$.text.size()", "$..*",
                  "$.order.items[?(@.sku == 'a' || !(@.qty > 1))].price"]:
        yield extra.encode()


def seeds_intrinsic(shared):
    for definition in conformance_definitions(shared):
        for _, value in walk(definition):
            if isinstance(value, str) and value.startswith("States."):
                yield value.encode()
    for extra in ["States.Format('{} and {}', $.order.id, $.text)", "States.StringToJson($.json)",
                  "States.JsonToString($.order)", "States.Array(1, 'a', true, null, $.numbers)",
                  "States.ArrayPartition($.numbers, 2)", "States.ArrayContains($.order.tags, 'x')",
                  "States.ArrayRange(1, 9, 2)", "States.ArrayGetItem($.numbers, 1)", "States.ArrayLength($list)",
                  "States.ArrayUnique($.order.tags)", "States.Base64Encode($.text)", "States.Base64Decode($.b64)",
                  "States.Hash($.text, 'SHA-256')", "States.JsonMerge($.order, $.nested, false)",
                  "States.MathRandom(1, 10)", "States.MathAdd($.big, 1)", "States.StringSplit('a,b,c', ',')",
                  "States.UUID()", "States.Format('\\{\\} {}', States.ArrayLength(States.Array(1, 2)))"]:
        yield extra.encode()


def seeds_payload_template(shared):
    for definition in conformance_definitions(shared):
        for key, value in walk(definition):
            if key in ("Parameters", "ResultSelector", "ItemSelector", "Assign", "Result") and isinstance(
                    value, (dict, list)):
                yield json.dumps(value, ensure_ascii=False).encode()
    yield b'{"id.$": "$.order.id", "all.$": "$", "ctx.$": "$$.Execution.Id", "n": [1, {"x.$": "$v.x"}]}'


def seeds_jsonata(shared):
    for path in sorted(glob.glob(os.path.join(shared, "jsonata-testsuite", "groups", "*", "*.json"))):
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
        for c in case if isinstance(case, list) else [case]:
            if isinstance(c, dict) and isinstance(c.get("expr"), str):
                yield c["expr"].encode("utf-8", "surrogatepass")
    for definition in conformance_definitions(shared):
        for _, value in walk(definition):
            if isinstance(value, str) and value.startswith("{%") and value.endswith("%}"):
                yield value[2:-2].strip().encode()


def seeds_mock_config(_shared):
    yield json.dumps({
        "StateMachines": {"M": {"TestCases": {"Happy": {"Charge": "Ok"}, "Flaky": {"Charge": "Flaky", "Ship": "Ok"}}}},
        "MockedResponses": {
            "Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"ok": True}}}},
            "Flaky": {"0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
                      "2": {"Return": {"StatusCode": 200, "Payload": [1, 2]}}, "3-9": {"Return": None}}}}).encode()
    yield b'{"StateMachines":{"M":{"TestCases":{}}},"MockedResponses":{}}'
    yield b'{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{"R":{"0":{"Throw":{}}}}}'


def seeds_aws_config(_shared):
    config = ("[default]\nregion = us-east-1\noutput = json\n\n[profile dev]\nregion=eu-west-1\n"
              "services = local\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n\n"
              "[services local]\nsfn =\n  endpoint_url = http://127.0.0.1:8083\n# comment\n; comment\n"
              "[sso-session s]\nsso_region = us-east-1\n")
    credentials = ("[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n\n"
                   "[dev]\naws_access_key_id=AKID2\naws_secret_access_key=s2\naws_session_token = token\n")
    for profile in ["", "dev", "default", "missing"]:
        yield f"{config}\0{credentials}\0{profile}".encode()
    yield b"[default]\nendpoint_url = http://localhost:4566\nignore_configured_endpoint_urls = false\n\0\0"
    yield b"[broken\nkey\n = value\n\0[x]\n  nested = 1\n\0x"


def seeds_sigv4(shared):
    suite = os.path.join(shared, "aws", "sigv4-testsuite")
    for path in sorted(glob.glob(os.path.join(suite, "**", "*.sreq"), recursive=True)):
        with open(path, "rb") as f:
            yield f.read()
    for path in sorted(glob.glob(os.path.join(suite, "aws-c-auth", "**", "header-signed-request.txt"),
                                 recursive=True)):
        with open(path, "rb") as f:
            yield f.read()


class ServiceModel:
    def __init__(self, shared):
        with open(os.path.join(shared, "aws", "models", "stepfunctions", "2016-11-23", "service-2.json")) as f:
            self.model = json.load(f)
        self.shapes = self.model["shapes"]

    def sample(self, name, depth=0):
        """A JSON value of the shape with every member present (recursion cut at SHAPE_SAMPLE_DEPTH)."""
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            if depth >= SHAPE_SAMPLE_DEPTH:
                return {}
            return {m: self.sample(s["shape"], depth + 1) for m, s in shape.get("members", {}).items()}
        if kind == "list":
            return [self.sample(shape["member"]["shape"], depth + 1)] if depth < SHAPE_SAMPLE_DEPTH else []
        if kind == "map":
            return {"key": self.sample(shape["value"]["shape"], depth + 1)} if depth < SHAPE_SAMPLE_DEPTH else {}
        if kind == "string":
            return shape["enum"][0] if "enum" in shape else "arn:aws:states:us-east-1:123456789012:stateMachine:M"
        if kind in ("integer", "long"):
            return 1
        if kind in ("double", "float"):
            return 0.5
        if kind == "boolean":
            return True
        if kind == "timestamp":
            return 1700000000.123
        if kind == "blob":
            return "aGVsbG8="
        return None

    def error_names(self):
        return sorted(n for n, s in self.shapes.items() if s.get("exception"))


def operations_order(repo):
    with open(os.path.join(repo, "include", "sfn", "aws", "operations.def"), encoding="utf-8") as f:
        return re.findall(r"^SFN_AWS_OPERATION\((\w+),", f.read(), re.M)


def http_response(index, status, headers, body):
    head = "".join(f"{k}: {v}\n" for k, v in headers)
    return bytes([index]) + status.to_bytes(2, "big") + f"{head}\n".encode() + body.encode()


def seeds_aws_response(shared, repo):
    model = ServiceModel(shared)
    errors = model.error_names()
    for i, op in enumerate(operations_order(repo)):
        output = model.model["operations"][op].get("output")
        body = json.dumps(model.sample(output["shape"])) if output else "{}"
        yield http_response(i, 200 - 100, [("x-amzn-RequestId", "r-1")], body)
        error = errors[i % len(errors)]
        yield http_response(i, 400 - 100, [("x-amzn-ErrorType", f"{error}:http://internal")],
                            json.dumps({"__type": f"com.amazonaws.states#{error}", "message": "m"}))
    yield http_response(0, 503 - 100, [("Retry-After", "1")], "<html>unavailable</html>")
    yield http_response(1, 429 - 100, [], json.dumps({"code": "ThrottlingException", "Message": "slow"}))


def http_request(target, body, extra=()):
    headers = [("Host", "127.0.0.1"), ("Content-Type", "application/x-amz-json-1.0"),
               ("X-Amz-Target", f"AWSStepFunctions.{target}"), *extra, ("Content-Length", str(len(body.encode())))]
    return ("POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n" + body).encode()


def seeds_server_http(shared, repo):
    model = ServiceModel(shared)
    for op in operations_order(repo):
        request = model.model["operations"][op].get("input")
        yield http_request(op, json.dumps(model.sample(request["shape"])) if request else "{}")
    role = "arn:aws:iam::123456789012:role/r"
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:fuzz"
    for i, definition in enumerate(conformance_definitions(shared)):
        if i % 16:
            continue
        text = json.dumps(definition)
        yield http_request("CreateStateMachine", json.dumps({"name": "fuzz", "definition": text, "roleArn": role}))
        yield http_request("ValidateStateMachineDefinition", json.dumps({"definition": text}))
        for state in list(definition.get("States", {}).values())[:1]:
            yield http_request("TestState", json.dumps({"definition": json.dumps(state), "roleArn": role,
                                                        "input": "{}"}))
    yield http_request("CreateStateMachine", json.dumps({
        "name": "fuzz", "type": "EXPRESS", "roleArn": role,
        "definition": json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})}))
    yield http_request("StartSyncExecution", json.dumps({"stateMachineArn": machine, "input": "{\"a\":1}"}))
    yield http_request("StartExecution", json.dumps({"stateMachineArn": machine, "name": "e"}),
                       [("Connection", "keep-alive")])
    yield b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    yield (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
    yield (http_request("ListStateMachines", "{}") + http_request("ListActivities", '{"maxResults": 1}'))


ASL_WORDS = ["Type", "StartAt", "States", "Next", "End", "Comment", "Version", "TimeoutSeconds", "QueryLanguage",
             "JSONata", "JSONPath", "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Result",
             "ResultPath", "InputPath", "OutputPath", "Parameters", "ResultSelector", "Arguments", "Output", "Assign",
             "Retry", "Catch", "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
             "JitterStrategy", "States.ALL", "Resource", "HeartbeatSeconds", "Choices", "Default", "Variable",
             "StringEquals", "NumericLessThanPath", "BooleanEquals", "IsPresent", "And", "Or", "Not", "Condition",
             "Seconds", "Timestamp", "SecondsPath", "Error", "Cause", "ErrorPath", "CausePath", "Branches",
             "ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemSelector", "MaxConcurrency", "ProcessorConfig",
             "Mode", "DISTRIBUTED", "INLINE", "ToleratedFailurePercentage", "ItemReader", "ItemBatcher", "Label",
             "Credentials", "{% $states.input %}", ".$", "$.a", "States.Format('{}', $.x)"]
PATH_WORDS = ["$", "$$", "..", ".*", "[*]", "[?(", ")]", "@.", "==", "!=", "<=", ">=", "&&", "||", "[-1]", "[1:2]",
              "[::2]", ".length()", ".size()", "['a']", "\"", "$v", "$list"]
INTRINSICS = ["States.Format(", "States.StringToJson(", "States.JsonToString(", "States.Array(",
              "States.ArrayPartition(", "States.ArrayContains(", "States.ArrayRange(", "States.ArrayGetItem(",
              "States.ArrayLength(", "States.ArrayUnique(", "States.Base64Encode(", "States.Base64Decode(",
              "States.Hash(", "States.JsonMerge(", "States.MathRandom(", "States.MathAdd(", "States.StringSplit(",
              "States.UUID(", "'SHA-512'", "'{}'", "\\{", ", ", ")"]
JSONATA_WORDS = ["$string(", "$sum(", "$map(", "$filter(", "$reduce(", "$sort(", "$lookup(", "$each(", "$merge(",
                 "$spread(", "$sift(", "$keys(", "$zip(", "$substring(", "$replace(", "$match(", "$split(", "$join(",
                 "$formatNumber(", "$formatInteger(", "$formatBase(", "$toMillis(", "$fromMillis(", "$now()", "$eval(",
                 "$pad(", "$number(", "$round(", "$power(", "$sqrt(", "$random()", "$shuffle(", "$distinct(",
                 "$states.input", "function($x){", "λ", "~>", ":=", "?:", "??", "..", "**", "[[", "{}", "%", "#$i",
                 "@$v", "^(>", "and", "or", "in", "/re/i", "<s-n?:s>"]
AWS_CONFIG_WORDS = ["[default]", "[profile ", "[services ", "[sso-session ", "region", "endpoint_url",
                    "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "role_arn", "source_profile",
                    "credential_source", "services", "sfn =", "ignore_configured_endpoint_urls", " = ", "\n  ", "\x00"]
HTTP_WORDS = ["POST / HTTP/1.1\r\n", "GET ", "\r\n", "\r\n\r\n", "Host: ", "Content-Length: ",
              "Transfer-Encoding: chunked", "Connection: close", "Expect: 100-continue", "Content-Type: ",
              "application/x-amz-json-1.0", "X-Amz-Target: AWSStepFunctions.", "Authorization: AWS4-HMAC-SHA256 ",
              "X-Amz-Date: ", "Range: bytes=0-1", "Accept-Encoding: gzip"]
SIGV4_WORDS = ["Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
               ", SignedHeaders=", "host;x-amz-date", ", Signature=", "X-Amz-Date:20150830T123600Z",
               "X-Amz-Security-Token:", "%2F", "%20", "/./", "/../", "//", "?a=b&c=d", "\n "]


def dict_entry(word):
    """One libFuzzer dictionary line: printable ASCII as is, everything else as \\xHH."""
    out = []
    for b in word.encode("utf-8"):
        out.append(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02X}")
    return '"' + "".join(out) + '"\n'


def dictionary(target, shared):
    words = {"asl_parse_validate": ASL_WORDS, "jsonpath": PATH_WORDS, "intrinsic": INTRINSICS + PATH_WORDS,
             "payload_template": PATH_WORDS + INTRINSICS + ['".$"'], "jsonata": JSONATA_WORDS,
             "mock_config": ["StateMachines", "TestCases", "MockedResponses", "Return", "Throw", "Error", "Cause",
                             "0-1", "\"0\""],
             "aws_config": AWS_CONFIG_WORDS, "sigv4_verify": SIGV4_WORDS + HTTP_WORDS,
             "aws_response": ["x-amzn-ErrorType: ", "x-amzn-RequestId: ", "__type", "message", "Message", "code",
                              "#", ":http", "nextToken"], "server_http": HTTP_WORDS}[target]
    if target in ("server_http", "aws_response"):
        model = ServiceModel(shared)
        words = words + list(model.model["operations"]) + model.error_names()
        words += sorted({m for s in model.shapes.values() for m in s.get("members", {})})
    return "".join(dict_entry(w) for w in words)


TARGETS = {
    "asl_parse_validate": seeds_asl,
    "jsonpath": seeds_jsonpath,
    "intrinsic": seeds_intrinsic,
    "payload_template": seeds_payload_template,
    "jsonata": seeds_jsonata,
    "mock_config": seeds_mock_config,
    "aws_config": seeds_aws_config,
    "sigv4_verify": seeds_sigv4,
    "aws_response": lambda shared: seeds_aws_response(shared, REPO),
    "server_http": lambda shared: seeds_server_http(shared, REPO),
}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("out")
    parser.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    parser.add_argument("--max-len", type=int, default=1 << 20)
    parser.add_argument("--dict", help="also write the target's libFuzzer dictionary to this file")
    args = parser.parse_args()
    if args.dict:
        os.makedirs(os.path.dirname(os.path.abspath(args.dict)), exist_ok=True)
        with open(args.dict, "w", encoding="utf-8") as f:
            f.write(dictionary(args.target, args.shared))
    os.makedirs(args.out, exist_ok=True)
    written = 0
    for seed in TARGETS[args.target](args.shared):
        if len(seed) > args.max_len:
            continue
        name = hashlib.sha1(seed).hexdigest()
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(seed)
        written += 1
    print(f"{args.target}: {written} seeds in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
