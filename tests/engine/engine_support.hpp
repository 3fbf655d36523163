#pragma once
// Helpers for the engine tests: compile a definition from JSON text and run it with a virtual clock.

#include "sfn/engine/error.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/engine/handlers.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sfn::engine::testing {

/// Options with a virtual clock starting at 2024-01-01T00:00:00Z and a fixed random seed.
ExecutionOptions virtual_options();

/// virtual_options() whose Task states are answered by `handlers`.
ExecutionOptions with(std::shared_ptr<HandlerRegistry> handlers);

/// Compiles `definition` (JSON text) and runs it on `input` (JSON text).
ExecutionResult run_text(const std::string& definition, const std::string& input = "{}",
                         ExecutionOptions options = virtual_options());

/// The event type names of a history, in order.
std::vector<std::string> event_types(const History& history);

/// 2024-01-01T00:00:00Z
TimePoint test_epoch();

}  // namespace sfn::engine::testing
