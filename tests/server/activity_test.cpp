// Activities: create/describe/list/delete, workers polling with GetActivityTask and answering with SendTask*,
// and the history AWS records for an activity task (ActivityScheduled, ActivityStarted with the worker's name,
// ActivitySucceeded / ActivityFailed / ActivityTimedOut; a missing activity fails the state with States.Runtime).
#include "service_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using nlohmann::json;
using namespace sfn::server;
using namespace sfn::server::testing;

namespace {

// The execution's history without timestamps (they differ every run).
json history_of(Service& service, const std::string& execution) {
    json events = service.call("GetExecutionHistory", {{"executionArn", execution}, {"maxResults", 1000}})["events"];
    for (auto& e : events) e.erase("timestamp");
    return events;
}

// A one-state machine whose Task works `activity`; `fields` are added to the Task (e.g. TimeoutSeconds).
std::string activity_machine(Service& service, const std::string& name, const std::string& activity,
                             const json& fields = json::object()) {
    json task = {{"Type", "Task"}, {"Resource", activity}, {"End", true}};
    task.update(fields);
    return create(service, name, json{{"StartAt", "A"}, {"States", {{"A", task}}}}.dump());
}

ServiceOptions virtual_clock() {
    ServiceOptions options;
    options.clock = ClockMode::virtual_time;
    return options;
}

// State A works `activity` and catches with `catcher`, whose Next is the Pass state Handled.
std::string catching_machine(Service& service, const std::string& name, const std::string& activity, json catcher) {
    catcher["Next"] = "Handled";
    return create(service, name, json{{"StartAt", "A"}, {"States", {
        {"A", {{"Type", "Task"}, {"Resource", activity}, {"End", true}, {"Catch", {catcher}}}},
        {"Handled", {{"Type", "Pass"}, {"End", true}}}}}}.dump());
}

json started_event(const std::string& input) {
    return {{"id", 1}, {"previousEventId", 0}, {"type", "ExecutionStarted"},
            {"executionStartedEventDetails", {{"input", input}, {"inputDetails", {{"truncated", false}}}, {"roleArn", role}}}};
}

json entered_event(const std::string& input) {
    return {{"id", 2}, {"previousEventId", 0}, {"type", "TaskStateEntered"},
            {"stateEnteredEventDetails", {{"name", "A"}, {"input", input}, {"inputDetails", {{"truncated", false}}}}}};
}

}  // namespace

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
    // GIVEN an activity task with both time limits, on the virtual clock
    Service service(virtual_clock());
    const std::string activity = service.call("CreateActivity", {{"name", "worker"}})["activityArn"];
    const auto arn = activity_machine(service, "UsesActivity", activity, {{"TimeoutSeconds", 30}, {"HeartbeatSeconds", 10}});
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"n":2})"}});
    // WHEN worker w1 takes it and answers
    const auto task = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w1"}});
    ASSERT_TRUE(task.contains("taskToken"));
    EXPECT_EQ(json::parse(task["input"].get<std::string>()), (json{{"n", 2}}));
    service.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", R"({"n":4})"}});
    const auto d = wait_done(service, e["executionArn"]);
    // THEN the answer is the result, and the history shows the activity's events as AWS records them
    EXPECT_EQ(d["status"], "SUCCEEDED");
    EXPECT_EQ(json::parse(d["output"].get<std::string>()), (json{{"n", 4}}));
    const json not_truncated = {{"truncated", false}};
    EXPECT_EQ(history_of(service, e["executionArn"]),
              (json{started_event(R"({"n":2})"), entered_event(R"({"n":2})"),
                    {{"id", 3}, {"previousEventId", 2}, {"type", "ActivityScheduled"},
                     {"activityScheduledEventDetails", {{"resource", activity}, {"input", R"({"n":2})"},
                                                        {"inputDetails", not_truncated}, {"timeoutInSeconds", 30},
                                                        {"heartbeatInSeconds", 10}}}},
                    {{"id", 4}, {"previousEventId", 3}, {"type", "ActivityStarted"},
                     {"activityStartedEventDetails", {{"workerName", "w1"}}}},
                    {{"id", 5}, {"previousEventId", 4}, {"type", "ActivitySucceeded"},
                     {"activitySucceededEventDetails", {{"output", R"({"n":4})"}, {"outputDetails", not_truncated}}}},
                    {{"id", 6}, {"previousEventId", 5}, {"type", "TaskStateExited"},
                     {"stateExitedEventDetails", {{"name", "A"}, {"output", R"({"n":4})"}, {"outputDetails", not_truncated}}}},
                    {{"id", 7}, {"previousEventId", 6}, {"type", "ExecutionSucceeded"},
                     {"executionSucceededEventDetails", {{"output", R"({"n":4})"}, {"outputDetails", not_truncated}}}}}));
}

