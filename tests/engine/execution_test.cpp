// The execution API: history ids and links, the history sink, stop() from another thread, the history quota,
// compile errors with JSON pointers, variables, and Map/Parallel (also on worker threads).
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

TEST(History, EventsHaveIdsLinksAndAwsDetailShapes) {
    Execution exec(compile(std::string_view(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
        "B":{"Type":"Pass","Result":1,"End":true}}})")),
                   Value::parse(R"({"x":1})"), virtual_options());
    exec.run();
    const auto& h = exec.history();
    ASSERT_EQ(h.size(), 6u);
    std::vector<std::pair<std::int64_t, std::int64_t>> links;
    for (const auto& e : h) links.emplace_back(e.id, e.previous_event_id);
    EXPECT_EQ(links, (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 0}, {2, 0}, {3, 2}, {4, 3}, {5, 4}, {6, 5}}));
    const auto exited = h[2].to_json();
    EXPECT_EQ(exited["type"], "PassStateExited");
    EXPECT_EQ(exited["stateExitedEventDetails"],
              nlohmann::json::parse(R"({"name":"A","output":"{\"x\":1}","outputDetails":{"truncated":false}})"));
    EXPECT_EQ(h[5].to_json()["executionSucceededEventDetails"]["output"], "1");
}

TEST(History, EventsCarryingOneValueKeepItAliveThroughCopiesMovesSplicesAndClears) {
    // Consecutive events carrying the same value share one counted reference: whatever order the history,
    // its copies and the value's other owners are dropped in, every payload stays readable and nothing leaks
    // (the sanitizer builds check both).
    Value doc = Value::parse(R"({"a":[1,2,3],"s":"text"})");
    History h;
    for (int i = 0; i < 300; ++i) h.emplace_back_carrying(doc).id = i + 1;  // spans blocks
    h.emplace_back_carrying(Value("other")).id = 301;
    h.emplace_back_carrying(doc).id = 302;
    const HistoryEvent copy = h[150];
    doc = Value();
    EXPECT_EQ(h[299].payload->dump(), R"({"a":[1,2,3],"s":"text"})");
    History moved(std::move(h));
    History spliced;
    spliced.emplace_back_carrying(*moved[0].payload).id = 0;
    spliced.splice(std::move(moved));
    HistoryEvent taken = std::move(spliced[200]);
    HistoryEvent assigned;
    assigned = std::move(spliced[201]);
    assigned = spliced[202];
    spliced[203] = std::move(spliced[204]);
    EXPECT_EQ(spliced.size(), 303u);
    EXPECT_EQ(spliced[302].payload->dump(), R"({"a":[1,2,3],"s":"text"})");
    EXPECT_EQ(spliced[301].payload->dump(), R"("other")");
    const Value kept = *spliced[203].payload;
    spliced.clear();
    EXPECT_EQ(copy.payload->dump(), R"({"a":[1,2,3],"s":"text"})");
    EXPECT_EQ(taken.payload->dump(), R"({"a":[1,2,3],"s":"text"})");
    EXPECT_EQ(assigned.payload->find("s")->as_string(), "text");
    EXPECT_EQ(kept.find("a")->size(), 3u);
}

TEST(History, EventsMovedIntoAnotherHistoryKeepTheirPayloadsWhenTheSourceGoes) {
    // As a merge moves branch histories into their parent: in order, sometimes interleaved with others.
    Value doc = Value::parse(R"({"k":[true]})");
    Value other = Value::parse(R"(["x"])");
    History branch;
    for (int i = 0; i < 4; ++i) branch.emplace_back_carrying(doc);
    History sibling;
    for (int i = 0; i < 3; ++i) sibling.emplace_back_carrying(other);
    History parent;
    parent.push_back(std::move(branch[0]));
    parent.push_back(std::move(branch[1]));   // follows its own: shares
    parent.push_back(std::move(sibling[0]));
    parent.push_back(std::move(branch[2]));   // follows another value: takes a reference
    parent.push_back(std::move(sibling[1]));
    parent.push_back(std::move(sibling[2]));
    parent.push_back(std::move(branch[3]));
    branch.clear();
    sibling.clear();
    doc = Value();
    other = Value();
    ASSERT_EQ(parent.size(), 7u);
    for (std::size_t i : {0u, 1u, 3u, 6u}) EXPECT_EQ(parent[i].payload->dump(), R"({"k":[true]})") << i;
    for (std::size_t i : {2u, 4u, 5u}) EXPECT_EQ(parent[i].payload->dump(), R"(["x"])") << i;
}

