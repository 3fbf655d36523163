#!/usr/bin/env python3
"""boto3 against `sfn serve`: ValidateStateMachineDefinition's AWS codes for each kind of problem, its
warnings (NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC), severity and maxResults.
Usage: validate_definition_test.py SFN_BINARY"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env, stepfunctions_client  # noqa: E402

os.environ.update(client_env())

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"


def machine(states, start="A"):
    return json.dumps({"StartAt": start, "States": states})


WARNINGS = machine({
    "A": {"Type": "Pass", "Result": {"foo": "$.bar"}, "Next": "B"},
    "B": {"Type": "Pass", "Parameters": {"x": "$.foo"}, "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "$.y", "Next": "D"}], "Default": "D"},
    "D": {"Type": "Succeed"}})


class ValidateDefinitionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY).start()
        cls.sfn = stepfunctions_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def codes(self, definition, **kw):
        out = self.sfn.validate_state_machine_definition(definition=definition, **kw)
        return out["result"], [(d["severity"], d["code"], d.get("location")) for d in out["diagnostics"]]

    def test_warnings_only_with_severity_warning(self):
        # GIVEN a valid definition with three kinds of warnings; WHEN validated at the default severity
        # THEN it is OK with no diagnostics
        self.assertEqual(self.codes(WARNINGS), ("OK", []))
        self.assertEqual(self.codes(WARNINGS, severity="ERROR"), ("OK", []))
        # WHEN asked for warnings THEN each comes with AWS's code, its location and sfn's own code
        out = self.sfn.validate_state_machine_definition(definition=WARNINGS, severity="WARNING")
        self.assertEqual(out["result"], "OK")
        self.assertEqual([(d["severity"], d["code"], d["location"]) for d in out["diagnostics"]], [
            ("WARNING", "PASS_RESULT_IS_STATIC", "/States/A/Result/foo"),
            ("WARNING", "NO_DOLLAR", "/States/B/Parameters/x"),
            ("WARNING", "NO_PATH", "/States/C/Choices/0/StringEquals")])
        self.assertTrue(out["diagnostics"][0]["message"].startswith("[sfn.asl.W003] "), out["diagnostics"][0])
        self.assertTrue(out["diagnostics"][1]["message"].startswith("[sfn.asl.W001] "))
        self.assertTrue(out["diagnostics"][2]["message"].startswith("[sfn.asl.W002] "))
        self.assertFalse(out["truncated"])
        # AND a definition with warnings only deploys
        arn = self.sfn.create_state_machine(name="warned", definition=WARNINGS,
                                            roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
        self.assertTrue(arn.endswith(":warned"))

    def test_error_codes_as_aws_chooses_them(self):
        cases = {
            "INVALID_JSON_DESCRIPTION": "{not json",
            "MISSING_DESCRIPTION": "   ",
            "SCHEMA_VALIDATION_FAILED": machine({"A": {"Type": "Wait", "Seconds": -1, "End": True}}),
            "MISSING_TRANSITION_TARGET": machine({"A": {"Type": "Pass", "Next": "Nowhere"}}),
            "DUPLICATE_STATE_NAME": machine({"P": {"Type": "Parallel", "End": True, "Branches": [
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}]}}, start="P"),
            "INVALID_STATE_NAME": machine({"A" * 81: {"Type": "Pass", "End": True}}, start="A" * 81),
            "INVALID_RESOURCE": machine({"A": {"Type": "Task", "Resource": "not-an-arn", "End": True}}),
            "MISSING_END_STATE": machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}),
        }
        for code, definition in cases.items():
            with self.subTest(code):
                out = self.sfn.validate_state_machine_definition(definition=definition)
                self.assertEqual(out["result"], "FAIL")
                self.assertIn(code, [d["code"] for d in out["diagnostics"]], out["diagnostics"])
                for d in out["diagnostics"]:
                    self.assertEqual(d["severity"], "ERROR")
        unreachable = self.sfn.validate_state_machine_definition(definition=machine({
            "A": {"Type": "Succeed"}, "Lost": {"Type": "Succeed"}}))
        self.assertEqual([(d["code"], d["location"]) for d in unreachable["diagnostics"]],
                         [("MISSING_TRANSITION_TARGET", "/States/Lost")])
        self.assertTrue(unreachable["diagnostics"][0]["message"].startswith("[sfn.asl.E016] "))

    def test_max_results_and_truncated(self):
        # GIVEN a definition with three errors
        definition = machine({"A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Pass", "Next": "Y"},
                              "C": {"Type": "Pass", "Next": "Z"}})
        everything = self.sfn.validate_state_machine_definition(definition=definition)
        self.assertGreaterEqual(len(everything["diagnostics"]), 3)
        self.assertFalse(everything["truncated"])
        two = self.sfn.validate_state_machine_definition(definition=definition, maxResults=2)
        self.assertEqual((len(two["diagnostics"]), two["truncated"]), (2, True))
        self.assertEqual(two["diagnostics"], everything["diagnostics"][:2])
        zero = self.sfn.validate_state_machine_definition(definition=definition, maxResults=0)
        self.assertEqual((zero["diagnostics"], zero["truncated"]), (everything["diagnostics"], False))
        # Warnings count towards maxResults too
        one = self.sfn.validate_state_machine_definition(definition=WARNINGS, severity="WARNING", maxResults=1)
        self.assertEqual((len(one["diagnostics"]), one["truncated"], one["result"]), (1, True, "OK"))
        with self.assertRaises(self.sfn.exceptions.ClientError) as caught:
            self.sfn.validate_state_machine_definition(definition=definition, maxResults=101)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")
        with self.assertRaises(self.sfn.exceptions.ClientError) as caught:
            self.sfn.validate_state_machine_definition(definition=definition, severity="INFO")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")

    def test_express_type(self):
        # GIVEN a definition with a .waitForTaskToken task: fine for STANDARD, not for EXPRESS
        definition = machine({"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                    "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": True}})
        self.assertEqual(self.codes(definition), ("OK", []))
        self.assertEqual(self.codes(definition, type="STANDARD"), ("OK", []))
        out = self.sfn.validate_state_machine_definition(definition=definition, type="EXPRESS")
        self.assertEqual([(d["code"], d["location"]) for d in out["diagnostics"]],
                         [("SCHEMA_VALIDATION_FAILED", "/States/A/Resource")])
        self.assertTrue(out["diagnostics"][0]["message"].startswith("[sfn.asl.E053] "))
        # AND CreateStateMachine / UpdateStateMachine of an EXPRESS machine refuse it the same way
        role = "arn:aws:iam::123456789012:role/r"
        with self.assertRaises(self.sfn.exceptions.InvalidDefinition):
            self.sfn.create_state_machine(name="express-token", definition=definition, roleArn=role, type="EXPRESS")
        arn = self.sfn.create_state_machine(name="express-ok", type="EXPRESS", roleArn=role,
                                            definition=machine({"A": {"Type": "Pass", "End": True}}))["stateMachineArn"]
        with self.assertRaises(self.sfn.exceptions.InvalidDefinition):
            self.sfn.update_state_machine(stateMachineArn=arn, definition=definition)
        self.sfn.create_state_machine(name="standard-token", definition=definition, roleArn=role)

    def test_errors_and_warnings_together(self):
        definition = machine({"A": {"Type": "Pass", "Result": "$.x", "Next": "Gone"}})
        self.assertEqual(self.codes(definition), ("FAIL", [("ERROR", "MISSING_TRANSITION_TARGET", "/States/A/Next")]))
        result, found = self.codes(definition, severity="WARNING")
        self.assertEqual((result, sorted(found)), ("FAIL", [
            ("ERROR", "MISSING_TRANSITION_TARGET", "/States/A/Next"),
            ("WARNING", "PASS_RESULT_IS_STATIC", "/States/A/Result")]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
