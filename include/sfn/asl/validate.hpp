#pragma once
/// \file
/// Validate a parsed definition against the ASL spec and the Step Functions service's checks.

#include "sfn/asl/diagnostic.hpp"
#include "sfn/model/state_machine.hpp"

#include <vector>

namespace sfn::asl {

/// What a definition is checked for besides the States Language itself.
struct ValidateOptions {
    /// The definition is for an EXPRESS state machine, which cannot run activities or the `.sync` and
    /// `.waitForTaskToken` integration patterns.
    bool express = false;
};

/// Every problem found, in document order: errors, and warnings (Severity::Warning) for fields that
/// probably do not do what was meant. A definition is valid when no diagnostic is an error.
[[nodiscard]] std::vector<Diagnostic> validate(const model::StateMachine& machine, const ValidateOptions& options = {});

/// Throws when validate() reports any error (warnings alone do not throw).
/// \throws ValidationError carrying every diagnostic.
void validate_or_throw(const model::StateMachine& machine);

/// Parse and validate in one go, never throwing for bad definitions: structural problems first,
/// then (if the document parsed) the validation findings. For CLIs and the local service.
[[nodiscard]] std::vector<Diagnostic> check(const model::Json& definition, const ValidateOptions& options = {});

}  // namespace sfn::asl
