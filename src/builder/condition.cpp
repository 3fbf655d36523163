#include "sfn/builder/condition.hpp"

#include "builder/detail_graph.hpp"

namespace sfn {

using builder::detail::fail;

namespace {

std::string_view family_name(Operand::Family family) {
    switch (family) {
        case Operand::Family::String: return "String";
        case Operand::Family::Numeric: return "Numeric";
        case Operand::Family::Boolean: return "Boolean";
        case Operand::Family::Timestamp: return "Timestamp";
    }
    return "String";
}

std::string_view literal_kind(const model::Operand& value) {
    if (std::holds_alternative<std::string>(value)) return "a string";
    if (std::holds_alternative<bool>(value)) return "a boolean";
    if (std::holds_alternative<model::Path>(value)) return "a path";
    return "a number";
}

Condition comparison(const Path& variable, model::Operator op, model::Operand operand) {
    return Condition(model::Rule{model::Comparison{variable.to_model(), op, std::move(operand)}, {}});
}

template <class Combinator>
Condition combine(const Condition& a, const Condition& b) {
    // Flatten `a && b && c` into one And (only when `a` carries no comment of its own).
    if (const auto* left = std::get_if<Combinator>(&a.rule().test); left != nullptr && !a.rule().comment) {
        Combinator joined = *left;
        joined.rules.push_back(b.rule());
        return Condition(model::Rule{std::move(joined), {}});
    }
    return Condition(model::Rule{Combinator{{a.rule(), b.rule()}}, {}});
}

template <class Combinator>
Condition combine_all(std::vector<Condition> rules, std::string_view name) {
    if (rules.empty()) fail("E007", std::string(name) + " needs at least one condition");
    Combinator joined;
    joined.rules.reserve(rules.size());
    for (auto& rule : rules) joined.rules.push_back(rule.rule());
    return Condition(model::Rule{std::move(joined), {}});
}

}  // namespace

Condition Condition::comment(std::string text) const {
    Condition copy = *this;
    copy.rule_.comment = std::move(text);
    return copy;
}

ChoiceRule Condition::next_then(const State& target) const { return ChoiceRule(*this, target); }

Condition operator&&(const Condition& a, const Condition& b) { return combine<model::And>(a, b); }
Condition operator||(const Condition& a, const Condition& b) { return combine<model::Or>(a, b); }
Condition operator!(const Condition& a) { return not_(a); }

Condition::Condition(const Jsonata& expression) : rule_(model::Rule{model::Condition{expression.to_model()}, {}}) {}

Condition condition(const Jsonata& expression) { return Condition(expression); }
Condition condition(std::string_view expression) { return Condition(Jsonata(expression)); }
Condition and_(std::vector<Condition> rules) { return combine_all<model::And>(std::move(rules), "and_"); }
Condition or_(std::vector<Condition> rules) { return combine_all<model::Or>(std::move(rules), "or_"); }
Condition not_(const Condition& rule) { return Condition(model::Rule{model::Not{rule.rule()}, {}}); }

Condition Var::compare(std::string_view relation, const Operand& operand) const {
    // The ASL operator name is <Family><Relation>[Path]: one table instead of 40 factories.
    std::string name(family_name(operand.family()));
    name += relation;
    if (operand.is_path()) name += "Path";
    auto op = model::operator_from_string(name);
    if (!op)
        fail("E007", "Var('" + variable_.str() + "'): " + name +
                         " is not an ASL operator (booleans can only be compared for equality)");
    return comparison(variable_, *op, operand.value());
}

Condition Var::typed(Operand::Family family, std::string_view relation, const Operand& v) const {
    bool fits = v.family() == family ||
                (family == Operand::Family::Timestamp && v.family() == Operand::Family::String);
    if (!fits)
        fail("E007", "Var('" + variable_.str() + "'): " + std::string(family_name(family)) + std::string(relation) +
                         " needs a " + (family == Operand::Family::Numeric ? "number" : "string") + ", got " +
                         std::string(literal_kind(v.value())));
    if (family == v.family()) return compare(relation, v);
    return compare(relation, Timestamp{std::get<std::string>(v.value())});
}

Condition Var::string_matches(std::string pattern) const {
    return comparison(variable_, model::Operator::StringMatches, std::move(pattern));
}

Condition Var::test(std::string_view op, bool expected) const {
    auto found = model::operator_from_string(op);
    return comparison(variable_, *found, expected);
}

ChoiceRule& ChoiceRule::assign(model::Json variables) {
    builder::detail::check_expressions(variables, "Choice rule -> '" + target_.id() + "', Assign");
    assign_ = std::move(variables);
    return *this;
}

ChoiceRule& ChoiceRule::output(model::Json value) {
    builder::detail::check_expressions(value, "Choice rule -> '" + target_.id() + "', Output");
    output_ = std::move(value);
    return *this;
}

}  // namespace sfn
