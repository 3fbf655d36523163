#pragma once
/// \file
/// Diagnostic: one problem found in an ASL definition, with its JSON pointer, and the exception
/// types of the asl component.

#include "sfn/core/error.hpp"

#include <string>
#include <vector>

namespace sfn::asl {

/// ERROR makes a definition invalid; WARNING does not (AWS's ValidateStateMachineDefinition
/// reports both with the same shape).
enum class Severity { Error, Warning };

/// One finding. Maps directly onto AWS's ValidateStateMachineDefinitionDiagnostic
/// {severity, code, message, location}: `pointer` is the location, `code` is stable (listed in
/// docs/errors.md), `message` says what is wrong without repeating code or pointer.
struct Diagnostic {
    std::string pointer;  ///< JSON pointer into the definition, e.g. "/States/Check/Choices/0/Next"
    std::string code;     ///< e.g. "sfn.asl.E012"
    std::string message;  ///< e.g. "no state named 'Done' in this scope"
    Severity severity{Severity::Error};
    bool operator==(const Diagnostic&) const = default;
};

/// True when any diagnostic is an error (a definition with warnings only is valid).
[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept;

/// The code AWS's ValidateStateMachineDefinition gives the problem an sfn code stands for:
/// "MISSING_TRANSITION_TARGET" for sfn.asl.E011, "NO_DOLLAR" for sfn.asl.W001, ...;
/// "SCHEMA_VALIDATION_FAILED" for every structural problem without a more specific AWS code.
[[nodiscard]] std::string_view aws_code(std::string_view sfn_code) noexcept;

/// "[sfn.asl.E012] /States/Wait/Seconds: expected a non-negative integer, got -1"
[[nodiscard]] std::string to_string(const Diagnostic& diagnostic);
/// One formatted diagnostic per line.
[[nodiscard]] std::string to_string(const std::vector<Diagnostic>& diagnostics);

/// Base for errors that carry a list of diagnostics. what() lists every one, one per line; code()
/// is the first one's.
class DiagnosticsError : public sfn::Error {
public:
    explicit DiagnosticsError(std::vector<Diagnostic> diagnostics);
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

/// The definition is not structurally ASL (wrong JSON types, unknown or missing fields, bad
/// JSON/YAML text). Carries every problem found.
class ParseError : public DiagnosticsError {
public:
    using DiagnosticsError::DiagnosticsError;
};

/// The definition parsed but breaks an ASL rule (dangling Next, unreachable state, bad path...).
class ValidationError : public DiagnosticsError {
public:
    using DiagnosticsError::DiagnosticsError;
};

}  // namespace sfn::asl
