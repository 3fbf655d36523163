#pragma once
/// \file
/// Execution history events, as GetExecutionHistory returns them. Events are recorded cheaply (shared
/// references to payloads, no serialization); `to_json()` renders the AWS shape on demand.

#include "sfn/core/value.hpp"
#include "sfn/engine/clock.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sfn::engine {

/// Every HistoryEventType of the Step Functions API (service-2.json), in the model's order.
enum class EventType : std::uint8_t {
    ActivityFailed, ActivityScheduled, ActivityScheduleFailed, ActivityStarted, ActivitySucceeded, ActivityTimedOut,
    ChoiceStateEntered, ChoiceStateExited,
    ExecutionAborted, ExecutionFailed, ExecutionStarted, ExecutionSucceeded, ExecutionTimedOut,
    FailStateEntered,
    LambdaFunctionFailed, LambdaFunctionScheduled, LambdaFunctionScheduleFailed, LambdaFunctionStarted,
    LambdaFunctionStartFailed, LambdaFunctionSucceeded, LambdaFunctionTimedOut,
    MapIterationAborted, MapIterationFailed, MapIterationStarted, MapIterationSucceeded,
    MapStateAborted, MapStateEntered, MapStateExited, MapStateFailed, MapStateStarted, MapStateSucceeded,
    ParallelStateAborted, ParallelStateEntered, ParallelStateExited, ParallelStateFailed, ParallelStateStarted,
    ParallelStateSucceeded,
    PassStateEntered, PassStateExited,
    SucceedStateEntered, SucceedStateExited,
    TaskFailed, TaskScheduled, TaskStarted, TaskStartFailed, TaskStateAborted, TaskStateEntered, TaskStateExited,
    TaskSubmitFailed, TaskSubmitted, TaskSucceeded, TaskTimedOut,
    WaitStateAborted, WaitStateEntered, WaitStateExited,
    MapRunAborted, MapRunFailed, MapRunStarted, MapRunSucceeded,
    ExecutionRedriven, MapRunRedriven, EvaluationFailed,
};

/// The API name of an event type, e.g. "PassStateEntered".
[[nodiscard]] std::string_view to_string(EventType type) noexcept;

/// One history event. Fields that an event type does not use stay empty; `to_json()` picks the right
/// `...EventDetails` member for the type.
struct HistoryEvent {
    std::int64_t id = 0;                 ///< 1-based, strictly increasing
    std::int64_t previous_event_id = 0;  ///< the event that caused this one (0 = none)
    TimePoint timestamp;
    EventType type = EventType::ExecutionStarted;

    std::string_view name;        ///< state name (state and Map iteration events); points into the machine
    std::optional<Value> payload; ///< input (Entered/Started/Scheduled) or output (Exited/Succeeded)
    std::string error;            ///< failures, aborts, timeouts
    std::string cause;
    bool has_error = false;       ///< distinguishes "no error member" from an empty error
    bool has_cause = false;
    std::int64_t index = -1;      ///< Map iteration index; MapStateStarted length
    std::string_view resource_type;  ///< Task events: e.g. "lambda"
    std::string_view resource;       ///< Task events: e.g. "invoke", or the full Lambda ARN
    std::string region;              ///< TaskScheduled
    std::optional<std::int64_t> timeout_seconds;    ///< TaskScheduled / LambdaFunctionScheduled
    std::optional<std::int64_t> heartbeat_seconds;  ///< TaskScheduled
    std::string role_arn;            ///< ExecutionStarted
    /// StateExited: the variables assigned by the state, name → value (rendered as JSON text).
    std::shared_ptr<const std::vector<std::pair<std::string, Value>>> assigned;

    /// The event in GetExecutionHistory's shape: {timestamp, type, id, previousEventId, <x>EventDetails}.
    [[nodiscard]] nlohmann::json to_json() const;
};

/// Receives every event as it is recorded (on the thread that records it; calls are serialized per
/// execution). Used by the local service to persist history.
using HistorySink = std::function<void(const HistoryEvent&)>;

}  // namespace sfn::engine
