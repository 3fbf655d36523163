// Diagnostic formatting, the AWS code of each sfn code, and DiagnosticsError.
#include "sfn/asl/diagnostic.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace sfn::asl {
namespace {
std::string first_code(const std::vector<Diagnostic>& diagnostics) {
    return diagnostics.empty() ? std::string("sfn.asl.E000") : diagnostics.front().code;
}
// sfn::Error prefixes the first code; the rest of the lines carry their own.
std::string body(const std::vector<Diagnostic>& diagnostics) {
    if (diagnostics.empty()) return "no diagnostics";
    std::string out = diagnostics.front().pointer + ": " + diagnostics.front().message;
    for (std::size_t i = 1; i < diagnostics.size(); ++i) out += "\n" + to_string(diagnostics[i]);
    return out;
}
}  // namespace

bool has_errors(const std::vector<Diagnostic>& diagnostics) noexcept {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::string_view aws_code(std::string_view sfn_code) noexcept {
    // AWS's ValidateStateMachineDefinitionDiagnostic documents these codes; AWS reports an unreachable
    // state as MISSING_TRANSITION_TARGET too ("State 'X' is not reachable").
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> table{{
        {"sfn.asl.E001", "INVALID_JSON_DESCRIPTION"},
        {"sfn.asl.E011", "MISSING_TRANSITION_TARGET"},
        {"sfn.asl.E012", "MISSING_TRANSITION_TARGET"},
        {"sfn.asl.E013", "MISSING_TRANSITION_TARGET"},
        {"sfn.asl.E016", "MISSING_TRANSITION_TARGET"},
        {"sfn.asl.E017", "INVALID_STATE_NAME"},
        {"sfn.asl.E018", "DUPLICATE_STATE_NAME"},
        {"sfn.asl.E039", "INVALID_RESOURCE"},
        {"sfn.asl.E045", "INVALID_LABEL_NAME"},
        {"sfn.asl.E052", "MISSING_END_STATE"},
        {"sfn.asl.W001", "NO_DOLLAR"},
        {"sfn.asl.W002", "NO_PATH"},
        {"sfn.asl.W003", "PASS_RESULT_IS_STATIC"},
    }};
    for (const auto& [sfn, aws] : table) {
        if (sfn == sfn_code) return aws;
    }
    return "SCHEMA_VALIDATION_FAILED";
}

std::string to_string(const Diagnostic& d) { return "[" + d.code + "] " + d.pointer + ": " + d.message; }

std::string to_string(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) out += to_string(d) + "\n";
    return out;
}

DiagnosticsError::DiagnosticsError(std::vector<Diagnostic> diagnostics)
    : sfn::Error(first_code(diagnostics), body(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace sfn::asl
