// The console's execution summary: per-state statuses (retried, caught, failed, aborted, not started) and Map
// iterations with their drill-down, replayed from GetExecutionHistory events.
#include "server/detail_console.hpp"

#include <gtest/gtest.h>

using nlohmann::json;
using sfn::server::detail::execution_summary;
using sfn::server::detail::map_iterations;

namespace {

// Builds a history: each event follows `prev` (default: the one before it).
struct History {
    json events = json::array();
    std::int64_t add(const std::string& type, json details = nullptr, std::int64_t prev = -1) {
        const auto id = static_cast<std::int64_t>(events.size()) + 1;
        json e{{"id", id}, {"previousEventId", prev < 0 ? id - 1 : prev}, {"type", type}};
        if (!details.is_null()) e[detailsKey(type)] = std::move(details);
        events.push_back(std::move(e));
        return id;
    }
    static std::string detailsKey(const std::string& type) {
        if (type.ends_with("StateEntered")) return "stateEnteredEventDetails";
        if (type.ends_with("StateExited")) return "stateExitedEventDetails";
        if (type.starts_with("MapIteration")) return "mapIteration" + type.substr(12) + "EventDetails";
        std::string key = type;
        key[0] = static_cast<char>(std::tolower(key[0]));
        return key + "EventDetails";
    }
};

}  // namespace

TEST(ConsoleSummary, NamesRetriedCaughtAndFailedStates) {
    // GIVEN a task that fails once and then succeeds, one whose failure is caught, and one still open when the
    // execution fails
    History h;
    h.add("ExecutionStarted", json{{"input", "{}"}});
    h.add("TaskStateEntered", json{{"name", "Charge"}, {"input", "{\"n\":1}"}});
    h.add("LambdaFunctionScheduled", json{{"resource", "f"}});
    h.add("LambdaFunctionFailed", json{{"error", "States.TaskFailed"}, {"cause", "declined"}});
    h.add("LambdaFunctionScheduled", json{{"resource", "f"}});
    h.add("LambdaFunctionSucceeded", json{{"output", "{}"}});
    h.add("TaskStateExited", json{{"name", "Charge"}, {"output", "{\"charged\":true}"}});
    h.add("TaskStateEntered", json{{"name", "Reserve"}, {"input", "{}"}});
    h.add("LambdaFunctionScheduled", json{{"resource", "g"}});
    h.add("LambdaFunctionFailed", json{{"error", "OutOfStock"}});
    h.add("TaskStateExited", json{{"name", "Reserve"}, {"output", "{}"}});
    h.add("TaskStateEntered", json{{"name", "Ship"}, {"input", "{}"}});
    h.add("LambdaFunctionScheduled", json{{"resource", "s"}});
    h.add("LambdaFunctionFailed", json{{"error", "Boom"}, {"cause", "no truck"}});
    h.add("ExecutionFailed", json{{"error", "Boom"}});

    // WHEN it is summarised
    const auto s = execution_summary(h.events, std::nullopt)["states"];

    // THEN each state has its status, and its input, output and error
    EXPECT_EQ(s["Charge"]["status"], "retried");
    EXPECT_EQ(s["Charge"]["output"], "{\"charged\":true}");
    EXPECT_EQ(s["Charge"]["error"], "States.TaskFailed");
    EXPECT_EQ(s["Reserve"]["status"], "caught");
    EXPECT_EQ(s["Reserve"]["error"], "OutOfStock");
    EXPECT_EQ(s["Ship"]["status"], "failed");
    EXPECT_EQ(s["Ship"]["cause"], "no truck");
    EXPECT_FALSE(s.contains("Done"));  // never entered: not started
}

TEST(ConsoleSummary, RunningAndAbortedStates) {
    History h;
    h.add("ExecutionStarted");
    h.add("WaitStateEntered", json{{"name", "Review"}, {"input", "{}"}});
    EXPECT_EQ(execution_summary(h.events, std::nullopt)["states"]["Review"]["status"], "running");
    h.add("ExecutionAborted");
    EXPECT_EQ(execution_summary(h.events, std::nullopt)["states"]["Review"]["status"], "aborted");
}

TEST(ConsoleSummary, MapIterationsAreCountedAndDrilledInto) {
    // GIVEN a Map of three concurrent iterations (events interleaved, linked by previousEventId), one failing
    History h;
    h.add("ExecutionStarted");
    h.add("MapStateEntered", json{{"name", "Each"}, {"input", "[1,2,3]"}});
    const auto started = h.add("MapStateStarted", json{{"length", 3}});
    std::int64_t first[3];
    for (int i : {2, 0, 1}) first[i] = h.add("MapIterationStarted", json{{"name", "Each"}, {"index", i}}, started);
    std::int64_t entered[3];
    for (int i = 0; i < 3; ++i) {  // item 1 reaches a Fail state
        entered[i] = h.add(i == 1 ? "FailStateEntered" : "PassStateEntered",
                           json{{"name", i == 1 ? "Give up" : "Work"}, {"input", std::to_string(i)}}, first[i]);
    }
    std::int64_t last = 0;
    for (int i = 0; i < 3; ++i) {
        if (i == 1) {
            last = h.add("MapIterationFailed", json{{"name", "Each"}, {"index", i}}, entered[i]);
            continue;
        }
        const auto exited = h.add("PassStateExited", json{{"name", "Work"}, {"output", std::to_string(i)}}, entered[i]);
        last = h.add("MapIterationSucceeded", json{{"name", "Each"}, {"index", i}}, exited);
    }
    h.add("MapStateSucceeded", nullptr, last);
    h.add("MapStateExited", json{{"name", "Each"}, {"output", "[]"}});
    h.add("ExecutionSucceeded");

    // WHEN the whole execution is summarised, THEN the inner state shows counts over all iterations
    const auto all = execution_summary(h.events, std::nullopt);
    EXPECT_EQ(all["states"]["Each"]["status"], "succeeded");
    EXPECT_EQ(all["states"]["Work"]["counts"], (json{{"succeeded", 2}}));
    EXPECT_EQ(all["states"]["Work"]["badge"], "2\u2713");
    EXPECT_EQ(all["states"]["Give up"]["status"], "failed");
    EXPECT_EQ(all["states"]["Give up"]["badge"], "1\u2717");
    EXPECT_EQ(all["maps"]["Each"], (json{{"total", 3}, {"counts", {{"succeeded", 2}, {"failed", 1}}}}));

    // AND the iterations are listed by index, filtered by status
    const auto list = map_iterations(h.events, "Each", std::nullopt, "", 0, 10);
    ASSERT_EQ(list["total"], 3);
    EXPECT_EQ(list["iterations"][0]["index"], 0);
    EXPECT_EQ(list["iterations"][2]["index"], 2);
    EXPECT_EQ(list["iterations"][0]["key"], first[0]);
    EXPECT_EQ(map_iterations(h.events, "Each", std::nullopt, "failed", 0, 10)["iterations"],
              (json{{{"key", first[1]}, {"index", 1}, {"status", "failed"}}}));
    EXPECT_EQ(map_iterations(h.events, "Each", std::nullopt, "", 1, 1)["iterations"][0]["index"], 1);

    // AND one iteration shows its own states, with the states around the Map as they are
    const auto one = execution_summary(h.events, first[2]);
    EXPECT_EQ(one["states"]["Work"]["status"], "succeeded");
    EXPECT_EQ(one["states"]["Work"]["input"], "2");
    EXPECT_FALSE(one["states"]["Work"].contains("badge"));
    EXPECT_EQ(one["states"]["Each"]["status"], "succeeded");
}
