// AWS's errors in the corners, as recorded on AWS: States.DataLimitExceeded for an oversized Task result (which
// catchers take it, which resource its cause names), States.Runtime from a state's own fields (neither Retry
// nor Catch on States.ALL sees it), the Map *Path causes, and a JSONata expression that evaluates to a function.
#include "engine_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

// A function whose result is 257 KiB of 'a' (over the 256 KiB payload limit), as in AWS's recordings.
std::shared_ptr<HandlerRegistry> large_result_handlers() {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:lambda:*", [](const TaskRequest&) {
        return TaskOutcome::result(Value(std::string(257 * 1024, 'a')));
    });
    return handlers;
}

const std::string kFunction = "arn:aws:lambda:us-east-1:111111111111:function:large";

// AWS's templates TASK_SERVICE_LAMBDA_INVOKE_CATCH_ALL / ..._CATCH_DATA_LIMIT_EXCEEDED with `resource` and
// `catchers` filled in.
std::string invoke_definition(const std::string& resource, const std::string& catchers) {
    return R"({"StartAt":"InvokeLambda","States":{
        "InvokeLambda":{"Type":"Task","Resource":")" + resource + R"(",
            "Parameters":{"FunctionName.$":"$.FunctionName","Payload.$":"$.Payload"},"Next":"ProcessResult",
            "Catch":)" + catchers + R"(},
        "ProcessResult":{"Type":"Pass","End":true},
        "HandleDataLimitExceeded":{"Type":"Pass","End":true},
        "HandleGeneralError":{"Type":"Pass","End":true}}})";
}

const std::string kCatchAll = R"([{"ErrorEquals":["States.ALL"],"Next":"HandleGeneralError"}])";
const std::string kInput = R"({"FunctionName":")" + kFunction + R"(","Payload":null})";

std::string limit_cause(const std::string& resource) {
    return "The state/task '" + resource + "' returned a result with a size exceeding the maximum number of bytes "
           "service limit.";
}

}  // namespace

// Recorded on AWS (test_states_errors.py::test_service_task_lambada_catch_state_all_data_limit_exceeded_...):
// the result of lambda:invoke over the limit fails the task, a States.ALL catcher takes it, the cause names 'lambda'.
TEST(ErrorFidelity, StatesAllCatchesAnOversizedLambdaInvokeResultNamingLambda) {
    Execution exec(compile(std::string_view(invoke_definition("arn:aws:states:::lambda:invoke", kCatchAll))),
                   Value::parse(kInput), with(large_result_handlers()));
    const auto r = exec.run();
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.error.value_or("") << ": " << r.cause.value_or("");
    EXPECT_EQ(r.output, Value::object({{"Error", Value("States.DataLimitExceeded")}, {"Cause", Value(limit_cause("lambda"))}}));
    EXPECT_EQ(event_types(exec.history()),
              (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                        "TaskFailed", "TaskStateExited", "PassStateEntered", "PassStateExited",
                                        "ExecutionSucceeded"}));
}

// Recorded on AWS (test_task_lambda_catch_state_all_data_limit_exceeded_...): with the function ARN as the
// resource, the cause names the ARN, and States.ALL still catches it.
TEST(ErrorFidelity, StatesAllCatchesAnOversizedLambdaResultNamingTheFunctionArn) {
    Execution exec(compile(std::string_view(invoke_definition(kFunction, kCatchAll))), Value::parse(kInput),
                   with(large_result_handlers()));
    const auto r = exec.run();
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.error.value_or("") << ": " << r.cause.value_or("");
    EXPECT_EQ(r.output.at("Cause"), Value(limit_cause(kFunction)));
    EXPECT_EQ(event_types(exec.history())[4], "LambdaFunctionFailed");
}

TEST(ErrorFidelity, ANamedDataLimitCatcherComesBeforeStatesAll) {
    const auto r = run_text(invoke_definition("arn:aws:states:::lambda:invoke", R"([
        {"ErrorEquals":["States.DataLimitExceeded"],"Next":"HandleDataLimitExceeded"},
        {"ErrorEquals":["States.ALL"],"Next":"HandleGeneralError"}])"),
                            kInput, with(large_result_handlers()));
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output.at("Cause"), Value(limit_cause("lambda")));
}

