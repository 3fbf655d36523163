"""The console links the CLI prints: deploy/execute/describe against `sfn serve` point into its console (deep
links to the state machine and the execution); against `sfn serve --no-console` they stay AWS's and the console
is not served; on the embedded service they point at `sfn console`'s address, which serves the store.

Usage: links_test.py SFN_BINARY"""
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))

from serve_support import Server, client_env  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/links-test"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:links"


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def run(binary, *args, env):
    done = subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=120)
    check(done.returncode == 0, "%s failed: %s %s" % (args, done.stdout, done.stderr))
    return done.stdout + done.stderr


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def lifecycle(binary, env, target, definition):
    deploy = run(binary, "deploy", definition, "--name", "links", "--role-arn", ROLE, *target, env=env)
    execute = run(binary, "execute", "links", "--sync", *target, env=env)
    arn = re.search(r"preview at: \S*?(arn:aws:states:[^\s?]+)", execute)
    check(arn, "execute printed a link: %r" % execute)
    execution = arn.group(1)
    describe = run(binary, "describe", execution, *target, env=env)
    describe_machine = run(binary, "describe", "links", *target, env=env)
    return deploy, execute, describe, describe_machine, execution


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="sfn-links-")
    definition = os.path.join(work, "links.asl.json")
    with open(definition, "w") as f:
        f.write('{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": true}}}')
    env = client_env()
    env["SFN_HOME"] = work

    with Server(binary) as server:
        target = ["--endpoint-url", server.url]
        deploy, execute, describe, machine, execution = lifecycle(binary, env, target, definition)
        base = server.url + "/"
        check("preview at: %s#/statemachines/%s" % (base, MACHINE) in deploy, "deploy links the console: %r" % deploy)
        check("preview at: %s#/executions/%s" % (base, execution) in execute, "execute links it: %r" % execute)
        check("console: %s#/executions/%s" % (base, execution) in describe, "describe links it: %r" % describe)
        check("console: %s#/statemachines/%s" % (base, MACHINE) in machine, "describe links it: %r" % machine)
        status, page = get(base)
        check(status == 200 and "app.js" in page, "the console is served at /")
    print("ok - links into `sfn serve`'s console")

    with Server(binary, "--no-console") as server:
        deploy, execute, describe, machine, execution = lifecycle(binary, env, ["--endpoint-url", server.url], definition)
        check("preview at: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/visual-editor"
              "?stateMachineArn=" + MACHINE in deploy, "without a console, AWS's links: %r" % deploy)
        check("#/v2/executions/details/" + execution in execute, "AWS's execution link: %r" % execute)
        status, body = get(server.url + "/")
        check(status == 404 and "UnknownOperationException" in body, "--no-console serves no page: %r" % body)
    print("ok - --no-console: no page, AWS links")

    # The embedded service: links lead to `sfn console`'s address; started afterwards, it serves them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(SFN_HOME=work, AWS_CONFIG_FILE=os.path.join(work, "no-config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "no-credentials"))
    deploy, execute, describe, machine, execution = lifecycle(binary, env, [], definition)
    local = "http://127.0.0.1:8084/"
    check("preview at: %s#/statemachines/%s" % (local, MACHINE) in deploy, "embedded deploy links sfn console: %r" % deploy)
    check("preview at: %s#/executions/%s" % (local, execution) in execute, "embedded execute: %r" % execute)
    console = subprocess.Popen([binary, "console", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    try:
        lines = [console.stdout.readline(), console.stdout.readline()]
        check(os.path.join(work, "local.db") in lines[0], "sfn console serves the embedded store: %r" % lines)
        url = re.search(r"console at (http://127\.0\.0\.1:\d+/)", lines[1])
        check(url, "sfn console prints its address: %r" % lines)
        status, page = get(url.group(1))
        check(status == 200 and "app.js" in page, "sfn console serves the page")
        request = urllib.request.Request(url.group(1) + "console/api/DescribeExecution", method="POST",
                                         data=('{"executionArn": "%s"}' % execution).encode(),
                                         headers={"X-Sfn-Console": "1", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            check(b'"SUCCEEDED"' in response.read(), "the linked execution is in the store it serves")
    finally:
        console.terminate()
        console.wait(timeout=30)
        console.stdout.close()
        console.stderr.close()
    print("ok - the embedded service links `sfn console`, which serves its store")


if __name__ == "__main__":
    main()
