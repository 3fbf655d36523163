// JSONata state machines written with the builder: typed expressions checked when they are built, rendered as
// the `{% %}` strings AWS expects, valid ASL, and run by the engine.
#include "sfn/asl/asl.hpp"
#include "sfn/builder/builder.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/engine/machine.hpp"

#include <gtest/gtest.h>

namespace {

using namespace sfn::literals;
using sfn::model::QueryLanguage;
using OJ = nlohmann::ordered_json;

// THEN-helper: `make` throws BuildError with exactly `message`.
template <class F>
void expect_build_error(F make, const std::string& message) {
    try {
        make();
        FAIL() << "expected BuildError: " << message;
    } catch (const sfn::builder::BuildError& e) {
        EXPECT_EQ(e.code(), "sfn.build.E011");
        EXPECT_EQ(std::string(e.what()), message);
    }
}

TEST(Jsonata, AnExpressionRendersFramedAndAcceptsBareOrFramedText) {
    EXPECT_EQ("$states.input.n + 1"_jsonata.str(), "{% $states.input.n + 1 %}");
    EXPECT_EQ(sfn::Jsonata("{%  $states.input.n + 1 %}"), sfn::builder::jsonata("$states.input.n + 1"));
    EXPECT_EQ(sfn::Jsonata(" $x ").text(), "$x");
    const OJ in_template = {{"n", "$x"_jsonata}};
    EXPECT_EQ(in_template, OJ::parse(R"({"n":"{% $x %}"})"));
}

TEST(Jsonata, ASyntaxErrorIsReportedAtBuildTimeWithItsPosition) {
    expect_build_error([] { (void)sfn::Jsonata("$states.input.x >"); },
                       "[sfn.build.E011] invalid JSONata expression '$states.input.x >': S0207 at position 17: "
                       "Unexpected end of expression");
    expect_build_error([] { (void)"$sum([1, 2)"_jsonata; },
                       "[sfn.build.E011] invalid JSONata expression '$sum([1, 2)': S0202 at position 11: "
                       "Expected ], got )");
    expect_build_error([] { (void)sfn::Jsonata("{%   %}"); }, "[sfn.build.E011] empty JSONata expression '{%   %}'");
}

TEST(Jsonata, HandWrittenExpressionStringsInTemplatesAreCheckedToo) {
    expect_build_error(
        [] { (void)sfn::Pass("P").output({{"a", {{"b", "{% $states.input. %}"}}}}); },
        "[sfn.build.E011] state 'P', Output/a/b: invalid JSONata expression '$states.input.': S0207 at position 14: "
        "Unexpected end of expression");
    // " {% x %} " (blanks outside the frame) is a literal string for AWS, so it is not parsed
    EXPECT_NO_THROW((void)sfn::Pass("Q").output({{"a", " {% ( %} "}}));
}

TEST(Jsonata, TwoExpressionsCombineIntoOneCondition) {
    const auto both = "$a > 1"_jsonata && !"$b"_jsonata;
    EXPECT_EQ(both.text(), "($a > 1) and ($not($b))");
    const auto either = "$a"_jsonata || "$b"_jsonata;
    EXPECT_EQ(either.str(), "{% ($a) or ($b) %}");
}

// GIVEN an order workflow written with typed expressions in every kind of JSONata field
sfn::Workflow order_workflow() {
    sfn::Workflow workflow;
    workflow.query_language(QueryLanguage::JSONata);
    auto start = sfn::Pass("Start").assign({{"customer", "$states.input.customer"_jsonata}, {"currency", "EUR"}});
    auto lines = sfn::Map("Price lines")
                     .items("$states.input.lines"_jsonata)
                     .item_selector({{"line", "$states.context.Map.Item.Value"_jsonata},
                                     {"index", "$states.context.Map.Item.Index"_jsonata}})
                     .max_concurrency("$count($states.input.lines)"_jsonata)
                     .tolerated_failure_count("0"_jsonata)
                     .item_processor(sfn::Pass("Price").output(
                         {{"n", "$states.input.index + 1"_jsonata},
                          {"amount", "$states.input.line.qty * $states.input.line.price"_jsonata}})
                                         .end())
                     .output({{"amounts", "[$states.result.amount]"_jsonata}});
    auto wait = sfn::Wait("Settle").seconds("$count($states.input.amounts)"_jsonata);
    auto big = sfn::Pass("Big").output({{"customer", "$customer"_jsonata},
                                        {"total", "$sum($states.input.amounts)"_jsonata},
                                        {"currency", "$currency"_jsonata}});
    auto refuse = sfn::Fail("Refuse").error("'Order.' & $customer"_jsonata).cause("'empty order'"_jsonata);
    auto route = sfn::Choice("Route")
                     .when("$sum($states.input.amounts) >= 100"_jsonata && "$customer != ''"_jsonata, big)
                     .when(sfn::condition("$count($states.input.amounts) = 0"), refuse)
                     .otherwise(sfn::Succeed("Small"));
    workflow.start_from(start).next_then(lines).next_then(wait).next_then(route);
    big.end();
    return workflow;
}

TEST(Jsonata, ABuiltJsonataWorkflowSerializesAsAwsExpects) {
    // WHEN it is serialized
    const OJ asl = order_workflow().serialize();
    // THEN every expression is a `{% %}` string in its field (key order is serialize's, tested elsewhere)
    EXPECT_EQ(nlohmann::json(asl), nlohmann::json::parse(R"({
      "QueryLanguage": "JSONata",
      "StartAt": "Start",
      "States": {
        "Start": {"Type": "Pass", "Assign": {"customer": "{% $states.input.customer %}", "currency": "EUR"},
                  "Next": "Price lines"},
        "Price lines": {
          "Type": "Map",
          "ItemProcessor": {"StartAt": "Price", "States": {"Price": {"Type": "Pass",
              "Output": {"n": "{% $states.input.index + 1 %}",
                         "amount": "{% $states.input.line.qty * $states.input.line.price %}"},
              "End": true}}},
          "Items": "{% $states.input.lines %}",
          "ItemSelector": {"line": "{% $states.context.Map.Item.Value %}",
                           "index": "{% $states.context.Map.Item.Index %}"},
          "MaxConcurrency": "{% $count($states.input.lines) %}",
          "ToleratedFailureCount": "{% 0 %}",
          "Output": {"amounts": "{% [$states.result.amount] %}"},
          "Next": "Settle"},
        "Settle": {"Type": "Wait", "Seconds": "{% $count($states.input.amounts) %}", "Next": "Route"},
        "Route": {"Type": "Choice",
          "Choices": [
            {"Condition": "{% ($sum($states.input.amounts) >= 100) and ($customer != '') %}", "Next": "Big"},
            {"Condition": "{% $count($states.input.amounts) = 0 %}", "Next": "Refuse"}],
          "Default": "Small"},
        "Big": {"Type": "Pass", "Output": {"customer": "{% $customer %}",
                "total": "{% $sum($states.input.amounts) %}", "currency": "{% $currency %}"}, "End": true},
        "Refuse": {"Type": "Fail", "Error": "{% 'Order.' & $customer %}", "Cause": "{% 'empty order' %}"},
        "Small": {"Type": "Succeed"}
      }
    })"));
}

sfn::engine::ExecutionResult run(const sfn::Workflow& workflow, const std::string& input) {
    sfn::engine::ExecutionOptions options;
    options.clock = std::make_shared<sfn::engine::VirtualClock>();
    return sfn::engine::run(sfn::engine::compile(workflow.serialize()), sfn::Value::parse(input), options);
}

TEST(Jsonata, ABuiltJsonataWorkflowIsValidAndRunsOnTheEngine) {
    const auto workflow = order_workflow();
    // THEN the definition is valid ASL
    EXPECT_TRUE(sfn::asl::validate(workflow.definition()).empty())
        << sfn::asl::to_string(sfn::asl::validate(workflow.definition()));
    // WHEN it runs on a big order, THEN the Choice expression routes it to Big with the computed total
    const auto big = run(workflow, R"({"customer":"ada","lines":[{"qty":2,"price":30},{"qty":1,"price":45}]})");
    ASSERT_EQ(big.status, sfn::engine::ExecutionStatus::Succeeded) << big.cause.value_or("");
    EXPECT_EQ(big.output, sfn::Value::parse(R"({"customer":"ada","total":105,"currency":"EUR"})"));
    // WHEN it runs on an empty order, THEN the Fail state's expressions name the error
    const auto empty = run(workflow, R"({"customer":"bob","lines":[]})");
    EXPECT_EQ(empty.status, sfn::engine::ExecutionStatus::Failed);
    EXPECT_EQ(empty.error.value_or(""), "Order.bob");
    EXPECT_EQ(empty.cause.value_or(""), "empty order");
    // WHEN it runs on a small order, THEN it ends in Small with the Map's output
    const auto small = run(workflow, R"({"customer":"cy","lines":[{"qty":1,"price":5}]})");
    ASSERT_EQ(small.status, sfn::engine::ExecutionStatus::Succeeded) << small.cause.value_or("");
    EXPECT_EQ(small.output, sfn::Value::parse(R"({"amounts":[5]})"));
}

}  // namespace
