// Durable executions in the engine: the checkpoints handed to ExecutionOptions::checkpoint_sink, and resuming
// from each of them (ExecutionOptions::resume) in a new Execution, as a service does after a crash.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

// Pass chain with variables, a Wait, a Choice loop over a variable, a Task retried with backoff (its first
// invocation fails), a Parallel, a Map, a `.waitForTaskToken` task and a Catch.
const char* const machine_text = R"json({"StartAt":"Init","States":{
  "Init":{"Type":"Pass","Assign":{"i":0,"sum":0},"Next":"Nap"},
  "Nap":{"Type":"Wait","Seconds":10,"Next":"Loop"},
  "Loop":{"Type":"Choice","Choices":[{"Variable":"$i","NumericLessThan":3,"Next":"Body"}],"Default":"Flaky"},
  "Body":{"Type":"Pass","Assign":{"i.$":"States.MathAdd($i, 1)","sum.$":"States.MathAdd($sum, $.n)"},"Next":"Loop"},
  "Flaky":{"Type":"Task","Resource":"arn:aws:states:::my:flaky","Parameters":{"n.$":"$.n"},
           "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}],
           "ResultSelector":{"got.$":"$.got","retry.$":"$$.State.RetryCount"},"ResultPath":"$.flaky","Next":"Fan"},
  "Fan":{"Type":"Parallel","ResultPath":"$.fan","Next":"Each","Branches":[
     {"StartAt":"B1","States":{"B1":{"Type":"Pass","Parameters":{"sum.$":"$sum"},"End":true}}},
     {"StartAt":"B2","States":{"B2":{"Type":"Wait","Seconds":1,"End":true}}}]},
  "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","Next":"Callback",
          "ItemProcessor":{"StartAt":"Add","States":{"Add":{"Type":"Pass","Parameters":{"v.$":"States.MathAdd($, 1)"},"End":true}}}},
  "Callback":{"Type":"Task","Resource":"arn:aws:states:::my:callback.waitForTaskToken",
              "Parameters":{"token.$":"$$.Task.Token"},"ResultPath":"$.callback","Next":"Boom"},
  "Boom":{"Type":"Fail","Error":"Boom","Cause":"caught below"},
  "Done":{"Type":"Succeed"}}})json";

// Boom fails and nothing catches it there: give the last Task a Catch to Done instead.
std::string definition() {
    auto d = nlohmann::ordered_json::parse(machine_text);
    d["States"]["Callback"]["Next"] = "Last";
    d["States"]["Last"] = {{"Type", "Pass"}, {"Next", "Boom2"}};
    d["States"]["Boom2"] = {{"Type", "Task"}, {"Resource", "arn:aws:states:::my:boom"}, {"ResultPath", "$.boom"},
                            {"Catch", {{{"ErrorEquals", {"States.ALL"}}, {"ResultPath", "$.caught"}, {"Next", "Done"}}}},
                            {"End", true}};
    d["States"].erase("Boom");
    return d.dump();
}

struct Recorded {
    std::vector<nlohmann::json> events;  // every event, as GetExecutionHistory shows it
    std::vector<Checkpoint> checkpoints;
};

/// Handlers: Flaky fails its first invocation; the callback answers its token at once from another thread.
std::shared_ptr<HandlerRegistry> handlers(const std::shared_ptr<TaskTokens>& tokens) {
    auto h = std::make_shared<HandlerRegistry>();
    h->add("arn:aws:states:::my:flaky", [](const TaskRequest& r) {
        if (r.invocation == 0) return TaskOutcome::failure("Flaky", "the first invocation fails");
        return TaskOutcome::result(Value::object({{"got", Value(r.invocation)}}));
    });
    h->add("arn:aws:states:::my:callback.waitForTaskToken", [tokens](const TaskRequest& r) {
        std::thread([tokens, token = *r.task_token] {
            while (tokens->send_success(token, Value::object({{"answered", Value(token.substr(token.size() - 8))}})) !=
                   TaskTokens::Answer::Accepted) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }).detach();
        return TaskOutcome::pending();
    });
    h->add("arn:aws:states:::my:boom", [](const TaskRequest&) { return TaskOutcome::failure("Boom", "caught"); });
    return h;
}

ExecutionOptions durable_options(Recorded& out, TimePoint clock_start) {
    auto o = virtual_options();
    o.clock = std::make_shared<VirtualClock>(clock_start);
    o.start_time = test_epoch();
    o.task_tokens = std::make_shared<TaskTokens>();
    o.handlers = handlers(o.task_tokens);
    o.record_history = false;
    o.history_sink = [&out](const HistoryEvent& e) { out.events.push_back(e.to_json()); };
    o.checkpoint_sink = [&out](const HistoryEvent* e, const Checkpoint& c) {
        if (e) out.events.push_back(e->to_json());
        out.checkpoints.push_back(c);
    };
    return o;
}

