#pragma once
/// \file
/// A definition as a drawing: the words for its edges (Choice conditions, Catch lists) and a nested tree
/// of scopes (the machine, each Parallel branch, each Map item processor) for renderers that draw
/// compound states around their children. `sfn graph` (dot, Mermaid) and the web console draw from it.

#include "sfn/model/state_machine.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sfn::asl {

/// A Choice rule as one line: `$.n NumericGreaterThan 1`, `($.a IsPresent true and not $.b BooleanEquals false)`,
/// or a JSONata condition's text.
[[nodiscard]] std::string rule_text(const model::Rule& rule);

/// The label of a Catch edge: `catch States.Timeout, States.ALL`.
[[nodiscard]] std::string catch_label(const std::vector<std::string>& error_equals);

/// The definition as nested scopes, for drawing. A scope is
/// `{"startAt": S, "states": [state...], "edges": [{"from", "to", "label", "kind"}]}` with kind `next`,
/// `choice` (label: the condition), `default` or `catch` (label: the error names); a state is
/// `{"name", "type", "scopes": [{"label": "Branch 1", ...scope}]}` (Parallel: one scope per branch; Map: its
/// item processor, labelled `Iterations`). An edge to a name missing from the scope adds a state of type
/// `Missing`, so the mistake is visible.
[[nodiscard]] nlohmann::json graph_json(const model::StateMachine& machine);

}  // namespace sfn::asl
