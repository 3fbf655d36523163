// ExecutionOptions::variables, ::context and ::inspect: what TestState builds on (variables defined up
// front, a context object laid over the engine's, and each data-processing step of the top-level states).
#include "engine_support.hpp"
#include "sfn/engine/error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {
struct Step {
    std::string state;
    InspectionStage stage;
    std::string value;
    bool operator==(const Step&) const = default;
};
}  // namespace

TEST(Inspection, VariablesAndContextAreSeenByTheFirstState) {
    // GIVEN variables and a context overlay
    auto options = virtual_options();
    options.variables = Value::parse(R"({"who":"Ann"})");
    options.context = Value::parse(R"({"Execution":{"Id":"custom"},"Extra":1})");
    // WHEN a Pass state reads both
    auto machine = compile(nlohmann::ordered_json::parse(R"({"StartAt":"A","States":{"A":{"Type":"Pass",
        "Parameters":{"who.$":"$who","id.$":"$$.Execution.Id","name.$":"$$.Execution.Name","extra.$":"$$.Extra"},"End":true}}})"));
    Execution execution(machine, Value::object(), options);
    const auto result = execution.run();
    // THEN the variable is defined, Execution.Id replaced, the rest of Execution kept, the extra member added
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded) << result.cause.value_or("");
    EXPECT_EQ(result.output.dump(), R"({"who":"Ann","id":"custom","name":"test-run","extra":1})");
}

TEST(Inspection, ReportsEachStepOfTopLevelStatesOnly) {
    // GIVEN a Task (whose handler answers {"v": 2}), a Parallel (whose branch's state is not reported), a Fail
    sfn::engine::HandlerRegistry handlers;
    handlers.add("*", [](const TaskRequest&) { return TaskOutcome::raw_result(Value::parse(R"({"v":2})")); });
    auto options = virtual_options();
    options.handlers = std::make_shared<const HandlerRegistry>(handlers);
    std::vector<Step> steps;
    options.inspect = [&](std::string_view state, InspectionStage stage, const Value& value) {
        steps.push_back({std::string(state), stage, value.dump()});
    };
    auto machine = compile(nlohmann::ordered_json::parse(R"({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:listBuckets","InputPath":"$.in",
             "Parameters":{"x.$":"$.x"},"ResultSelector":{"w.$":"$.v"},"ResultPath":"$.out","Next":"P"},
        "P":{"Type":"Parallel","InputPath":"$.out","ResultPath":null,"Next":"F",
             "Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Result":0,"End":true}}}]},
        "F":{"Type":"Fail","Error":"E","Cause":"C"}}})"));
    Execution execution(machine, Value::parse(R"({"in":{"x":1}})"), options);
    const auto result = execution.run();
    EXPECT_EQ(result.status, ExecutionStatus::Failed);
    // THEN each top-level state's steps come in order, and the Fail state's error (before any Catch)
    EXPECT_EQ(steps, (std::vector<Step>{
                         {"T", InspectionStage::AfterInputPath, R"({"x":1})"},
                         {"T", InspectionStage::AfterParameters, R"({"x":1})"},
                         {"T", InspectionStage::Result, R"({"v":2})"},
                         {"T", InspectionStage::AfterResultSelector, R"({"w":2})"},
                         {"T", InspectionStage::AfterResultPath, R"({"in":{"x":1},"out":{"w":2}})"},
                         {"P", InspectionStage::AfterInputPath, R"({"w":2})"},
                         {"P", InspectionStage::AfterParameters, R"({"w":2})"},
                         {"P", InspectionStage::Result, R"([0])"},
                         {"P", InspectionStage::AfterResultSelector, R"([0])"},
                         {"P", InspectionStage::AfterResultPath, R"({"in":{"x":1},"out":{"w":2}})"},
                         {"F", InspectionStage::AfterInputPath, R"({"in":{"x":1},"out":{"w":2}})"},
                         {"F", InspectionStage::Error, R"({"Error":"E","Cause":"C"})"},
                     }));
}

TEST(Inspection, ErrorMatchingFollowsTheEnginesRules) {
    EXPECT_TRUE(error_equals_matches({"States.ALL"}, "Custom"));
    EXPECT_TRUE(error_equals_matches({"States.TaskFailed"}, "Custom"));
    EXPECT_FALSE(error_equals_matches({"States.TaskFailed"}, "States.Timeout"));
    EXPECT_FALSE(error_equals_matches({"States.ALL"}, "States.Runtime"));
    EXPECT_TRUE(error_equals_matches({"States.Runtime"}, "States.Runtime"));
    EXPECT_FALSE(error_equals_matches({"A", "B"}, "C"));
}

TEST(Inspection, MapIterationsAreNotReported) {
    // GIVEN a Map whose iterations run one at a time (straight into the execution's history)
    auto options = virtual_options();
    std::vector<std::string> states;
    options.inspect = [&](std::string_view state, InspectionStage, const Value&) { states.emplace_back(state); };
    auto machine = compile(nlohmann::ordered_json::parse(R"({"StartAt":"M","States":{"M":{"Type":"Map",
        "MaxConcurrency":1,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}})"));
    Execution execution(machine, Value::parse("[1,2]"), options);
    EXPECT_EQ(execution.run().status, ExecutionStatus::Succeeded);
    // THEN only the Map's own steps are reported
    EXPECT_EQ(states, (std::vector<std::string>{"M", "M", "M", "M"}));
}
