// Choice conditions: one comparison factory picks the ASL operator from the operand type.

#include "sfn/builder/builder.hpp"
#include "sfn/jsonpath/error.hpp"

#include <gtest/gtest.h>

namespace {

using Json = nlohmann::ordered_json;
using sfn::Var;

/// The condition as it appears in a Choice rule (without Next).
Json rendered(const sfn::Condition& condition) {
    auto choice = sfn::Choice("C").add_rule(condition.next_then(sfn::Succeed("T")));
    Json rule = choice.serialize().at("Choices").at(0);
    rule.erase("Next");
    return rule;
}

std::string op_of(const sfn::Condition& condition) {
    Json rule = rendered(condition);
    rule.erase("Variable");
    return rule.begin().key();
}

TEST(Conditions, TheOperandTypePicksTheOperatorFamily) {
    EXPECT_EQ(rendered(Var("$.s") == "abc").dump(), R"({"Variable":"$.s","StringEquals":"abc"})");
    EXPECT_EQ(rendered(Var("$.n") == 3).dump(), R"({"Variable":"$.n","NumericEquals":3})");
    EXPECT_EQ(rendered(Var("$.n") < 2.5).dump(), R"({"Variable":"$.n","NumericLessThan":2.5})");
    EXPECT_EQ(rendered(Var("$.b") == false).dump(), R"({"Variable":"$.b","BooleanEquals":false})");
    EXPECT_EQ(rendered(Var("$.t") >= sfn::Timestamp{"2026-01-01T00:00:00Z"}).dump(),
              R"({"Variable":"$.t","TimestampGreaterThanEquals":"2026-01-01T00:00:00Z"})");
    EXPECT_EQ(rendered(Var("$.s") > std::string("m")).dump(), R"({"Variable":"$.s","StringGreaterThan":"m"})");
}

TEST(Conditions, TypedPathOperandsPickThePathForm) {
    EXPECT_EQ(rendered(Var("$.a").equals(sfn::number_at("$.b"))).dump(),
              R"({"Variable":"$.a","NumericEqualsPath":"$.b"})");
    EXPECT_EQ(rendered(Var("$.a") <= sfn::string_at("$.b")).dump(),
              R"({"Variable":"$.a","StringLessThanEqualsPath":"$.b"})");
    EXPECT_EQ(rendered(Var("$.a") == sfn::bool_at("$.b")).dump(), R"({"Variable":"$.a","BooleanEqualsPath":"$.b"})");
    EXPECT_EQ(rendered(Var("$.a") > sfn::timestamp_at("$$.Execution.StartTime")).dump(),
              R"({"Variable":"$.a","TimestampGreaterThanPath":"$$.Execution.StartTime"})");
}

TEST(Conditions, TheOriginalsNamedMethodsCoverEveryComparisonOperator) {
    Var x("$.x");
    std::vector<std::pair<sfn::Condition, std::string>> cases = {
        {x.string_equals("a"), "StringEquals"},
        {x.string_equals_path("$.y"), "StringEqualsPath"},
        {x.string_less_than("a"), "StringLessThan"},
        {x.string_less_than_path("$.y"), "StringLessThanPath"},
        {x.string_greater_than("a"), "StringGreaterThan"},
        {x.string_greater_than_path("$.y"), "StringGreaterThanPath"},
        {x.string_less_than_equals("a"), "StringLessThanEquals"},
        {x.string_less_than_equals_path("$.y"), "StringLessThanEqualsPath"},
        {x.string_greater_than_equals("a"), "StringGreaterThanEquals"},
        {x.string_greater_than_equals_path("$.y"), "StringGreaterThanEqualsPath"},
        {x.string_matches("log-*.txt"), "StringMatches"},
        {x.numeric_equals(1), "NumericEquals"},
        {x.numeric_equals_path("$.y"), "NumericEqualsPath"},
        {x.numeric_less_than(1), "NumericLessThan"},
        {x.numeric_less_than_path("$.y"), "NumericLessThanPath"},
        {x.numeric_greater_than(1), "NumericGreaterThan"},
        {x.numeric_greater_than_path("$.y"), "NumericGreaterThanPath"},
        {x.numeric_less_than_equals(1), "NumericLessThanEquals"},
        {x.numeric_less_than_equals_path("$.y"), "NumericLessThanEqualsPath"},
        {x.numeric_greater_than_equals(1.5), "NumericGreaterThanEquals"},
        {x.numeric_greater_than_equals_path("$.y"), "NumericGreaterThanEqualsPath"},
        {x.boolean_equals(true), "BooleanEquals"},
        {x.boolean_equals_path("$.y"), "BooleanEqualsPath"},
        {x.timestamp_equals("2026-01-01T00:00:00Z"), "TimestampEquals"},
        {x.timestamp_equals_path("$.y"), "TimestampEqualsPath"},
        {x.timestamp_less_than("2026-01-01T00:00:00Z"), "TimestampLessThan"},
        {x.timestamp_less_than_path("$.y"), "TimestampLessThanPath"},
        {x.timestamp_greater_than("2026-01-01T00:00:00Z"), "TimestampGreaterThan"},
        {x.timestamp_greater_than_path("$.y"), "TimestampGreaterThanPath"},
        {x.timestamp_less_than_equals("2026-01-01T00:00:00Z"), "TimestampLessThanEquals"},
        {x.timestamp_less_than_equals_path("$.y"), "TimestampLessThanEqualsPath"},
        {x.timestamp_greater_than_equals("2026-01-01T00:00:00Z"), "TimestampGreaterThanEquals"},
        {x.timestamp_greater_than_equals_path("$.y"), "TimestampGreaterThanEqualsPath"},
        {x.is_null(), "IsNull"},
        {x.is_present(), "IsPresent"},
        {x.is_numeric(), "IsNumeric"},
        {x.is_string(), "IsString"},
        {x.is_boolean(), "IsBoolean"},
        {x.is_timestamp(), "IsTimestamp"},
    };
    for (const auto& [condition, op] : cases) EXPECT_EQ(op_of(condition), op);
    // every operator of the model is reachable from the builder
    EXPECT_EQ(cases.size(), sfn::model::all_operators().size());
}

TEST(Conditions, TypeTestsCarryTheirExpectedValue) {
    EXPECT_EQ(rendered(Var("$.x").is_present()).dump(), R"({"Variable":"$.x","IsPresent":true})");
    EXPECT_EQ(rendered(Var("$.x").is_not_present()).dump(), R"({"Variable":"$.x","IsPresent":false})");
    EXPECT_EQ(rendered(Var("$.x").is_not_null()).dump(), R"({"Variable":"$.x","IsNull":false})");
    EXPECT_EQ(rendered(Var("$.x").is_not_numeric()).dump(), R"({"Variable":"$.x","IsNumeric":false})");
    EXPECT_EQ(rendered(Var("$.x").is_not_string()).dump(), R"({"Variable":"$.x","IsString":false})");
    EXPECT_EQ(rendered(Var("$.x").is_not_boolean()).dump(), R"({"Variable":"$.x","IsBoolean":false})");
    EXPECT_EQ(rendered(Var("$.x").is_not_timestamp()).dump(), R"({"Variable":"$.x","IsTimestamp":false})");
}

TEST(Conditions, CombinatorsNestAndFlatten) {
    auto c = Var("$.a") == 1 && Var("$.b") == "x" && !Var("$.c").is_null();
    EXPECT_EQ(rendered(c), Json::parse(R"({"And":[{"Variable":"$.a","NumericEquals":1},
        {"Variable":"$.b","StringEquals":"x"},{"Not":{"Variable":"$.c","IsNull":true}}]})"));
    auto d = sfn::or_({Var("$.a") == 1, sfn::and_({Var("$.b") == 2, Var("$.c") == 3})});
    EXPECT_EQ(rendered(d), Json::parse(R"({"Or":[{"Variable":"$.a","NumericEquals":1},
        {"And":[{"Variable":"$.b","NumericEquals":2},{"Variable":"$.c","NumericEquals":3}]}]})"));
    EXPECT_EQ(rendered(sfn::not_(Var("$.a") == 1) || Var("$.b") == 2),
              Json::parse(R"({"Or":[{"Not":{"Variable":"$.a","NumericEquals":1}},{"Variable":"$.b","NumericEquals":2}]})"));
}