TEST(History, SinkReceivesEveryEventAsItHappens) {
    std::vector<std::string> seen;
    auto options = virtual_options();
    options.record_history = false;
    options.history_sink = [&seen](const HistoryEvent& e) { seen.emplace_back(to_string(e.type)); };
    Execution exec(compile(std::string_view(R"({"StartAt":"A","States":{"A":{"Type":"Succeed"}}})")), Value(), options);
    exec.run();
    EXPECT_TRUE(exec.history().empty());
    EXPECT_EQ(seen, (std::vector<std::string>{"ExecutionStarted", "SucceedStateEntered", "SucceedStateExited",
                                              "ExecutionSucceeded"}));
}

TEST(History, StandardExecutionsFailBeyondTheEventQuota) {
    auto options = virtual_options();
    options.max_history_events = 50;
    Execution exec(compile(std::string_view(R"({"StartAt":"L","States":{"L":{"Type":"Pass","Next":"L"}}})")),
                   Value::object(), options);
    const auto r = exec.run();
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, "The execution reached the maximum number of history events (50).");
    // As on AWS, the last event of the quota is the closing event.
    ASSERT_EQ(exec.history().size(), 50u);
    EXPECT_EQ(exec.history().back().type, EventType::ExecutionFailed);
    EXPECT_EQ(exec.history().back().id, 50);
}

TEST(History, AMapWhoseIterationsOverflowTheQuotaFailsWithTheQuotaError) {
    // GIVEN a Map over more items than the event quota can record
    auto options = virtual_options();
    options.max_history_events = 50;
    Execution exec(compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1000,
        "End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})")),
                   Value::array(std::vector<Value>(200, Value(0))), options);
    // THEN it fails with the quota's error, not as aborted (every iteration stops when the quota is hit)
    const auto r = exec.run();
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, "The execution reached the maximum number of history events (50).");
}

TEST(Execution, StopFromAnotherThreadAbortsAWaitingExecution) {
    auto options = virtual_options();
    options.clock = std::make_shared<RealClock>();
    Execution exec(compile(std::string_view(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,
        "End":true}}})")),
                   Value::object(), options);
    exec.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    exec.stop({.error = "Operator", .cause = "stopped by test"});
    const auto r = exec.wait();
    EXPECT_EQ(r.status, ExecutionStatus::Aborted);
    EXPECT_EQ(r.error, "Operator");
    EXPECT_EQ(r.cause, "stopped by test");
    EXPECT_EQ(event_types(exec.history()),
              (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "ExecutionAborted"}));
}

TEST(Compile, ErrorsNameTheJsonPointer) {
    try {
        (void)compile(std::string_view(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nope"}}})"));
        FAIL() << "expected CompileError";
    } catch (const CompileError& e) {
        EXPECT_STREQ(e.what(), "[sfn.engine.E001] /States/A/Next: unknown state 'Nope'");
    }
    try {
        (void)compile(std::string_view(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":"x",
            "Retry":[{"ErrorEquals":["E"],"MaxAttempts":-1}],"End":true}}})"));
        FAIL() << "expected CompileError";
    } catch (const CompileError& e) {
        EXPECT_STREQ(e.what(), "[sfn.engine.E001] /States/A/Retry/0/MaxAttempts: expected an integer >= 0, got -1");
    }
}

TEST(Variables, AssignIsVisibleToLaterStatesButNotToTheAssigningStatesOutputPath) {
    const auto r = run_text(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"q":"life"},
        "Assign":{"question.$":"$.q","answer":42},"Next":"B"},
        "B":{"Type":"Pass","Parameters":{"q.$":"$question","a.$":"$answer"},"Assign":{"answer":0},
        "OutputPath":"$.a","End":true}}})");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output_json(), "42");
}

TEST(Map, ItemSelectorSeesMapItemAndOuterVariables) {
    const auto r = run_text(R"({"StartAt":"V","States":{"V":{"Type":"Pass","Assign":{"tag":"t"},"Next":"M"},
        "M":{"Type":"Map","ItemsPath":"$.xs","ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value",
        "tag.$":"$tag"},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                            R"({"xs":["a","b"]})");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output, Value::parse(R"([{"i":0,"v":"a","tag":"t"},{"i":1,"v":"b","tag":"t"}])"));
}

