// Durable executions in the engine: the finished iterations and branches of a top-level Map or Parallel state,
// handed to ExecutionOptions::finished_child_sink as they end and taken back (resume_finished_children) by an
// execution resumed inside that state, which then does not run them again.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

// A Map whose iterations call a Task (so they may block: each is reported), then a Parallel of two Tasks.
// Item 4 waits longer than the others, so that it ends last.
const char* const definition = R"json({"StartAt":"Each","States":{
  "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","Next":"Fan",
          "ItemProcessor":{"StartAt":"Nap","States":{
             "Nap":{"Type":"Wait","SecondsPath":"$.wait","Next":"Work"},
             "Work":{"Type":"Task","Resource":"arn:aws:states:::my:work","Parameters":{"n.$":"$.n"},"End":true}}}},
  "Fan":{"Type":"Parallel","ResultPath":"$.fan","End":true,"Branches":[
     {"StartAt":"Left","States":{"Left":{"Type":"Task","Resource":"arn:aws:states:::my:side","Parameters":{"side":"left"},"End":true}}},
     {"StartAt":"Right","States":{"Right":{"Type":"Task","Resource":"arn:aws:states:::my:side","Parameters":{"side":"right"},"End":true}}}]}}})json";

const Value input = Value::parse(
    R"({"items":[{"n":0,"wait":1},{"n":1,"wait":2},{"n":2,"wait":1},{"n":3,"wait":3},{"n":4,"wait":9},{"n":5,"wait":2}]})");

/// What the handlers saw: calls per item / side, and the invocation numbers of Work.
struct Calls {
    std::mutex mutex;
    std::vector<int> per_item = std::vector<int>(6, 0);
    std::map<std::string, int> per_side;
    std::set<int> work_invocations;
    int failing_item = -1;
};

std::shared_ptr<HandlerRegistry> handlers(const std::shared_ptr<Calls>& calls) {
    auto h = std::make_shared<HandlerRegistry>();
    h->add("arn:aws:states:::my:work", [calls](const TaskRequest& r) {
        const auto n = static_cast<int>(r.parameters.find("n")->as_int());
        std::lock_guard lock(calls->mutex);
        ++calls->per_item[static_cast<std::size_t>(n)];
        calls->work_invocations.insert(r.invocation);
        if (n == calls->failing_item) return TaskOutcome::failure("Broken", "item " + std::to_string(n));
        return TaskOutcome::result(Value::object({{"done", Value(n * 10)}}));
    });
    h->add("arn:aws:states:::my:side", [calls](const TaskRequest& r) {
        std::lock_guard lock(calls->mutex);
        ++calls->per_side[r.parameters.find("side")->as_string()];
        return TaskOutcome::result(r.parameters);
    });
    return h;
}

struct Recorded {
    std::vector<nlohmann::json> events;
    std::vector<Checkpoint> checkpoints;
    std::mutex mutex;
    std::vector<FinishedChild> children;
};

ExecutionOptions durable_options(Recorded& out, const std::shared_ptr<Calls>& calls, TimePoint clock_start) {
    auto o = virtual_options();
    o.clock = std::make_shared<VirtualClock>(clock_start);
    o.start_time = test_epoch();
    o.handlers = handlers(calls);
    o.record_history = false;
    o.history_sink = [&out](const HistoryEvent& e) { out.events.push_back(e.to_json()); };
    o.checkpoint_sink = [&out](const HistoryEvent* e, const Checkpoint& c) {
        if (e) out.events.push_back(e->to_json());
        out.checkpoints.push_back(c);
    };
    o.finished_child_sink = [&out](const FinishedChild& c) {
        std::lock_guard lock(out.mutex);
        out.children.push_back(c);
    };
    return o;
}

/// The uninterrupted run: its result, events, checkpoints and finished children.
struct Reference {
    ExecutionResult result;
    Recorded recorded;
};

void run_reference(Reference& ref, int failing_item = -1, const Value& items = input) {
    auto calls = std::make_shared<Calls>();
    calls->failing_item = failing_item;
    ref.result =
        Execution(compile(std::string_view(definition)), items, durable_options(ref.recorded, calls, test_epoch()))
            .run();
}

