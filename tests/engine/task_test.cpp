// Task states: handlers by glob and FunctionName, Lambda result/error shapes, missing handlers, external
// commands, mocked responses, Retry/Catch and the task-token callback pattern.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <set>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

TEST(Task, CallableHandlerResultGoesThroughResultSelectorAndResultPath) {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::my:double", [](const TaskRequest& r) {
        return TaskOutcome::result(Value::object({{"v", Value(r.parameters.at("n").as_int() * 2)}}));
    });
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::my:double",
        "Parameters":{"n.$":"$.n"},"ResultSelector":{"doubled.$":"$.v"},"ResultPath":"$.out","End":true}}})",
                            R"({"n":21})", with(handlers));
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output, Value::parse(R"({"n":21,"out":{"doubled":42}})"));
}

TEST(Task, MissingHandlerFailsNamingTheResourceAndTheRemedy) {
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
        "End":true}}})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.TaskFailed");
    EXPECT_EQ(r.cause, "No task handler for resource 'arn:aws:states:::sqs:sendMessage' in state 'T'. Register one "
                       "with HandlerRegistry::add(glob, callable) or add_command(glob, command), pass --handler "
                       "'GLOB=COMMAND' to `sfn run`, mock the state with --mock-config, or call AWS (or an emulator) "
                       "with --integrations aws.");
}

// AWS fails a Task whose Lambda function does not exist with Lambda.ResourceNotFoundException; a local run
// without a handler for the function says the same, and still how to register one.
TEST(Task, UnknownLambdaFunctionFailsWithResourceNotFound) {
    const std::string arn = "arn:aws:lambda:us-east-1:123456789012:function:nowhere";
    const auto plain = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" + arn +
                                R"(","End":true}}})");
    EXPECT_EQ(plain.status, ExecutionStatus::Failed);
    EXPECT_EQ(plain.error, "Lambda.ResourceNotFoundException");
    EXPECT_EQ(plain.cause, "Function not found: " + arn + ". No task handler for resource '" + arn +
                               "' in state 'T'. Register one with HandlerRegistry::add(glob, callable) or "
                               "add_command(glob, command), pass --handler 'GLOB=COMMAND' to `sfn run`, mock the state "
                               "with --mock-config, or call AWS (or an emulator) with --integrations aws.");
    const auto invoke = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":")" + arn + R"("},"End":true}}})");
    EXPECT_EQ(invoke.error, "Lambda.ResourceNotFoundException");
    EXPECT_TRUE(invoke.cause.value_or("").starts_with("Function not found: " + arn + ". No task handler for resource "
                                         "'arn:aws:states:::lambda:invoke' (FunctionName '" + arn + "')"))
        << invoke.cause.value_or("");
}

TEST(Task, FallbackHandlerAnswersWhatNoGlobCoversAndGlobsStillWin) {
    // GIVEN a registry with one glob handler and a fallback (where the integrations sit)
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::sqs:*", [](const TaskRequest&) { return TaskOutcome::raw_result(Value("glob")); });
    handlers->set_fallback([](const TaskRequest& r) { return TaskOutcome::raw_result(Value(std::string(r.resource))); });
    EXPECT_TRUE(handlers->has_fallback());
    // WHEN one task matches the glob and another does not
    const auto r = run_text(R"({"StartAt":"A","States":{
        "A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","ResultPath":"$.a","Next":"B"},
        "B":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","ResultPath":"$.b","End":true}}})",
                            "{}", with(handlers));
    // THEN the glob answers the first, the fallback the second
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    EXPECT_EQ(r.output, Value::parse(R"({"a":"glob","b":"arn:aws:states:::sns:publish"})"));
}

