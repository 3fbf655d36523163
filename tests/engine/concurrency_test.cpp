// Parallel branches and Map iterations that wait run concurrently: one shared virtual time advanced in order
// (timestamps of a concurrent run), real waits that overlap, and a failing branch or iteration that stops
// its waiting siblings with the events AWS records for them.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

struct Ran {
    ExecutionResult result;
    std::vector<HistoryEvent> events;  // copies (views point into the machine, which the test keeps)
};

Ran run_kept(const CompiledMachine& machine, const std::string& input, ExecutionOptions options = virtual_options()) {
    Execution exec(machine, Value::parse(input), std::move(options));
    Ran r{exec.run(), {}};
    for (const auto& e : exec.history()) r.events.push_back(e);
    return r;
}

const HistoryEvent& only(const Ran& r, EventType type, std::string_view name = {}) {
    const HistoryEvent* found = nullptr;
    for (const auto& e : r.events) {
        if (e.type != type || (!name.empty() && e.name != name)) continue;
        EXPECT_EQ(found, nullptr) << "more than one " << to_string(type) << " " << name;
        found = &e;
    }
    if (!found) throw std::runtime_error("no " + std::string(to_string(type)) + " " + std::string(name));
    return *found;
}

std::vector<std::string> event_types_of(const std::vector<HistoryEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(to_string(e.type));
    return out;
}

std::int64_t seconds_between(const HistoryEvent& a, const HistoryEvent& b) {
    return std::chrono::duration_cast<std::chrono::seconds>(b.timestamp - a.timestamp).count();
}

std::size_t position(const Ran& r, EventType type, std::string_view name = {}) {
    const auto& e = only(r, type, name);
    return static_cast<std::size_t>(e.id - 1);
}

/// A Parallel state with two branches that each wait `seconds`.
std::string two_waits(int seconds) {
    const std::string wait = R"({"Type":"Wait","Seconds":)" + std::to_string(seconds) + R"(,"End":true})";
    return R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"W1","States":{"W1":)" + wait + R"(}},{"StartAt":"W2","States":{"W2":)" + wait + R"(}}]}}})";
}

const char* three_waits = R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
    {"StartAt":"W5","States":{"W5":{"Type":"Wait","Seconds":5,"Next":"A"},"A":{"Type":"Pass","Result":"a","End":true}}},
    {"StartAt":"W10","States":{"W10":{"Type":"Wait","Seconds":10,"End":true}}},
    {"StartAt":"W3","States":{"W3":{"Type":"Wait","Seconds":3,"Next":"C"},"C":{"Type":"Pass","Result":"c","End":true}}}]}}})";

}  // namespace

TEST(Concurrency, ParallelBranchesShareVirtualTimeSoTheStateLastsAsLongAsTheLongestBranch) {
    // (AWS records ParallelStateExited when a Parallel state succeeds; the corpus has no ParallelStateSucceeded.)
    // GIVEN three branches that wait 5, 10 and 3 seconds, on the virtual clock
    const auto machine = compile(std::string_view(three_waits));
    // WHEN it runs
    const auto r = run_kept(machine, "{}");
    // THEN the Parallel state lasts 10 s (the longest branch), not 18 s (the sum)
    ASSERT_EQ(r.result.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.result.output, Value::parse(R"(["a",{},"c"])"));
    const auto& started = only(r, EventType::ParallelStateStarted);
    EXPECT_EQ(seconds_between(started, only(r, EventType::ParallelStateExited)), 10);
    // AND each wait ends at its own time, all measured from the common start
    EXPECT_EQ(seconds_between(started, only(r, EventType::WaitStateExited, "W3")), 3);
    EXPECT_EQ(seconds_between(started, only(r, EventType::WaitStateExited, "W5")), 5);
    EXPECT_EQ(seconds_between(started, only(r, EventType::WaitStateExited, "W10")), 10);
    // AND the history lists them in time order, with consecutive ids
    EXPECT_LT(position(r, EventType::WaitStateExited, "W3"), position(r, EventType::WaitStateExited, "W5"));
    EXPECT_LT(position(r, EventType::WaitStateExited, "W5"), position(r, EventType::WaitStateExited, "W10"));
    for (std::size_t i = 0; i < r.events.size(); ++i) EXPECT_EQ(r.events[i].id, static_cast<std::int64_t>(i + 1));
    for (std::size_t i = 1; i < r.events.size(); ++i)
        EXPECT_LE(r.events[i - 1].timestamp, r.events[i].timestamp) << "event " << r.events[i].id;
}

