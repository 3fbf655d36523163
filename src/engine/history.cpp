// History events in GetExecutionHistory's shape (service-2.json `HistoryEvent`), rendered on demand.
#include "sfn/engine/history.hpp"

#include "sfn/core/error.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cmath>

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
    ActivityScheduled, // resource, input, inputDetails, timeoutInSeconds, heartbeatInSeconds
    ActivityStarted, // workerName (the payload, when given)
    Output,          // output, outputDetails
    MapStarted,      // length
    MapIteration,    // name, index
    Redriven,        // redriveCount
    MapRunRedriven,  // mapRunArn (the payload), redriveCount
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
    {"ActivityScheduled", "activityScheduledEventDetails", Shape::ActivityScheduled},
    {"ActivityScheduleFailed", "activityScheduleFailedEventDetails", Shape::ErrorCause},
    {"ActivityStarted", "activityStartedEventDetails", Shape::ActivityStarted},
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
    {"MapRunRedriven", "mapRunRedrivenEventDetails", Shape::MapRunRedriven},
    {"EvaluationFailed", "evaluationFailedEventDetails", Shape::Evaluation},
}};

const TypeInfo& info(EventType type) { return types[static_cast<std::size_t>(type)]; }

std::string payload_text(const std::optional<Value>& v) { return v ? v->dump() : std::string("null"); }

void put_error_cause(nlohmann::json& d, const HistoryEvent& e) {
    const HistoryEventDetail& x = e.detail();
    if (x.has_error) d["error"] = x.error;
    if (x.has_cause) d["cause"] = x.cause;
}

}  // namespace

std::string_view to_string(EventType type) noexcept { return info(type).name; }

nlohmann::json HistoryEvent::to_json() const {
    using nlohmann::json;
    const auto& ti = info(type);
    const HistoryEventDetail& x = detail();
    const std::string_view role_arn = x.role_arn, resource_type = x.resource_type, resource = x.resource,
                           region = x.region;
    const std::int32_t timeout_seconds = x.timeout_seconds, heartbeat_seconds = x.heartbeat_seconds;
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
        case Shape::ActivityScheduled:
            d = {{"resource", std::string(resource)}, {"input", payload_text(payload)}, {"inputDetails", not_truncated}};
            if (timeout_seconds > 0) d["timeoutInSeconds"] = timeout_seconds;
            if (heartbeat_seconds > 0 && ti.shape == Shape::ActivityScheduled) d["heartbeatInSeconds"] = heartbeat_seconds;
            break;
        case Shape::ActivityStarted:
            // AWS writes the details object also when the worker gave no name: {}.
            if (payload && payload->is_string()) d["workerName"] = payload->as_string();
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
        case Shape::MapRunRedriven:
            d = {{"mapRunArn", payload && payload->is_string() ? payload->as_string() : std::string()},
                 {"redriveCount", index}};
            break;
        case Shape::Evaluation:
            put_error_cause(d, *this);
            d["state"] = std::string(name);
            break;
    }
    out[std::string(ti.details)] = std::move(d);
    return out;
}

HistoryEvent HistoryEvent::from_json(const nlohmann::json& j,
                                     const std::function<std::string_view(std::string_view)>& keep) {
    using nlohmann::json;
    HistoryEvent e;
    const std::string type = j.at("type").get<std::string>();
    std::size_t t = 0;
    while (t < type_count && types[t].name != type) ++t;
    if (t == type_count) throw sfn::Error("sfn.engine.E032", "unknown history event type '" + type + "'");
    e.type = static_cast<EventType>(t);
    e.id = j.at("id").get<std::int64_t>();
    e.previous_event_id = j.at("previousEventId").get<std::int64_t>();
    e.timestamp = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::microseconds(std::llround(j.at("timestamp").get<double>() * 1e6))));
    const auto& ti = types[t];
    if (ti.shape == Shape::None) return e;
    const auto found = j.find(std::string(ti.details));
    if (found == j.end()) {
        if (ti.shape == Shape::MapRunStarted) return e;  // written without details when it has no ARN
        throw sfn::Error("sfn.engine.E032", "history event " + type + " has no " + std::string(ti.details));
    }
    const json& d = *found;
    const auto text = [&](const char* member) { return keep(d.at(member).get_ref<const std::string&>()); };
    const auto payload = [&](const char* member) { e.payload = Value::parse(d.at(member).get_ref<const std::string&>()); };
    const auto task_resource = [&] {
        HistoryEventDetail& x = e.detail_to_fill();
        x.resource_type = text("resourceType");
        x.resource = text("resource");
    };
    const auto timeouts = [&] {
        HistoryEventDetail& x = e.detail_to_fill();
        x.timeout_seconds = d.value("timeoutInSeconds", 0);
        x.heartbeat_seconds = d.value("heartbeatInSeconds", 0);
    };
    const auto error_cause = [&] {
        if (auto it = d.find("error"); it != d.end()) {
            e.set_error(it->get<std::string>());
        }
        if (auto it = d.find("cause"); it != d.end()) {
            e.set_cause(it->get<std::string>());
        }
    };
    switch (ti.shape) {
        case Shape::None:
            break;
        case Shape::ExecStarted:
            payload("input");
            e.detail_to_fill().role_arn = text("roleArn");
            break;
        case Shape::ExecSucceeded:
        case Shape::Output:
            payload("output");
            break;
        case Shape::ErrorCause:
            error_cause();
            break;
        case Shape::StateEntered:
            e.name = text("name");
            payload("input");
            break;
        case Shape::StateExited:
            e.name = text("name");
            payload("output");
            if (auto it = d.find("assignedVariables"); it != d.end()) {
                auto vars = std::make_shared<std::vector<std::pair<std::string, Value>>>();
                for (const auto& [k, v] : it->items()) vars->emplace_back(k, Value::parse(v.get_ref<const std::string&>()));
                e.assigned = std::move(vars);
            }
            break;
        case Shape::TaskScheduled:
            task_resource();
            payload("parameters");
            timeouts();
            e.detail_to_fill().region = text("region");
            break;
        case Shape::TaskStarted:
            task_resource();
            break;
        case Shape::TaskOutput:
            task_resource();
            payload("output");
            break;
        case Shape::TaskError:
            task_resource();
            error_cause();
            break;
        case Shape::LambdaScheduled:
        case Shape::ActivityScheduled:
            e.detail_to_fill().resource = text("resource");
            payload("input");
            timeouts();
            break;
        case Shape::ActivityStarted:
            if (auto it = d.find("workerName"); it != d.end()) e.payload = Value(it->get<std::string>());
            break;
        case Shape::MapRunStarted:
            e.payload = Value(d.at("mapRunArn").get<std::string>());
            break;
        case Shape::MapStarted:
            e.index = d.at("length").get<std::int64_t>();
            break;
        case Shape::MapIteration:
            e.name = text("name");
            e.index = d.at("index").get<std::int64_t>();
            break;
        case Shape::Redriven:
            e.index = d.at("redriveCount").get<std::int64_t>();
            break;
        case Shape::MapRunRedriven:
            e.payload = Value(d.at("mapRunArn").get<std::string>());
            e.index = d.at("redriveCount").get<std::int64_t>();
            break;
        case Shape::Evaluation:
            error_cause();
            e.name = text("state");
            break;
    }
    return e;
}

}  // namespace sfn::engine
