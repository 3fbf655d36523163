#!/usr/bin/env python3
"""Fault tests for `sfn serve`: kill -9 at random moments during StartExecution, a running Map and
UpdateStateMachine (ROUNDS rounds each, one database file per test); after every restart the database opens,
everything a client got a 200 for is there, and the interrupted executions resume and succeed. Durable
executions of every kind of state under RESUME_ROUNDS kills (durable_support.py). Also: a read-only database file, a
full disk (a tiny tmpfs; skipped when mounting is not allowed) and two servers on one database file.
Usage: fault_test.py SFN_BINARY. The random timing is seeded from SFN_FAULT_SEED (default: random, printed)."""
import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from contextlib import closing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server  # noqa: E402
from wire import Api  # noqa: E402
from durable_support import RESUME_ROUNDS, run_durable_rounds  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
SEED = int(os.environ.get("SFN_FAULT_SEED", random.randrange(1 << 32)))
ROUNDS = 20
ROLE = "arn:aws:iam::123456789012:role/test"
TERMINAL = {"SUCCEEDED": "ExecutionSucceeded", "FAILED": "ExecutionFailed"}
# A Wait in the middle keeps executions RUNNING when the server is killed (real clock).
STARTS = json.dumps({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "W"},
    "W": {"Type": "Wait", "Seconds": 1, "Next": "B"},
    "B": {"Type": "Pass", "End": True}}})
MAP_ITEMS = 3000
MAP = json.dumps({"StartAt": "M", "States": {"M": {
    "Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "End": True}}}}}})


def counter_definition(value):
    return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"v": value}, "End": True}}})


def connection_lost():
    return (OSError, http.client.HTTPException)


class FaultTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="sfn-fault-")
        self.db = os.path.join(self.folder, "local.db")
        self.rng = random.Random(SEED)

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- kill -9 ----------------------------------------------------------------------------------------

    def kill_rounds(self, setup, act, verify):
        """setup(api) once; then ROUNDS times: act(api, round) while the server is killed after a random
        delay, restart on the same file, verify(api). Returns the number of rounds survived."""
        server = Server(BINARY, db=self.db).start()
        with closing(Api(server.port)) as api:
            setup(api)
        for round_ in range(ROUNDS):
            stop = threading.Event()
            with closing(Api(server.port, timeout=10)) as api:
                worker = threading.Thread(target=act, args=(api, round_, stop))
                worker.start()
                time.sleep(self.rng.uniform(0.005, 0.15))
                server.kill9()
                stop.set()
                worker.join()
            server = Server(BINARY, db=self.db).start()  # raises when the database does not open
            try:
                with closing(Api(server.port)) as api:
                    verify(api)
            except AssertionError as e:
                server.stop()
                raise AssertionError("round %d (seed %d): %s" % (round_, SEED, e)) from e
        server.stop()
        return ROUNDS

    def check_history(self, api, arn, status):
        """The history of a finished execution: ids 1..n without gaps, starts with ExecutionStarted, ends
        with the event of its final status and nothing after it."""
        events = api.pages("GetExecutionHistory", "events", executionArn=arn, maxResults=1000)
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)), arn)
        self.assertEqual(events[0]["type"], "ExecutionStarted", arn)
        self.assertEqual(events[-1]["type"], TERMINAL[status], arn)
        self.assertLessEqual(len(events), 25000)
        return events

    def check_finished(self, api, arn):
        """An execution of a killed server resumes after the restart and succeeds."""
        d = self.finished(api, arn)
        self.assertEqual(d["status"], "SUCCEEDED", d)
        self.check_history(api, arn, d["status"])
        return d

    def finished(self, api, arn):
        for _ in range(6000):
            d = api.call("DescribeExecution", executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.01)
        self.fail("%s is still RUNNING after its restart" % arn)

    def none_left_running(self, api, machine_arn, started):
        """Every execution listed (none lost), and each of those resumed ends."""
        listed = {e["executionArn"] for e in api.pages("ListExecutions", "executions", stateMachineArn=machine_arn)}
        self.assertEqual(set(started) - listed, set(), "acknowledged executions are missing")
        for arn in api.pages("ListExecutions", "executions", stateMachineArn=machine_arn, statusFilter="RUNNING"):
            self.finished(api, arn["executionArn"])

    def test_kill_9_during_start_execution(self):
        acked = {}  # execution ARN -> the input the client sent
        fresh = []
        machine = {}

        def setup(api):
            machine["arn"] = api.call("CreateStateMachine", name="starts", definition=STARTS,
                                      roleArn=ROLE)["stateMachineArn"]

        def act(api, round_, stop):
            i = 0
            while not stop.is_set():
                text = json.dumps({"round": round_, "i": i})
                try:
                    arn = api.call("StartExecution", stateMachineArn=machine["arn"], name="r%d-%d" % (round_, i),
                                   input=text)["executionArn"]
                except connection_lost():
                    return
                acked[arn] = text
                fresh.append(arn)
                i += 1

        def verify(api):
            self.none_left_running(api, machine["arn"], acked)
            # Every one is listed; the last one acknowledged before the kill and a sample of the others are
            # checked in full (input, status, history).
            sample = fresh[-1:] + self.rng.sample(fresh, min(len(fresh), 10))
            for arn in sample:
                self.assertEqual(self.check_finished(api, arn)["input"], acked[arn])
            fresh.clear()

        self.assertEqual(self.kill_rounds(setup, act, verify), ROUNDS)
        print("kill -9 during StartExecution: %d rounds, %d acknowledged executions, all present (seed %d)"
              % (ROUNDS, len(acked), SEED))

    def test_kill_9_during_a_running_map(self):
        items = list(range(MAP_ITEMS))
        machine = {}
        started = []
        outcomes = {"SUCCEEDED": 0, "RESUMED": 0}

        def setup(api):
            machine["arn"] = api.call("CreateStateMachine", name="maps", definition=MAP,
                                      roleArn=ROLE)["stateMachineArn"]

        def act(api, round_, stop):
            try:
                started.append(api.call("StartExecution", stateMachineArn=machine["arn"], name="map-%d" % round_,
                                        input=json.dumps({"items": items}))["executionArn"])
            except connection_lost():
                pass

        def verify(api):
            last = started[-1] if started and started[-1] not in checked else None
            was_running = last and api.call("DescribeExecution", executionArn=last)["status"] == "RUNNING"
            self.none_left_running(api, machine["arn"], started)
            if last:
                d = self.check_finished(api, last)
                self.assertEqual(json.loads(d["output"]), items)
                outcomes["RESUMED" if was_running else "SUCCEEDED"] += 1
                checked.add(last)

        checked = set()
        self.assertEqual(self.kill_rounds(setup, act, verify), ROUNDS)
        print("kill -9 during a %d-iteration Map: %d rounds, %d interrupted (resumed on restart), %d had finished"
              " (seed %d)" % (MAP_ITEMS, ROUNDS, outcomes["RESUMED"], outcomes["SUCCEEDED"], SEED))

    def test_kill_9_during_update_state_machine(self):
        state = {"sent": 0, "acked": 0}
        versions = {}  # version ARN -> the counter its definition holds
        fresh = []  # versions published since the last restart
        machine = {}

        def setup(api):
            machine["arn"] = api.call("CreateStateMachine", name="updated", definition=counter_definition(0),
                                      roleArn=ROLE)["stateMachineArn"]

        def act(api, round_, stop):
            while not stop.is_set():
                value = state["sent"] + 1
                state["sent"] = value
                publish = value % 4 == 0
                try:
                    answer = api.call("UpdateStateMachine", stateMachineArn=machine["arn"],
                                      definition=counter_definition(value), publish=publish)
                except connection_lost():
                    return
                state["acked"] = value
                if publish:
                    versions[answer["stateMachineVersionArn"]] = value
                    fresh.append(answer["stateMachineVersionArn"])

        def verify(api):
            d = api.call("DescribeStateMachine", stateMachineArn=machine["arn"])
            value = json.loads(d["definition"])["States"]["P"]["Result"]["v"]
            # The last acknowledged update is there; the one in flight at the kill may or may not be.
            self.assertGreaterEqual(value, state["acked"])
            self.assertLessEqual(value, state["sent"])
            listed = {v["stateMachineVersionArn"]
                      for v in api.pages("ListStateMachineVersions", "stateMachineVersions",
                                         stateMachineArn=machine["arn"])}
            self.assertEqual(set(versions) - listed, set(), "acknowledged versions are missing")
            for arn in fresh[-1:] + self.rng.sample(fresh, min(len(fresh), 10)):
                version = api.call("DescribeStateMachine", stateMachineArn=arn)
                self.assertEqual(version["definition"], counter_definition(versions[arn]))
            fresh.clear()

        self.assertEqual(self.kill_rounds(setup, act, verify), ROUNDS)
        print("kill -9 during UpdateStateMachine: %d rounds, %d acknowledged updates, %d versions, all present"
              " (seed %d)" % (ROUNDS, state["acked"], len(versions), SEED))

    # -- durable executions: kill -9 while they run, they resume and end as if nothing happened ---------

    def test_kill_9_running_executions_resume_and_end_as_an_uninterrupted_run(self):
        run_durable_rounds(self, BINARY, self.folder, self.db, self.rng, RESUME_ROUNDS)

    # -- storage faults ---------------------------------------------------------------------------------

    def refused_start(self, db, as_user=None):
        """Runs `sfn serve` expecting it to refuse to start; returns its stderr."""
        def drop_privileges():
            os.setgid(as_user)
            os.setuid(as_user)
        proc = subprocess.run([BINARY, "serve", "--port", "0", "--db", db], capture_output=True, text=True,
                              timeout=30, preexec_fn=drop_privileges if as_user is not None else None)
        self.assertNotEqual(proc.returncode, 0, "sfn serve started: %r" % proc.stdout)
        return proc.stderr

    def test_a_read_only_database_is_refused_with_a_clear_message_and_kept(self):
        with Server(BINARY, db=self.db) as server, closing(Api(server.port)) as api:
            arn = api.call("CreateStateMachine", name="kept", definition=counter_definition(1),
                           roleArn=ROLE)["stateMachineArn"]
        os.chmod(self.db, 0o444)
        # root writes any file whatever its mode: check as an ordinary user then.
        user = None
        if os.geteuid() == 0:
            user = 65534
            for path in [self.folder] + [os.path.join(self.folder, f) for f in os.listdir(self.folder)]:
                os.chown(path, user, user)
        stderr = self.refused_start(self.db, user)
        self.assertIn("cannot open the database '%s' for writing: the file is read-only" % self.db, stderr)
        os.chmod(self.db, 0o644)
        with Server(BINARY, db=self.db) as server, closing(Api(server.port)) as api:
            self.assertEqual(api.call("DescribeStateMachine", stateMachineArn=arn)["definition"],
                             counter_definition(1))

    def test_a_full_disk_gives_an_aws_error_and_corrupts_nothing(self):
        disk = os.path.join(self.folder, "disk")
        os.mkdir(disk)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", disk], capture_output=True,
                                 text=True)
        if mounted.returncode != 0:
            self.skipTest("cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): " + mounted.stderr.strip())
        try:
            db = os.path.join(disk, "local.db")
            acked = {}
            padding = "x" * 6000
            with Server(BINARY, db=db) as server, closing(Api(server.port)) as api:
                for i in range(1000):
                    definition = json.dumps({"Comment": padding, "StartAt": "P",
                                             "States": {"P": {"Type": "Pass", "Result": i, "End": True}}})
                    status, answer = api.raw("CreateStateMachine", json.dumps(
                        {"name": "m%d" % i, "definition": definition, "roleArn": ROLE}))
                    if status != 200:
                        break
                    acked[answer["stateMachineArn"]] = definition
                else:
                    self.fail("400 KiB never filled up")
                self.assertEqual(status, 500)
                self.assertEqual(answer["__type"], "InternalFailure")
                self.assertIn("database or disk is full", answer["message"])
                # The server stays up and still answers from what it stored.
                first = next(iter(acked))
                self.assertEqual(api.call("DescribeStateMachine", stateMachineArn=first)["definition"], acked[first])
                listed = {m["stateMachineArn"] for m in api.pages("ListStateMachines", "stateMachines")}
                self.assertEqual(listed, set(acked))
            # Everything acknowledged is on disk and the file is sound (checked on a copy with room to spare).
            copy = os.path.join(self.folder, "copy")
            os.mkdir(copy)
            for name in os.listdir(disk):
                if name.startswith("local.db") and not name.endswith(".lock"):
                    shutil.copy(os.path.join(disk, name), copy)
            with sqlite3.connect(os.path.join(copy, "local.db")) as check:
                self.assertEqual(check.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            with Server(BINARY, db=os.path.join(copy, "local.db")) as server, closing(Api(server.port)) as api:
                for arn, definition in acked.items():
                    self.assertEqual(api.call("DescribeStateMachine", stateMachineArn=arn)["definition"], definition)
            print("disk full after %d state machines: InternalFailure 500, all %d kept" % (len(acked), len(acked)))
        finally:
            subprocess.run(["umount", "-l", disk], capture_output=True)

    def test_a_full_disk_fails_the_request_and_executions_resume_from_their_last_checkpoint_once_space_is_back(self):
        """A real SQLITE_FULL without mount rights: the store caps the file at its current size
        (SFN_FAULT_MAX_PAGE_COUNT, i.e. PRAGMA max_page_count) while an execution resumes and a new one starts."""
        definition = json.dumps({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"n": 7}, "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 1, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"n.$": "$n", "v.$": "$.v"}, "End": True}}})
        with Server(BINARY, db=self.db) as server, closing(Api(server.port)) as api:
            machine = api.call("CreateStateMachine", name="full", definition=definition,
                               roleArn=ROLE)["stateMachineArn"]
            before = api.call("StartExecution", stateMachineArn=machine, name="before",
                              input='{"v": 1}')["executionArn"]
            server.kill9()  # RUNNING, in its Wait
        with closing(sqlite3.connect(self.db)) as check:
            pages = check.execute("PRAGMA page_count").fetchone()[0]
        big = json.dumps({"v": 2, "padding": "x" * 200000})
        with Server(BINARY, db=self.db, env={"SFN_FAULT_MAX_PAGE_COUNT": str(pages)}) as server, \
                closing(Api(server.port)) as api:
            status, answer = api.raw("StartExecution", json.dumps(
                {"stateMachineArn": machine, "name": "refused", "input": big}))
            self.assertEqual(status, 500, answer)
            self.assertEqual(answer["__type"], "InternalFailure")
            self.assertIn("database or disk is full", answer["message"])
            # The resumed execution goes on meanwhile; whatever of it cannot be committed is lost with the kill.
            time.sleep(1.5)
            server.kill9()
        with closing(sqlite3.connect(self.db)) as check:
            self.assertEqual(check.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        with Server(BINARY, db=self.db) as server, closing(Api(server.port)) as api:
            after = api.call("StartExecution", stateMachineArn=machine, name="after", input=big)["executionArn"]
            for arn, v in ((before, 1), (after, 2)):
                while (d := api.call("DescribeExecution", executionArn=arn))["status"] == "RUNNING":
                    time.sleep(0.05)
                self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", {"n": 7, "v": v}), arn)
                events = api.pages("GetExecutionHistory", "events", executionArn=arn)
                self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)), arn)
                self.assertEqual([e["type"] for e in events], [
                    "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
                    "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], arn)
            names = {e["name"] for e in api.pages("ListExecutions", "executions", stateMachineArn=machine)}
            self.assertEqual(names, {"before", "after"})  # the refused start left nothing behind
        print("disk full (max_page_count %d): StartExecution InternalFailure 500; the running execution resumed from"
              " its last checkpoint once space was back" % pages)

    def test_a_second_server_on_the_same_file_is_refused(self):
        with Server(BINARY, db=self.db) as first, closing(Api(first.port)) as api:
            arn = api.call("CreateStateMachine", name="one", definition=counter_definition(1),
                           roleArn=ROLE)["stateMachineArn"]
            stderr = self.refused_start(self.db)
            self.assertIn("sfn: [sfn.server.E001] the database '%s' is in use by another sfn process (pid %d); "
                          "stop it or use another database file" % (self.db, first.proc.pid), stderr)
            # The first one is unaffected.
            api.call("UpdateStateMachine", stateMachineArn=arn, definition=counter_definition(2))
            first.kill9()
        # The lock dies with its process, even with kill -9.
        with Server(BINARY, db=self.db) as second, closing(Api(second.port)) as api:
            d = api.call("DescribeStateMachine", stateMachineArn=arn)
            self.assertEqual(d["definition"], counter_definition(2))


if __name__ == "__main__":
    print("fault_test seed: %d (rerun with SFN_FAULT_SEED=%d)" % (SEED, SEED))
    unittest.main()
