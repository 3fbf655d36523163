// Choice rules (operators, combinators, Default, NoChoiceMatched) and Wait states on the virtual clock.
#include "engine_support.hpp"

#include <gtest/gtest.h>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {
std::string choose(const std::string& rule, const std::string& input) {
    const auto r = run_text(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" + rule +
                                R"(],"Default":"No"},"Yes":{"Type":"Pass","Result":"yes","End":true},
                                "No":{"Type":"Pass","Result":"no","End":true}}})",
                            input);
    return r.status == ExecutionStatus::Succeeded ? r.output.as_string() : "failed: " + r.error.value_or("");
}
}  // namespace

TEST(Choice, ComparisonOperatorsPickTheMatchingBranch) {
    EXPECT_EQ(choose(R"({"Variable":"$.n","NumericGreaterThanEquals":5,"Next":"Yes"})", R"({"n":5})"), "yes");
    EXPECT_EQ(choose(R"({"Variable":"$.n","NumericLessThan":5,"Next":"Yes"})", R"({"n":5.5})"), "no");
    EXPECT_EQ(choose(R"({"Variable":"$.s","StringMatches":"log-*.txt","Next":"Yes"})", R"({"s":"log-1.txt"})"), "yes");
    EXPECT_EQ(choose(R"({"Variable":"$.s","StringMatches":"a\\*b","Next":"Yes"})", R"({"s":"a*b"})"), "yes");
    EXPECT_EQ(choose(R"({"Variable":"$.t","TimestampLessThan":"2024-01-01T00:00:00Z","Next":"Yes"})",
                     R"({"t":"2023-12-31T23:59:59+00:00"})"),
              "yes");
    EXPECT_EQ(choose(R"({"Variable":"$.a","NumericEqualsPath":"$.b","Next":"Yes"})", R"({"a":1,"b":1.0})"), "yes");
    EXPECT_EQ(choose(R"({"Variable":"$.b","BooleanEquals":true,"Next":"Yes"})", R"({"b":"true"})"), "no");
}

TEST(Choice, TypeTestsAndCombinatorsWork) {
    EXPECT_EQ(choose(R"({"Variable":"$.missing","IsPresent":false,"Next":"Yes"})", "{}"), "yes");
    EXPECT_EQ(choose(R"({"And":[{"Variable":"$.x","IsNumeric":true},{"Not":{"Variable":"$.x","NumericEquals":0}}],
        "Next":"Yes"})", R"({"x":3})"), "yes");
    EXPECT_EQ(choose(R"({"Or":[{"Variable":"$.x","IsNull":true},{"Variable":"$.x","IsString":true}],"Next":"Yes"})",
                     R"({"x":1})"),
              "no");
}

TEST(Choice, NoMatchWithoutDefaultFailsWithNoChoiceMatched) {
    const auto r = run_text(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x",
        "NumericEquals":1,"Next":"E"}]},"E":{"Type":"Succeed"}}})",
                            R"({"x":2})");
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.NoChoiceMatched");
}

TEST(Wait, VirtualClockSkipsTheWaitButStampsEventsLater) {
    // GIVEN a one-hour wait on a virtual clock
    Execution exec(compile(std::string_view(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,
        "End":true}}})")),
                   Value::object(), virtual_options());
    // WHEN it runs
    const auto r = exec.run();
    // THEN it succeeds at once and WaitStateExited is stamped one hour after WaitStateEntered
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    const auto& h = exec.history();
    ASSERT_EQ(event_types(h), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                                        "ExecutionSucceeded"}));
    EXPECT_EQ(h[2].timestamp - h[1].timestamp, std::chrono::hours(1));
}

TEST(Wait, ATimestampCountsToTheSecond) {
    // AWS truncates a timestamp's milliseconds: waiting until 01:00:00.999 ends at 01:00:00.000 (the virtual
    // clock starts at 2024-01-01T00:00:00.000Z). Timestamp, TimestampPath and the JSONata Timestamp alike.
    for (const char* definition :
         {R"({"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2024-01-01T01:00:00.999Z","End":true}}})",
          R"({"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.t","End":true}}})",
          R"({"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"{% $states.input.t %}",
              "End":true}}})"}) {
        Execution exec(compile(std::string_view(definition)), Value::parse(R"({"t":"2024-01-01T01:00:00.999Z"})"),
                       virtual_options());
        ASSERT_EQ(exec.run().status, ExecutionStatus::Succeeded) << definition;
        const auto& h = exec.history();
        ASSERT_EQ(h.size(), 4u);
        EXPECT_EQ(h[2].timestamp - h[1].timestamp, std::chrono::hours(1)) << definition;
    }
}

TEST(Wait, SecondsPathMustBeAnInteger) {
    const auto r = run_text(R"({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})",
                            R"({"s":1.5})");
    EXPECT_EQ(r.error, "States.Runtime");
    EXPECT_EQ(r.cause, "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath "
                       "parameter cannot be parsed as a long value: $.s == 1.5");
}

TEST(Wait, MachineTimeoutEndsTheExecutionAsTimedOut) {
    const auto r = run_text(R"({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,
        "End":true}}})");
    EXPECT_EQ(r.status, ExecutionStatus::TimedOut);
    EXPECT_EQ(r.error, "States.Timeout");
    EXPECT_EQ(r.stop_time - r.start_time, std::chrono::seconds(5));
}