TEST(Task, SubmittedAnswerOfASyncHandlerIsRecordedBeforeTheResult) {
    // GIVEN a `.sync` handler that reports the answer to its start request, then finishes
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::glue:startJobRun.sync", [](const TaskRequest& r) {
        r.submitted(Value::parse(R"({"JobRunId":"jr_1"})"));
        r.submitted(Value::parse(R"({"JobRunId":"ignored"})"));
        return TaskOutcome::raw_result(Value::parse(R"({"JobRunState":"SUCCEEDED"})"));
    });
    Execution exec(compile(std::string_view(R"({"StartAt":"G","States":{"G":{"Type":"Task",
        "Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"j"},"End":true}}})")),
                   Value::object(), with(handlers));
    // WHEN it runs
    const auto r = exec.run();
    // THEN TaskSubmitted carries the first answer and comes between TaskStarted and TaskSucceeded
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    std::string submitted_output;
    for (const auto& e : exec.history()) {
        if (e.type == EventType::TaskSubmitted)
            submitted_output = e.to_json()["taskSubmittedEventDetails"].value("output", "");
    }
    EXPECT_EQ(event_types(exec.history()), (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                                       "TaskScheduled", "TaskStarted", "TaskSubmitted",
                                                                       "TaskSucceeded", "TaskStateExited",
                                                                       "ExecutionSucceeded"}));
    EXPECT_EQ(submitted_output, R"({"JobRunId":"jr_1"})");
}

TEST(Task, LambdaInvokeIsChosenByFunctionNameAndShapedLikeAws) {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("greet", [](const TaskRequest& r) { return TaskOutcome::result(r.payload); });
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"greet","Payload":{"hi":1}},"End":true}}})",
                            "{}", with(handlers));
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output.at("Payload"), Value::parse(R"({"hi":1})"));
    EXPECT_EQ(r.output.at("StatusCode"), Value(200));
    EXPECT_EQ(r.output.at("ExecutedVersion"), Value("$LATEST"));
    EXPECT_EQ(r.output.at("SdkHttpMetadata").at("HttpStatusCode"), Value(200));
}

TEST(Task, LambdaFunctionErrorIsRetriedThenCaughtWithErrorTypeAndCause) {
    // GIVEN a function that always raises, a retrier and a catcher
    auto handlers = std::make_shared<HandlerRegistry>();
    int calls = 0;
    handlers->add("arn:aws:lambda:*", [&calls](const TaskRequest&) {
        ++calls;
        return TaskOutcome::function_error("ValueError", R"({"errorMessage":"bad","errorType":"ValueError"})");
    });
    Execution exec(compile(std::string_view(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:111111111111:function:f",
        "Retry":[{"ErrorEquals":["ValueError"],"IntervalSeconds":2,"MaxAttempts":2,"BackoffRate":3}],
        "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Done"}],"End":true},
        "Done":{"Type":"Succeed"}}})")),
                   Value::object(), with(handlers));
    // WHEN it runs
    const auto r = exec.run();
    // THEN it tried 3 times, waited 2 s then 6 s (virtual), and caught the last error
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(r.output, Value::parse(R"({"err":{"Error":"ValueError",
        "Cause":"{\"errorMessage\":\"bad\",\"errorType\":\"ValueError\"}"}})"));
    EXPECT_EQ(r.stop_time - r.start_time, std::chrono::seconds(8));
    EXPECT_EQ(event_types(exec.history()),
              (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                                        "LambdaFunctionStarted", "LambdaFunctionFailed", "LambdaFunctionScheduled",
                                        "LambdaFunctionStarted", "LambdaFunctionFailed", "LambdaFunctionScheduled",
                                        "LambdaFunctionStarted", "LambdaFunctionFailed", "TaskStateExited",
                                        "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"}));
}

TEST(Task, StatesAllDoesNotCatchStatesRuntime) {
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::x:y",
        "InputPath":"$.missing","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}],"End":true},
        "Done":{"Type":"Succeed"}}})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
}

TEST(Task, ExternalCommandReceivesTheEventOnStdinAndReportsFunctionErrors) {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add_command("arn:aws:lambda:*:function:echo", "cat");
    handlers->add_command("arn:aws:lambda:*:function:boom",
                          R"(echo '{"errorType":"Boom","errorMessage":"no"}'; exit 1)");
    const auto ok = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:1:function:echo","End":true}}})",
                             R"({"a":[1,2]})", with(handlers));
    ASSERT_EQ(ok.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(ok.output_json(), R"({"a":[1,2]})");
    const auto bad = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:1:function:boom","End":true}}})",
                              "{}", with(handlers));
    EXPECT_EQ(bad.error, "Boom");
    EXPECT_EQ(bad.cause, R"({"errorType":"Boom","errorMessage":"no"})");
}

