#pragma once
/// \file
/// Serialize the model to ASL JSON in canonical field order.
///
/// Canonical order (the Python original's, pinned by ../shared/seed-examples; fields the original
/// lacks are placed next to their relatives, see docs/asl-field-order.md):
/// - top level: StartAt, Comment, Version, TimeoutSeconds, QueryLanguage, States
/// - a state: Type, Comment, QueryLanguage, <type-specific fields>, Next, End, InputPath,
///   Parameters, Arguments, ResultSelector, ResultPath, OutputPath, Output, Assign, Retry, Catch
/// Absent fields are left out. Catchers and retriers whose ErrorEquals holds "States.ALL" are
/// written last.

#include "sfn/model/state_machine.hpp"

namespace sfn::asl {

/// The whole definition as ASL.
[[nodiscard]] model::Json serialize(const model::StateMachine& machine);
/// One state as it appears under `States` (without its name).
[[nodiscard]] model::Json serialize_state(const model::State& state);

}  // namespace sfn::asl
