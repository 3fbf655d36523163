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

namespace {
// A document whose text is exactly `size` bytes: reals (the short and the longest forms), short escapes
// (2 bytes each) and other control characters (6 bytes each), padded with plain characters.
std::string document_of_size(std::size_t size) {
    std::string text(1000, '\n');
    text += std::string(100, '\x01');
    const Value probe = Value::array({Value(0.5), Value(-1.2345678901234567e-6), Value(text)});
    const std::size_t fixed = probe.dump().size();
    text += std::string(size - fixed, 'a');
    const Value doc = Value::array({Value(0.5), Value(-1.2345678901234567e-6), Value(text)});
    EXPECT_EQ(doc.dump().size(), size);
    return doc.dump();
}
}  // namespace

TEST(IoProcessing, PayloadLimitCountsTheTextExactly) {
    // 256 KiB is the limit: an output of exactly 262144 bytes passes, one byte more fails. Reals count as
    // printed (0.5 is 3 bytes, not the 24-25 of the longest form), \n as 2 bytes, \u0001 as 6.
    const std::string pass = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
    const auto at_limit = run_text(pass, document_of_size(262144));
    EXPECT_EQ(at_limit.status, ExecutionStatus::Succeeded) << at_limit.error.value_or("") << ": " << at_limit.cause.value_or("");
    const auto over = run_text(pass, document_of_size(262145));
    EXPECT_EQ(over.status, ExecutionStatus::Failed);
    EXPECT_EQ(over.error, "States.DataLimitExceeded");
    // 20,000 reals print in 80 KB: far below the limit.
    std::string reals = "[0.5";
    for (int i = 1; i < 20000; ++i) reals += ",0.5";
    reals += ']';
    const auto many_reals = run_text(pass, reals);
    EXPECT_EQ(many_reals.status, ExecutionStatus::Succeeded) << many_reals.error.value_or("") << ": " << many_reals.cause.value_or("");
    // A Map's result is measured from its iterations' outputs: the same boundary.
    const std::string map = R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I",
        "States":{"I":{"Type":"Pass","End":true}}},"End":true}}})";
    EXPECT_EQ(run_text(map, document_of_size(262144)).status, ExecutionStatus::Succeeded);
    const auto map_over = run_text(map, document_of_size(262145));
    EXPECT_EQ(map_over.status, ExecutionStatus::Failed);
    EXPECT_EQ(map_over.error, "States.DataLimitExceeded");
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