/// The checkpoint made when `state` was entered.
const Checkpoint& entered(const Reference& ref, const std::string& state) {
    for (const auto& c : ref.recorded.checkpoints)
        if (c.state == state && c.position == Checkpoint::Position::InState && c.attempt == 0) return c;
    throw std::runtime_error("no checkpoint entering " + state);
}

/// Resumes the reference run inside `state` with `children` finished; fills `resumed` and `calls`.
ExecutionResult resume_inside(const Reference& ref, const std::string& state, std::vector<FinishedChild> children,
                              Recorded& resumed, const std::shared_ptr<Calls>& calls, const Value& items = input) {
    const auto& checkpoint = entered(ref, state);
    const auto& last = ref.recorded.events[static_cast<std::size_t>(checkpoint.event_id - 1)];
    const TimePoint at(std::chrono::microseconds(std::llround(last["timestamp"].get<double>() * 1e6)));
    resumed.events.assign(ref.recorded.events.begin(), ref.recorded.events.begin() + checkpoint.event_id);
    auto options = durable_options(resumed, calls, at);
    options.resume = checkpoint;
    options.resume_finished_children = std::move(children);
    return Execution(compile(std::string_view(definition)), items, std::move(options)).run();
}

std::vector<FinishedChild> children_of(const Reference& ref, const std::string& state,
                                       const std::set<std::int64_t>& indexes) {
    std::vector<FinishedChild> out;
    for (const auto& c : ref.recorded.children)
        if (c.state == state && indexes.count(c.index)) out.push_back(c);
    return out;
}

/// The resumed run's output and whole history are the uninterrupted run's.
void expect_same_run(const ExecutionResult& result, const Recorded& resumed, const Reference& ref) {
    EXPECT_EQ(result.output, ref.result.output);
    ASSERT_EQ(resumed.events.size(), ref.recorded.events.size());
    for (std::size_t i = 0; i < resumed.events.size(); ++i)
        ASSERT_EQ(resumed.events[i], ref.recorded.events[i]) << "event " << i + 1;
}

}  // namespace

TEST(FinishedChildren, EveryIterationAndBranchThatMayBlockIsReportedOnceWhenItEnds) {
    Reference ref;
    run_reference(ref);
    ASSERT_EQ(ref.result.status, ExecutionStatus::Succeeded) << ref.result.to_json();
    std::map<std::string, std::set<std::int64_t>> seen;
    for (const auto& c : ref.recorded.children) {
        EXPECT_TRUE(c.succeeded);
        EXPECT_TRUE(seen[c.state].insert(c.index).second) << c.state << " " << c.index << " reported twice";
        // The run is named by its Started event
        const auto& started = ref.recorded.events[static_cast<std::size_t>(c.started_id - 1)];
        EXPECT_EQ(started["type"], c.state == "Each" ? "MapStateStarted" : "ParallelStateStarted");
    }
    EXPECT_EQ(seen["Each"], (std::set<std::int64_t>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(seen["Fan"], (std::set<std::int64_t>{0, 1}));
}

TEST(FinishedChildren, AResumedMapRunsOnlyTheIterationsThatHadNotEndedAndEndsAsTheUninterruptedRun) {
    Reference ref;
    run_reference(ref);
    ASSERT_EQ(ref.result.status, ExecutionStatus::Succeeded);
    // WHEN the execution resumes inside the Map with items 0, 1, 2 and 5 finished (4 and 3 were still running)
    auto calls = std::make_shared<Calls>();
    Recorded resumed;
    const auto result = resume_inside(ref, "Each", children_of(ref, "Each", {0, 1, 2, 5}), resumed, calls);
    // THEN only items 3 and 4 are worked again, with the invocation numbers an uninterrupted run gives them
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded) << result.to_json();
    EXPECT_EQ(calls->per_item, (std::vector<int>{0, 0, 0, 1, 1, 0}));
    EXPECT_EQ(calls->work_invocations, (std::set<int>{4, 5}));
    // AND the output and the whole history are those of the uninterrupted run (restored events keep their
    // ids' places and timestamps)
    expect_same_run(result, resumed, ref);
}

TEST(FinishedChildren, AResumedParallelRunsOnlyTheBranchThatHadNotEnded) {
    Reference ref;
    run_reference(ref);
    auto calls = std::make_shared<Calls>();
    Recorded resumed;
    const auto result = resume_inside(ref, "Fan", children_of(ref, "Fan", {1}), resumed, calls);
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded) << result.to_json();
    EXPECT_EQ(calls->per_side, (std::map<std::string, int>{{"left", 1}}));
    expect_same_run(result, resumed, ref);
}

