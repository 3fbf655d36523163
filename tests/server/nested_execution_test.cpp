// Nested workflows on the embedded service: states:startExecution in its four patterns starts a child that is an
// execution of the same service, visible through the API, with AWS's result shapes.
#include "service_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace sfn::server {
namespace {

using nlohmann::json;
using testing::create;
using testing::wait_done;

const std::string child_definition =
    R"({"StartAt":"S","States":{"S":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}})";

std::string parent_definition(const std::string& resource) {
    return json{{"StartAt", "Start"},
                {"States",
                 {{"Start",
                   {{"Type", "Task"},
                    {"Resource", resource},
                    {"Parameters",
                     {{"StateMachineArn.$", "$.arn"},
                      {"Name", "child"},
                      {"Input", {{"n", 1}, {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$", "$$.Execution.Id"}}}}},
                    {"End", true}}}}}}
        .dump();
}

std::vector<std::string> event_types(Service& service, const std::string& arn) {
    service.drain();  // the history is committed with the final records
    std::vector<std::string> types;
    const auto history = service.call("GetExecutionHistory", {{"executionArn", arn}});
    for (const auto& e : history["events"]) types.push_back(e["type"]);
    return types;
}

struct Nested : ::testing::Test {
    static ServiceOptions options() {
        ServiceOptions o;
        o.clock = ClockMode::virtual_time;
        return o;
    }
    Service service{options()};
    std::string child = create(service, "child_machine", child_definition);
    const std::string child_execution = "arn:aws:states:us-east-1:123456789012:execution:child_machine:child";

    json run_parent(const std::string& resource) {
        const auto parent = create(service, "parent_machine", parent_definition(resource));
        const auto started = service.call("StartExecution", {{"stateMachineArn", parent}, {"name", "p"},
                                                             {"input", json{{"arn", child}}.dump()}});
        return wait_done(service, started["executionArn"]);
    }
};

TEST_F(Nested, RequestResponseStartsAChildOfTheService) {
    // GIVEN a parent starting child_machine; WHEN it runs; THEN its result names the child, which the API shows.
    const auto parent = run_parent("arn:aws:states:::states:startExecution");
    ASSERT_EQ(parent["status"], "SUCCEEDED") << parent.dump();
    const auto out = json::parse(parent["output"].get<std::string>());
    EXPECT_EQ(out["ExecutionArn"], child_execution);
    EXPECT_TRUE(out["StartDate"].is_number_integer());
    EXPECT_EQ(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
    const auto described = wait_done(service, child_execution);
    EXPECT_EQ(described["status"], "SUCCEEDED");
    EXPECT_EQ(json::parse(described["input"].get<std::string>()),
              (json{{"n", 1}, {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID", parent["executionArn"]}}));
    const auto listed = service.call("ListExecutions", {{"stateMachineArn", child}})["executions"];
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0]["executionArn"], child_execution);
}

TEST_F(Nested, SyncRecordsTaskSubmittedAndAnswersTheChildsRecord) {
    const auto parent = run_parent("arn:aws:states:::states:startExecution.sync");
    ASSERT_EQ(parent["status"], "SUCCEEDED") << parent.dump();
    auto out = json::parse(parent["output"].get<std::string>());
    EXPECT_EQ(out["Output"], R"({"Arg1":"argument1"})");
    EXPECT_EQ(out["Status"], "SUCCEEDED");
    EXPECT_EQ(out["InputDetails"], (json{{"Included", true}}));
    EXPECT_FALSE(out.contains("RedriveCount"));
    EXPECT_EQ(event_types(service, parent["executionArn"]),
              (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                        "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}));
}

TEST_F(Nested, Sync2ParsesTheChildsInputAndOutput) {
    const auto parent = run_parent("arn:aws:states:::states:startExecution.sync:2");
    auto out = json::parse(parent["output"].get<std::string>());
    EXPECT_EQ(out["Output"], (json{{"Arg1", "argument1"}}));
    EXPECT_EQ(out["Input"]["n"], 1);
    EXPECT_EQ(out["RedriveStatus"], "NOT_REDRIVABLE");
}

TEST_F(Nested, WaitForTaskTokenWaitsForSendTaskSuccess) {
    const auto parent_arn = create(service, "token_parent", parent_definition(
        "arn:aws:states:::states:startExecution.waitForTaskToken"));
    // The child receives the token in its input and stays in a long Wait (virtual time: it ends at once, so the
    // test answers from the child's recorded input).
    json definition = json::parse(parent_definition("arn:aws:states:::states:startExecution.waitForTaskToken"));
    definition["States"]["Start"]["Parameters"]["Input"] = {{"token.$", "$$.Task.Token"}};
    service.call("UpdateStateMachine", {{"stateMachineArn", parent_arn}, {"definition", definition.dump()}});
    const auto started = service.call("StartExecution", {{"stateMachineArn", parent_arn},
                                                         {"input", json{{"arn", child}}.dump()}});
    while (testing::error_of(service, "DescribeExecution", {{"executionArn", child_execution}}) != "")
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const auto child_record = wait_done(service, child_execution);
    const std::string token = json::parse(child_record["input"].get<std::string>())["token"];
    service.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"({"ok":true})"}});
    const auto parent = wait_done(service, started["executionArn"]);
    EXPECT_EQ(parent["status"], "SUCCEEDED");
    EXPECT_EQ(parent["output"], R"({"ok":true})");
}

}  // namespace
}  // namespace sfn::server
