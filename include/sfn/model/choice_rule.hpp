#pragma once
/// \file
/// Choice rules: data-test comparisons (JSONPath), the boolean combinators And/Or/Not, and the
/// JSONata `Condition`.

#include "sfn/model/common.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sfn::model {

/// Every comparison operator of the ASL spec, named exactly as in ASL.
enum class Operator {
    StringEquals, StringEqualsPath, StringLessThan, StringLessThanPath, StringGreaterThan,
    StringGreaterThanPath, StringLessThanEquals, StringLessThanEqualsPath, StringGreaterThanEquals,
    StringGreaterThanEqualsPath, StringMatches,
    NumericEquals, NumericEqualsPath, NumericLessThan, NumericLessThanPath, NumericGreaterThan,
    NumericGreaterThanPath, NumericLessThanEquals, NumericLessThanEqualsPath, NumericGreaterThanEquals,
    NumericGreaterThanEqualsPath,
    BooleanEquals, BooleanEqualsPath,
    TimestampEquals, TimestampEqualsPath, TimestampLessThan, TimestampLessThanPath, TimestampGreaterThan,
    TimestampGreaterThanPath, TimestampLessThanEquals, TimestampLessThanEqualsPath,
    TimestampGreaterThanEquals, TimestampGreaterThanEqualsPath,
    IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp,
};

/// What kind of operand an operator takes.
enum class OperandKind { String, Number, Boolean, Timestamp, Path };

/// The ASL name of an operator, e.g. "NumericGreaterThanEqualsPath".
[[nodiscard]] std::string_view to_string(Operator op) noexcept;
/// The operator named `name`, or nullopt if ASL has no such operator.
[[nodiscard]] std::optional<Operator> operator_from_string(std::string_view name) noexcept;
/// The operand kind the operator expects: *Path → Path, Is* → Boolean, String*/StringMatches →
/// String, Timestamp* → Timestamp (a string), Numeric* → Number, BooleanEquals → Boolean.
[[nodiscard]] OperandKind operand_kind(Operator op) noexcept;
/// All operators, in declaration order (for tables and tests).
[[nodiscard]] const std::vector<Operator>& all_operators();

/// A comparison operand: a string (String*, Timestamp*), an integer or a real number (Numeric*),
/// a boolean (BooleanEquals, Is*), or a path (every *Path operator).
using Operand = std::variant<std::string, std::int64_t, double, bool, Path>;

/// `{"Variable": "$.x", "NumericGreaterThan": 3}`
struct Comparison {
    Path variable{};
    Operator op{Operator::StringEquals};
    Operand operand{};
    bool operator==(const Comparison&) const = default;
};

struct Rule;

/// `{"And": [rule, ...]}`
struct And {
    std::vector<Rule> rules;
    bool operator==(const And&) const;
};
/// `{"Or": [rule, ...]}`
struct Or {
    std::vector<Rule> rules;
    bool operator==(const Or&) const;
};
/// `{"Not": rule}`
struct Not {
    Box<Rule> rule;
    bool operator==(const Not&) const;
};
/// JSONata: `{"Condition": "{% $states.input.n > 3 %}"}`; AWS also accepts a literal boolean.
struct Condition {
    std::variant<bool, Expression> expression{};
    bool operator==(const Condition&) const = default;
};

/// A boolean rule, possibly nested. `comment` is the rule's optional `Comment`.
struct Rule {
    std::variant<Comparison, And, Or, Not, Condition> test{};
    std::optional<std::string> comment{};
    bool operator==(const Rule&) const = default;
};

inline bool And::operator==(const And& other) const { return rules == other.rules; }
inline bool Or::operator==(const Or& other) const { return rules == other.rules; }
inline bool Not::operator==(const Not& other) const { return rule == other.rule; }

/// A top-level element of `Choices`: a rule plus the transition and its data handling.
struct ChoiceRule {
    Rule rule{};
    std::string next{};
    std::optional<Json> assign{};
    std::optional<Json> output{};  ///< JSONata only
    bool operator==(const ChoiceRule&) const = default;
};

}  // namespace sfn::model
