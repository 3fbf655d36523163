#pragma once
// The validator's shared state and field-level checks (used by validate*.cpp only).

#include "sfn/asl/diagnostic.hpp"
#include "sfn/model/state_machine.hpp"

#include <map>
#include <string>
#include <vector>

namespace sfn::asl::detail {

/// Validation codes (docs/errors.md lists them with examples).
namespace code {
inline constexpr const char* kStartAt = "sfn.asl.E010";
inline constexpr const char* kNextTarget = "sfn.asl.E011";
inline constexpr const char* kDefaultTarget = "sfn.asl.E012";
inline constexpr const char* kCatchTarget = "sfn.asl.E013";
inline constexpr const char* kTransition = "sfn.asl.E014";
inline constexpr const char* kTerminalTransition = "sfn.asl.E015";
inline constexpr const char* kUnreachable = "sfn.asl.E016";
inline constexpr const char* kNameTooLong = "sfn.asl.E017";
inline constexpr const char* kDuplicateName = "sfn.asl.E018";
inline constexpr const char* kEmptyChoices = "sfn.asl.E019";
inline constexpr const char* kRuleShape = "sfn.asl.E020";
inline constexpr const char* kRetryErrors = "sfn.asl.E021";
inline constexpr const char* kRetryRange = "sfn.asl.E022";
inline constexpr const char* kCatchErrors = "sfn.asl.E023";
inline constexpr const char* kPath = "sfn.asl.E024";
inline constexpr const char* kReferencePath = "sfn.asl.E025";
inline constexpr const char* kTemplate = "sfn.asl.E026";
inline constexpr const char* kJsonataFraming = "sfn.asl.E027";
inline constexpr const char* kJsonPathOnly = "sfn.asl.E028";
inline constexpr const char* kJsonataOnly = "sfn.asl.E029";
inline constexpr const char* kWaitShape = "sfn.asl.E030";
inline constexpr const char* kNegative = "sfn.asl.E031";
inline constexpr const char* kTimestamp = "sfn.asl.E032";
inline constexpr const char* kFailShape = "sfn.asl.E033";
inline constexpr const char* kNoBranches = "sfn.asl.E034";
inline constexpr const char* kMapProcessor = "sfn.asl.E035";
inline constexpr const char* kExclusiveFields = "sfn.asl.E036";
inline constexpr const char* kTimeouts = "sfn.asl.E037";
inline constexpr const char* kResource = "sfn.asl.E039";
inline constexpr const char* kTopLevel = "sfn.asl.E040";
inline constexpr const char* kPercentage = "sfn.asl.E042";
inline constexpr const char* kLabel = "sfn.asl.E045";
inline constexpr const char* kDistributedOnly = "sfn.asl.E046";
inline constexpr const char* kQueryLanguageMix = "sfn.asl.E048";
inline constexpr const char* kJsonataSyntax = "sfn.asl.E050";
inline constexpr const char* kIntrinsic = "sfn.asl.E051";
inline constexpr const char* kNoTerminal = "sfn.asl.E052";
inline constexpr const char* kExpressPattern = "sfn.asl.E053";
// Warnings: the definition is valid, but a field probably does not do what its author meant.
inline constexpr const char* kNoDollar = "sfn.asl.W001";
inline constexpr const char* kNoPath = "sfn.asl.W002";
inline constexpr const char* kPassResultIsStatic = "sfn.asl.W003";
}  // namespace code

/// Accumulates diagnostics while walking one definition.
class Checker {
public:
    explicit Checker(std::optional<model::QueryLanguage> top) : top_(top) {}

    void error(std::string pointer, const char* code, std::string message) {
        out_.push_back({std::move(pointer), code, std::move(message)});
    }
    void warning(std::string pointer, const char* code, std::string message) {
        out_.push_back({std::move(pointer), code, std::move(message), Severity::Warning});
        ++warnings_;
    }
    /// Findings so far, warnings excluded (a warning never explains away an error).
    [[nodiscard]] std::size_t count() const noexcept { return out_.size() - warnings_; }
    [[nodiscard]] std::vector<Diagnostic> take() { return std::move(out_); }
    [[nodiscard]] std::optional<model::QueryLanguage> top_query_language() const { return top_; }

    /// State names must be unique across the whole machine, branches included.
    /// Returns the pointer of the earlier state with that name, or empty.
    std::string remember_name(const std::string& name, const std::string& pointer);

    /// JSONPath (any) or reference path syntax.
    void path(const std::string& pointer, const model::Path& path, bool reference);
    void nullable_path(const std::string& pointer, const std::optional<model::NullablePath>& path, bool reference);
    /// A payload template (`.$` keys: paths, intrinsic calls).
    void payload_template(const std::string& pointer, const model::Json& payload);
    /// JSONPath-mode Assign: keys are variable names, `.$` values paths or intrinsics.
    void jsonpath_assign(const std::string& pointer, const model::Json& assign);
    /// Assign in a JSONata state: an object of variable names (no ".$" suffixes) whose values are JSONata values.
    void jsonata_assign(const std::string& pointer, const model::Json& assign);
    bool assigned_names(const std::string& pointer, const model::Json& assign, bool path_suffix);
    /// Every "{% ... %}" string inside `value` compiles as JSONata; a string that opens "{%"
    /// without closing (or the reverse) is a framing error.
    void jsonata_value(const std::string& pointer, const model::Json& value);
    /// A field that takes a JSONata expression (the whole string must be "{% ... %}").
    void jsonata_expression(const std::string& pointer, const std::string& text);
    /// ErrorPath / CausePath: a reference path or an intrinsic call.
    void path_or_intrinsic(const std::string& pointer, const model::Path& path);

private:
    std::optional<model::QueryLanguage> top_;
    std::vector<Diagnostic> out_;
    std::size_t warnings_ = 0;
    std::map<std::string, std::string, std::less<>> names_;
};

/// Field pointer helpers.
std::string field(const std::string& base, std::string_view name);
std::string index(const std::string& base, std::size_t i);

/// The state-level checks of one state (fields, shapes, query-language mixing); transitions and
/// reachability are checked by the scope walker.
void check_state(Checker& checker, const model::State& state, const std::string& pointer, bool jsonata);
/// The warnings of one JSONPath state (AWS's NO_DOLLAR, NO_PATH and PASS_RESULT_IS_STATIC): literal
/// values that look like paths or intrinsic calls in fields that take them literally.
void check_warnings(Checker& checker, const model::State& state, const std::string& pointer);
/// EXPRESS machines: Tasks (in every scope) that use an activity or the `.sync` / `.waitForTaskToken` pattern.
void check_express(Checker& checker, const std::vector<model::NamedState>& states, const std::string& pointer);
/// Checks one StartAt/States scope and recurses into Parallel branches and Map processors.
void check_scope(Checker& checker, const std::string& start_at, const std::vector<model::NamedState>& states,
                 const std::string& pointer, std::optional<model::QueryLanguage> inherited);

/// RFC 3339 date-time as Step Functions accepts it (e.g. 2016-03-14T01:59:00Z, fractional seconds
/// and numeric offsets allowed).
bool is_timestamp(std::string_view text);
/// "{% ... %}" framing.
bool is_jsonata_framed(std::string_view text);

}  // namespace sfn::asl::detail
