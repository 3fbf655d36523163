#pragma once
// `.sync` optimised integrations: after the request that starts a job (Athena query, Batch job, Glue job run, ECS
// task), Step Functions polls the job until it ends and answers the job's description; a stopped task stops the job.

#include <nlohmann/json.hpp>

#include <string_view>

namespace sfn::integrations::detail {

/// Where a polled job stands.
enum class JobState : std::uint8_t { Running, Succeeded, Failed };

/// How one `.sync` integration polls its job. The inputs are built from the submitting call's input and answer in
/// the model's member names; `state` and `result` read the poll's output with its members in PascalCase (as the
/// task's result shows them).
struct SyncSpec {
    std::string_view poll;  ///< the describing operation ("GetQueryExecution")
    /// The poll's input from the submitting call's input and answer.
    nlohmann::json (*poll_input)(const nlohmann::json& submitted, const nlohmann::json& answer);
    /// The job's state in the poll's output.
    JobState (*state)(const nlohmann::json& polled);
    /// The task's result (or, when the job failed, the cause's JSON) from the poll's output.
    nlohmann::json (*result)(const nlohmann::json& polled);
    std::string_view stop;  ///< the operation that stops the job when the task is stopped ("" = none)
    nlohmann::json (*stop_input)(const nlohmann::json& submitted, const nlohmann::json& answer);
};

/// The `.sync` spec of an optimised resource, or nullptr when it has no `.sync` pattern.
[[nodiscard]] const SyncSpec* find_sync(std::string_view service, std::string_view action);

}  // namespace sfn::integrations::detail