TEST(FinishedChildren, ARestoredFailureFailsTheMapWithoutWorkingTheItemAgain) {
    Reference ref;
    run_reference(ref, /*failing_item=*/1);
    ASSERT_EQ(ref.result.status, ExecutionStatus::Failed);
    auto calls = std::make_shared<Calls>();
    calls->failing_item = 1;
    Recorded resumed;
    const auto failed = children_of(ref, "Each", {1});
    ASSERT_EQ(failed.size(), 1U);
    EXPECT_FALSE(failed[0].succeeded);
    const auto result = resume_inside(ref, "Each", failed, resumed, calls);
    EXPECT_EQ(result.status, ExecutionStatus::Failed);
    EXPECT_EQ(result.error, ref.result.error);
    EXPECT_EQ(result.cause, ref.result.cause);
    EXPECT_EQ(calls->per_item[1], 0);
}

TEST(FinishedChildren, ARestoredStateFailureNamesItsEntryInTheResumedHistory) {
    // GIVEN a run whose item 1 has no "n": its Work state fails on its own Parameters, with a cause that names
    // Work's entry by its id in the execution's history
    const Value items = Value::parse(
        R"({"items":[{"n":0,"wait":1},{"wait":2},{"n":2,"wait":1},{"n":3,"wait":3},{"n":4,"wait":9},{"n":5,"wait":2}]})");
    Reference ref;
    run_reference(ref, -1, items);
    ASSERT_EQ(ref.result.status, ExecutionStatus::Failed);
    ASSERT_EQ(ref.result.error, "States.Runtime");
    // WHEN the execution resumes inside the Map with that failure restored
    auto calls = std::make_shared<Calls>();
    Recorded resumed;
    const auto failed = children_of(ref, "Each", {1});
    ASSERT_EQ(failed.size(), 1U);
    const auto result = resume_inside(ref, "Each", failed, resumed, calls, items);
    // THEN its cause, like the uninterrupted run's, names Work's entry for item 1 in the run's own history
    ASSERT_EQ(result.status, ExecutionStatus::Failed);
    for (const auto* run : {&ref.recorded, &resumed}) {
        const std::string cause = (run == &resumed ? result : ref.result).cause.value_or("");
        const auto at = cause.find("(entered at the event id #");
        ASSERT_NE(at, std::string::npos) << cause;
        const auto id = std::stoul(cause.substr(at + 26));
        ASSERT_LE(id, run->events.size()) << cause;
        const auto& e = run->events[id - 1];
        EXPECT_EQ(e["type"], "TaskStateEntered") << cause;
        EXPECT_EQ(e["stateEnteredEventDetails"]["name"], "Work") << cause;
        EXPECT_EQ(e["stateEnteredEventDetails"]["input"], R"({"wait":2})") << cause;
    }
}

TEST(FinishedChildren, ARecordThatCannotBeReadRunsItsChildAgain) {
    Reference ref;
    run_reference(ref);
    auto children = children_of(ref, "Each", {0, 2});
    ASSERT_EQ(children.size(), 2U);
    children[0].record = "{\"format\":1,\"ok\":tru";                                           // cut short
    children[1].record.replace(children[1].record.find("\"format\":1"), 10, "\"format\":99");  // a newer format
    auto calls = std::make_shared<Calls>();
    Recorded resumed;
    const auto result = resume_inside(ref, "Each", children, resumed, calls);
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(calls->per_item, (std::vector<int>{1, 1, 1, 1, 1, 1}));
    EXPECT_EQ(result.output, ref.result.output);
}

