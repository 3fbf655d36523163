// The drawing of a definition (sfn/asl/graph.hpp): edge words and the nested scope tree.
#include "sfn/asl/graph.hpp"

#include "core/detail_overloaded.hpp"

#include <set>
#include <variant>

namespace sfn::asl {
namespace {

using namespace sfn::model;
using nlohmann::json;
using sfn::detail::Overloaded;

std::string operand_text(const Operand& operand) {
    return std::visit(
        Overloaded{[](const std::string& s) { return "'" + s + "'"; }, [](std::int64_t i) { return std::to_string(i); },
                   [](double d) { return Json(d).dump(); }, [](bool b) { return std::string(b ? "true" : "false"); },
                   [](const Path& p) { return p.text; }},
        operand);
}

json scope_json(const std::string& start_at, const std::vector<NamedState>& states) {
    std::set<std::string> names;
    for (const auto& s : states) names.insert(s.name);
    json nodes = json::array();
    json edges = json::array();
    std::set<std::string> missing;
    auto edge = [&](const std::string& from, const std::string& to, const char* kind, const std::string& label) {
        if (!names.contains(to)) missing.insert(to);
        edges.push_back({{"from", from}, {"to", to}, {"kind", kind}, {"label", label}});
    };
    for (const auto& [name, state] : states) {
        json node{{"name", name}, {"type", std::string(type_name(state))}, {"scopes", json::array()}};
        if (const auto& next = common(state).next) edge(name, *next, "next", "");
        if (const auto* choice = std::get_if<Choice>(&state)) {
            for (const auto& r : choice->choices) edge(name, r.next, "choice", rule_text(r.rule));
            if (choice->default_) edge(name, *choice->default_, "default", "Default");
        }
        if (const auto* parallel = std::get_if<Parallel>(&state)) {
            for (std::size_t i = 0; i < parallel->branches.size(); ++i) {
                const auto& b = parallel->branches[i];
                auto scope = scope_json(b.start_at, b.states);
                scope["label"] = "Branch " + std::to_string(i + 1);
                node["scopes"].push_back(std::move(scope));
            }
        }
        if (const auto* map = std::get_if<Map>(&state)) {
            const auto& processor = map->item_processor ? map->item_processor : map->iterator;
            if (processor) {
                auto scope = scope_json(processor->start_at, processor->states);
                scope["label"] = "Iterations";
                node["scopes"].push_back(std::move(scope));
            }
        }
        for (const auto& k : catchers(state)) edge(name, k.next, "catch", catch_label(k.error_equals));
        nodes.push_back(std::move(node));
    }
    if (!names.contains(start_at)) missing.insert(start_at);
    for (const auto& name : missing) {
        nodes.push_back({{"name", name}, {"type", "Missing"}, {"scopes", json::array()}});
    }
    return {{"startAt", start_at}, {"states", std::move(nodes)}, {"edges", std::move(edges)}};
}

}  // namespace

std::string rule_text(const Rule& rule) {
    auto join = [](const std::vector<Rule>& rules, const char* sep) {
        std::string out;
        for (const auto& r : rules) out += (out.empty() ? "" : sep) + rule_text(r);
        return "(" + out + ")";
    };
    return std::visit(Overloaded{
                          [](const Comparison& c) {
                              return c.variable.text + " " + std::string(to_string(c.op)) + " " +
                                     operand_text(c.operand);
                          },
                          [&](const And& a) { return join(a.rules, " and "); },
                          [&](const Or& o) { return join(o.rules, " or "); },
                          [](const Not& n) { return "not " + rule_text(*n.rule); },
                          [](const Condition& c) {
                              return std::visit(Overloaded{[](bool b) { return std::string(b ? "true" : "false"); },
                                                           [](const Expression& e) { return e.text; }},
                                                c.expression);
                          },
                      },
                      rule.test);
}

std::string catch_label(const std::vector<std::string>& error_equals) {
    std::string out;
    for (const auto& e : error_equals) out += (out.empty() ? "" : ", ") + e;
    return "catch " + out;
}

json graph_json(const StateMachine& machine) { return scope_json(machine.start_at, machine.states); }

}  // namespace sfn::asl
