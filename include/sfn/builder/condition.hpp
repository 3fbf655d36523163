#pragma once
/// \file
/// Typed Choice conditions. One comparison factory picks the ASL operator from the operand's
/// type (STYLE §3): a string gives String*, a number Numeric*, a bool BooleanEquals, a Timestamp
/// Timestamp*, and a typed path operand (string_at, number_at, ...) the *Path form.
///
/// **Example**
/// \code
///   using sfn::Var;
///   auto big = Var("$.total") >= 100;                          // NumericGreaterThanEquals
///   auto vip = Var("$.tier") == "gold" && !Var("$.banned").is_present();
///   auto same = Var("$.a").equals(sfn::number_at("$.b"));       // NumericEqualsPath
///   auto rule = Var("$.body").string_equals("failed!").next_then(fail);
/// \endcode

#include "sfn/builder/state.hpp"
#include "sfn/model/choice_rule.hpp"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn {

class ChoiceRule;

/// An RFC 3339 timestamp literal, for Timestamp* comparisons: `Var("$.t") < Timestamp{"2026-01-01T00:00:00Z"}`.
struct Timestamp {
    std::string text;
};

/// The value side of a comparison, tagged with its ASL operator family.
class Operand {
public:
    enum class Family { String, Numeric, Boolean, Timestamp };

    Operand(const char* text) : Operand(Raw{}, Family::String, std::string(text)) {}       // NOLINT
    Operand(std::string text) : Operand(Raw{}, Family::String, std::move(text)) {}         // NOLINT
    Operand(std::string_view text) : Operand(Raw{}, Family::String, std::string(text)) {}  // NOLINT
    Operand(bool value) : Operand(Raw{}, Family::Boolean, value) {}                        // NOLINT
    Operand(double value) : Operand(Raw{}, Family::Numeric, value) {}                      // NOLINT
    template <std::integral I>
        requires(!std::same_as<I, bool>)
    Operand(I value) : Operand(Raw{}, Family::Numeric, static_cast<std::int64_t>(value)) {}  // NOLINT
    Operand(Timestamp value) : Operand(Raw{}, Family::Timestamp, std::move(value.text)) {}   // NOLINT

    /// A path operand of the given family (the *Path operators).
    Operand(Family family, const ReferencePath& path) : Operand(Raw{}, family, path.to_model()) {}

    [[nodiscard]] Family family() const noexcept { return family_; }
    [[nodiscard]] const model::Operand& value() const noexcept { return value_; }
    [[nodiscard]] bool is_path() const noexcept { return std::holds_alternative<model::Path>(value_); }

private:
    struct Raw {};
    Operand(Raw, Family family, model::Operand value) : family_(family), value_(std::move(value)) {}
    Family family_;
    model::Operand value_;
};

/// Path operands: the comparison becomes the *Path operator of that family.
[[nodiscard]] inline Operand string_at(const ReferencePath& p) { return {Operand::Family::String, p}; }
[[nodiscard]] inline Operand number_at(const ReferencePath& p) { return {Operand::Family::Numeric, p}; }
[[nodiscard]] inline Operand bool_at(const ReferencePath& p) { return {Operand::Family::Boolean, p}; }
[[nodiscard]] inline Operand timestamp_at(const ReferencePath& p) { return {Operand::Family::Timestamp, p}; }

/// A boolean Choice condition (a comparison, And/Or/Not, or a JSONata Condition), without a target.
class Condition {
public:
    explicit Condition(model::Rule rule) : rule_(std::move(rule)) {}
    /// A JSONata `Condition` (JSONata states): `choice.when("$states.input.n > 3"_jsonata, big)`.
    Condition(const Jsonata& expression);  // NOLINT(google-explicit-constructor): reads as a condition

    [[nodiscard]] const model::Rule& rule() const noexcept { return rule_; }
    /// The same condition with a `Comment`.
    [[nodiscard]] Condition comment(std::string text) const;
    /// A Choice rule: when this holds, go to `target` (the original's spelling).
    [[nodiscard]] ChoiceRule next_then(const State& target) const;

