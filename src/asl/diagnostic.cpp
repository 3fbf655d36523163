#include "sfn/asl/diagnostic.hpp"

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

std::string to_string(const Diagnostic& d) { return "[" + d.code + "] " + d.pointer + ": " + d.message; }

std::string to_string(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) out += to_string(d) + "\n";
    return out;
}

DiagnosticsError::DiagnosticsError(std::vector<Diagnostic> diagnostics)
    : sfn::Error(first_code(diagnostics), body(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace sfn::asl