TEST(Activities, AWorkersFailureIsCaughtByItsErrorName) {
    // GIVEN an activity task that catches the worker's error
    Service service(virtual_clock());
    const std::string activity = service.call("CreateActivity", {{"name", "fragile"}})["activityArn"];
    const auto arn = catching_machine(service, "CatchesWorker", activity,
                                      {{"ErrorEquals", {"Worker.Broke"}}, {"ResultPath", "$.error"}});
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"n":1})"}});
    // WHEN a worker without a name takes it and fails it
    const auto task = service.call("GetActivityTask", {{"activityArn", activity}});
    service.call("SendTaskFailure", {{"taskToken", task["taskToken"]}, {"error", "Worker.Broke"}, {"cause", "disk full"}});
    // THEN ActivityStarted has empty details, ActivityFailed the worker's error, and the Catch goes on
    EXPECT_EQ(wait_done(service, e["executionArn"])["status"], "SUCCEEDED");
    const std::string caught = R"({"n":1,"error":{"Error":"Worker.Broke","Cause":"disk full"}})";
    const json not_truncated = {{"truncated", false}};
    EXPECT_EQ(history_of(service, e["executionArn"]),
              (json{started_event(R"({"n":1})"), entered_event(R"({"n":1})"),
                    {{"id", 3}, {"previousEventId", 2}, {"type", "ActivityScheduled"},
                     {"activityScheduledEventDetails", {{"resource", activity}, {"input", R"({"n":1})"},
                                                        {"inputDetails", not_truncated}}}},
                    {{"id", 4}, {"previousEventId", 3}, {"type", "ActivityStarted"},
                     {"activityStartedEventDetails", json::object()}},
                    {{"id", 5}, {"previousEventId", 4}, {"type", "ActivityFailed"},
                     {"activityFailedEventDetails", {{"error", "Worker.Broke"}, {"cause", "disk full"}}}},
                    {{"id", 6}, {"previousEventId", 5}, {"type", "TaskStateExited"},
                     {"stateExitedEventDetails", {{"name", "A"}, {"output", caught}, {"outputDetails", not_truncated}}}},
                    {{"id", 7}, {"previousEventId", 6}, {"type", "PassStateEntered"},
                     {"stateEnteredEventDetails", {{"name", "Handled"}, {"input", caught}, {"inputDetails", not_truncated}}}},
                    {{"id", 8}, {"previousEventId", 7}, {"type", "PassStateExited"},
                     {"stateExitedEventDetails", {{"name", "Handled"}, {"output", caught}, {"outputDetails", not_truncated}}}},
                    {{"id", 9}, {"previousEventId", 8}, {"type", "ExecutionSucceeded"},
                     {"executionSucceededEventDetails", {{"output", caught}, {"outputDetails", not_truncated}}}}}));
}

TEST(Activities, ALapsedHeartbeatTimesOutAndIsRetriedAndHeartbeatsKeepATaskAlive) {
    // GIVEN an activity task with a one-second heartbeat, retried on States.HeartbeatTimeout (real clock)
    Service service(ServiceOptions{});
    const std::string activity = service.call("CreateActivity", {{"name", "beating"}})["activityArn"];
    const auto arn = activity_machine(service, "Beats", activity,
                                      {{"HeartbeatSeconds", 1},
                                       {"Retry", {{{"ErrorEquals", {"States.HeartbeatTimeout"}}, {"IntervalSeconds", 1},
                                                   {"MaxAttempts", 1}}}}});
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
    // WHEN worker w1 takes it and sends no heartbeat
    const auto first = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w1"}});
    // AND worker w2 takes the retry and sends a heartbeat every quarter second for twice the heartbeat time
    const auto second = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w2"}});
    ASSERT_TRUE(second.contains("taskToken"));
    for (int i = 0; i < 8; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        service.call("SendTaskHeartbeat", {{"taskToken", second["taskToken"]}});
    }
    service.call("SendTaskSuccess", {{"taskToken", second["taskToken"]}, {"output", R"({"done":true})"}});
    // THEN the first attempt timed out as States.Timeout (its token answers nothing any more), the second succeeded
    EXPECT_EQ(wait_done(service, e["executionArn"])["status"], "SUCCEEDED");
    EXPECT_NE(error_of(service, "SendTaskSuccess", {{"taskToken", first["taskToken"]}, {"output", "{}"}}), "");
    const json not_truncated = {{"truncated", false}};
    const json scheduled = {{"type", "ActivityScheduled"},
                            {"activityScheduledEventDetails", {{"resource", activity}, {"input", "{}"},
                                                               {"inputDetails", not_truncated}, {"heartbeatInSeconds", 1}}}};
    json events = history_of(service, e["executionArn"]);
    ASSERT_EQ(events.size(), 10u) << events.dump(1);
    for (auto& event : events) {
        event.erase("id");
        event.erase("previousEventId");
    }
    EXPECT_EQ(json(std::vector<json>(events.begin() + 2, events.begin() + 8)),
              (json{scheduled,
                    {{"type", "ActivityStarted"}, {"activityStartedEventDetails", {{"workerName", "w1"}}}},
                    {{"type", "ActivityTimedOut"}, {"activityTimedOutEventDetails", {{"error", "States.Timeout"}}}},
                    scheduled,
                    {{"type", "ActivityStarted"}, {"activityStartedEventDetails", {{"workerName", "w2"}}}},
                    {{"type", "ActivitySucceeded"},
                     {"activitySucceededEventDetails", {{"output", R"({"done":true})"}, {"outputDetails", not_truncated}}}}}));
}