// AWS docs ("Error names"): States.DataLimitExceeded is terminal, States.ALL does not catch it. A state's own
// output over the limit (here a branch's Pass, failing its Parallel) is not a task result: it ends the execution.
TEST(ErrorFidelity, StatesAllDoesNotCatchAnOversizedStateOutput) {
    const std::string big(257 * 1024, 'a');
    const auto r = run_text(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"Big","States":{
        "Big":{"Type":"Pass","Result":{"Arg1":")" + big + R"("},"End":true}}}],
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Succeed"}}})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.DataLimitExceeded");
    EXPECT_EQ(r.cause, limit_cause("Big"));
}

// AWS docs: "A States.Runtime error isn't retriable ... A retry or catch on States.ALL won't catch States.Runtime
// errors." Here the Task's own OutputPath selects nothing after the task succeeded.
TEST(ErrorFidelity, StatesAllNeitherRetriesNorCatchesAStatesRuntimeFromTheStatesOwnFields) {
    auto handlers = std::make_shared<HandlerRegistry>();
    int calls = 0;
    handlers->add("arn:aws:states:::x:y", [&calls](const TaskRequest&) {
        ++calls;
        return TaskOutcome::raw_result(Value::object({{"a", Value(1)}}));
    });
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::x:y",
        "OutputPath":"$.no.such.path","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":3}],
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Succeed"}}})",
                            "{}", with(handlers));
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, "An error occurred while executing the state 'T' (entered at the event id #2). Invalid path "
                       "'$.no.such.path' : No results for path: $['no']['such']['path']");
}

TEST(ErrorFidelity, StatesRuntimeFromResultSelectorIsNotCaughtByStatesAll) {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::x:y", [](const TaskRequest&) { return TaskOutcome::raw_result(Value::object()); });
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::x:y",
        "ResultSelector":{"v.$":"$.missing"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
        "Caught":{"Type":"Succeed"}}})",
                            "{}", with(handlers));
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
}

// The *Path causes recorded on AWS (../shared/conformance-integrations, run here without any AWS resource: the
// failure comes before the first item or call): a string value quoted once, AWS's words for each bound.
TEST(ErrorFidelity, PathFieldCausesAreAwsRecordedTexts) {
    const std::filesystem::path folder = std::filesystem::path(SFN_SHARED_DIR) / "conformance-integrations";
    int checked = 0;
    for (const char* name :
         {"v2_scenarios_test_base_scenarios.py_TestBaseScenarios_test_map_state_tolerated_failure_percentage_path_NoNumber_.json",
          "v2_scenarios_test_base_scenarios.py_TestBaseScenarios_test_map_state_tolerated_failure_percentage_path_tolerated_failure_percentage_value0_.json",
          "v2_scenarios_test_base_scenarios.py_TestBaseScenarios_test_map_state_tolerated_failure_percentage_path_-1.1_.json",
          "v2_scenarios_test_base_scenarios.py_TestBaseScenarios_test_map_state_tolerated_failure_count_path_-1_.json",
          "v2_scenarios_test_base_scenarios.py_TestBaseScenarios_test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_TIMEOUTSECONDSPATH_.json"}) {
        std::ifstream in(folder / name);
        ASSERT_TRUE(in) << name;
        const auto recorded = nlohmann::json::parse(in);
        const auto r = run_text(recorded["definition"].dump(), recorded["input"].dump());
        EXPECT_EQ(r.status, ExecutionStatus::Failed) << name;
        EXPECT_EQ(r.error, recorded["expected"]["error"].get<std::string>()) << name;
        EXPECT_EQ(r.cause, recorded["expected"]["cause"].get<std::string>()) << name;
        ++checked;
    }
    EXPECT_EQ(checked, 5);
}

TEST(ErrorFidelity, JsonataExpressionEvaluatingToAFunctionIsAnUnsupportedResultType) {
    // GIVEN an Output naming a built-in without calling it, and one holding a lambda
    for (const std::string expression : {"$uppercase", "function($x){$x}"}) {
        const auto r = run_text(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
            "Output":{"f":"{% )" + expression + R"( %}"},"End":true}}})");
        // THEN the state fails as AWS words it (a catchable States.QueryEvaluationError)
        EXPECT_EQ(r.status, ExecutionStatus::Failed) << expression;
        EXPECT_EQ(r.error, "States.QueryEvaluationError");
        EXPECT_EQ(r.cause, "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata "
                           "expression '" + expression + "' specified for the field 'Output/f' returned an unsupported "
                           "result type.");
    }
    const auto caught = run_text(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Task",
        "Resource":"arn:aws:states:::x:y","Arguments":{"f":"{% $uppercase %}"},
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Succeed"}}})");
    EXPECT_EQ(caught.status, ExecutionStatus::Succeeded) << caught.cause.value_or("");
}
