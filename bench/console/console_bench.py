"""How fast the web console shows large executions, measured in headless Chromium (not a test: prints figures).

Two executions on `sfn serve --clock virtual`: a loop that records about 25,000 history events, and a Map of
10,000 iterations. For each, the time from opening the execution page to the page being drawn (graph laid out,
states coloured from the whole history, the first history page shown), best of ROUNDS, plus the time the server
takes for /console/summary alone, and the layout time of the graph.

Usage: python3 bench/console/console_bench.py build/bin/sfn [ROUNDS]"""
import json
import os
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "server"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "console"))

import boto3  # noqa: E402
from browser import Browser  # noqa: E402
from serve_support import Server  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/bench"
DOT_LIMIT_S = 20
LOOP = {
    "StartAt": "Count",
    "States": {
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Again?"},
        "Again?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 6245, "Next": "Count"}],
                   "Default": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0,
                 "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}},
                 "ResultPath": None, "End": True},
    },
}


def wait(sfn, arn):
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
        time.sleep(0.2)
    return sfn.describe_execution(executionArn=arn)["status"]


def summary_ms(server, arn):
    request = urllib.request.Request(server.url + "/console/summary", method="POST",
                                     data=json.dumps({"executionArn": arn}).encode(),
                                     headers={"X-Sfn-Console": "1", "Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.loads(response.read())
    return (time.perf_counter() - started) * 1000, body


def page_ms(browser, server, arn, rounds):
    best = None
    for _ in range(rounds):
        browser.open(server.url + "/#/")
        started = time.perf_counter()
        browser.goto_hash("#/executions/" + arn, timeout=120)
        browser.wait_for("document.querySelectorAll('#history tbody tr[data-type]').length > 0 &&"
                         " document.querySelectorAll('g.state[data-status=succeeded], g.state[data-status=failed]').length",
                         120, "the history and the colours")
        elapsed = (time.perf_counter() - started) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best


def big_definition(states):
    """A definition of about `states` states: Pass chains, a Choice every tenth state (one branch skips ahead,
    one falls through), a Parallel of three branches every 25th, each Task with a Catch."""
    out, i = {}, 0
    names = ["S%d" % k for k in range(states)]
    while i < states:
        name, nxt = names[i], names[i + 1] if i + 1 < states else None
        if nxt is None:
            out[name] = {"Type": "Succeed"}
        elif i % 25 == 5:
            out[name] = {"Type": "Parallel", "Next": nxt, "Branches": [
                {"StartAt": "%s-b%d-0" % (name, b), "States": {
                    "%s-b%d-%d" % (name, b, k): dict({"Type": "Pass"}, **({"Next": "%s-b%d-%d" % (name, b, k + 1)}
                                                                          if k < 3 else {"End": True}))
                    for k in range(4)}} for b in range(3)]}
        elif i % 10 == 3 and i + 3 < states:
            out[name] = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": i,
                                                         "Next": names[i + 3]}], "Default": nxt}
        else:
            out[name] = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": nxt,
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": names[-1]}]}
        i += 1
    return {"StartAt": names[0], "States": out}


def layout_figures(binary, browser, server, rounds):
    """The console's own layout (JavaScript, in the page) against Graphviz `dot -Tsvg` (via `sfn graph`)."""
    import shutil
    import subprocess
    import tempfile
    for states in (20, 50, 100, 300):
        definition = big_definition(states)
        graph = browser.evaluate("fetch('/console/graph', {method: 'POST', headers: {'X-Sfn-Console': '1'},"
                                 " body: JSON.stringify({definition: %s})}).then(r => r.json())"
                                 % json.dumps(json.dumps(definition)))
        js = min(browser.evaluate("(() => { const d = document.createElement('div'); document.body.append(d);"
                                  " const t = performance.now(); window.SfnGraph.draw(d, %s);"
                                  " const ms = performance.now() - t; d.remove(); return ms; })()" % json.dumps(graph))
                 for _ in range(rounds))
        dot = None
        if shutil.which("dot"):
            with tempfile.NamedTemporaryFile("w", suffix=".asl.json", delete=False) as f:
                json.dump(definition, f)
            for _ in range(rounds):
                started = time.perf_counter()
                proc = subprocess.Popen([binary, "graph", f.name, "--format", "svg"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
                try:
                    proc.wait(timeout=DOT_LIMIT_S)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 15)  # sfn graph and the dot it started
                    proc.wait()
                    dot = float("inf")
                    break
                elapsed = (time.perf_counter() - started) * 1000
                dot = elapsed if dot is None else min(dot, elapsed)
            os.unlink(f.name)
        total = len(graph["states"]) + sum(len(sc["states"]) for st in graph["states"] for sc in st["scopes"])
        print("graph of %3d states: console layout + SVG %6.1f ms in the page; graphviz (sfn graph --format svg) %s"
              % (total, js, "not installed" if dot is None else "over %d s (stopped)" % DOT_LIMIT_S if dot == float("inf") else "%6.1f ms" % dot))


def main():
    binary = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with Server(binary, "--clock", "virtual") as server, Browser() as browser:
        sfn = boto3.client("stepfunctions", endpoint_url=server.url, region_name="us-east-1",
                           aws_access_key_id="bench", aws_secret_access_key="bench")
        cases = []
        loop = sfn.create_state_machine(name="loop", definition=json.dumps(LOOP), roleArn=ROLE)["stateMachineArn"]
        cases.append(("loop, ~25,000 events", sfn.start_execution(stateMachineArn=loop, input='{"n": 0}')["executionArn"]))
        fan = sfn.create_state_machine(name="map", definition=json.dumps(MAP), roleArn=ROLE)["stateMachineArn"]
        items = json.dumps({"items": list(range(10000))})
        cases.append(("Map of 10,000 iterations", sfn.start_execution(stateMachineArn=fan, input=items)["executionArn"]))
        browser.open(server.url + "/#/activities")
        layout_figures(binary, browser, server, rounds)
        for name, arn in cases:
            status = wait(sfn, arn)
            server_ms, body = summary_ms(server, arn)
            shown_ms = page_ms(browser, server, arn, rounds)
            rows = browser.evaluate("document.querySelectorAll('#history tbody tr[data-type]').length")
            maps = {k: v["total"] for k, v in body["maps"].items()}
            print("%-26s %s, %6d events%s: page drawn in %5.0f ms (best of %d; %d history rows shown), "
                  "/console/summary %5.0f ms" % (name, status, body["events"],
                                                  ", Map iterations %s" % maps if maps else "", shown_ms, rounds, rows,
                                                  server_ms))


if __name__ == "__main__":
    main()
