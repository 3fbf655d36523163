// The model is a set of regular value types: copyable, comparable, recursive where ASL is.
#include "sfn/model/model.hpp"

#include <gtest/gtest.h>

namespace m = sfn::model;

TEST(Model, StatesAreComparableValues) {
    // GIVEN a task and a copy of it
    m::Task task;
    task.resource = "arn:aws:states:::lambda:invoke";
    task.common.next = "Done";
    sfn::model::present(task.retry).push_back(m::Retrier{.error_equals = {"States.ALL"}, .max_attempts = 2});
    m::State a = task;
    m::State b = a;
    // THEN they compare equal, and a change makes them differ
    EXPECT_EQ(a, b);
    (*std::get<m::Task>(b).retry)[0].max_attempts = 3;
    EXPECT_NE(a, b);
}

TEST(Model, NestedChoiceRulesCopyDeeply) {
    // GIVEN Not(And(x > 1, IsPresent y))
    m::Rule gt{m::Comparison{m::Path{"$.x"}, m::Operator::NumericGreaterThan, std::int64_t{1}}};
    m::Rule present{m::Comparison{m::Path{"$.y"}, m::Operator::IsPresent, true}};
    m::Rule both{m::And{{gt, present}}};
    m::Rule negated{m::Not{both}};
    // WHEN copied and the copy's inner rule is changed
    m::Rule copy = negated;
    auto& inner = std::get<m::And>(std::get<m::Not>(copy.test).rule->test);
    std::get<m::Comparison>(inner.rules[0].test).operand = std::int64_t{2};
    // THEN the original is untouched
    EXPECT_NE(copy, negated);
    EXPECT_EQ(std::get<m::Comparison>(std::get<m::And>(std::get<m::Not>(negated.test).rule->test).rules[0].test).operand,
              m::Operand{std::int64_t{1}});
}

TEST(Model, OperatorNamesRoundTripAndKnowTheirOperandKind) {
    for (auto op : m::all_operators()) {
        EXPECT_EQ(m::operator_from_string(m::to_string(op)), op) << m::to_string(op);
    }
    EXPECT_EQ(m::all_operators().size(), 39u);
    EXPECT_EQ(m::operand_kind(m::Operator::TimestampLessThanEqualsPath), m::OperandKind::Path);
    EXPECT_EQ(m::operand_kind(m::Operator::IsTimestamp), m::OperandKind::Boolean);
    EXPECT_EQ(m::operand_kind(m::Operator::StringMatches), m::OperandKind::String);
    EXPECT_FALSE(m::operator_from_string("NumericEqual").has_value());
}

TEST(Model, TypeNameAndCommonFieldsWorkForEveryStateType) {
    m::StateMachine sm;
    sm.start_at = "A";
    sm.states.push_back({"A", m::Pass{}});
    sm.states.push_back({"B", m::Map{}});
    EXPECT_EQ(m::type_name(sm.states[1].state), "Map");
    m::common(sm.states[0].state).next = "B";
    EXPECT_EQ(std::get<m::Pass>(*sm.find("A")).common.next, "B");
    EXPECT_EQ(sm.find("Z"), nullptr);
}