TEST(Map, WorkerThreadsGiveTheSameOutputAndHistoryAsOneThread) {
    // GIVEN a Map over 200 items with a Choice inside
    std::string items = "[";
    for (int i = 0; i < 200; ++i) items += (i ? "," : "") + std::to_string(i);
    items += "]";
    const auto machine = compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":0,
        "ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericLessThan":100,
        "Next":"Lo"}],"Default":"Hi"},"Lo":{"Type":"Pass","Result":"lo","End":true},
        "Hi":{"Type":"Pass","Result":"hi","End":true}}},"End":true}}})"));
    auto run_with = [&](unsigned threads) {
        auto options = virtual_options();
        options.max_threads = threads;
        Execution exec(machine, Value::parse(items), options);
        auto r = exec.run();
        std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> events;
        for (const auto& e : exec.history()) events.emplace_back(e.id, e.previous_event_id, std::string(to_string(e.type)));
        return std::make_pair(r.output_json(), events);
    };
    // WHEN it runs on one thread and on two
    const auto one = run_with(1);
    const auto two = run_with(2);
    // THEN outputs and histories (ids, links, types) are identical
    EXPECT_EQ(one.first, two.first);
    EXPECT_EQ(one.second, two.second);
    EXPECT_EQ(one.second.size(), 2u + 1u + 200u * 6u + 2u + 1u);
}

TEST(Map, LargeOutputsPrintTheSameTextOnAnyNumberOfThreads) {
    // GIVEN a Map whose result is a large array built on the worker threads, and a Pass whose result is a large
    // object (keys and strings that need escaping, nested values)
    std::string items = "[";
    for (int i = 0; i < 1500; ++i) items += (i ? "," : "") + std::string(R"({"n":)") + std::to_string(i) + R"(,"s":"\"q\" \u00e9 )" + std::string(40, 'x') + R"("})";
    items += "]";
    const auto map = compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{
        "StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$","k":[1,{"z":null}]},"End":true}}},"End":true}}})"));
    std::string members = "{";
    for (int i = 0; i < 2000; ++i) members += (i ? "," : "") + std::string(R"("key\\)") + std::to_string(i) + R"(":")" + std::string(80, 'y') + R"(\n")";
    members += "}";
    const auto pass = compile(std::string_view(R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":)" + members + R"(,"End":true}}})"));
    for (const CompiledMachine* machine : {&map, &pass}) {
        std::vector<std::string> texts;
        for (unsigned threads : {1u, 2u, 4u}) {
            auto options = virtual_options();
            options.max_threads = threads;
            // WHEN it runs on one thread and on more
            const auto r = Execution(*machine, Value::parse(items), options).run();
            ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.error.value_or("") << ": " << r.cause.value_or("");
            // THEN the output text is exactly what Value::dump prints, whoever printed it
            EXPECT_EQ(r.output_json(), r.output.dump());
            texts.push_back(r.output_json());
        }
        EXPECT_EQ(texts[0], texts[1]);
        EXPECT_EQ(texts[0], texts[2]);
        EXPECT_EQ(Value::parse(texts[1]), machine == &map ? Value::parse(texts[0]) : Value::parse(members));
    }
}

TEST(Parallel, BranchFailureFailsTheStateWithTheBranchError) {
    const auto r = run_text(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Fail","Error":"BranchBroke","Cause":"b"}}}],"End":true}}})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "BranchBroke");
    EXPECT_EQ(r.cause, "b");
}

TEST(Parallel, OutputIsTheArrayOfBranchOutputs) {
    auto options = virtual_options();
    options.max_threads = 2;
    const auto r = run_text(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}],"End":true}}})",
                            "{}", options);
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output_json(), "[1,2]");
}

namespace {
/// A loop of `n` Choice+Pass rounds as a branch whose state names end in `tag` (n = 0: one Pass).
std::string counting_branch(const std::string& tag, int n) {
    std::string text = n == 0 ? R"j({"StartAt":"Only@","States":{"Only@":{"Type":"Pass","End":true}}})j"
                              : R"j({"StartAt":"Init@","States":{"Init@":{"Type":"Pass","Parameters":{"i":0},"Next":"Check@"},
        "Check@":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":#,"Next":"Step@"}],"Default":"Done@"},
        "Step@":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"Check@"},
        "Done@":{"Type":"Succeed"}}})j";
    std::string out;
    for (char c : text) out += c == '@' ? tag : c == '#' ? std::to_string(n) : std::string(1, c);
    return out;
}
}  // namespace

