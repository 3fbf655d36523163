// Activity tasks (Resource arn:aws:states:REGION:ACCOUNT:activity:NAME): the Activity* history events for a
// handler that works the task itself and for one that queues it for a worker (TaskRequest::started, the
// answer through TaskTokens), a task that cannot be scheduled, and the time limits of a queued task.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <future>
#include <thread>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using nlohmann::json;
using sfn::Value;

namespace {

const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:work";

std::string one_task(const json& fields = json::object()) {
    json task = {{"Type", "Task"}, {"Resource", activity}, {"End", true}};
    task.update(fields);
    return json{{"StartAt", "A"}, {"States", {{"A", task}}}}.dump();
}

// The events after TaskStateEntered up to TaskStateExited (or the execution's end), without ids and times.
json task_events(const History& history) {
    json out = json::array();
    for (std::size_t i = 2; i < history.size(); ++i) {
        json e = history[i].to_json();
        e.erase("id");
        e.erase("previousEventId");
        e.erase("timestamp");
        out.push_back(std::move(e));
    }
    return out;
}

// Every event reads back as it was written (finished Map iterations and Parallel branches are stored so).
void expect_round_trips(const History& history) {
    std::deque<std::string> kept;  // the views from_json keeps point here
    const auto keep = [&](std::string_view text) -> std::string_view { return kept.emplace_back(text); };
    for (const auto& e : history) EXPECT_EQ(HistoryEvent::from_json(e.to_json(), keep).to_json(), e.to_json());
}

// What a worker needs of a queued task.
struct Queued {
    std::string token;
    std::function<bool(std::string_view)> started;
};

// Handlers that queue the activity task (handing it to `queued`) and answer pending.
std::shared_ptr<HandlerRegistry> queueing(std::shared_ptr<std::promise<Queued>> queued) {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add(activity, [queued](const TaskRequest& r) {
        queued->set_value({*r.task_token, r.started});
        return TaskOutcome::pending();
    });
    return handlers;
}

}  // namespace

TEST(Activity, AHandlerThatWorksTheTaskRecordsActivityEvents) {
    // GIVEN a handler that answers an activity task itself
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add(activity, [](const TaskRequest& r) { return TaskOutcome::result(r.parameters.with_member("ok", Value(true))); });
    Execution exec(compile(std::string_view(one_task({{"TimeoutSeconds", 30}, {"HeartbeatSeconds", 5}}))),
                   Value::parse(R"({"n":1})"), with(handlers));
    // WHEN it runs
    ASSERT_EQ(exec.run().status, ExecutionStatus::Succeeded);
    // THEN the task shows as an activity that started when it was scheduled, without a worker name
    const json not_truncated = {{"truncated", false}};
    EXPECT_EQ(task_events(exec.history()),
              (json{{{"type", "ActivityScheduled"},
                     {"activityScheduledEventDetails", {{"resource", activity}, {"input", R"({"n":1})"},
                                                        {"inputDetails", not_truncated}, {"timeoutInSeconds", 30},
                                                        {"heartbeatInSeconds", 5}}}},
                    {{"type", "ActivityStarted"}, {"activityStartedEventDetails", json::object()}},
                    {{"type", "ActivitySucceeded"},
                     {"activitySucceededEventDetails", {{"output", R"({"n":1,"ok":true})"}, {"outputDetails", not_truncated}}}},
                    {{"type", "TaskStateExited"},
                     {"stateExitedEventDetails", {{"name", "A"}, {"output", R"({"n":1,"ok":true})"}, {"outputDetails", not_truncated}}}},
                    {{"type", "ExecutionSucceeded"},
                     {"executionSucceededEventDetails", {{"output", R"({"n":1,"ok":true})"}, {"outputDetails", not_truncated}}}}}));
    EXPECT_EQ(exec.history()[2].timestamp, exec.history()[3].timestamp);
    expect_round_trips(exec.history());
}

