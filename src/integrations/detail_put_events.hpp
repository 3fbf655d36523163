#pragma once
// events:putEvents as Step Functions runs it: each entry names the state machine and the execution among its
// Resources, and an answer with failed entries fails the task.

#include "sfn/core/value.hpp"

#include <optional>
#include <string_view>

namespace sfn::integrations::detail {

/// `parameters` with the state machine's and the execution's ARNs (derived from `execution_arn`) appended to
/// each entry's Resources, as AWS adds them; unchanged when there is no Entries array or no execution ARN.
[[nodiscard]] Value with_execution_resources(const Value& parameters, std::string_view execution_arn);

/// The state machine ARN an execution ARN belongs to (`...:execution:<machine>:<name>` →
/// `...:stateMachine:<machine>`; a Map Run's child names its machine before a '/'); "" when not an execution ARN.
[[nodiscard]] std::string state_machine_of(std::string_view execution_arn);

/// True when a PutEvents answer reports FailedEntryCount > 0 (the task then fails EventBridge.FailedEntry).
[[nodiscard]] bool has_failed_entries(const Value& result);

}  // namespace sfn::integrations::detail