TEST(Conditions, JsonataConditionRendersAsCondition) {
    auto choice = sfn::Choice("C").query_language(sfn::model::QueryLanguage::JSONata);
    choice.add_rule(sfn::condition("{% $states.input.n > 3 %}").next_then(sfn::Succeed("Big")).assign({{"big", true}}));
    EXPECT_EQ(choice.serialize(), Json::parse(R"({"Type":"Choice","QueryLanguage":"JSONata",
        "Choices":[{"Condition":"{% $states.input.n > 3 %}","Next":"Big","Assign":{"big":true}}]})"));
}

TEST(Conditions, BooleansCannotBeOrdered) {
    try {
        (void)(Var("$.b") < true);
        FAIL() << "expected BuildError";
    } catch (const sfn::builder::BuildError& e) {
        EXPECT_STREQ(e.what(),
                     "[sfn.build.E007] Var('$.b'): BooleanLessThan is not an ASL operator (booleans can only be "
                     "compared for equality)");
    }
}

TEST(Conditions, NamedNumericMethodsRefuseStrings) {
    try {
        (void)Var("$.n").numeric_equals("3");
        FAIL() << "expected BuildError";
    } catch (const sfn::builder::BuildError& e) {
        EXPECT_STREQ(e.what(), "[sfn.build.E007] Var('$.n'): NumericEquals needs a number, got a string");
    }
}

TEST(Conditions, EmptyCombinatorsThrow) {
    EXPECT_THROW((void)sfn::and_({}), sfn::builder::BuildError);
    EXPECT_THROW((void)sfn::or_({}), sfn::builder::BuildError);
}

TEST(Conditions, BadPathsThrowWhenTheConditionIsBuilt) {
    EXPECT_THROW(Var("order.id"), sfn::jsonpath::PathError);
    EXPECT_THROW((void)Var("$.a").numeric_equals_path("$.items[*]"), sfn::jsonpath::PathError);
}

TEST(Conditions, RuleCommentsAreKept) {
    EXPECT_EQ(rendered((Var("$.n") > 0).comment("positive")).dump(),
              R"({"Variable":"$.n","NumericGreaterThan":0,"Comment":"positive"})");
}

}  // namespace