const Value input = Value::parse(R"({"n":5,"items":[1,2,3]})");

}  // namespace

TEST(Checkpoint, EveryTopLevelTransitionAndRetryMakesOneWithItsEvent) {
    // GIVEN a machine run with a checkpoint sink
    Recorded run;
    const auto result = Execution(compile(std::string_view(definition())), input, durable_options(run, test_epoch())).run();
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded) << result.to_json();
    // THEN every top-level StateEntered/StateExited event came with a checkpoint, plus one for the retry
    std::size_t state_events = 0;
    for (const auto& e : run.events) {
        const std::string type = e["type"];
        if (type.ends_with("StateEntered") || type.ends_with("StateExited")) ++state_events;
    }
    std::size_t retries = 0;
    for (const auto& c : run.checkpoints) retries += c.attempt > 0 ? 1 : 0;
    EXPECT_EQ(retries, 1U);
    // Entered + Exited of the top-level states, the inner states' events having no checkpoint
    std::size_t inner = 0;
    for (const auto& e : run.events) {
        const auto details = e.find("stateEnteredEventDetails");
        if (details != e.end() && ((*details)["name"] == "B1" || (*details)["name"] == "B2" || (*details)["name"] == "Add"))
            ++inner;
    }
    EXPECT_EQ(run.checkpoints.size(), state_events - 2 * inner + retries);
    // AND the retry checkpoint knows the retry: attempt 1 after 2 s, one retry used
    for (const auto& c : run.checkpoints) {
        if (c.attempt == 0) continue;
        EXPECT_EQ(c.state, "Flaky");
        EXPECT_EQ(c.retry_counts, std::vector<int>{1});
        EXPECT_EQ(run.events[static_cast<std::size_t>(c.event_id - 1)]["type"], "TaskFailed");
        EXPECT_EQ(c.retry_at - c.entered_time, std::chrono::seconds(2));
        EXPECT_EQ(c.variables, Value::parse(R"({"i":3,"sum":15})"));
    }
}

TEST(Checkpoint, ResumingFromAnyCheckpointEndsExactlyAsTheUninterruptedRun) {
    // GIVEN the uninterrupted run and its checkpoints
    const auto machine = compile(std::string_view(definition()));
    Recorded reference;
    const auto expected = Execution(machine, input, durable_options(reference, test_epoch())).run();
    ASSERT_EQ(expected.status, ExecutionStatus::Succeeded) << expected.to_json();
    ASSERT_GT(reference.checkpoints.size(), 20U);
    for (const auto& checkpoint : reference.checkpoints) {
        // WHEN a new execution resumes from it (its clock where the checkpoint's last event happened)
        const auto& last = reference.events[static_cast<std::size_t>(checkpoint.event_id - 1)];
        const TimePoint at(std::chrono::microseconds(std::llround(last["timestamp"].get<double>() * 1e6)));
        Recorded resumed;
        resumed.events.assign(reference.events.begin(), reference.events.begin() + checkpoint.event_id);
        auto options = durable_options(resumed, at);
        options.resume = checkpoint;
        const auto result = Execution(machine, input, std::move(options)).run();
        // THEN output and the whole history (ids, links, timestamps, tokens) are those of the uninterrupted run
        const std::string where = "resumed after event " + std::to_string(checkpoint.event_id) + " in '" +
                                  checkpoint.state + "' (attempt " + std::to_string(checkpoint.attempt) + ")";
        ASSERT_EQ(result.status, ExecutionStatus::Succeeded) << where << ": " << result.to_json();
        EXPECT_EQ(result.output, expected.output) << where;
        ASSERT_EQ(resumed.events.size(), reference.events.size()) << where;
        for (std::size_t i = 0; i < reference.events.size(); ++i)
            ASSERT_EQ(resumed.events[i], reference.events[i]) << where << ", event " << i + 1;
    }
}