    /// `And`; nested Ands on the left are flattened: `a && b && c` has three rules.
    friend Condition operator&&(const Condition& a, const Condition& b);
    /// `Or`; flattened like &&.
    friend Condition operator||(const Condition& a, const Condition& b);
    /// `Not`.
    friend Condition operator!(const Condition& a);

private:
    model::Rule rule_;
};

/// A JSONata `Condition`, e.g. `condition("$states.input.n > 3"_jsonata)`. Combine expressions with the
/// Jsonata operators (`a && b` on two Jsonata is one `(a) and (b)` expression; `&&` on two Conditions is
/// a JSONPath `And` rule, which JSONata states do not have).
[[nodiscard]] Condition condition(const Jsonata& expression);
/// `condition(Jsonata(expression))`: bare (`$states.input.n > 3`) or framed (`{% ... %}`).
/// \throws builder::BuildError E011 when the expression does not parse.
[[nodiscard]] Condition condition(std::string_view expression);
/// `And` over the given conditions. \throws builder::BuildError E007 when fewer than one is given.
[[nodiscard]] Condition and_(std::vector<Condition> rules);
/// `Or` over the given conditions. \throws builder::BuildError E007 when fewer than one is given.
[[nodiscard]] Condition or_(std::vector<Condition> rules);
/// `Not`.
[[nodiscard]] Condition not_(const Condition& rule);

/// The variable side of a comparison: `Var("$.x")`.
class Var {
public:
    /// \throws jsonpath::PathError when `variable` is not a JSONPath.
    explicit Var(Path variable) : variable_(std::move(variable)) {}

    // Generic comparisons: the operator family comes from the operand (see the file comment).
    /// \throws builder::BuildError E007 for an ordering comparison on a boolean operand.
    [[nodiscard]] Condition equals(const Operand& v) const { return compare("Equals", v); }
    [[nodiscard]] Condition less_than(const Operand& v) const { return compare("LessThan", v); }
    [[nodiscard]] Condition greater_than(const Operand& v) const { return compare("GreaterThan", v); }
    [[nodiscard]] Condition less_than_equals(const Operand& v) const { return compare("LessThanEquals", v); }
    [[nodiscard]] Condition greater_than_equals(const Operand& v) const { return compare("GreaterThanEquals", v); }
    friend Condition operator==(const Var& x, const Operand& v) { return x.equals(v); }
    friend Condition operator<(const Var& x, const Operand& v) { return x.less_than(v); }
    friend Condition operator>(const Var& x, const Operand& v) { return x.greater_than(v); }
    friend Condition operator<=(const Var& x, const Operand& v) { return x.less_than_equals(v); }
    friend Condition operator>=(const Var& x, const Operand& v) { return x.greater_than_equals(v); }

    // The original's vocabulary, one per ASL operator; each forwards to the generic comparison
    // with the family fixed, so `numeric_equals(3)` and `equals(3)` are the same rule.
#define SFN_DETAIL_FAMILY(prefix, Fam, Literal)                                                        \
    [[nodiscard]] Condition prefix##_equals(Literal v) const { return typed(Operand::Family::Fam, "Equals", v); } \
    [[nodiscard]] Condition prefix##_equals_path(const ReferencePath& p) const {                         \
        return compare("Equals", Operand(Operand::Family::Fam, p));                                   \
    }
