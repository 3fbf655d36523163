#pragma once
// How a run is compared with what AWS recorded (shared/conformance/README.md, "Comparison"): status equal, output
// as JSON values with the recording's placeholders as wildcards, error equal, cause modulo wildcards (parsed when
// recorded as JSON), history event types in order. Used by the pure-corpus runner and, through
// sfn_conformance_compare, by the integration-corpus runner.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sfn::conformance {

/// True when `actual` matches `expected`: objects key for key (order free), arrays element by element, numbers by
/// value, strings literally except the recording's placeholders ("<...>" anywhere matches any text; "date",
/// "timestamp" & co. as whole strings match any value; Lambda causes by errorType and errorMessage). On a
/// mismatch `where` names the first differing place, under `path`.
bool json_matches(const nlohmann::json& expected, const nlohmann::json& actual, std::string& where,
                  const std::string& path = "");

/// What an execution ended with, as the comparison sees it.
struct RunResult {
    std::string status;                ///< SUCCEEDED, FAILED, TIMED_OUT, ABORTED
    std::optional<std::string> output;  ///< the output JSON text (when SUCCEEDED)
    std::optional<std::string> error;
    std::optional<std::string> cause;
    std::vector<std::string> history;  ///< event types in order
};

/// What to compare besides status, output, error and history.
struct CompareOptions {
    /// The Lambda folder's causes embed stack traces and request ids: leave them out.
    bool compare_cause = true;
};

/// Compares a run with a corpus case (`expected`, `history_event_types`, `input`/`recorded_input`): nullopt when
/// it matches, else why not.
std::optional<std::string> compare_run(const nlohmann::json& corpus_case, const RunResult& run,
                                       const CompareOptions& options);

}  // namespace sfn::conformance
