#!/usr/bin/env python3
"""boto3 against `sfn serve`: TestState as of 2025 (mock with fieldValidationMode, stateName, variables,
context, stateConfiguration, Map/Parallel/Activity/.sync/.waitForTaskToken with mocks, inspection levels)
and AWS's errors for each misuse. Usage: test_state_test.py SFN_BINARY"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import Server, client_env, stepfunctions_client  # noqa: E402
from wire import Api  # noqa: E402

os.environ.update(client_env())

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/sfn"
LAMBDA = "arn:aws:states:::lambda:invoke"


def task(**fields):
    state = {"Type": "Task", "Resource": LAMBDA, "End": True}
    state.update(fields)
    return json.dumps(state)


class TestStateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY, "--clock", "virtual").start()
        cls.sfn = stepfunctions_client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_state(self, definition, **kw):
        return self.sfn.test_state(definition=definition, **kw)

    def rejected(self, definition, **kw):
        """(code, message) of a TestState call that must fail."""
        with self.assertRaises(self.sfn.exceptions.ClientError) as caught:
            self.sfn.test_state(definition=definition, **kw)
        error = caught.exception.response["Error"]
        return error["Code"], error["Message"]

    # --- mocks of service integrations ------------------------------------------------------------------

    def test_mocked_lambda_result_runs_through_the_data_flow_with_debug_inspection(self):
        # GIVEN a Lambda task with InputPath, Parameters, ResultSelector and ResultPath and a valid mocked response
        definition = task(InputPath="$.order", Parameters={"FunctionName": "f", "Payload.$": "$"},
                          ResultSelector={"total.$": "$.Payload.total"}, ResultPath="$.priced", Next="Ship")
        del_end = json.loads(definition)
        del del_end["End"]
        mock = {"result": json.dumps({"StatusCode": 200, "Payload": {"total": 42}})}
        out = self.run_state(json.dumps(del_end), input='{"order": {"id": 7}}', mock=mock, inspectionLevel="DEBUG")
        # THEN the state succeeds towards its Next with the mocked result in place
        self.assertEqual(out["status"], "SUCCEEDED")
        self.assertEqual(out["nextState"], "Ship")
        # (ResultPath merges into the state's raw input, not the effective one)
        self.assertEqual(json.loads(out["output"]), {"order": {"id": 7}, "priced": {"total": 42}})
        data = out["inspectionData"]
        self.assertEqual(json.loads(data["input"]), {"order": {"id": 7}})
        self.assertEqual(json.loads(data["afterInputPath"]), {"id": 7})
        self.assertEqual(json.loads(data["afterParameters"]), {"FunctionName": "f", "Payload": {"id": 7}})
        self.assertEqual(json.loads(data["result"]), {"StatusCode": 200, "Payload": {"total": 42}})
        self.assertEqual(json.loads(data["afterResultSelector"]), {"total": 42})
        self.assertEqual(json.loads(data["afterResultPath"]), {"order": {"id": 7}, "priced": {"total": 42}})

    def test_inspection_levels(self):
        mock = {"result": json.dumps({"StatusCode": 200, "Payload": 1})}
        info = self.run_state(task(), mock=mock)
        self.assertNotIn("inspectionData", info)
        info = self.run_state(task(), mock=mock, inspectionLevel="INFO")
        self.assertNotIn("inspectionData", info)
        trace = self.run_state(task(), mock=mock, inspectionLevel="TRACE")
        self.assertEqual(json.loads(trace["inspectionData"]["result"]), {"StatusCode": 200, "Payload": 1})
        code, _ = self.rejected(task(), mock=mock, inspectionLevel="LOUD")
        self.assertEqual(code, "ValidationException")

    def test_field_validation_modes_check_the_integration_response_model(self):
        bad = {"result": json.dumps({"StatusCode": "two hundred"})}
        # STRICT (the default) and PRESENT reject a present field of the wrong type
        for mode in ({}, {"fieldValidationMode": "STRICT"}, {"fieldValidationMode": "PRESENT"}):
            code, message = self.rejected(task(), mock=dict(bad, **mode))
            self.assertEqual((code, message), ("ValidationException",
                             "Mock result schema validation error: Field 'StatusCode' must be an integer"))
        # NONE takes anything
        out = self.run_state(task(), mock=dict(bad, fieldValidationMode="NONE"))
        self.assertEqual(json.loads(out["output"]), {"StatusCode": "two hundred"})
        # Nested fields and other services' models
        events = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "End": True})
        code, message = self.rejected(events, mock={"result": json.dumps({"Entries": {"EventId": "1"}})})
        self.assertEqual(message, "Mock result schema validation error: Field 'Entries' must be an array")
        code, message = self.rejected(events, mock={"result": json.dumps(
            {"FailedEntryCount": 0, "Entries": [{"EventId": 5}]})})
        self.assertEqual(message, "Mock result schema validation error: Field 'Entries[0].EventId' must be a string")
        # Fields the model does not know are allowed
        out = self.run_state(events, mock={"result": json.dumps({"Entries": [], "Extra": True})})
        self.assertEqual(out["status"], "SUCCEEDED")
        # STRICT also wants the model's required members; PRESENT does not
        start = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution", "End": True})
        partial = json.dumps({"ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e"})
        code, message = self.rejected(start, mock={"result": partial})
        self.assertEqual(message, "Mock result schema validation error: Required field 'StartDate' is missing")
        out = self.run_state(start, mock={"result": partial, "fieldValidationMode": "PRESENT"})
        self.assertEqual(out["status"], "SUCCEEDED")
        # A result that is not JSON
        code, message = self.rejected(task(), mock={"result": "{not json"})
        self.assertEqual((code, message), ("ValidationException", "The mocked result is not valid JSON"))

    def test_mocked_error_without_handlers_fails(self):
        out = self.run_state(task(), mock={"errorOutput": {"error": "Lambda.ServiceException", "cause": "down"}})
        self.assertEqual((out["status"], out["error"], out["cause"]), ("FAILED", "Lambda.ServiceException", "down"))
        self.assertNotIn("output", out)

    def test_mock_misuse(self):
        for state in ({"Type": "Pass", "End": True}, {"Type": "Wait", "Seconds": 1, "End": True},
                      {"Type": "Succeed"}, {"Type": "Fail", "Error": "E"},
                      {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "X"}]}):
            for mock in ({"result": "{}"}, {"errorOutput": {"error": "E", "cause": "C"}}):
                self.assertEqual(self.rejected(json.dumps(state), mock=mock), (
                    "ValidationException", "State type '%s' is not supported when a mock is specified" % state["Type"]))
        both = {"result": "{}", "errorOutput": {"error": "E"}}
        self.assertEqual(self.rejected(task(), mock=both),
                         ("ValidationException", "A mock must contain exactly one of 'result' and 'errorOutput'"))
        self.assertEqual(self.rejected(task(), mock={"fieldValidationMode": "NONE"}),
                         ("ValidationException", "A mock must contain exactly one of 'result' and 'errorOutput'"))
        self.assertEqual(self.rejected(task(), mock={"errorOutput": {"cause": "C"}}),
                         ("ValidationException", "mock.errorOutput.error is required when mock.errorOutput is specified"))
        code, _ = self.rejected(task(), mock={"result": "{}", "fieldValidationMode": "SOMETIMES"})
        self.assertEqual(code, "ValidationException")

    def test_states_that_need_a_mock(self):
        cases = {
            "Map": ({"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                     "End": True}, "State type 'Map' is only supported when a mock is specified"),
            "Parallel": ({"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
                          "End": True}, "State type 'Parallel' is only supported when a mock is specified"),
            "Activity": ({"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": True},
                         "Activity tasks are only supported when a mock is specified"),
            "sync": ({"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "End": True},
                     "The '.sync' integration pattern is only supported when a mock is specified"),
            "token": ({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True},
                      "The '.waitForTaskToken' integration pattern is only supported when a mock is specified"),
        }
        for name, (state, message) in cases.items():
            with self.subTest(name):
                self.assertEqual(self.rejected(json.dumps(state)), ("ValidationException", message))
        self.assertEqual(self.rejected(json.dumps({"Type": "Pass", "End": True}), context="{}"),
                         ("ValidationException", "context can only be specified when a mock is specified"))

    def test_activity_sync_and_callback_tasks_with_mocks(self):
        for resource in ("arn:aws:states:us-east-1:123456789012:activity:work",
                         "arn:aws:states:::states:startExecution.sync:2",
                         "arn:aws:states:::sqs:sendMessage.waitForTaskToken"):
            with self.subTest(resource):
                state = {"Type": "Task", "Resource": resource, "ResultPath": "$.r", "End": True}
                if "sqs" in resource:
                    state["Parameters"] = {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}
                out = self.run_state(json.dumps(state), input='{"a": 1}', mock={"result": '{"done": true}'})
                self.assertEqual((out["status"], json.loads(out["output"])), ("SUCCEEDED", {"a": 1, "r": {"done": True}}))

    # --- stateName, variables, context --------------------------------------------------------------------

    def test_state_name_picks_a_state_of_a_whole_definition(self):
        definition = json.dumps({"QueryLanguage": "JSONata", "StartAt": "First", "States": {
            "First": {"Type": "Pass", "Next": "Second"},
            "Second": {"Type": "Pass", "Output": "{% $states.input.n + 1 %}", "Next": "Third"},
            "Third": {"Type": "Succeed"}}})
        # GIVEN a JSONata machine; WHEN its second state is tested; THEN it runs in JSONata, towards Third
        out = self.run_state(definition, stateName="Second", input='{"n": 1}')
        self.assertEqual((out["status"], out["nextState"], out["output"]), ("SUCCEEDED", "Third", "2"))
        self.assertEqual(self.rejected(definition, stateName="Nope"),
                         ("ValidationException", "State 'Nope' is not in the definition's States"))
        self.assertEqual(self.rejected(json.dumps({"Type": "Pass", "End": True}), stateName="TestState"), (
            "ValidationException",
            "stateName can only be specified with a complete state machine definition (StartAt and States)"))
        # The whole definition must be valid, not only the tested state
        broken = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True},
                                                        "B": {"Type": "Pass", "Next": "Gone"}}})
        code, message = self.rejected(broken, stateName="A")
        self.assertEqual(code, "InvalidDefinition")
        self.assertIn("MISSING_TRANSITION_TARGET", message)

    def test_variables_are_visible_and_reported_after_the_state(self):
        definition = json.dumps({"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $name)"},
                                 "Assign": {"count.$": "$count"}, "End": True})
        out = self.run_state(definition, variables='{"name": "Ann", "count": 3}', inspectionLevel="DEBUG")
        self.assertEqual(json.loads(out["output"]), {"greeting": "hi Ann"})
        self.assertEqual(json.loads(out["inspectionData"]["variables"]), {"name": "Ann", "count": 3})
        assigned = self.run_state(json.dumps({"Type": "Pass", "Assign": {"x": 1}, "End": True}), inspectionLevel="DEBUG")
        self.assertEqual(json.loads(assigned["inspectionData"]["variables"]), {"x": 1})
        self.assertEqual(self.rejected(definition, variables="[1]"),
                         ("ValidationException", "variables must be a JSON object"))
        code, _ = self.rejected(definition, variables="{oops")
        self.assertEqual(code, "ValidationException")

    def test_context_is_laid_over_the_context_object(self):
        definition = task(Parameters={"FunctionName": "f", "Payload": {"id.$": "$$.Execution.Id",
                                                                       "retry.$": "$$.State.RetryCount"}})
        out = self.run_state(definition, mock={"result": '{"StatusCode": 200}'}, inspectionLevel="DEBUG",
                             context=json.dumps({"Execution": {"Id": "arn:aws:states:us-east-1:1:execution:m:e"},
                                                 "State": {"RetryCount": 2}}))
        self.assertEqual(json.loads(out["inspectionData"]["afterParameters"])["Payload"],
                         {"id": "arn:aws:states:us-east-1:1:execution:m:e", "retry": 2})
        self.assertEqual(self.rejected(definition, mock={"result": "{}"}, context="7"),
                         ("ValidationException", "context must be a JSON object"))

    def test_invalid_input(self):
        code, message = self.rejected(json.dumps({"Type": "Pass", "End": True}), input="{nope")
        self.assertEqual(code, "InvalidExecutionInput")
        self.assertTrue(message.startswith("Invalid State Machine Execution Input: "), message)

    # --- Retry, Catch and stateConfiguration.retrierRetryCount --------------------------------------------

    def test_retrier_retry_count_decides_between_retry_catch_and_failure(self):
        state = task(Retry=[{"ErrorEquals": ["Other"], "MaxAttempts": 5},
                            {"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 2}],
                     Catch=[{"ErrorEquals": ["Nope"], "Next": "Never"},
                            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handler"}])
        mock = {"errorOutput": {"error": "Flaky", "cause": "try again"}}
        first = self.run_state(state, input='{"a": 1}', mock=mock, inspectionLevel="DEBUG")
        self.assertEqual((first["status"], first["error"], first["cause"]), ("RETRIABLE", "Flaky", "try again"))
        self.assertNotIn("nextState", first)
        self.assertEqual(first["inspectionData"]["errorDetails"], {"retryIndex": 1, "retryBackoffIntervalSeconds": 3})
        second = self.run_state(state, input='{"a": 1}', mock=mock, inspectionLevel="DEBUG",
                                stateConfiguration={"retrierRetryCount": 1})
        self.assertEqual(second["inspectionData"]["errorDetails"], {"retryIndex": 1, "retryBackoffIntervalSeconds": 6})
        # WHEN the retries are used up THEN the catcher takes the error to its Next
        caught = self.run_state(state, input='{"a": 1}', mock=mock, inspectionLevel="DEBUG",
                                stateConfiguration={"retrierRetryCount": 2})
        self.assertEqual((caught["status"], caught["nextState"]), ("CAUGHT_ERROR", "Handler"))
        self.assertEqual(json.loads(caught["output"]), {"a": 1, "error": {"Error": "Flaky", "Cause": "try again"}})
        self.assertEqual(caught["inspectionData"]["errorDetails"], {"catchIndex": 1})
        self.assertEqual(caught["error"], "Flaky")
        # Without a matching catcher the state fails
        bare = task(Retry=[{"ErrorEquals": ["Flaky"], "MaxAttempts": 1}])
        failed = self.run_state(bare, mock=mock, stateConfiguration={"retrierRetryCount": 1})
        self.assertEqual((failed["status"], failed["error"]), ("FAILED", "Flaky"))
        self.assertEqual(self.rejected(task(), mock=mock, stateConfiguration={"retrierRetryCount": 1}),
                         ("ValidationException", "retrierRetryCount can only be specified for a state with a Retry field"))
        # A negative count (boto3 refuses to send one) is rejected by the service's model check
        api = Api(self.server.port)
        status, answer = api.raw("TestState", json.dumps(
            {"definition": bare, "mock": mock, "stateConfiguration": {"retrierRetryCount": -1}}))
        api.close()
        self.assertEqual((status, answer["__type"]), (400, "ValidationException"))

    # --- Map and Parallel ------------------------------------------------------------------------------------

    MAP = {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index",
                                                                    "tag.$": "$.tag"},
           "ItemBatcher": {"MaxItemsPerBatch": 2}, "MaxConcurrency": 4, "ToleratedFailureCount": 1,
           "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                             "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}},
           "ResultSelector": {"n.$": "States.ArrayLength($)"}, "ResultPath": "$.summary", "End": True}

    def test_mocked_map_reports_its_items_and_applies_its_result_processing(self):
        out = self.run_state(json.dumps(self.MAP), input='{"items": ["a", "b", "c"], "tag": "t"}',
                             mock={"result": '[1, 2, 3]'}, inspectionLevel="DEBUG")
        self.assertEqual(out["status"], "SUCCEEDED")
        self.assertEqual(json.loads(out["output"]), {"items": ["a", "b", "c"], "tag": "t", "summary": {"n": 3}})
        data = out["inspectionData"]
        self.assertEqual(json.loads(data["afterItemsPath"]), ["a", "b", "c"])
        selected = [{"value": v, "index": i, "tag": "t"} for i, v in enumerate("abc")]
        self.assertEqual(json.loads(data["afterItemSelector"]), selected)
        self.assertEqual(json.loads(data["afterItemBatcher"]), [{"Items": selected[:2]}, {"Items": selected[2:]}])
        self.assertEqual((data["maxConcurrency"], data["toleratedFailureCount"]), (4, 1))
        self.assertEqual(json.loads(data["result"]), [1, 2, 3])

    def test_map_iteration_failure_count_against_the_tolerated_threshold(self):
        definition = json.dumps(self.MAP)
        within = self.run_state(definition, input='{"items": [1, 2, 3]}', mock={"result": "[]"},
                                stateConfiguration={"mapIterationFailureCount": 1})
        self.assertEqual(within["status"], "SUCCEEDED")
        over = self.run_state(definition, input='{"items": [1, 2, 3]}', mock={"result": "[]"},
                              stateConfiguration={"mapIterationFailureCount": 2})
        self.assertEqual((over["status"], over["error"], over["cause"]), (
            "FAILED", "States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded"))
        by_percentage = dict(self.MAP, ToleratedFailurePercentage=50)
        del by_percentage["ToleratedFailureCount"]
        caught = dict(by_percentage, Catch=[{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Report"}])
        del caught["End"]
        caught["Next"] = "Done"
        out = self.run_state(json.dumps(caught), input='{"items": [1, 2, 3, 4]}', mock={"result": "[]"},
                             stateConfiguration={"mapIterationFailureCount": 3})
        self.assertEqual((out["status"], out["nextState"]), ("CAUGHT_ERROR", "Report"))
        ok = self.run_state(json.dumps(caught), input='{"items": [1, 2, 3, 4]}', mock={"result": "[]"},
                            stateConfiguration={"mapIterationFailureCount": 2})
        self.assertEqual((ok["status"], ok["nextState"]), ("SUCCEEDED", "Done"))
        untolerant = dict(self.MAP)
        del untolerant["ToleratedFailureCount"]
        self.assertEqual(self.rejected(json.dumps(untolerant), mock={"result": "[]"},
                                       stateConfiguration={"mapIterationFailureCount": 1}), (
            "ValidationException",
            "mapIterationFailureCount requires a Map state with ToleratedFailureCount or ToleratedFailurePercentage"))
        self.assertEqual(self.rejected(task(), mock={"result": "{}"}, stateConfiguration={"mapIterationFailureCount": 1}),
                         ("ValidationException", "mapIterationFailureCount can only be specified for a Map state"))

    def test_map_item_reader_data(self):
        reader = dict(self.MAP, ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                                            "ReaderConfig": {"InputType": "JSONL"},
                                            "Parameters": {"Bucket": "b", "Key": "k"}})
        del reader["ItemsPath"]
        out = self.run_state(json.dumps(reader), input='{"tag": "x"}', mock={"result": "[]"}, inspectionLevel="DEBUG",
                             stateConfiguration={"mapItemReaderData": '{"id": 1}\n{"id": 2}\n'})
        self.assertEqual(json.loads(out["inspectionData"]["afterItemSelector"]),
                         [{"value": {"id": 1}, "index": 0, "tag": "x"}, {"value": {"id": 2}, "index": 1, "tag": "x"}])
        self.assertNotIn("afterItemsPath", out["inspectionData"])
        self.assertEqual(self.rejected(json.dumps(self.MAP), mock={"result": "[]"},
                                       stateConfiguration={"mapItemReaderData": "[]"}),
                         ("ValidationException", "mapItemReaderData can only be specified for a Map state with an ItemReader"))
        code, message = self.rejected(json.dumps(reader), mock={"result": "[]"},
                                      stateConfiguration={"mapItemReaderData": "{broken"})
        self.assertEqual(code, "ValidationException")
        self.assertTrue(message.startswith("mapItemReaderData is not valid JSONL: "), message)

    PARALLEL = {"Type": "Parallel", "Parameters": {"x.$": "$.x"},
                "Branches": [{"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                             {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": LAMBDA, "End": True}}}],
                "ResultSelector": {"left.$": "$[0]"}, "Catch": [{"ErrorEquals": ["Boom"], "Next": "Recover"}],
                "Next": "After"}

    def test_mocked_parallel(self):
        out = self.run_state(json.dumps(self.PARALLEL), input='{"x": 1}', mock={"result": '[{"l": 1}, {"r": 2}]'},
                             inspectionLevel="DEBUG")
        self.assertEqual((out["status"], out["nextState"], json.loads(out["output"])), ("SUCCEEDED", "After", {"left": {"l": 1}}))
        self.assertEqual(json.loads(out["inspectionData"]["afterParameters"]), {"x": 1})
        failed = self.run_state(json.dumps(self.PARALLEL), input='{"x": 1}',
                                mock={"errorOutput": {"error": "Boom", "cause": "right"}},
                                stateConfiguration={"errorCausedByState": "Right"})
        self.assertEqual((failed["status"], failed["nextState"], failed["error"]), ("CAUGHT_ERROR", "Recover", "Boom"))
        # Parameters still apply before the mocked branches: a missing input field fails the state itself
        runtime = self.run_state(json.dumps(self.PARALLEL), mock={"errorOutput": {"error": "Boom"}})
        self.assertEqual((runtime["status"], runtime["error"]), ("FAILED", "States.Runtime"))
        self.assertEqual(self.rejected(json.dumps(self.PARALLEL), mock={"errorOutput": {"error": "Boom"}},
                                       stateConfiguration={"errorCausedByState": "Middle"}),
                         ("ValidationException", "errorCausedByState 'Middle' is not a state of Parallel state 'TestState'"))
        self.assertEqual(self.rejected(json.dumps(self.PARALLEL), mock={"result": "[]"},
                                       stateConfiguration={"errorCausedByState": "Right"}),
                         ("ValidationException", "errorCausedByState can only be specified with mock.errorOutput"))
        self.assertEqual(self.rejected(task(), mock={"errorOutput": {"error": "E"}},
                                       stateConfiguration={"errorCausedByState": "Right"}),
                         ("ValidationException", "errorCausedByState can only be specified for a Map or Parallel state"))

    # --- JSONata ---------------------------------------------------------------------------------------------

    def test_jsonata_task_reports_arguments_and_result_only(self):
        definition = json.dumps({"QueryLanguage": "JSONata", "Type": "Task", "Resource": LAMBDA,
                                 "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                                 "Output": "{% $states.result.Payload %}", "End": True})
        out = self.run_state(definition, input='{"q": 1}', mock={"result": '{"Payload": {"a": 2}}'},
                             inspectionLevel="DEBUG")
        self.assertEqual(json.loads(out["output"]), {"a": 2})
        data = out["inspectionData"]
        self.assertEqual(json.loads(data["afterArguments"]), {"FunctionName": "f", "Payload": {"q": 1}})
        self.assertEqual(json.loads(data["result"]), {"Payload": {"a": 2}})
        for step in ("afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"):
            self.assertNotIn(step, data)


if __name__ == "__main__":
    unittest.main(verbosity=2)
