// Paths over the JSONPath evaluation budget (jsonpath::max_evaluation_steps) inside an execution: the state
// fails with States.Runtime and the evaluator's cause, never reads the path as absent (a wrong Choice branch,
// a misleading "invalid value" or "No results" cause).
//
// Only the Choice rules are tested here: the other engine paths read with try_select (Wait SecondsPath and
// TimestampPath, Task TimeoutSecondsPath and HeartbeatSecondsPath, Map MaxConcurrencyPath and its other
// number paths) must be reference paths, which compile refuses to take `..`, wildcards or filters, so they
// cannot reach the budget.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace sfn::engine;
using namespace sfn::engine::testing;

namespace {

// `$..*..*..*` over arrays nested 500 deep would collect about 20 million matches (see
// tests/jsonpath/budget_test.cpp); `$..*..*` over the same input completes.
const std::string heavy = "$..*..*..*";

std::string deep_input() { return R"({"d":)" + std::string(500, '[') + std::string(500, ']') + "}"; }

std::string over_budget_cause(const std::string& state) {
    return "An error occurred while executing the state '" + state + "' (entered at the event id #2). Invalid path '" +
           heavy + "' : needs more than 5,000,000 evaluation steps (the limit), simplify the path or the input";
}

// A Choice state "C" with one rule leading to "Yes" and the Default "No"; each returns its name.
ExecutionResult choose(const std::string& rule, const std::string& input) {
    return run_text(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" + rule +
                        R"(],"Default":"No"},"Yes":{"Type":"Pass","Result":"yes","End":true},
                        "No":{"Type":"Pass","Result":"no","End":true}}})",
                    input);
}

// The branch taken, or the error.
std::string routed(const std::string& rule, const std::string& input) {
    const auto r = choose(rule, input);
    return r.status == ExecutionStatus::Succeeded ? r.output.as_string() : "failed: " + r.error.value_or("");
}

}  // namespace

TEST(ChoiceBudget, VariableOverTheBudgetFailsWithStatesRuntime) {
    // GIVEN a comparison whose Variable needs more work than the budget allows
    // WHEN the Choice state evaluates it
    const auto r = choose(R"({"Variable":")" + heavy + R"(","IsNumeric":false,"Next":"Yes"})", deep_input());
    // THEN the execution fails with the evaluator's cause instead of taking a branch
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, over_budget_cause("C"));
}

TEST(ChoiceBudget, IsPresentOverTheBudgetFailsInsteadOfBeingFalse) {
    // GIVEN IsPresent rules on the over-budget path, expecting presence and absence
    for (const char* expected : {"true", "false"}) {
        // WHEN the Choice state evaluates them
        const auto r =
            choose(R"({"Variable":")" + heavy + R"(","IsPresent":)" + expected + R"(,"Next":"Yes"})", deep_input());
        // THEN neither is answered: the execution fails with the budget cause
        EXPECT_EQ(r.status, ExecutionStatus::Failed) << expected;
        EXPECT_EQ(r.error, "States.Runtime") << expected;
        EXPECT_EQ(r.cause, over_budget_cause("C")) << expected;
    }
}

TEST(ChoiceBudget, PathOperandOverTheBudgetFailsInsteadOfAnInvalidValue) {
    // GIVEN a *Path comparison whose Variable is ordinary and whose operand path is over the budget
    // WHEN the Choice state evaluates it
    const auto r = choose(R"({"Variable":"$.d","StringEqualsPath":")" + heavy + R"(","Next":"Yes"})", deep_input());
    // THEN the execution fails with the budget cause naming the operand path
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, over_budget_cause("C"));
}

TEST(ChoiceBudget, RulesBelowTheBudgetRouteAsBefore) {
    // GIVEN the same deep input and paths that stay below the budget
    const std::string input = deep_input();
    // WHEN Choice rules test them THEN they route as without a budget
    EXPECT_EQ(routed(R"({"Variable":"$..*..*","IsPresent":true,"Next":"Yes"})", input), "yes");
    EXPECT_EQ(routed(R"({"Variable":"$.missing","IsPresent":true,"Next":"Yes"})", input), "no");
    EXPECT_EQ(routed(R"({"Variable":"$.n","NumericEqualsPath":"$.m","Next":"Yes"})", R"({"n":2,"m":2})"), "yes");
    EXPECT_EQ(routed(R"({"Variable":"$.s","StringEquals":"b","Next":"Yes"})", R"({"s":"a"})"), "no");
    // AND an absent operand path still fails as an invalid value
    const auto r = choose(R"({"Variable":"$.n","NumericEqualsPath":"$.m","Next":"Yes"})", R"({"n":2})");
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause,
              "An error occurred while executing the state 'C' (entered at the event id #2). Invalid path "
              "'$.m': The choice state's condition path references an invalid value.");
}
