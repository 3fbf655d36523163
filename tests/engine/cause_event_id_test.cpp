// The "(entered at the event id #N)" in a state's failure cause names the state's entry in the execution's
// history, also when the state ran inside a Parallel branch or a Map iteration (whose events are recorded
// apart and numbered when they merge), on any number of threads.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <regex>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

std::int64_t named_id(const std::string& cause) {
    static const std::regex id(R"(\(entered at the event id #(\d+)\))");
    std::smatch m;
    if (!std::regex_search(cause, m, id)) return -1;
    return std::stoll(m[1].str());
}

// What the tests read of an event (the history itself does not outlive its execution).
struct Event {
    std::int64_t id;
    EventType type;
    std::string name;
    std::optional<Value> payload;
    std::string cause;
};

struct Finished {
    ExecutionResult result;
    std::vector<Event> events;
};

const Event* event_with_id(const Finished& run, std::int64_t id) {
    for (const auto& e : run.events)
        if (e.id == id) return &e;
    return nullptr;
}

Finished run_on(const std::string& definition, const std::string& input, unsigned threads) {
    auto options = virtual_options();
    options.max_threads = threads;
    Execution exec(compile(std::string_view(definition)), Value::parse(input), options);
    Finished run{exec.run(), {}};
    for (const auto& e : exec.history())
        run.events.push_back({e.id, e.type, std::string(e.name), e.payload, e.detail().cause});
    return run;
}

// The failure's cause names an event that is the entry of `state` with `input`.
void expect_cause_names_entry(const Finished& run, std::string_view state, const std::string& input) {
    ASSERT_EQ(run.result.status, ExecutionStatus::Failed);
    const std::string cause = run.result.cause.value_or("");
    const Event* e = event_with_id(run, named_id(cause));
    ASSERT_NE(e, nullptr) << cause;
    EXPECT_EQ(e->type, EventType::PassStateEntered) << cause;
    EXPECT_EQ(e->name, state) << cause;
    ASSERT_TRUE(e->payload.has_value());
    EXPECT_EQ(*e->payload, Value::parse(input)) << cause;
}

const std::string kMissing = R"({"x.$":"$.missing"})";

}  // namespace

TEST(CauseEventId, AFailingParallelBranchNamesItsStatesEntry) {
    // GIVEN a Parallel whose second branch fails in its second state (the first branch is longer)
    const std::string definition = R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A1","States":{"A1":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","Next":"A3"},
                                  "A3":{"Type":"Pass","End":true}}},
        {"StartAt":"B1","States":{"B1":{"Type":"Pass","Next":"B2"},
                                  "B2":{"Type":"Pass","Parameters":)" +
                                   kMissing + R"(,"End":true}}}]}}})";
    for (unsigned threads : {1u, 2u}) {
        // WHEN it runs
        const Finished run = run_on(definition, "{}", threads);
        // THEN the cause names B2's PassStateEntered in the execution's history
        expect_cause_names_entry(run, "B2", "{}");
        EXPECT_EQ(named_id(run.result.cause.value_or("")), 9) << threads << " threads";
    }
}

TEST(CauseEventId, AFailingMapIterationNamesItsStatesEntryOnAnyNumberOfThreads) {
    // GIVEN a Map of 151 items (more than one chunk of iterations) whose last iteration fails in its second state
    const std::string definition = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items",
        "ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                                                 "B":{"Type":"Pass","Parameters":)" +
                                   kMissing + R"(,"End":true}}}}}})";
    std::string input = R"({"items":[)";
    for (int i = 0; i < 150; ++i) input += R"({"missing":1},)";
    input += R"({"last":true}]})";
    for (unsigned threads : {1u, 2u, 4u}) {
        // WHEN it runs on one thread and on more (how many other iterations ran before the failure stopped them
        // depends on the threads, as on AWS)
        const Finished run = run_on(definition, input, threads);
        // THEN the cause names the last iteration's entry of B, whatever thread ran it
        expect_cause_names_entry(run, "B", R"({"last":true})");
    }
}

TEST(CauseEventId, IterationsThatWaitAreNumberedByTimeAndStillNamed) {
    // GIVEN a Map whose iterations wait (they run at once and merge by time) and whose item 1 then fails
    const std::string definition = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items",
        "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.wait","Next":"B"},
                                                 "B":{"Type":"Pass","Parameters":)" +
                                   kMissing + R"(,"End":true}}}}}})";
    const std::string input = R"({"items":[{"wait":3,"missing":1},{"wait":1},{"wait":2,"missing":1}]})";
    // WHEN it runs
    const Finished run = run_on(definition, input, 2);
    // THEN the cause names item 1's entry of B
    expect_cause_names_entry(run, "B", R"({"wait":1})");
}

TEST(CauseEventId, NestedBranchesAreRenumberedAtEveryLevel) {
    // GIVEN a Parallel whose second branch holds a Parallel whose second branch fails
    const std::string inner = R"({"StartAt":"Q","States":{"Q":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"C1","States":{"C1":{"Type":"Pass","Next":"C2"},"C2":{"Type":"Pass","End":true}}},
        {"StartAt":"D1","States":{"D1":{"Type":"Pass","Next":"D2"},
                                  "D2":{"Type":"Pass","Parameters":)" +
                              kMissing + R"(,"End":true}}}]}}})";
    const std::string definition = R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A1","States":{"A1":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","End":true}}},
        )" + inner + R"(]}}})";
    for (unsigned threads : {1u, 2u}) {
        // WHEN it runs
        const Finished run = run_on(definition, "{}", threads);
        // THEN the cause names D2's entry
        expect_cause_names_entry(run, "D2", "{}");
    }
}

TEST(CauseEventId, AJsonataEvaluationFailedEventInABranchNamesTheSameEntry) {
    // GIVEN a JSONata Parallel whose second branch fails evaluating its Output (recorded as EvaluationFailed)
    const std::string definition = R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel",
        "End":true,"Branches":[
        {"StartAt":"A1","States":{"A1":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","End":true}}},
        {"StartAt":"B1","States":{"B1":{"Type":"Pass","Next":"B2"},
                                  "B2":{"Type":"Pass","Output":"{% $error('Boom', 'b') %}","End":true}}}]}}})";
    // WHEN it runs
    const Finished run = run_on(definition, "{}", 2);
    // THEN the execution's cause and the EvaluationFailed event's cause name B2's entry
    expect_cause_names_entry(run, "B2", "{}");
    const Event* failed = nullptr;
    for (const auto& e : run.events)
        if (e.type == EventType::EvaluationFailed) failed = &e;
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(failed->cause, run.result.cause.value_or(""));
}
