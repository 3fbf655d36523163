// History events in GetExecutionHistory's shape (service-2.json `HistoryEvent`), rendered on demand.
#include "sfn/engine/history.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>

namespace sfn::engine {

namespace {

// What a type's details member carries.
enum class Shape : std::uint8_t {
    None,            // no details member
    ExecStarted,     // input, inputDetails, roleArn
    ExecSucceeded,   // output, outputDetails
    ErrorCause,      // error, cause
    MapRunStarted,   // mapRunArn (the payload)
    StateEntered,    // name, input, inputDetails
    StateExited,     // name, output, outputDetails, assignedVariables
    TaskScheduled,   // resourceType, resource, region, parameters, timeoutInSeconds, heartbeatInSeconds
    TaskStarted,     // resourceType, resource
    TaskOutput,      // resourceType, resource, output, outputDetails
    TaskError,       // resourceType, resource, error, cause
    LambdaScheduled, // resource, input, inputDetails, timeoutInSeconds
    Output,          // output, outputDetails
    MapStarted,      // length
    MapIteration,    // name, index
    Redriven,        // redriveCount
    Evaluation,      // error, cause, state
};

struct TypeInfo {
    std::string_view name;
    std::string_view details;  // member name of the details object
    Shape shape;
};

using E = EventType;
constexpr std::size_t type_count = static_cast<std::size_t>(E::EvaluationFailed) + 1;

constexpr std::array<TypeInfo, type_count> types = {{
    {"ActivityFailed", "activityFailedEventDetails", Shape::ErrorCause},
    {"ActivityScheduled", "activityScheduledEventDetails", Shape::LambdaScheduled},
    {"ActivityScheduleFailed", "activityScheduleFailedEventDetails", Shape::ErrorCause},
    {"ActivityStarted", "activityStartedEventDetails", Shape::None},
    {"ActivitySucceeded", "activitySucceededEventDetails", Shape::Output},
    {"ActivityTimedOut", "activityTimedOutEventDetails", Shape::ErrorCause},
    {"ChoiceStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"ChoiceStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"ExecutionAborted", "executionAbortedEventDetails", Shape::ErrorCause},
    {"ExecutionFailed", "executionFailedEventDetails", Shape::ErrorCause},
    {"ExecutionStarted", "executionStartedEventDetails", Shape::ExecStarted},
    {"ExecutionSucceeded", "executionSucceededEventDetails", Shape::ExecSucceeded},
    {"ExecutionTimedOut", "executionTimedOutEventDetails", Shape::ErrorCause},
    {"FailStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"LambdaFunctionFailed", "lambdaFunctionFailedEventDetails", Shape::ErrorCause},
    {"LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", Shape::LambdaScheduled},
    {"LambdaFunctionScheduleFailed", "lambdaFunctionScheduleFailedEventDetails", Shape::ErrorCause},
    {"LambdaFunctionStarted", "", Shape::None},
    {"LambdaFunctionStartFailed", "lambdaFunctionStartFailedEventDetails", Shape::ErrorCause},
    {"LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails", Shape::Output},
    {"LambdaFunctionTimedOut", "lambdaFunctionTimedOutEventDetails", Shape::ErrorCause},
    {"MapIterationAborted", "mapIterationAbortedEventDetails", Shape::MapIteration},
    {"MapIterationFailed", "mapIterationFailedEventDetails", Shape::MapIteration},
    {"MapIterationStarted", "mapIterationStartedEventDetails", Shape::MapIteration},
    {"MapIterationSucceeded", "mapIterationSucceededEventDetails", Shape::MapIteration},
    {"MapStateAborted", "", Shape::None},
    {"MapStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"MapStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"MapStateFailed", "", Shape::None},
    {"MapStateStarted", "mapStateStartedEventDetails", Shape::MapStarted},
    {"MapStateSucceeded", "", Shape::None},
    {"ParallelStateAborted", "", Shape::None},
    {"ParallelStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"ParallelStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"ParallelStateFailed", "", Shape::None},
    {"ParallelStateStarted", "", Shape::None},
    {"ParallelStateSucceeded", "", Shape::None},
    {"PassStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"PassStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"SucceedStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"SucceedStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"TaskFailed", "taskFailedEventDetails", Shape::TaskError},
    {"TaskScheduled", "taskScheduledEventDetails", Shape::TaskScheduled},
    {"TaskStarted", "taskStartedEventDetails", Shape::TaskStarted},
    {"TaskStartFailed", "taskStartFailedEventDetails", Shape::TaskError},
    {"TaskStateAborted", "", Shape::None},
    {"TaskStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"TaskStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"TaskSubmitFailed", "taskSubmitFailedEventDetails", Shape::TaskError},
    {"TaskSubmitted", "taskSubmittedEventDetails", Shape::TaskOutput},
    {"TaskSucceeded", "taskSucceededEventDetails", Shape::TaskOutput},
    {"TaskTimedOut", "taskTimedOutEventDetails", Shape::TaskError},
    {"WaitStateAborted", "", Shape::None},
    {"WaitStateEntered", "stateEnteredEventDetails", Shape::StateEntered},
    {"WaitStateExited", "stateExitedEventDetails", Shape::StateExited},
    {"MapRunAborted", "", Shape::None},
    {"MapRunFailed", "mapRunFailedEventDetails", Shape::ErrorCause},
    {"MapRunStarted", "mapRunStartedEventDetails", Shape::MapRunStarted},
    {"MapRunSucceeded", "", Shape::None},
    {"ExecutionRedriven", "executionRedrivenEventDetails", Shape::Redriven},
    {"MapRunRedriven", "mapRunRedrivenEventDetails", Shape::Redriven},
    {"EvaluationFailed", "evaluationFailedEventDetails", Shape::Evaluation},
}};

const TypeInfo& info(EventType type) { return types[static_cast<std::size_t>(type)]; }

std::string payload_text(const std::optional<Value>& v) { return v ? v->dump() : std::string("null"); }

void put_error_cause(nlohmann::json& d, const HistoryEvent& e) {
    if (e.has_error) d["error"] = e.error;
    if (e.has_cause) d["cause"] = e.cause;
}

}  // namespace

std::string_view to_string(EventType type) noexcept { return info(type).name; }

nlohmann::json HistoryEvent::to_json() const {
    using nlohmann::json;
    const auto& ti = info(type);
    const double seconds =
        static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(timestamp.time_since_epoch()).count()) /
        1e6;
    json out = {{"timestamp", seconds}, {"type", std::string(ti.name)}, {"id", id}, {"previousEventId", previous_event_id}};
    const json not_truncated = {{"truncated", false}};
    json d = json::object();
    switch (ti.shape) {
        case Shape::None:
            return out;
        case Shape::ExecStarted:
            d = {{"input", payload_text(payload)}, {"inputDetails", not_truncated}, {"roleArn", std::string(role_arn)}};
            break;
        case Shape::ExecSucceeded:
        case Shape::Output:
            d = {{"output", payload_text(payload)}, {"outputDetails", not_truncated}};
            break;
        case Shape::ErrorCause:
            put_error_cause(d, *this);
            break;
        case Shape::StateEntered:
            d = {{"name", std::string(name)}, {"input", payload_text(payload)}, {"inputDetails", not_truncated}};
            break;
        case Shape::StateExited:
            d = {{"name", std::string(name)}, {"output", payload_text(payload)}, {"outputDetails", not_truncated}};
            if (assigned && !assigned->empty()) {
                json vars = json::object();
                for (const auto& [k, v] : *assigned) vars[k] = v.dump();
                d["assignedVariables"] = std::move(vars);
                d["assignedVariablesDetails"] = not_truncated;
            }
            break;
        case Shape::TaskScheduled:
            d = {{"resourceType", std::string(resource_type)}, {"resource", std::string(resource)},
                 {"region", std::string(region)}, {"parameters", payload_text(payload)}};
            if (timeout_seconds > 0) d["timeoutInSeconds"] = timeout_seconds;
            if (heartbeat_seconds > 0) d["heartbeatInSeconds"] = heartbeat_seconds;
            break;
        case Shape::TaskStarted:
            d = {{"resourceType", std::string(resource_type)}, {"resource", std::string(resource)}};
            break;
        case Shape::TaskOutput:
            d = {{"resourceType", std::string(resource_type)}, {"resource", std::string(resource)},
                 {"output", payload_text(payload)}, {"outputDetails", not_truncated}};
            break;
        case Shape::TaskError:
            d = {{"resourceType", std::string(resource_type)}, {"resource", std::string(resource)}};
            put_error_cause(d, *this);
            break;
        case Shape::LambdaScheduled:
            d = {{"resource", std::string(resource)}, {"input", payload_text(payload)}, {"inputDetails", not_truncated}};
            if (timeout_seconds > 0) d["timeoutInSeconds"] = timeout_seconds;
            break;
        case Shape::MapRunStarted:
            if (!payload || !payload->is_string()) return out;
            d = {{"mapRunArn", payload->as_string()}};
            break;
        case Shape::MapStarted:
            d = {{"length", index}};
            break;
        case Shape::MapIteration:
            d = {{"name", std::string(name)}, {"index", index}};
            break;
        case Shape::Redriven:
            d = {{"redriveCount", index}};
            break;
        case Shape::Evaluation:
            put_error_cause(d, *this);
            d["state"] = std::string(name);
            break;
    }
    out[std::string(ti.details)] = std::move(d);
    return out;
}

}  // namespace sfn::engine