TEST(Activities, ATaskNoWorkerTookInTimeTimesOutAndGoesToNoWorker) {
    // GIVEN an activity task with a one-second TimeoutSeconds that no worker takes (real clock)
    Service service(ServiceOptions{});
    const std::string activity = service.call("CreateActivity", {{"name", "unattended"}})["activityArn"];
    const auto arn = activity_machine(service, "Unattended", activity, {{"TimeoutSeconds", 1}});
    const auto late = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"which":"late"})"}});
    // WHEN it times out, and another execution queues a task for the same activity
    EXPECT_EQ(wait_done(service, late["executionArn"])["status"], "FAILED");
    const auto next = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"which":"next"})"}});
    const auto task = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w"}});
    // THEN the worker gets the live task, and the timed-out one shows no ActivityStarted
    EXPECT_EQ(json::parse(task["input"].get<std::string>()), (json{{"which", "next"}}));
    service.call("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", "{}"}});
    EXPECT_EQ(wait_done(service, next["executionArn"])["status"], "SUCCEEDED");
    const std::string input = R"({"which":"late"})";
    EXPECT_EQ(history_of(service, late["executionArn"]),
              (json{started_event(input), entered_event(input),
                    {{"id", 3}, {"previousEventId", 2}, {"type", "ActivityScheduled"},
                     {"activityScheduledEventDetails", {{"resource", activity}, {"input", input},
                                                        {"inputDetails", {{"truncated", false}}}, {"timeoutInSeconds", 1}}}},
                    {{"id", 4}, {"previousEventId", 3}, {"type", "ActivityTimedOut"},
                     {"activityTimedOutEventDetails", {{"error", "States.Timeout"}}}},
                    {{"id", 5}, {"previousEventId", 4}, {"type", "ExecutionFailed"},
                     {"executionFailedEventDetails", {{"error", "States.Timeout"}}}}}));
}

TEST(Activities, AMissingActivityFailsTheStateWithStatesRuntimeBeforeItIsScheduled) {
    // GIVEN a machine whose activity was deleted, with a Catch for States.ALL
    Service service(virtual_clock());
    const std::string activity = service.call("CreateActivity", {{"name", "gone"}})["activityArn"];
    const auto arn = catching_machine(service, "Orphan", activity, {{"ErrorEquals", {"States.ALL"}}});
    service.call("DeleteActivity", {{"activityArn", activity}});
    // WHEN it runs
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
    const auto d = wait_done(service, e["executionArn"]);
    // THEN it fails as AWS records it: no activity event, an uncatchable States.Runtime naming the activity
    EXPECT_EQ(d["status"], "FAILED");
    const std::string cause = "An error occurred while executing the state 'A' (entered at the event id #2). "
                              "The activity " + activity + " does not exist.";
    EXPECT_EQ(history_of(service, e["executionArn"]),
              (json{started_event("{}"), entered_event("{}"),
                    {{"id", 3}, {"previousEventId", 2}, {"type", "ExecutionFailed"},
                     {"executionFailedEventDetails", {{"error", "States.Runtime"}, {"cause", cause}}}}}));
}

TEST(Activities, ATaskHandedOutBeforeARestartIsQueuedAgainUnderTheSameToken) {
    // GIVEN an activity task taken by a worker when the service goes away (its database stays)
    TempDir dir;
    ServiceOptions options;
    options.db_path = dir.path() / "sfn.db";
    std::string activity, execution, token;
    {
        Service service(options);
        activity = service.call("CreateActivity", {{"name", "durable"}})["activityArn"].get<std::string>();
        const auto arn = activity_machine(service, "Durable", activity);
        execution = service.call("StartExecution", {{"stateMachineArn", arn}, {"input", R"({"n":7})"}})["executionArn"];
        token = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "before"}})["taskToken"];
    }
    // WHEN the service starts again and a worker polls
    Service service(options);
    const auto task = service.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "after"}});
    // THEN the resumed execution scheduled the task again with the token the first worker holds, which completes it
    EXPECT_EQ(task["taskToken"], token);
    service.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"({"n":8})"}});
    EXPECT_EQ(wait_done(service, execution)["output"], R"({"n":8})");
    std::vector<std::string> types;
    for (const auto& event : history_of(service, execution)) types.push_back(event["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                               "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                                               "ExecutionSucceeded"}));
}