#define SFN_DETAIL_ORDERED(prefix, Fam, Literal)                                                       \
    SFN_DETAIL_FAMILY(prefix, Fam, Literal)                                                            \
    [[nodiscard]] Condition prefix##_less_than(Literal v) const { return typed(Operand::Family::Fam, "LessThan", v); } \
    [[nodiscard]] Condition prefix##_greater_than(Literal v) const {                                      \
        return typed(Operand::Family::Fam, "GreaterThan", v);                                          \
    }                                                                                                     \
    [[nodiscard]] Condition prefix##_less_than_equals(Literal v) const {                                  \
        return typed(Operand::Family::Fam, "LessThanEquals", v);                                       \
    }                                                                                                     \
    [[nodiscard]] Condition prefix##_greater_than_equals(Literal v) const {                               \
        return typed(Operand::Family::Fam, "GreaterThanEquals", v);                                    \
    }                                                                                                     \
    [[nodiscard]] Condition prefix##_less_than_path(const ReferencePath& p) const {                       \
        return compare("LessThan", Operand(Operand::Family::Fam, p));                                  \
    }                                                                                                     \
    [[nodiscard]] Condition prefix##_greater_than_path(const ReferencePath& p) const {                    \
        return compare("GreaterThan", Operand(Operand::Family::Fam, p));                               \
    }                                                                                                     \
    [[nodiscard]] Condition prefix##_less_than_equals_path(const ReferencePath& p) const {                \
        return compare("LessThanEquals", Operand(Operand::Family::Fam, p));                            \
    }                                                                                                     \
    [[nodiscard]] Condition prefix##_greater_than_equals_path(const ReferencePath& p) const {             \
        return compare("GreaterThanEquals", Operand(Operand::Family::Fam, p));                         \
    }
    SFN_DETAIL_ORDERED(string, String, std::string_view)
    SFN_DETAIL_ORDERED(numeric, Numeric, const Operand&)
    SFN_DETAIL_ORDERED(timestamp, Timestamp, std::string_view)
    SFN_DETAIL_FAMILY(boolean, Boolean, bool)
#undef SFN_DETAIL_ORDERED
#undef SFN_DETAIL_FAMILY

    /// `StringMatches` with `*` wildcards (`\*` for a literal star).
    [[nodiscard]] Condition string_matches(std::string pattern) const;
    // Type tests: `is_null()` is `"IsNull": true`, `is_not_null()` is `"IsNull": false`.
    [[nodiscard]] Condition is_null() const { return test("IsNull", true); }
    [[nodiscard]] Condition is_not_null() const { return test("IsNull", false); }
    [[nodiscard]] Condition is_present() const { return test("IsPresent", true); }
    [[nodiscard]] Condition is_not_present() const { return test("IsPresent", false); }
    [[nodiscard]] Condition is_numeric() const { return test("IsNumeric", true); }
    [[nodiscard]] Condition is_not_numeric() const { return test("IsNumeric", false); }
    [[nodiscard]] Condition is_string() const { return test("IsString", true); }
    [[nodiscard]] Condition is_not_string() const { return test("IsString", false); }
    [[nodiscard]] Condition is_boolean() const { return test("IsBoolean", true); }
    [[nodiscard]] Condition is_not_boolean() const { return test("IsBoolean", false); }
    [[nodiscard]] Condition is_timestamp() const { return test("IsTimestamp", true); }
    [[nodiscard]] Condition is_not_timestamp() const { return test("IsTimestamp", false); }

    [[nodiscard]] const Path& variable() const noexcept { return variable_; }

private:
    [[nodiscard]] Condition compare(std::string_view relation, const Operand& operand) const;
    /// A literal comparison whose family is fixed by the method name: a string given to a
    /// Timestamp* method is a timestamp, a Numeric* method refuses a non-number.
    [[nodiscard]] Condition typed(Operand::Family family, std::string_view relation, const Operand& v) const;
    [[nodiscard]] Condition test(std::string_view op, bool expected) const;
    Path variable_;
};

/// A top-level Choice rule: a condition and the state it leads to.
class ChoiceRule {
public:
    ChoiceRule(Condition condition, State target) : condition_(std::move(condition)), target_(std::move(target)) {}
    /// Variables to assign when this rule matches.
    ChoiceRule& assign(model::Json variables);
    /// JSONata `Output` when this rule matches.
    ChoiceRule& output(model::Json value);

    [[nodiscard]] const Condition& condition() const noexcept { return condition_; }
    [[nodiscard]] const State& target() const noexcept { return target_; }
    [[nodiscard]] const std::optional<model::Json>& assigned() const noexcept { return assign_; }
    [[nodiscard]] const std::optional<model::Json>& output_value() const noexcept { return output_; }

private:
    Condition condition_;
    State target_;
    std::optional<model::Json> assign_;
    std::optional<model::Json> output_;
};

}  // namespace sfn