TEST(Task, ACommandThatPrintsWithoutEndIsStoppedWithAClearCause) {
    // GIVEN a handler command that never stops printing (and more on stderr)
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add_command("arn:aws:states:::my:chatty", "yes >&2 & yes");
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::my:chatty",
        "End":true}}})",
                            "{}", with(handlers));
    // THEN the task fails once it printed more than a result could be, instead of filling the memory
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.TaskFailed");
    EXPECT_EQ(r.cause,
              "The handler command 'yes >&2 & yes' printed more than 8 MiB on stdout and was killed (a task "
              "result is at most 256 KiB)");
}

TEST(Task, MockConfigRangesAreConsumedByRetries) {
    // GIVEN a mock whose invocations 0-1 throw and 2 returns
    const auto config = nlohmann::json::parse(R"({"StateMachines":{"M":{"TestCases":{"Flaky":{"Charge":"R"}}}},
        "MockedResponses":{"R":{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},
        "2":{"Return":{"StatusCode":200,"Payload":{"ok":true}}}}}})");
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->use_mock_config(config, "M", "Flaky");
    // WHEN a Task with two retries runs
    const auto r = run_text(R"({"StartAt":"Charge","States":{"Charge":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge"},
        "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"MaxAttempts":2}],
        "OutputPath":"$.Payload","End":true}}})",
                            "{}", with(handlers));
    // THEN the third invocation's mocked response is the result, used as is
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output_json(), R"({"ok":true})");
}

TEST(Task, MockConfigErrorsNameTheMissingTestCase) {
    HandlerRegistry handlers;
    const auto config = nlohmann::json::parse(R"({"StateMachines":{"M":{"TestCases":{}}},"MockedResponses":{}})");
    try {
        handlers.use_mock_config(config, "M", "Nope");
        FAIL() << "expected UsageError";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "[sfn.engine.E002] mock config: no test case 'Nope' under /StateMachines/M/TestCases");
    }
}

TEST(Task, MockConfigWithWrongJsonTypesIsAUsageErrorNotAJsonException) {
    // GIVEN mock configs with a non-object state machine and a non-string Throw error (found by fuzz/mock_config:
    // both escaped as nlohmann::json type errors)
    HandlerRegistry handlers;
    const auto machine_is_number = nlohmann::json::parse(R"({"StateMachines":{"M":5}})");
    const auto error_is_number = nlohmann::json::parse(R"({"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},
        "MockedResponses":{"R":{"0":{"Throw":{"Error":5}}}}})");
    // WHEN they are loaded THEN each is a UsageError naming the field
    try {
        handlers.use_mock_config(machine_is_number, "M", "T");
        FAIL() << "expected UsageError";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "[sfn.engine.E002] mock config: /StateMachines/M: expected an object with \"TestCases\"");
    }
    try {
        handlers.use_mock_config(error_is_number, "M", "T");
        FAIL() << "expected UsageError";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "[sfn.engine.E002] mock config: /MockedResponses/R/0/Throw/Error: expected a string");
    }
}

TEST(Task, WaitForTaskTokenCompletesThroughSendSuccess) {
    // GIVEN a handler that keeps the token and answers later from another thread
    auto handlers = std::make_shared<HandlerRegistry>();
    auto tokens = std::make_shared<TaskTokens>();
    auto token = std::make_shared<std::promise<std::string>>();
    handlers->add("arn:aws:states:::sqs:sendMessage.waitForTaskToken", [token](const TaskRequest& r) {
        token->set_value(r.parameters.at("token").as_string());
        return TaskOutcome::pending();
    });
    auto options = with(handlers);
    options.task_tokens = tokens;
    Execution exec(compile(std::string_view(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},
        "End":true}}})")),
                   Value::object(), options);
    exec.start();
    const std::string seen = token->get_future().get();
    EXPECT_EQ(tokens->send_success(seen, Value::parse(R"({"answer":42})")), TaskTokens::Answer::Accepted);
    // WHEN the execution finishes
    const auto r = exec.wait();
    // THEN the token's output is the task result
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output_json(), R"({"answer":42})");
    EXPECT_EQ(tokens->send_success(seen, Value()), TaskTokens::Answer::UnknownToken);
}