TEST(Checkpoint, AResumedExecutionKeepsItsStartTimeVariablesAndTimeout) {
    // GIVEN a machine that times out 30 s after its start, checkpointed inside its Wait
    const auto machine = compile(std::string_view(R"json({"TimeoutSeconds":30,"StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"x":41},"Next":"W"},
        "W":{"Type":"Wait","Seconds":20,"Next":"B"},
        "B":{"Type":"Pass","Parameters":{"x.$":"States.MathAdd($x, 1)","start.$":"$$.Execution.StartTime"},
             "Next":"W2"},
        "W2":{"Type":"Wait","Seconds":20,"End":true}}})json"));
    Checkpoint c{.position = Checkpoint::Position::InState, .state = "W", .input = Value::object(), .event_id = 4,
                 .entered_id = 4, .entered_time = test_epoch(), .attempt = 0, .retry_counts = {},
                 .retry_at = TimePoint{}, .variables = Value::parse(R"({"x":41})"), .transitions = 2,
                 .invocations = {}};
    // WHEN it resumes 15 s after the start
    auto options = virtual_options();
    options.clock = std::make_shared<VirtualClock>(test_epoch() + std::chrono::seconds(15));
    options.start_time = test_epoch();
    options.resume = c;
    Execution exec(machine, Value::object(), options);
    const auto r = exec.run();
    // THEN the Wait ends 20 s after its original entry, B sees the variable and the original start, and the
    // execution times out 30 s after its original start
    EXPECT_EQ(r.status, ExecutionStatus::TimedOut);
    EXPECT_EQ(r.stop_time, test_epoch() + std::chrono::seconds(30));
    const auto& h = exec.history();
    ASSERT_GE(h.size(), 3U);
    EXPECT_EQ(h[0].id, 5);
    EXPECT_EQ(h[0].previous_event_id, 4);
    EXPECT_EQ(to_string(h[0].type), "WaitStateExited");
    EXPECT_EQ(h[0].timestamp, test_epoch() + std::chrono::seconds(20));
    EXPECT_EQ(*h[2].payload, Value::parse(R"({"x":42,"start":"2024-01-01T00:00:00.000Z"})"));
    EXPECT_EQ(to_string(h.back().type), "ExecutionTimedOut");
}

TEST(Checkpoint, ACheckpointNamingAnUnknownStateIsAUsageError) {
    auto options = virtual_options();
    options.resume = Checkpoint{.position = Checkpoint::Position::BetweenStates, .state = "Gone", .input = Value(),
                                .event_id = 3, .entered_id = 0, .entered_time = TimePoint{}, .attempt = 0,
                                .retry_counts = {}, .retry_at = TimePoint{}, .variables = Value::object(),
                                .transitions = 1, .invocations = {}};
    Execution exec(compile(std::string_view(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})")),
                   Value::object(), options);
    try {
        exec.run();
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "[sfn.engine.E002] the checkpoint names the state 'Gone', which the state machine's "
                               "top level does not have");
    }
}

TEST(Checkpoint, AResumedTaskKeepsOnlyTheTimeItHadLeft) {
    // GIVEN a Task with TimeoutSeconds 10 whose handler never answers in time, resumed 8 s after it was entered
    // (and, a second time, 12 s after)
    const auto machine = compile(std::string_view(R"({"StartAt":"Slow","States":{"Slow":{"Type":"Task",
        "Resource":"arn:aws:states:::my:slow","TimeoutSeconds":10,"End":true}}})"));
    int calls = 0;
    const auto resumed_at = [&](std::chrono::seconds outage) {
        auto options = virtual_options();
        auto handlers = std::make_shared<HandlerRegistry>();
        handlers->add("arn:aws:states:::my:slow", [&calls](const TaskRequest& r) {
            ++calls;
            while (std::chrono::steady_clock::now() < r.deadline && !(r.stop_signal && r.stop_signal->signalled()))
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return TaskOutcome::result(Value("late"));
        });
        options.handlers = handlers;
        const TimePoint entered = test_epoch() + std::chrono::seconds(1);
        options.start_time = test_epoch();
        options.clock = std::make_shared<VirtualClock>(entered + outage);
        options.checkpoint_sink = [](const HistoryEvent*, const Checkpoint&) {};
        options.resume = Checkpoint{.position = Checkpoint::Position::InState, .state = "Slow", .input = Value::object(),
                                    .event_id = 2, .entered_id = 2, .entered_time = entered, .attempt = 0,
                                    .retry_counts = {}, .retry_at = TimePoint{}, .variables = Value::object(),
                                    .transitions = 1, .invocations = {}};
        Execution exec(machine, Value::object(), options);
        const auto result = exec.run();
        EXPECT_EQ(result.status, ExecutionStatus::Failed);
        EXPECT_EQ(result.error, "States.Timeout");
        // THEN the task times out 10 s after it was entered, not 10 s after the restart (or at once, when that
        // time passed during the outage)
        const auto& h = exec.history();
        const auto timed_out = std::find_if(h.begin(), h.end(), [](const HistoryEvent& e) {
            return e.type == EventType::TaskTimedOut;
        });
        EXPECT_NE(timed_out, h.end());
        if (timed_out != h.end())
            EXPECT_EQ(timed_out->timestamp - entered, std::max<TimePoint::duration>(std::chrono::seconds(10), outage));
    };
    resumed_at(std::chrono::seconds(8));
    EXPECT_EQ(calls, 1);  // invoked again with the 2 s it had left
    resumed_at(std::chrono::seconds(12));
    EXPECT_EQ(calls, 1);  // its time passed during the outage: not invoked again
}