TEST(Activity, AQueuedTaskStartsWhenAWorkerTakesItAndEndsWithTheWorkersAnswer) {
    // GIVEN a handler that queues the task and answers pending
    auto queued = std::make_shared<std::promise<Queued>>();
    auto options = with(queueing(queued));
    auto tokens = std::make_shared<TaskTokens>();
    options.task_tokens = tokens;
    Execution exec(compile(std::string_view(one_task())), Value::parse("{}"), options);
    exec.start();
    // WHEN worker w7 takes it (a second worker cannot) and fails it
    const Queued task = queued->get_future().get();
    EXPECT_TRUE(task.started("w7"));
    EXPECT_FALSE(task.started("w8"));
    EXPECT_EQ(tokens->send_failure(task.token, "Worker.Quit", "bored"), TaskTokens::Answer::Accepted);
    // THEN ActivityStarted names w7 and ActivityFailed carries the worker's error; the task goes to no one else
    const auto r = exec.wait();
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Worker.Quit");
    EXPECT_FALSE(task.started("w9"));
    EXPECT_EQ(task_events(exec.history()),
              (json{{{"type", "ActivityScheduled"},
                     {"activityScheduledEventDetails", {{"resource", activity}, {"input", "{}"},
                                                        {"inputDetails", {{"truncated", false}}}}}},
                    {{"type", "ActivityStarted"}, {"activityStartedEventDetails", {{"workerName", "w7"}}}},
                    {{"type", "ActivityFailed"}, {"activityFailedEventDetails", {{"error", "Worker.Quit"}, {"cause", "bored"}}}},
                    {{"type", "ExecutionFailed"}, {"executionFailedEventDetails", {{"error", "Worker.Quit"}, {"cause", "bored"}}}}}));
    expect_round_trips(exec.history());
}

TEST(Activity, ATaskThatCannotBeScheduledFailsTheStateWithoutActivityEvents) {
    // GIVEN a handler that refuses the task, and a Catch for States.ALL
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add(activity, [](const TaskRequest&) { return TaskOutcome::not_scheduled("The activity is gone."); });
    const auto definition = json{{"StartAt", "A"}, {"States", {
        {"A", {{"Type", "Task"}, {"Resource", activity}, {"End", true}, {"Catch", {{{"ErrorEquals", {"States.ALL"}}, {"Next", "B"}}}}}},
        {"B", {{"Type", "Pass"}, {"End", true}}}}}}.dump();
    Execution exec(compile(std::string_view(definition)), Value::object(), with(handlers));
    // WHEN it runs
    const auto r = exec.run();
    // THEN the state fails with States.Runtime, which States.ALL does not catch, and no activity event is recorded
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, "An error occurred while executing the state 'A' (entered at the event id #2). The activity is gone.");
    EXPECT_EQ(event_types(exec.history()),
              (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"}));
}

TEST(Activity, WithoutAHandlerTheTaskCannotBeScheduled) {
    const auto r = run_text(one_task());
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.TaskFailed");
    Execution exec(compile(std::string_view(one_task())), Value::object(), virtual_options());
    exec.run();
    EXPECT_EQ(event_types(exec.history()), (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                                      "ActivityScheduleFailed", "ExecutionFailed"}));
}

TEST(Activity, TheHeartbeatClockStartsWhenAWorkerTakesTheTask) {
    // GIVEN a queued task with a one-second heartbeat, taken by a worker only after 1.5 s (real clock)
    auto queued = std::make_shared<std::promise<Queued>>();
    ExecutionOptions options;
    options.handlers = queueing(queued);
    auto tokens = std::make_shared<TaskTokens>();
    options.task_tokens = tokens;
    Execution exec(compile(std::string_view(one_task({{"HeartbeatSeconds", 1}}))), Value::object(), options);
    exec.start();
    const Queued task = queued->get_future().get();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ASSERT_TRUE(task.started("late"));
    // WHEN the worker then sends no heartbeat
    const auto r = exec.wait();
    // THEN the task timed out a heartbeat after it was taken, not after it was scheduled
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Timeout");
    const auto& h = exec.history();
    ASSERT_EQ(event_types(h), (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                                        "ActivityStarted", "ActivityTimedOut", "ExecutionFailed"}));
    EXPECT_GE(h[4].timestamp - h[3].timestamp, std::chrono::seconds(1));
    EXPECT_EQ(tokens->send_success(task.token, Value::object()), TaskTokens::Answer::UnknownToken);
}