TEST(Concurrency, AFailingBranchStopsAWaitingBranchWhichRecordsItsAbort) {
    // GIVEN one branch that fails at once and one that waits an hour
    const auto machine = compile(std::string_view(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
        "Branches":[
        {"StartAt":"A1","States":{"A1":{"Type":"Pass","Next":"Boom"},"Boom":{"Type":"Fail","Error":"Oops","Cause":"bad"}}},
        {"StartAt":"Sleep","States":{"Sleep":{"Type":"Wait","Seconds":3600,"Next":"After"},
            "After":{"Type":"Pass","End":true}}}]}}})"));
    // WHEN it runs on the virtual clock
    const auto r = run_kept(machine, "{}");
    // THEN the execution fails with the branch's error, at once (no hour passes)
    EXPECT_EQ(r.result.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.result.error, "Oops");
    EXPECT_EQ(r.result.cause, "bad");
    EXPECT_EQ(seconds_between(r.events.front(), r.events.back()), 0);
    // AND both branches' events are there: the waiting branch entered its Wait and was aborted after the
    // failure; the state after the Wait never ran
    auto types = event_types_of(r.events);
    std::vector<std::string> sorted = types;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::string> expected = {"ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
                                         "PassStateEntered", "PassStateExited", "FailStateEntered",
                                         "WaitStateEntered", "WaitStateAborted", "ParallelStateFailed",
                                         "ExecutionFailed"};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(sorted, expected);
    EXPECT_LT(position(r, EventType::FailStateEntered), position(r, EventType::WaitStateAborted));
    EXPECT_LT(position(r, EventType::WaitStateEntered), position(r, EventType::WaitStateAborted));
    EXPECT_EQ(types[types.size() - 2], "ParallelStateFailed");
}

TEST(Concurrency, RealClockBranchesWaitAtTheSameTime) {
    // GIVEN two branches that each wait 1 s on the real clock (a correctness check, not a benchmark)
    const auto machine = compile(std::string_view(two_waits(1)));
    ExecutionOptions options;
    options.clock = std::make_shared<RealClock>();
    // WHEN it runs
    const auto begin = std::chrono::steady_clock::now();
    const auto r = run(machine, Value::object(), options);
    const auto took = std::chrono::steady_clock::now() - begin;
    // THEN the waits overlapped: well under the 2 s they would take one after the other
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_GE(took, std::chrono::seconds(1));
    EXPECT_LT(took, std::chrono::milliseconds(1900));
}

TEST(Concurrency, MapIterationsThatWaitRunMaxConcurrencyAtATime) {
    // GIVEN a Map over four items whose iterations wait 10 s each
    auto definition = [](int max_concurrency) {
        return R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":)" +
               std::to_string(max_concurrency) + R"(,"ItemProcessor":{"StartAt":"W","States":{
               "W":{"Type":"Wait","Seconds":10,"End":true}}}}}})";
    };
    for (const auto& [max_concurrency, expected_seconds] : {std::pair{0, 10}, std::pair{2, 20}, std::pair{1, 40}}) {
        // WHEN it runs with that MaxConcurrency
        const auto machine = compile(std::string_view(definition(max_concurrency)));
        const auto r = run_kept(machine, "[1,2,3,4]");
        // THEN the Map lasts as long as the rounds of concurrent iterations
        ASSERT_EQ(r.result.status, ExecutionStatus::Succeeded);
        EXPECT_EQ(r.result.output, Value::parse("[1,2,3,4]"));
        EXPECT_EQ(seconds_between(only(r, EventType::MapStateStarted), only(r, EventType::MapStateSucceeded)),
                  expected_seconds)
            << "MaxConcurrency " << max_concurrency;
    }
}

TEST(Concurrency, AFailingIterationAbortsTheIterationsStillWaiting) {
    // GIVEN a Map whose first item fails after 5 s while the second waits 100 s
    const auto machine = compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
        "ItemProcessor":{"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"Short"}],"Default":"Long"},
        "Short":{"Type":"Wait","Seconds":5,"Next":"Boom"},
        "Boom":{"Type":"Fail","Error":"ItemFailed"},
        "Long":{"Type":"Wait","Seconds":100,"End":true}}}}}})"));
    // WHEN it runs
    const auto r = run_kept(machine, "[0,1]");
    // THEN the Map fails with the iteration's error 5 s after it started
    EXPECT_EQ(r.result.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.result.error, "ItemFailed");
    EXPECT_EQ(seconds_between(only(r, EventType::MapStateStarted), only(r, EventType::MapStateFailed)), 5);
    // AND the waiting iteration was aborted then, not left to finish
    const auto& aborted = only(r, EventType::WaitStateAborted);
    EXPECT_EQ(seconds_between(only(r, EventType::MapStateStarted), aborted), 5);
    EXPECT_EQ(only(r, EventType::MapIterationFailed).index, 0);
    EXPECT_EQ(only(r, EventType::MapIterationAborted).index, 1);
    EXPECT_LT(position(r, EventType::FailStateEntered), position(r, EventType::WaitStateAborted));
}

TEST(Concurrency, StoppingAnExecutionWakesEveryWaitingBranch) {
    // GIVEN branches that wait an hour on the real clock, running in the background
    const auto machine = compile(std::string_view(two_waits(3600)));
    ExecutionOptions options;
    options.clock = std::make_shared<RealClock>();
    Execution exec(machine, Value::object(), options);
    exec.start();
    // WHEN it is stopped
    exec.stop({.error = "Halt", .cause = "by test"});
    const auto r = exec.wait();
    // THEN it ends ABORTED with the given error
    EXPECT_EQ(r.status, ExecutionStatus::Aborted);
    EXPECT_EQ(r.error, "Halt");
}
