#!/usr/bin/env python3
"""The 49 real workflows of ../shared/realworld: each validates (as AWS deploys them), `sfn fmt` keeps every field
(empty lists and objects included; only order and indentation change) and `sfn graph` draws it in dot and mermaid,
the End included. Usage: realworld_test.py SFN_BINARY [REALWORLD_DIR]"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
FOLDER = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join("..", "shared", "realworld")


# What AWS rejects too: Jayway JsonPath reads `==Failure` (an unquoted literal) as no valid filter.
# And the ASL spec's "HeartbeatSeconds MUST be smaller than TimeoutSeconds" (equal here; whether AWS's own validator
# enforces it is not verified, see docs/errors.md).
REJECTED = {
    "sam_app-dataquality-using-lambda_statemachine_dataquality.asl.json.json":
        "[sfn.asl.E024] /States/FilterFailures/InputPath",
    "usecases_distributedmap_monte-carlo-simulation_terraform_shared_modules_stepfunctions_sfn.tf.json":
        "[sfn.asl.E037] /States/Inline Map Orchestration/ItemProcessor/States/Distributed Map Data Processing/"
        "ItemProcessor/States/Step Functions Run Activity/HeartbeatSeconds",
}


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60)


class RealWorldTest(unittest.TestCase):
    def test_every_workflow_validates_formats_losslessly_and_draws(self):
        files = sorted(glob.glob(os.path.join(FOLDER, "*.json")))
        self.assertGreaterEqual(len(files), 42, FOLDER)  # the README says 49; 42 files are stored
        folder = tempfile.mkdtemp(prefix="sfn-realworld-")
        for path in files:
            with self.subTest(workflow=os.path.basename(path)):
                with open(path) as f:
                    definition = json.load(f)["definition"]
                asl = os.path.join(folder, os.path.basename(path).replace(".json", "") + ".asl.json")
                with open(asl, "w") as f:
                    json.dump(definition, f)
                p = run("validate", asl)
                if os.path.basename(path) in REJECTED:
                    self.assertNotEqual(p.returncode, 0)
                    self.assertIn(REJECTED[os.path.basename(path)], p.stdout + p.stderr)
                else:
                    self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                p = run("fmt", asl)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(json.loads(p.stdout), definition)  # dict equality: order-free, nothing lost
                for fmt in ("dot", "mermaid"):
                    p = run("graph", "--format", fmt, asl)
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertIn("-> __end" if fmt == "dot" else "--> __end", p.stdout, fmt)


if __name__ == "__main__":
    unittest.main()
