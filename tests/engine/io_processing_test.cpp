// Input and output processing in AWS's order: InputPath, Parameters, result, ResultSelector, ResultPath,
// OutputPath; plus Pass Result and the 256 KiB payload limit.
#include "engine_support.hpp"

#include <gtest/gtest.h>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

TEST(IoProcessing, PassAppliesInputPathParametersResultPathAndOutputPathInOrder) {
    // GIVEN a Pass state using every path field
    const std::string definition = R"({"StartAt":"P","States":{"P":{"Type":"Pass",
        "InputPath":"$.order","Parameters":{"id.$":"$.id","fixed":1},
        "ResultPath":"$.order.copy","OutputPath":"$.order","End":true}}})";
    // WHEN it runs
    const auto r = run_text(definition, R"({"order":{"id":7,"x":true},"other":0})");
    // THEN the result is placed into the raw input and OutputPath selects from there
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output, Value::parse(R"({"id":7,"x":true,"copy":{"id":7,"fixed":1}})"));
}

TEST(IoProcessing, NullResultPathKeepsTheInputAndNullInputPathGivesAnEmptyObject) {
    const auto r = run_text(R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":null,
        "Result":{"ignored":true},"ResultPath":null,"End":true}}})",
                            R"({"keep":1})");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output_json(), R"({"keep":1})");
}

TEST(IoProcessing, MissingInputPathFailsWithTheAwsRuntimeCause) {
    const auto r = run_text(R"({"StartAt":"pass","States":{"pass":{"Type":"Pass","InputPath":"$.nope","End":true}}})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, "An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path "
                       "'$.nope' : No results for path: $['nope']");
}

TEST(IoProcessing, ResultLargerThan256KiBFailsWithDataLimitExceeded) {
    const std::string big(300 * 1024, 'a');
    const auto r = run_text(R"({"StartAt":"S","States":{"S":{"Type":"Pass","Result":{"a":")" + big +
                            R"("},"End":true}}})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.DataLimitExceeded");
    EXPECT_EQ(r.cause, "The state/task 'S' returned a result with a size exceeding the maximum number of bytes "
                       "service limit.");
}

TEST(IoProcessing, ContextObjectCarriesExecutionAndStateFields) {
    auto options = virtual_options();
    const auto r = run_text(R"({"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":{"name.$":"$$.State.Name",
        "entered.$":"$$.State.EnteredTime","exec.$":"$$.Execution.Name","sm.$":"$$.StateMachine.Name",
        "input.$":"$$.Execution.Input"},"End":true}}})",
                            R"({"a":1})", options);
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output, Value::parse(R"({"name":"S","entered":"2024-01-01T00:00:00.000Z","exec":"test-run",
        "sm":"TestMachine","input":{"a":1}})"));
}

TEST(IoProcessing, FailStateTakesErrorAndCauseFromPaths) {
    const auto r = run_text(R"j({"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e",
        "CausePath":"States.Format('because {}', $.c)"}}})j",
                            R"({"e":"Boom","c":"reasons"})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Boom");
    EXPECT_EQ(r.cause, "because reasons");
}
