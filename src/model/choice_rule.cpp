#include "sfn/model/choice_rule.hpp"

#include <array>
#include <utility>

namespace sfn::model {
namespace {

struct OperatorInfo {
    Operator op;
    std::string_view name;
    OperandKind kind;
};

// One row per ASL comparison operator; the order matches the enum.
constexpr std::array kOperators{
    OperatorInfo{Operator::StringEquals, "StringEquals", OperandKind::String},
    OperatorInfo{Operator::StringEqualsPath, "StringEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::StringLessThan, "StringLessThan", OperandKind::String},
    OperatorInfo{Operator::StringLessThanPath, "StringLessThanPath", OperandKind::Path},
    OperatorInfo{Operator::StringGreaterThan, "StringGreaterThan", OperandKind::String},
    OperatorInfo{Operator::StringGreaterThanPath, "StringGreaterThanPath", OperandKind::Path},
    OperatorInfo{Operator::StringLessThanEquals, "StringLessThanEquals", OperandKind::String},
    OperatorInfo{Operator::StringLessThanEqualsPath, "StringLessThanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::StringGreaterThanEquals, "StringGreaterThanEquals", OperandKind::String},
    OperatorInfo{Operator::StringGreaterThanEqualsPath, "StringGreaterThanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::StringMatches, "StringMatches", OperandKind::String},
    OperatorInfo{Operator::NumericEquals, "NumericEquals", OperandKind::Number},
    OperatorInfo{Operator::NumericEqualsPath, "NumericEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::NumericLessThan, "NumericLessThan", OperandKind::Number},
    OperatorInfo{Operator::NumericLessThanPath, "NumericLessThanPath", OperandKind::Path},
    OperatorInfo{Operator::NumericGreaterThan, "NumericGreaterThan", OperandKind::Number},
    OperatorInfo{Operator::NumericGreaterThanPath, "NumericGreaterThanPath", OperandKind::Path},
    OperatorInfo{Operator::NumericLessThanEquals, "NumericLessThanEquals", OperandKind::Number},
    OperatorInfo{Operator::NumericLessThanEqualsPath, "NumericLessThanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::NumericGreaterThanEquals, "NumericGreaterThanEquals", OperandKind::Number},
    OperatorInfo{Operator::NumericGreaterThanEqualsPath, "NumericGreaterThanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::BooleanEquals, "BooleanEquals", OperandKind::Boolean},
    OperatorInfo{Operator::BooleanEqualsPath, "BooleanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::TimestampEquals, "TimestampEquals", OperandKind::Timestamp},
    OperatorInfo{Operator::TimestampEqualsPath, "TimestampEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::TimestampLessThan, "TimestampLessThan", OperandKind::Timestamp},
    OperatorInfo{Operator::TimestampLessThanPath, "TimestampLessThanPath", OperandKind::Path},
    OperatorInfo{Operator::TimestampGreaterThan, "TimestampGreaterThan", OperandKind::Timestamp},
    OperatorInfo{Operator::TimestampGreaterThanPath, "TimestampGreaterThanPath", OperandKind::Path},
    OperatorInfo{Operator::TimestampLessThanEquals, "TimestampLessThanEquals", OperandKind::Timestamp},
    OperatorInfo{Operator::TimestampLessThanEqualsPath, "TimestampLessThanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::TimestampGreaterThanEquals, "TimestampGreaterThanEquals", OperandKind::Timestamp},
    OperatorInfo{Operator::TimestampGreaterThanEqualsPath, "TimestampGreaterThanEqualsPath", OperandKind::Path},
    OperatorInfo{Operator::IsNull, "IsNull", OperandKind::Boolean},
    OperatorInfo{Operator::IsPresent, "IsPresent", OperandKind::Boolean},
    OperatorInfo{Operator::IsNumeric, "IsNumeric", OperandKind::Boolean},
    OperatorInfo{Operator::IsString, "IsString", OperandKind::Boolean},
    OperatorInfo{Operator::IsBoolean, "IsBoolean", OperandKind::Boolean},
    OperatorInfo{Operator::IsTimestamp, "IsTimestamp", OperandKind::Boolean},
};

const OperatorInfo& info(Operator op) noexcept { return kOperators[static_cast<std::size_t>(op)]; }

}  // namespace

std::string_view to_string(Operator op) noexcept { return info(op).name; }

OperandKind operand_kind(Operator op) noexcept { return info(op).kind; }

std::optional<Operator> operator_from_string(std::string_view name) noexcept {
    for (const auto& row : kOperators) {
        if (row.name == name) return row.op;
    }
    return std::nullopt;
}

const std::vector<Operator>& all_operators() {
    static const std::vector<Operator> ops = [] {
        std::vector<Operator> out;
        for (const auto& row : kOperators) out.push_back(row.op);
        return out;
    }();
    return ops;
}

}  // namespace sfn::model
