// Whole-definition checks: scopes, transitions, reachability, names; then per-state checks.
#include "sfn/asl/validate.hpp"

#include "asl/detail_validate.hpp"
#include "sfn/asl/parse.hpp"

#include <set>
#include <unordered_map>

namespace sfn::asl {
namespace detail {
namespace {

bool is_terminal_type(const model::State& s) {
    return std::holds_alternative<model::Choice>(s) || std::holds_alternative<model::Succeed>(s) ||
           std::holds_alternative<model::Fail>(s);
}

/// Every transition out of a state, with the pointer of the field that names the target.
struct Edge {
    std::string target;
    std::string pointer;
    const char* code;
};

std::vector<Edge> edges_of(const model::State& state, const std::string& ptr) {
    std::vector<Edge> out;
    const auto& c = model::common(state);
    if (c.next && !is_terminal_type(state)) out.push_back({*c.next, field(ptr, "Next"), code::kNextTarget});
    if (const auto* choice = std::get_if<model::Choice>(&state)) {
        for (std::size_t i = 0; i < choice->choices.size(); ++i)
            out.push_back({choice->choices[i].next, field(index(field(ptr, "Choices"), i), "Next"), code::kNextTarget});
        if (choice->default_) out.push_back({*choice->default_, field(ptr, "Default"), code::kDefaultTarget});
    }
    const auto catchers = model::catchers(state);
    for (std::size_t i = 0; i < catchers.size(); ++i)
        out.push_back({catchers[i].next, field(index(field(ptr, "Catch"), i), "Next"), code::kCatchTarget});
    return out;
}

void check_transition_fields(Checker& checker, const model::State& state, const std::string& ptr) {
    const auto& c = model::common(state);
    const auto type = std::string(model::type_name(state));
    if (is_terminal_type(state)) {
        // ASL: Choice, Succeed and Fail states cannot have Next or End.
        if (c.next) checker.error(field(ptr, "Next"), code::kTerminalTransition, "a " + type + " state cannot have a 'Next' field");
        if (c.end) checker.error(field(ptr, "End"), code::kTerminalTransition, "a " + type + " state cannot have an 'End' field");
        return;
    }
    const bool ends = c.end.value_or(false);
    if (c.next && ends) checker.error(field(ptr, "End"), code::kTransition, "a state cannot have both 'Next' and 'End': true");
    else if (c.end && !*c.end && !c.next) checker.error(field(ptr, "End"), code::kTransition, "'End' must be true when present without 'Next'");
    else if (!c.next && !ends) checker.error(ptr, code::kTransition, "a " + type + " state needs 'Next' or 'End': true");
}

void check_nested_scopes(Checker& checker, const model::State& state, const std::string& ptr,
                         std::optional<model::QueryLanguage> language) {
    if (const auto* p = std::get_if<model::Parallel>(&state)) {
        for (std::size_t i = 0; i < p->branches.size(); ++i) {
            const auto& b = p->branches[i];
            check_scope(checker, b.start_at, b.states, index(field(ptr, "Branches"), i), b.query_language ? b.query_language : language);
        }
    } else if (const auto* m = std::get_if<model::Map>(&state)) {
        if (m->item_processor)
            check_scope(checker, m->item_processor->start_at, m->item_processor->states, field(ptr, "ItemProcessor"),
                        m->item_processor->query_language ? m->item_processor->query_language : language);
        if (m->iterator)
            check_scope(checker, m->iterator->start_at, m->iterator->states, field(ptr, "Iterator"),
                        m->iterator->query_language ? m->iterator->query_language : language);
    }
}

}  // namespace

void check_scope(Checker& checker, const std::string& start_at, const std::vector<model::NamedState>& states,
                 const std::string& pointer, std::optional<model::QueryLanguage> inherited) {
    std::unordered_map<std::string_view, std::size_t> by_name;
    for (std::size_t i = 0; i < states.size(); ++i) by_name.emplace(states[i].name, i);
    const auto states_ptr = field(pointer, "States");
    if (states.empty()) checker.error(states_ptr, code::kStartAt, "'States' must contain at least one state");
    if (!states.empty() && !by_name.contains(start_at))
        checker.error(field(pointer, "StartAt"), code::kStartAt, "StartAt names no state in this scope: '" + start_at + "'");

    std::vector<std::vector<std::size_t>> successors(states.size());
    bool any_terminal = false;
    const auto findings_before = checker.count();
    for (std::size_t i = 0; i < states.size(); ++i) {
        const auto& [name, state] = states[i];
        const auto ptr = field(states_ptr, name);
        if (name.empty() || name.size() > 80)
            checker.error(ptr, code::kNameTooLong, "state names must be 1 to 80 characters, this one has " + std::to_string(name.size()));
        if (auto earlier = checker.remember_name(name, ptr); !earlier.empty())
            checker.error(ptr, code::kDuplicateName, "duplicate state name '" + name + "' (also at " + earlier + ")");

        const auto& language = model::common(state).query_language;
        if (language == model::QueryLanguage::JSONPath && checker.top_query_language() == model::QueryLanguage::JSONata)
            checker.error(field(ptr, "QueryLanguage"), code::kQueryLanguageMix,
                          "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata");
        const auto effective = language ? language : inherited;
        check_transition_fields(checker, state, ptr);
        check_state(checker, state, ptr, effective == model::QueryLanguage::JSONata);
        if (effective != model::QueryLanguage::JSONata) check_warnings(checker, state, ptr);
        check_nested_scopes(checker, state, ptr, effective);

        const auto& c = model::common(state);
        if (is_terminal_type(state) ? !std::holds_alternative<model::Choice>(state) : c.end.value_or(false)) any_terminal = true;
        for (const auto& edge : edges_of(state, ptr)) {
            auto it = by_name.find(edge.target);
            if (it == by_name.end()) checker.error(edge.pointer, edge.code, "no state named '" + edge.target + "' in this scope");
            else successors[i].push_back(it->second);
        }
    }
    // Only when nothing else was found: a dangling or missing Next already explains a missing end.
    if (!states.empty() && !any_terminal && checker.count() == findings_before)
        checker.error(states_ptr, code::kNoTerminal, "no state can end the execution: add a Succeed or Fail state or 'End': true");

    // ASL: every state must be reachable from StartAt.
    auto start = by_name.find(start_at);
    if (start == by_name.end()) return;
    std::vector<bool> seen(states.size(), false);
    std::vector<std::size_t> stack{start->second};
    seen[start->second] = true;
    while (!stack.empty()) {
        auto i = stack.back();
        stack.pop_back();
        for (auto j : successors[i]) {
            if (!seen[j]) {
                seen[j] = true;
                stack.push_back(j);
            }
        }
    }
    for (std::size_t i = 0; i < states.size(); ++i) {
        if (!seen[i])
            checker.error(field(states_ptr, states[i].name), code::kUnreachable,
                          "state '" + states[i].name + "' is not reachable from StartAt '" + start_at + "'");
    }
}

}  // namespace detail

std::vector<Diagnostic> validate(const model::StateMachine& machine, const ValidateOptions& options) {
    detail::Checker checker(machine.query_language);
    if (machine.version && *machine.version != "1.0")
        checker.error("/Version", detail::code::kTopLevel, "Version must be \"1.0\", got \"" + *machine.version + "\"");
    if (machine.timeout_seconds && (*machine.timeout_seconds < 1 || *machine.timeout_seconds > 99999999))
        checker.error("/TimeoutSeconds", detail::code::kTopLevel,
                      "TimeoutSeconds must be between 1 and 99999999, got " + std::to_string(*machine.timeout_seconds));
    detail::check_scope(checker, machine.start_at, machine.states, "", machine.query_language);
    if (options.express) detail::check_express(checker, machine.states, "");
    return checker.take();
}

void validate_or_throw(const model::StateMachine& machine) {
    auto diagnostics = validate(machine);
    if (has_errors(diagnostics)) throw ValidationError(std::move(diagnostics));
}

std::vector<Diagnostic> check(const model::Json& definition, const ValidateOptions& options) {
    auto parsed = try_parse(definition);
    if (!parsed.diagnostics.empty()) return std::move(parsed.diagnostics);
    return validate(parsed.machine, options);
}

}  // namespace sfn::asl