// TaskRequest::invocation_key names each invocation by where it runs, not by the (thread-dependent) order of
// invocations: Map iterations and Parallel branches that call tasks concurrently get the same keys every run.
TEST(Task, InvocationKeysNameTheIterationBranchPositionAndAttempt) {
    std::mutex mutex;
    std::multiset<std::string> keys;
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::my:note", [&](const TaskRequest& r) {
        {
            std::lock_guard lock(mutex);
            keys.insert(r.invocation_key);
        }
        if (r.parameters.at("fail").as_bool() && r.attempt == 0) return TaskOutcome::failure("Flaky", "first try");
        return TaskOutcome::result(Value(1));
    });
    const std::string definition = R"({"StartAt":"Top","States":{
      "Top":{"Type":"Task","Resource":"arn:aws:states:::my:note","Parameters":{"fail":false},"ResultPath":null,"Next":"Fan"},
      "Fan":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"Wait","States":{"Wait":{"Type":"Wait","Seconds":1,"Next":"Note"},
          "Note":{"Type":"Task","Resource":"arn:aws:states:::my:note","Parameters":{"fail":false},"End":true}}},
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
          "ItemProcessor":{"StartAt":"Pass","States":{"Pass":{"Type":"Pass","Next":"Item"},
            "Item":{"Type":"Task","Resource":"arn:aws:states:::my:note","Parameters":{"fail.$":"$.fail"},
              "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1}],"End":true}}}}}}]}}})";
    const std::multiset<std::string> expected = {
        "Top\n0", "Fan[0]/Note@2#0", "Fan[1]/Each[0]/Item@2#0", "Fan[1]/Each[1]/Item@2#0", "Fan[1]/Each[1]/Item@2#1",
        "Fan[1]/Each[2]/Item@2#0"};
    for (int run = 0; run < 3; ++run) {
        keys.clear();
        const auto r = run_text(definition, R"({"items":[{"fail":false},{"fail":true},{"fail":false}]})",
                                with(handlers));
        ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
        EXPECT_EQ(keys, expected);
    }
}

TEST(Task, TaskEventsNameTheResourceAsAwsRecordsIt) {
    // GIVEN Tasks of an SDK integration, an optimised integration with a pattern, and a plain Lambda ARN
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("*", [](const TaskRequest&) { return TaskOutcome::result(Value::object({})); });
    auto options = with(handlers);
    Execution exec(compile(std::string_view(R"({"StartAt":"S","States":{
        "S":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:secretsmanager:listSecrets","Next":"O"},
        "O":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Next":"L"},
        "L":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:111111111111:function:f","End":true}}})")),
                   Value::object({}), options);
    ASSERT_EQ(exec.run().status, ExecutionStatus::Succeeded);
    std::vector<std::pair<std::string, std::string>> scheduled;
    for (const auto& e : exec.history()) {
        const auto j = e.to_json();
        for (const char* details : {"taskScheduledEventDetails", "lambdaFunctionScheduledEventDetails"})
            if (j.contains(details))
                scheduled.emplace_back(j[details].value("resourceType", ""), j[details].value("resource", ""));
    }
    // THEN the SDK integration's type names its service and the resource is the action (recorded on AWS:
    // resourceType "aws-sdk:secretsmanager", resource "listSecrets"); the others keep their forms (a plain Lambda
    // ARN: LambdaFunctionScheduled, with the function ARN and no type)
    EXPECT_EQ(scheduled, (std::vector<std::pair<std::string, std::string>>{
                             {"aws-sdk:secretsmanager", "listSecrets"},
                             {"states", "startExecution.sync:2"},
                             {"", "arn:aws:lambda:us-east-1:111111111111:function:f"}}));
}