TEST(Parallel, BranchHistoriesInterleaveStepByStepWhetherKeptOrOnlyStreamedAndOnAnyNumberOfThreads) {
    // GIVEN a Parallel whose branches record very different numbers of events (1 to 1,200: enough for the
    // merge to use a helper), one of them a nested Parallel, the whole inside a Map too
    auto fan = [](const std::string& s) {
        const std::string nested = R"({"StartAt":"Inner)" + s + R"(","States":{"Inner)" + s +
                                   R"(":{"Type":"Parallel","Branches":[)" + counting_branch("x" + s, 7) + "," +
                                   counting_branch("y" + s, 0) + "," + counting_branch("z" + s, 30) + R"(],"End":true}}})";
        return R"({"Type":"Parallel","Branches":[)" + counting_branch("a" + s, 3) + "," + counting_branch("b" + s, 300) +
               "," + nested + "," + counting_branch("c" + s, 0) + "," + counting_branch("d" + s, 45) + "]";
    };
    const auto machine = compile(std::string_view(R"({"StartAt":"Fan","States":{"Fan":)" + fan("") +
                                                  R"(,"ResultPath":"$.fan","Next":"M"},"M":{"Type":"Map","ItemsPath":"$.xs","ItemProcessor":{"StartAt":"F","States":{"F":)" +
                                                  fan("m") + R"(,"End":true}}},"End":true}}})"));
    // AND a Parallel of 40 branches of 0 to 22 rounds (more children than the merge counts places for on the fly)
    std::string wide = R"({"StartAt":"Wide","States":{"Wide":{"Type":"Parallel","Branches":[)";
    for (int b = 0; b < 40; ++b) wide += (b ? "," : "") + counting_branch("w" + std::to_string(b), (b * 7) % 23);
    wide += R"(],"End":true}}})";
    const auto wide_machine = compile(std::string_view(wide));
    using Row = std::tuple<std::int64_t, std::int64_t, std::string, std::string, std::string>;
    auto row = [](const HistoryEvent& e) {
        return Row{e.id, e.previous_event_id, std::string(to_string(e.type)), std::string(e.name),
                   e.payload ? e.payload->dump() : ""};
    };
    auto run_with = [&](unsigned threads, bool keep, const CompiledMachine* m = nullptr) {
        auto options = virtual_options();
        options.max_threads = threads;
        options.record_history = keep;
        std::vector<Row> streamed;
        options.history_sink = [&](const HistoryEvent& e) { streamed.push_back(row(e)); };
        Execution exec(m ? *m : machine, Value::parse(R"({"xs":[1,2]})"), options);
        const auto r = exec.run();
        EXPECT_EQ(r.status, ExecutionStatus::Succeeded) << r.error.value_or("") << ": " << r.cause.value_or("");
        std::vector<Row> kept;
        for (const auto& e : exec.history()) kept.push_back(row(e));
        if (keep) EXPECT_EQ(kept, streamed);
        return streamed;
    };
    // WHEN the history is kept (children placed at once) and only streamed (merged event by event)
    const auto streamed_only = run_with(1, false);
    // THEN both see the same events in the same order with the same links, on one thread and on two
    EXPECT_EQ(run_with(1, true), streamed_only);
    EXPECT_EQ(run_with(2, true), streamed_only);
    EXPECT_EQ(run_with(2, false), streamed_only);
    const auto wide_streamed = run_with(1, false, &wide_machine);
    EXPECT_GT(wide_streamed.size(), 1024u);  // enough for the merge to use a helper
    EXPECT_EQ(run_with(1, true, &wide_machine), wide_streamed);
    EXPECT_EQ(run_with(2, true, &wide_machine), wide_streamed);
    // AND the branches take turns: the second events of branches a and b follow each other
    ASSERT_GT(streamed_only.size(), 3000u);
    const auto pos = [&](const std::string& name) {
        return std::find_if(streamed_only.begin(), streamed_only.end(), [&](const Row& r) {
                   return std::get<3>(r) == name && std::get<2>(r) == "ChoiceStateEntered";
               }) - streamed_only.begin();
    };
    EXPECT_EQ(pos("Checkb") - pos("Checka"), 1);
}

TEST(Clock, VirtualClockNeverMovesBackwards) {
    VirtualClock clock(test_epoch());
    Interrupt interrupt;
    EXPECT_TRUE(clock.sleep_until(test_epoch() + std::chrono::seconds(10), interrupt));
    EXPECT_TRUE(clock.sleep_until(test_epoch() + std::chrono::seconds(5), interrupt));
    EXPECT_EQ(clock.now(), test_epoch() + std::chrono::seconds(10));
    interrupt.signal();
    EXPECT_FALSE(clock.sleep_until(test_epoch() + std::chrono::seconds(20), interrupt));
}
