// Record and replay: TaskRecorder turns what every Task state received into a mock-config test case, and that
// test case replays the run (Lambda's Invoke shape, retries, Map iterations on threads of their own).
#include "engine_support.hpp"

#include "sfn/engine/recorder.hpp"

#include <gtest/gtest.h>

#include <atomic>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

// A Lambda task retried after one throttle, then a Map whose iterations run concurrently (MaxConcurrency 0).
const std::string definition = R"({"StartAt":"Charge","States":{
  "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge",
    "Payload.$":"$"},"Retry":[{"ErrorEquals":["Throttled"],"IntervalSeconds":1}],"ResultPath":"$.charged","Next":"Each"},
  "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","ItemProcessor":{"StartAt":"Ship","States":{
    "Ship":{"Type":"Task","Resource":"arn:aws:states:::my:ship","End":true}}},"End":true}}})";
const std::string input = R"({"items":[1,1,1]})";

}  // namespace

TEST(Recorder, RecordedRunReplaysFromItsMockConfig) {
    // GIVEN handlers that throttle once and answer the same for every Map item, and a recorder
    auto handlers = std::make_shared<HandlerRegistry>();
    std::atomic<int> calls{0};
    handlers->add("charge", [&](const TaskRequest&) {
        return calls++ == 0 ? TaskOutcome::function_error("Throttled", R"({"errorMessage":"slow down"})")
                            : TaskOutcome::result(Value::parse(R"({"paid":true})"));
    });
    handlers->add("arn:aws:states:::my:ship", [](const TaskRequest& r) { return TaskOutcome::result(r.parameters); });
    auto recorded_options = virtual_options();
    recorded_options.handlers = handlers;
    recorded_options.task_recorder = std::make_shared<TaskRecorder>();
    // WHEN the run is recorded
    const auto recorded = run_text(definition, input, recorded_options);
    ASSERT_EQ(recorded.status, ExecutionStatus::Succeeded) << recorded.cause.value_or("");
    EXPECT_EQ(recorded_options.task_recorder->size(), 5U);
    const auto config = recorded_options.task_recorder->mock_config("M", "T");
    // THEN the throttle is a Throw, Lambda's whole Invoke response a Return, equal Map answers one range
    EXPECT_EQ(config["StateMachines"]["M"]["TestCases"]["T"], (nlohmann::json{{"Charge", "T.Charge"}, {"Ship", "T.Ship"}}));
    const auto& charge = config["MockedResponses"]["T.Charge"];
    EXPECT_EQ(charge["0"]["Throw"], (nlohmann::json{{"Error", "Throttled"}, {"Cause", R"({"errorMessage":"slow down"})"}}));
    EXPECT_EQ(charge["1"]["Return"]["Payload"], (nlohmann::json{{"paid", true}}));
    EXPECT_EQ(charge["1"]["Return"]["StatusCode"], 200);
    EXPECT_EQ(config["MockedResponses"]["T.Ship"], (nlohmann::json{{"0-2", {{"Return", 1}}}}));
    // AND replaying it without the handlers gives the same output
    auto replay = std::make_shared<HandlerRegistry>();
    replay->use_mock_config(config, "M", "T");
    auto replay_options = virtual_options();
    replay_options.handlers = replay;
    const auto replayed = run_text(definition, input, replay_options);
    EXPECT_EQ(replayed.output, recorded.output);
}

TEST(Recorder, MockConfigKeepsOtherTestCasesOfTheFile) {
    TaskRecorder recorder;
    recorder.record_result("A", 0, Value(1));
    recorder.record_result("A", 1, Value(2));
    recorder.record_failure("A", 2, "E", "c");
    const auto existing = nlohmann::json::parse(R"({"StateMachines":{"M":{"TestCases":{"Old":{"A":"x"}}}},
        "MockedResponses":{"x":{"0":{"Return":0}}}})");
    const auto config = recorder.mock_config("M", "New", existing);
    EXPECT_EQ(config["StateMachines"]["M"]["TestCases"]["Old"], (nlohmann::json{{"A", "x"}}));
    EXPECT_EQ(config["MockedResponses"]["x"], existing["MockedResponses"]["x"]);
    EXPECT_EQ(config["MockedResponses"]["New.A"], nlohmann::json::parse(
        R"({"0":{"Return":1},"1":{"Return":2},"2":{"Throw":{"Error":"E","Cause":"c"}}})"));
}
