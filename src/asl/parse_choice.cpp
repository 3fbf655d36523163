// Choice rules: exactly one of a comparison (Variable + one operator), And, Or, Not or Condition.
#include "asl/detail_parse.hpp"

namespace sfn::asl::detail {
namespace {

using model::Json;

std::optional<model::Rule> read_rule(ObjectReader& r);

std::optional<model::Rule> read_nested(const Json& value, const std::string& pointer, Sink& sink) {
    ObjectReader r(value, pointer, sink, "a choice rule");
    if (!r.ok()) return std::nullopt;
    auto rule = read_rule(r);
    // A rule whose shape is already reported would only add noise about its other keys.
    if (rule) r.finish("a nested choice rule");
    return rule;
}

std::optional<model::Operand> read_operand(ObjectReader& r, std::string_view key, model::Operator op) {
    const Json* v = r.raw(key);
    auto wrong = [&](const char* what) {
        r.report(key, kWrongType, std::string(key) + " expects " + what + ", got " + json_type_name(*v));
        return std::nullopt;
    };
    switch (model::operand_kind(op)) {
        case model::OperandKind::Path:
            if (!v->is_string()) return wrong("a path string");
            return model::Operand{model::Path{v->get<std::string>()}};
        case model::OperandKind::String:
        case model::OperandKind::Timestamp:
            if (!v->is_string()) return wrong("a string");
            return model::Operand{v->get<std::string>()};
        case model::OperandKind::Boolean:
            if (!v->is_boolean()) return wrong("a boolean");
            return model::Operand{v->get<bool>()};
        case model::OperandKind::Number:
            if (v->is_number_integer()) return model::Operand{v->get<std::int64_t>()};
            if (v->is_number()) return model::Operand{v->get<double>()};
            return wrong("a number");
    }
    return std::nullopt;
}

std::vector<model::Rule> read_rule_list(ObjectReader& r, std::string_view key) {
    std::vector<model::Rule> out;
    const Json* v = r.raw(key);
    if (!v->is_array()) {
        r.report(key, kWrongType, std::string(key) + " expects an array of rules, got " + json_type_name(*v));
        return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
        if (auto rule = read_nested((*v)[i], r.pointer_of(key) + "/" + std::to_string(i), r.sink())) {
            out.push_back(std::move(*rule));
        }
    }
    return out;
}

std::optional<model::Rule> read_rule(ObjectReader& r) {
    model::Rule rule;
    rule.comment = r.string("Comment");
    // Which shapes does this object claim? Exactly one is allowed.
    int shapes = 0;
    for (const char* key : {"And", "Or", "Not", "Condition", "Variable"}) shapes += r.has(key) ? 1 : 0;
    if (shapes != 1) {
        r.sink().add(r.pointer(), kBadRuleShape,
                     shapes == 0 ? "a choice rule needs one of Variable (with a comparison operator), And, Or, Not or Condition"
                                 : "a choice rule must have exactly one of Variable, And, Or, Not or Condition");
        return std::nullopt;
    }
    if (r.has("And")) {
        rule.test = model::And{read_rule_list(r, "And")};
    } else if (r.has("Or")) {
        rule.test = model::Or{read_rule_list(r, "Or")};
    } else if (r.has("Not")) {
        auto inner = read_nested(*r.raw("Not"), r.pointer_of("Not"), r.sink());
        if (!inner) return std::nullopt;
        rule.test = model::Not{std::move(*inner)};
    } else if (r.has("Condition")) {
        const Json* v = r.raw("Condition");
        if (v->is_boolean()) rule.test = model::Condition{v->get<bool>()};
        else if (v->is_string()) rule.test = model::Condition{model::Expression{v->get<std::string>()}};
        else {
            r.report("Condition", kWrongType, "expected a JSONata expression string or a boolean, got " + json_type_name(*v));
            return std::nullopt;
        }
    } else {
        model::Comparison cmp;
        cmp.variable = r.path("Variable").value_or(model::Path{});
        std::optional<model::Operator> op;
        std::string op_key;
        int operators = 0;
        for (auto candidate : model::all_operators()) {
            auto name = model::to_string(candidate);
            if (r.has(name)) {
                ++operators;
                if (!op) {
                    op = candidate;
                    op_key = std::string(name);
                } else {
                    r.raw(name);
                }
            }
        }
        if (operators != 1) {
            r.sink().add(r.pointer(), kBadRuleShape,
                         operators == 0 ? "a comparison needs exactly one comparison operator (e.g. StringEquals), found none"
                                        : "a comparison needs exactly one comparison operator, found " + std::to_string(operators));
            return std::nullopt;
        }
        auto operand = read_operand(r, op_key, *op);
        if (!operand) return std::nullopt;
        cmp.op = *op;
        cmp.operand = std::move(*operand);
        rule.test = std::move(cmp);
    }
    return rule;
}

}  // namespace

std::optional<model::ChoiceRule> read_choice_rule(const Json& value, const std::string& pointer, Sink& sink) {
    ObjectReader r(value, pointer, sink, "a choice rule");
    if (!r.ok()) return std::nullopt;
    model::ChoiceRule choice;
    choice.next = r.required_string("Next");
    choice.assign = r.json("Assign");
    choice.output = r.json("Output");
    auto rule = read_rule(r);
    if (!rule) return std::nullopt;
    r.finish("a choice rule");
    choice.rule = std::move(*rule);
    return choice;
}

}  // namespace sfn::asl::detail
