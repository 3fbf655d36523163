// Warnings (AWS's NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC): literal values that look like a path or an
// intrinsic function call where the field takes them literally, so the author probably meant `.$`, the
// `*Path` form of the field, or a Parameters field instead of Result. They never make a definition invalid.
#include "asl/detail_validate.hpp"

#include <string_view>

namespace sfn::asl::detail {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

/// `$`, `$.x`, `$[0]`, `$$`, `$$.Execution.Id`: what JSONPath fields take.
bool looks_like_path(std::string_view text) {
    if (text == "$" || text == "$$") return true;
    return starts_with(text, "$.") || starts_with(text, "$[") || starts_with(text, "$$.") || starts_with(text, "$$[");
}

/// `States.Format(...)`, `States.Array(...)`: an intrinsic function call written as a literal.
bool looks_like_intrinsic(std::string_view text) {
    if (!starts_with(text, "States.")) return false;
    std::size_t i = 7;
    while (i < text.size() && ((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= 'a' && text[i] <= 'z'))) ++i;
    return i > 7 && i < text.size() && text[i] == '(' && text.back() == ')';
}

bool is_dynamic_key(std::string_view key) { return key.size() >= 2 && key.substr(key.size() - 2) == ".$"; }

/// NO_DOLLAR: a template field without `.$` whose string value is a path or an intrinsic call is copied
/// as that text; nested objects and arrays are templates too.
void no_dollar(Checker& checker, const model::Json& value, const std::string& pointer) {
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            const auto ptr = field(pointer, key);
            if (is_dynamic_key(key)) continue;
            if (member.is_string()) {
                const auto& text = member.get_ref<const std::string&>();
                if (looks_like_path(text) || looks_like_intrinsic(text))
                    checker.warning(ptr, code::kNoDollar,
                                    "the field '" + key + "' holds '" + text + "', which looks like " +
                                        (looks_like_path(text) ? "a JSONPath" : "an intrinsic function call") +
                                        ", but its name does not end in '.$', so it is passed on as a literal string");
            } else {
                no_dollar(checker, member, ptr);
            }
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) no_dollar(checker, value[i], index(pointer, i));
    }
}

void no_dollar_field(Checker& checker, const std::optional<model::Json>& value, const std::string& pointer,
                     std::string_view name) {
    if (value) no_dollar(checker, *value, field(pointer, name));
}

/// PASS_RESULT_IS_STATIC: Result is never evaluated, neither its strings nor its `.$` keys.
void pass_result_is_static(Checker& checker, const model::Json& value, const std::string& pointer) {
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (looks_like_path(text) || looks_like_intrinsic(text))
            checker.warning(
                pointer, code::kPassResultIsStatic,
                "a Pass state's Result is static: '" + text +
                    "' is not evaluated (use Parameters with a key ending in '.$' to select from the input)");
    } else if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            const auto ptr = field(pointer, key);
            if (is_dynamic_key(key) && member.is_string()) {
                checker.warning(ptr, code::kPassResultIsStatic,
                                "a Pass state's Result is static: the key '" + key +
                                    "' keeps its '.$' and its value is not evaluated (use Parameters instead)");
            } else {
                pass_result_is_static(checker, member, ptr);
            }
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) pass_result_is_static(checker, value[i], index(pointer, i));
    }
}

/// NO_PATH: a string comparison against a path-looking literal compares with that text; the author
/// probably meant the `*Path` operator.
void no_path_rule(Checker& checker, const model::Rule& rule, const std::string& pointer) {
    if (const auto* c = std::get_if<model::Comparison>(&rule.test)) {
        const auto* text = std::get_if<std::string>(&c->operand);
        if (text && model::operand_kind(c->op) == model::OperandKind::String && looks_like_path(*text)) {
            const auto op = std::string(model::to_string(c->op));
            checker.warning(field(pointer, op), code::kNoPath,
                            "'" + op + "' compares with the literal string '" + *text +
                                "', which looks like a path; use '" + op +
                                "Path' to compare with the value it selects");
        }
    } else if (const auto* a = std::get_if<model::And>(&rule.test)) {
        for (std::size_t i = 0; i < a->rules.size(); ++i)
            no_path_rule(checker, a->rules[i], index(field(pointer, "And"), i));
    } else if (const auto* o = std::get_if<model::Or>(&rule.test)) {
        for (std::size_t i = 0; i < o->rules.size(); ++i)
            no_path_rule(checker, o->rules[i], index(field(pointer, "Or"), i));
    } else if (const auto* n = std::get_if<model::Not>(&rule.test)) {
        no_path_rule(checker, *n->rule, field(pointer, "Not"));
    }
}

void no_path_literal(Checker& checker, const std::optional<std::string>& value, const std::string& pointer,
                     std::string_view name) {
    if (value && looks_like_path(*value))
        checker.warning(field(pointer, name), code::kNoPath,
                        "the field '" + std::string(name) + "' holds '" + *value + "', which looks like a path, but '" +
                            std::string(name) + "' is taken literally; use '" + std::string(name) +
                            "Path' to select it");
}

}  // namespace

void check_warnings(Checker& checker, const model::State& state, const std::string& ptr) {
    no_dollar_field(checker, model::common(state).assign, ptr, "Assign");
    if (const auto* pass = std::get_if<model::Pass>(&state)) {
        no_dollar_field(checker, pass->parameters, ptr, "Parameters");
        if (pass->result) pass_result_is_static(checker, *pass->result, field(ptr, "Result"));
    } else if (const auto* task = std::get_if<model::Task>(&state)) {
        no_dollar_field(checker, task->parameters, ptr, "Parameters");
        no_dollar_field(checker, task->result_selector, ptr, "ResultSelector");
    } else if (const auto* parallel = std::get_if<model::Parallel>(&state)) {
        no_dollar_field(checker, parallel->parameters, ptr, "Parameters");
        no_dollar_field(checker, parallel->result_selector, ptr, "ResultSelector");
    } else if (const auto* map = std::get_if<model::Map>(&state)) {
        no_dollar_field(checker, map->item_selector, ptr, "ItemSelector");
        no_dollar_field(checker, map->parameters, ptr, "Parameters");
        no_dollar_field(checker, map->result_selector, ptr, "ResultSelector");
    } else if (const auto* choice = std::get_if<model::Choice>(&state)) {
        for (std::size_t i = 0; i < choice->choices.size(); ++i) {
            const auto rule_ptr = index(field(ptr, "Choices"), i);
            no_path_rule(checker, choice->choices[i].rule, rule_ptr);
            no_dollar_field(checker, choice->choices[i].assign, rule_ptr, "Assign");
        }
    } else if (const auto* fail = std::get_if<model::Fail>(&state)) {
        no_path_literal(checker, fail->error, ptr, "Error");
        no_path_literal(checker, fail->cause, ptr, "Cause");
    }
}

}  // namespace sfn::asl::detail
