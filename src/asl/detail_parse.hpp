#pragma once
// Parser pieces shared between the parse_*.cpp files.

#include "asl/detail_reader.hpp"
#include "sfn/model/state_machine.hpp"

#include <optional>
#include <string>

namespace sfn::asl::detail {

/// A top-level element of a Choice state's `Choices`.
std::optional<model::ChoiceRule> read_choice_rule(const model::Json& value, const std::string& pointer, Sink& sink);
/// The whole document.
model::StateMachine read_machine(const model::Json& definition, Sink& sink);

}  // namespace sfn::asl::detail