TEST(FinishedChildren, ARedriveTakesBackTheSuccessfulIterationsWithoutRecordingTheirEventsAgain) {
    // GIVEN the successful iterations of an earlier run, their events already in the history (a redrive)
    Reference ref;
    run_reference(ref);
    auto children = children_of(ref, "Each", {0, 1, 2, 3, 5});
    for (auto& c : children) {
        c.started_id = 0;  // the first run of the state in this execution
        c.events_recorded = true;
    }
    // WHEN a new execution runs with them
    auto calls = std::make_shared<Calls>();
    Recorded run;
    auto options = durable_options(run, calls, test_epoch());
    options.resume_finished_children = children;
    const auto result = Execution(compile(std::string_view(definition)), input, std::move(options)).run();
    // THEN only item 4 is worked, the output is the same, and only item 4's iteration is recorded
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded) << result.to_json();
    EXPECT_EQ(calls->per_item, (std::vector<int>{0, 0, 0, 0, 1, 0}));
    EXPECT_EQ(result.output, ref.result.output);
    std::set<std::int64_t> iterations;
    for (const auto& e : run.events)
        if (e["type"] == "MapIterationStarted")
            iterations.insert(e["mapIterationStartedEventDetails"]["index"].get<std::int64_t>());
    EXPECT_EQ(iterations, (std::set<std::int64_t>{4}));
    for (std::size_t i = 0; i < run.events.size(); ++i) EXPECT_EQ(run.events[i]["id"], i + 1);
    // AND the children taken back are reported again under this run, so that a later resume finds them
    std::set<std::int64_t> reported;
    for (const auto& c : run.children)
        if (c.state == "Each") reported.insert(c.index);
    EXPECT_EQ(reported, (std::set<std::int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(FinishedChildren, CpuOnlyChildrenAreNotReported) {
    auto calls = std::make_shared<Calls>();
    Recorded run;
    const char* cpu_only = R"json({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})json";
    const auto result = Execution(compile(std::string_view(cpu_only)), Value::parse("[1,2,3]"),
                                  durable_options(run, calls, test_epoch()))
                            .run();
    ASSERT_EQ(result.status, ExecutionStatus::Succeeded);
    EXPECT_TRUE(run.children.empty());
}

TEST(FinishedChildren, ATokenHandedOutInsideAnIterationIsTheSameWhenTheIterationRunsAgain) {
    // GIVEN `.waitForTaskToken` tasks inside Map iterations, answered as they are handed out
    const char* waits = R"json({"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
        "ItemProcessor":{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
          "Resource":"arn:aws:states:::my:ask.waitForTaskToken","Parameters":{"n.$":"$","token.$":"$$.Task.Token"},
          "End":true}}}}}})json";
    const auto run = [&](std::optional<Checkpoint> resume, std::map<std::int64_t, std::string>& tokens,
                         std::uint64_t seed) {
        auto calls = std::make_shared<Calls>();
        Recorded recorded;
        auto options = durable_options(recorded, calls, test_epoch());
        options.task_tokens = std::make_shared<TaskTokens>();
        auto registry = std::make_shared<HandlerRegistry>();
        std::mutex mutex;
        registry->add("arn:aws:states:::my:ask.waitForTaskToken", [&, answers = options.task_tokens](const TaskRequest& r) {
            {
                std::lock_guard lock(mutex);
                tokens[r.parameters.find("n")->as_int()] = *r.task_token;
            }
            std::thread([answers, token = *r.task_token] {
                while (answers->send_success(token, Value("ok")) != TaskTokens::Answer::Accepted)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }).detach();
            return TaskOutcome::pending();
        });
        options.handlers = registry;
        options.resume = std::move(resume);
        options.random_seed = seed;  // another process: other random numbers
        const auto result = Execution(compile(std::string_view(waits)), Value::parse("[1,2,3]"), std::move(options)).run();
        EXPECT_EQ(result.status, ExecutionStatus::Succeeded) << result.to_json();
        return recorded.checkpoints;
    };
    std::map<std::int64_t, std::string> first, again;
    const auto checkpoints = run(std::nullopt, first, 7);
    ASSERT_EQ(first.size(), 3U);
    EXPECT_EQ(std::set<std::string>({first[1], first[2], first[3]}).size(), 3U);  // one token per task
    // WHEN the execution resumes inside the Map (every iteration runs again)
    const auto entered = std::find_if(checkpoints.begin(), checkpoints.end(), [](const Checkpoint& c) {
        return c.state == "Each" && c.position == Checkpoint::Position::InState;
    });
    ASSERT_NE(entered, checkpoints.end());
    run(*entered, again, 99);
    // THEN each task waits for the token it was handed before (an answer sent after the restart completes it)
    EXPECT_EQ(again, first);
}
