// Activities: create/describe/list/delete and a worker polling with GetActivityTask.
#include "service_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using nlohmann::json;
using namespace sfn::server;
using namespace sfn::server::testing;

TEST(Activities, AreCreatedIdempotentlyDescribedListedAndDeleted) {
    Service service(ServiceOptions{});
    const auto a = service.call("CreateActivity", {{"name", "work"}});
    EXPECT_EQ(a["activityArn"], "arn:aws:states:us-east-1:123456789012:activity:work");
    EXPECT_EQ(service.call("CreateActivity", {{"name", "work"}})["activityArn"], a["activityArn"]);
    EXPECT_EQ(service.call("DescribeActivity", {{"activityArn", a["activityArn"]}})["name"], "work");
    EXPECT_EQ(service.call("ListActivities", json::object())["activities"].size(), 1u);
    service.call("DeleteActivity", {{"activityArn", a["activityArn"]}});
    EXPECT_EQ(error_of(service, "DescribeActivity", {{"activityArn", a["activityArn"]}}), "ActivityDoesNotExist");
}

TEST(Activities, AWorkerReceivesTheTaskAndCompletesIt) {
    ServiceOptions options;
    options.clock = ClockMode::virtual_time;
    Service service(options);
    const std::string activity = service.call("CreateActivity", {{"name", "worker"}})["activityArn"];
    const auto arn = create(service, "UsesActivity",
                            R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")" + activity + R"(","End":true}}})");
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"n":2})"}});
    const auto task = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w1"}});
    ASSERT_TRUE(task.contains("taskToken"));
    EXPECT_EQ(json::parse(task["input"].get<std::string>()), (json{{"n", 2}}));
    service.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", R"({"n":4})"}});
    const auto d = wait_done(service, e["executionArn"]);
    EXPECT_EQ(d["status"], "SUCCEEDED");
    EXPECT_EQ(json::parse(d["output"].get<std::string>()), (json{{"n", 4}}));
}
