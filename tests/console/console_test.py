"""The web console of `sfn serve`, driven in headless Chromium: the state-machine list, a graph, an execution
while it runs (Waits on the real clock: colours change to their final status, the history table fills, the page
is never reloaded), starting an execution from the page, stop and redrive, activities, the login with
--require-sigv4 and the cross-origin refusals. Screenshots of each page go to ARTEFACTS.

Usage: console_test.py SFN_BINARY ARTEFACTS_DIR"""
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
sys.path.insert(0, HERE)

import boto3  # noqa: E402
from browser import Browser  # noqa: E402
from serve_support import Server, client_env  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/console-test"
STATE_NAMES = ["Validate", "Big order?", "Review", "Fulfil", "Charge", "Reserve", "Backorder", "Reserved",
               "Pack items", "Pack", "Label", "Ship", "Done"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def client(server):
    env = client_env()
    return boto3.client("stepfunctions", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


def state_status(browser, name):
    return browser.evaluate("(() => { const g = [...document.querySelectorAll('g.state')].find(e => e.dataset.state === %s);"
                            " return g ? g.dataset.status : null; })()" % json.dumps(name))


def wait_status(browser, name, status, timeout=90):
    browser.wait_for("(() => { const g = [...document.querySelectorAll('g.state')].find(e => e.dataset.state === %s);"
                     " return g && g.dataset.status === %s; })()" % (json.dumps(name), json.dumps(status)),
                     timeout, "state %r to be %s" % (name, status))


def execution_status(browser):
    return browser.evaluate("document.getElementById('exec-status')?.textContent")


def list_page(browser, server, artefacts, machine_arn):
    browser.open(server.url + "/")
    rows = browser.wait_for("[...document.querySelectorAll('#machines tbody tr')].map(r => "
                            "[...r.cells].map(c => c.textContent))", 30, "the state-machine list")
    row = next((r for r in rows if r[0] == "order-pipeline"), None)
    check(row is not None, "order-pipeline is listed: %r" % rows)
    check(row[1] == "STANDARD" and row[2] == "1" and row[3] == "1", "type, versions, aliases: %r" % row)
    check("SUCCEEDED" in row[4], "the last execution's status: %r" % row)
    browser.screenshot(os.path.join(artefacts, "list.png"))
    print("ok - the state-machine list shows name, type, versions, aliases and the last execution")


def graph_page(browser, server, artefacts, machine_arn):
    browser.goto_hash("#/statemachines/" + machine_arn)
    names = browser.wait_for("[...document.querySelectorAll('#graph g.state')].map(g => g.dataset.state)", 30, "the graph")
    check(sorted(names) == sorted(STATE_NAMES), "every state is drawn: %r" % names)
    nested = browser.evaluate("""(() => {
        const g = (n) => [...document.querySelectorAll('#graph g.state')].find(e => e.dataset.state === n);
        return [g('Fulfil').contains(g('Charge')), g('Fulfil').contains(g('Backorder')),
                g('Pack items').contains(g('Label')), g('Fulfil').contains(g('Label'))];
    })()""")
    check(nested == [True, True, True, False], "Parallel branches and the Map processor are inside their state: %r" % nested)
    labels = browser.evaluate("[...document.querySelectorAll('#graph .edge-label')].map(l => l.textContent)")
    check("$.amount NumericGreaterThan 100" in labels, "the Choice edge carries its condition: %r" % labels)
    check("catch States.ALL" in labels, "the Catch edge carries its errors: %r" % labels)
    dashed = browser.evaluate("getComputedStyle(document.querySelector('#graph path.edge.catch')).strokeDasharray")
    check(dashed not in (None, "", "none"), "the Catch edge is dashed: %r" % dashed)
    keys = browser.evaluate("[...document.querySelectorAll('pre.json .j-key')].map(k => k.textContent).slice(0, 3)")
    check(keys[:2] == ['"Comment"', '"StartAt"'], "the ASL is highlighted: %r" % keys)
    check(browser.evaluate("document.querySelectorAll('#versions tr').length") == 1, "one version listed")
    check("live" in browser.evaluate("document.getElementById('aliases').textContent"), "the alias is listed")
    executions = browser.wait_for("document.querySelectorAll('#executions tbody tr[data-status]').length", 30)
    check(executions == 1, "one execution listed, %r" % executions)
    browser.evaluate("const f = document.getElementById('status-filter'); f.value = 'FAILED';"
                     " f.dispatchEvent(new Event('change')); true")
    browser.wait_for("document.querySelector('#executions tbody td.muted')?.textContent === 'No executions'", 30,
                     "the status filter to hide the succeeded execution")
    browser.screenshot(os.path.join(artefacts, "graph.png"))
    browser.screenshot(os.path.join(artefacts, "graph-only.png"), until="#graph")
    print("ok - a state machine's page: nested graph, labelled Choice and dashed Catch edges, ASL, versions, aliases, "
          "executions with a status filter")


def start_from_page(browser, server, artefacts, machine_arn):
    browser.goto_hash("#/statemachines/" + machine_arn)
    order = {"amount": 250, "review_seconds": 3, "ship_seconds": 2, "items": list(range(40))}
    browser.evaluate("const i = document.getElementById('input'); i.value = %s;"
                     " i.dispatchEvent(new Event('input')); window.__sameDocument = true; true" % json.dumps(json.dumps(order)))
    browser.evaluate("document.getElementById('execution-name').value = 'from-the-page'; true")
    browser.click("#start")
    browser.wait_for("location.hash.startsWith('#/executions/') && document.body.dataset.ready === 'true'", 30,
                     "the execution page after Start")
    check(execution_status(browser) == "RUNNING", "the new execution runs: %r" % execution_status(browser))
    check("from-the-page" in browser.evaluate("location.hash"), "the execution has the name typed in")
    # Live, without reloading: Review waits on the real clock, then the rest runs.
    wait_status(browser, "Review", "running", 30)
    check(state_status(browser, "Done") == "notstarted", "Done has not started yet")
    browser.screenshot(os.path.join(artefacts, "execution-running.png"), until=".split")
    browser.wait_for("document.getElementById('exec-status')?.textContent === 'SUCCEEDED'", 120, "the execution to end")
    final = {"Validate": "succeeded", "Big order?": "succeeded", "Review": "succeeded", "Fulfil": "succeeded",
             "Charge": "retried", "Reserve": "caught", "Backorder": "succeeded", "Reserved": "notstarted",
             "Pack items": "succeeded", "Pack": "succeeded", "Label": "succeeded", "Ship": "succeeded",
             "Done": "succeeded"}
    for name, status in final.items():
        wait_status(browser, name, status, 30)
    check(browser.evaluate("window.__sameDocument === true"), "the page was updated in place, not reloaded")
    badge = browser.evaluate("[...document.querySelectorAll('g.state')].find(g => g.dataset.state === 'Pack')"
                             ".querySelector('.badge').textContent")
    check(badge == "40\u2713", "Map iterations are summarised with counts: %r" % badge)
    rows = browser.wait_for("document.querySelectorAll('#history tbody tr[data-type]').length === 100 &&"
                            " document.querySelectorAll('#history tbody tr[data-type]').length", 30, "a full history page")
    check(rows == 100, "the history table shows a page of 100 events")
    browser.click("#history + .pager .next")
    browser.wait_for("document.querySelector('#history tbody tr[data-type] td')?.textContent === '101'", 30,
                     "the second history page")
    check(browser.evaluate("document.querySelector('#history tbody tr:last-child').dataset.type") != "",
          "the second page has events")
    browser.click("#history + .pager .prev")
    browser.wait_for("document.querySelector('#history tbody tr[data-type] td')?.textContent === '1'", 30)
    # A click on a state shows what it did.
    browser.evaluate("[...document.querySelectorAll('g.state')].find(g => g.dataset.state === 'Charge')"
                     ".querySelector('rect').dispatchEvent(new MouseEvent('click', {bubbles: true})); true")
    browser.wait_for("document.getElementById('panel-status')?.textContent === 'retried'", 30, "the state panel")
    error = browser.evaluate("document.getElementById('panel-error').textContent")
    check(error.startswith("States.TaskFailed"), "the retried task's error is shown: %r" % error)
    check('"charged"' in browser.evaluate("document.getElementById('panel').textContent"), "its output is shown")
    browser.screenshot(os.path.join(artefacts, "execution.png"), until=".split")
    # The Map's drill-down: its iterations, then one iteration's states.
    browser.evaluate("[...document.querySelectorAll('g.state')].find(g => g.dataset.state === 'Pack items')"
                     ".querySelector('rect').dispatchEvent(new MouseEvent('click', {bubbles: true})); true")
    browser.wait_for("document.querySelectorAll('#iterations tbody tr').length === 20", 30, "the iteration list")
    browser.click("#iterations tbody tr:nth-child(3) a")
    browser.wait_for("document.getElementById('scope-line').textContent.includes('iteration 2')", 30, "the drill-down")
    wait_status(browser, "Pack", "succeeded", 30)
    check(browser.evaluate("[...document.querySelectorAll('g.state')].find(g => g.dataset.state === 'Pack')"
                           ".querySelector('.badge').textContent") == "", "one iteration shows no counts")
    check(state_status(browser, "Fulfil") == "succeeded", "the states around the iteration keep their status")
    browser.screenshot(os.path.join(artefacts, "execution-iteration.png"), until=".split")
    print("ok - an execution started from the page updates live: final colours (retried, caught, not started), "
          "a paged history, per-state details, Map iterations with a drill-down")


def stop_and_redrive(browser, server, artefacts, sfn, machine_arn):
    arn = sfn.start_execution(stateMachineArn=machine_arn, name="to-stop",
                              input=json.dumps({"amount": 500, "review_seconds": 600, "ship_seconds": 1,
                                                "items": [1]}))["executionArn"]
    browser.goto_hash("#/executions/" + arn)
    wait_status(browser, "Review", "running", 30)
    browser.click("#stop")
    browser.wait_for("document.getElementById('exec-status')?.textContent === 'ABORTED'", 30, "the stop")
    wait_status(browser, "Review", "aborted", 30)
    check(sfn.describe_execution(executionArn=arn)["status"] == "ABORTED", "the service stopped it")
    browser.wait_for("document.getElementById('redrive').disabled === false", 30, "the redrive button")
    browser.click("#redrive")
    browser.wait_for("document.getElementById('exec-status')?.textContent === 'RUNNING'", 30, "the redrive")
    wait_status(browser, "Review", "running", 30)
    check(sfn.describe_execution(executionArn=arn).get("redriveCount") == 1, "the service redrove it")
    browser.click("#stop")
    browser.wait_for("document.getElementById('exec-status')?.textContent === 'ABORTED'", 30, "the second stop")
    print("ok - stop and redrive from the execution page")


def activities_page(browser, server, artefacts):
    browser.goto_hash("#/activities")
    names = browser.wait_for("[...document.querySelectorAll('#activities tbody tr')].map(r => r.cells[0].textContent)", 30)
    check(names == ["approve-order"], "the activity is listed: %r" % names)
    browser.screenshot(os.path.join(artefacts, "activities.png"))
    print("ok - activities")


def post(url, body, headers):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def cross_origin(server):
    url = server.url + "/console/api/ListStateMachines"
    ok = {"X-Sfn-Console": "1", "Content-Type": "application/json"}
    check(post(url, {}, ok)[0] == 200, "a console request from the page's origin is answered")
    status, body = post(url, {}, {"Content-Type": "application/json"})
    check(status == 403 and body["__type"] == "ConsoleForbidden", "no custom header, no answer: %r" % body)
    status, body = post(url, {}, dict(ok, Origin="http://evil.example"))
    check(status == 403 and "another origin" in body["message"], "another origin is refused: %r" % body)
    status, body = post(url, {}, dict(ok, **{"Sec-Fetch-Site": "cross-site"}))
    check(status == 403, "a cross-site fetch is refused: %r" % body)
    status, body = post(url, {}, dict(ok, Host="rebound.example:%d" % server.port))
    check(status == 403 and "own address" in body["message"], "a rebound DNS name is refused: %r" % body)
    status, body = post(server.url + "/console/api/DeleteStateMachine", {"stateMachineArn": "x"}, ok)
    check(status == 403, "the console offers no deletes: %r" % body)
    with urllib.request.urlopen(server.url + "/", timeout=30) as response:
        check(response.headers.get("Access-Control-Allow-Origin") is None, "no CORS header")
        check("frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), "no framing")
    print("ok - cross-origin, cross-site, rebinding and non-console requests are refused; no CORS")


def login(browser, binary, artefacts):
    with Server(binary, "--require-sigv4", "AKIDLOCAL:local-secret") as server:
        line = server.proc.stdout.readline()
        check("console at http://127.0.0.1:%d/?token=" % server.port in line, "the login URL is printed: %r" % line)
        login_url = line.split("console at ", 1)[1].strip()
        browser.open(server.url + "/#/activities")
        browser.wait_for("document.querySelector('h1')?.textContent === 'Login required'", 30, "the login page")
        status, _ = post(server.url + "/console/api/ListActivities", {}, {"X-Sfn-Console": "1"})
        check(status == 401, "the console's API needs the login: %r" % status)
        bad = login_url.rsplit("=", 1)[0] + "=" + "0" * 32
        try:
            urllib.request.urlopen(bad, timeout=30)
            check(False, "a wrong token is refused")
        except urllib.error.HTTPError as e:
            check(e.code == 403, "a wrong token is refused: %r" % e.code)
        browser.open(login_url + "#/activities")
        browser.wait_for("document.querySelector('h1')?.textContent === 'Activities'", 30, "the page after login")
        check(browser.evaluate("location.search") == "", "the token left the address bar")
        print("ok - with --require-sigv4 the console needs the printed login URL")


def main():
    binary, artefacts = sys.argv[1], sys.argv[2]
    os.makedirs(artefacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="sfn-console-test-")
    os.environ["CONSOLE_TEST_DIR"] = work
    handlers = ["--handler", "*flaky-charge=" + os.path.join(HERE, "flaky_charge.sh"),
                "--handler", "*out-of-stock=false"]
    with open(os.path.join(HERE, "order_pipeline.asl.json")) as f:
        definition = f.read()
    with Server(binary, *handlers, db=os.path.join(work, "console.db")) as server, Browser() as browser:
        sfn = client(server)
        machine = sfn.create_state_machine(name="order-pipeline", definition=definition, roleArn=ROLE, publish=True)
        sfn.create_state_machine_alias(name="live", routingConfiguration=[
            {"stateMachineVersionArn": machine["stateMachineVersionArn"], "weight": 100}])
        sfn.create_activity(name="approve-order")
        first = sfn.start_execution(stateMachineArn=machine["stateMachineArn"],
                                    input=json.dumps({"amount": 5, "ship_seconds": 0, "items": [1, 2]}))
        start = time.time()
        while sfn.describe_execution(executionArn=first["executionArn"])["status"] == "RUNNING":
            check(time.time() - start < 60, "the first execution ends")
            time.sleep(0.2)
        list_page(browser, server, artefacts, machine["stateMachineArn"])
        graph_page(browser, server, artefacts, machine["stateMachineArn"])
        start_from_page(browser, server, artefacts, machine["stateMachineArn"])
        stop_and_redrive(browser, server, artefacts, sfn, machine["stateMachineArn"])
        activities_page(browser, server, artefacts)
        cross_origin(server)
        login(browser, binary, artefacts)
        check(not browser.console_errors, "no script errors on any page: %r" % browser.console_errors)
    print("all console checks passed; screenshots in", artefacts)


if __name__ == "__main__":
    main()
