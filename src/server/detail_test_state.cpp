// TestState's request checks and the one-state machine the engine runs for it.
#include "server/detail_test_state.hpp"

#include "server/detail_response_models.hpp"
#include "sfn/engine/error.hpp"
#include "sfn/server/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

namespace sfn::server::detail {
namespace {

ApiError invalid(const std::string& message) { return ApiError("ValidationException", message); }

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string resource_of(const TestSubject& s) {
    const auto it = s.state.find("Resource");
    return it != s.state.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_activity(std::string_view resource) {
    return resource.substr(0, 15) == "arn:aws:states:" && resource.find(":activity:") != std::string_view::npos;
}

/// The service integration pattern a Task resource names: ".sync", ".waitForTaskToken" or "".
std::string_view pattern_of(std::string_view resource) {
    if (ends_with(resource, ".waitForTaskToken")) return ".waitForTaskToken";
    if (ends_with(resource, ".sync") || ends_with(resource, ".sync:2")) return ".sync";
    return {};
}

/// Every state name inside a Map's processor or a Parallel's branches (nested ones included).
void inner_state_names(const json& state, std::vector<std::string>& out) {
    const auto scope = [&](const json& holder) {
        if (!holder.is_object() || !holder.contains("States") || !holder["States"].is_object()) return;
        for (const auto& [name, inner] : holder["States"].items()) {
            out.push_back(name);
            inner_state_names(inner, out);
        }
    };
    if (!state.is_object()) return;
    for (const char* key : {"ItemProcessor", "Iterator"}) {
        if (state.contains(key)) scope(state[key]);
    }
    if (state.contains("Branches") && state["Branches"].is_array()) {
        for (const auto& branch : state["Branches"]) scope(branch);
    }
}

/// Every transition a state can take: Next, Default, Choices[].Next and Catch[].Next.
std::vector<std::string> transitions(const json& state) {
    std::vector<std::string> out;
    const auto add = [&](const json& holder) {
        if (holder.is_object() && holder.contains("Next") && holder["Next"].is_string()) out.push_back(holder["Next"]);
    };
    add(state);
    if (state.contains("Default") && state["Default"].is_string()) out.push_back(state["Default"]);
    for (const char* list : {"Choices", "Catch"}) {
        if (state.contains(list) && state[list].is_array()) {
            for (const auto& entry : state[list]) add(entry);
        }
    }
    return out;
}

void check_mock(const TestSubject& s, const json& mock) {
    static constexpr std::array<std::string_view, 5> unmockable{"Pass", "Wait", "Choice", "Succeed", "Fail"};
    if (std::find(unmockable.begin(), unmockable.end(), s.type) != unmockable.end())
        throw invalid("State type '" + s.type + "' is not supported when a mock is specified");
    if (!mock.is_object()) throw invalid("mock must be an object");
    const bool has_result = mock.contains("result");
    const bool has_error = mock.contains("errorOutput");
    if (has_result == has_error) throw invalid("A mock must contain exactly one of 'result' and 'errorOutput'");
    if (has_error && !mock["errorOutput"].contains("error"))
        throw invalid("mock.errorOutput.error is required when mock.errorOutput is specified");
}

void check_unmocked(const TestSubject& s, const json& request) {
    if (s.type == "Map" || s.type == "Parallel")
        throw invalid("State type '" + s.type + "' is only supported when a mock is specified");
    const std::string resource = resource_of(s);
    if (s.type == "Task" && is_activity(resource))
        throw invalid("Activity tasks are only supported when a mock is specified");
    if (s.type == "Task" && !pattern_of(resource).empty())
        throw invalid("The '" + std::string(pattern_of(resource)) +
                      "' integration pattern is only supported when a mock is specified");
    if (request.contains("context")) throw invalid("context can only be specified when a mock is specified");
}

void check_configuration(const TestSubject& s, const json& request) {
    const json config = request.value("stateConfiguration", json::object());
    const bool mocked_error = request.contains("mock") && request["mock"].contains("errorOutput");
    if (config.contains("errorCausedByState")) {
        const std::string name = config["errorCausedByState"];
        if (s.type != "Map" && s.type != "Parallel")
            throw invalid("errorCausedByState can only be specified for a Map or Parallel state");
        if (!mocked_error) throw invalid("errorCausedByState can only be specified with mock.errorOutput");
        std::vector<std::string> names;
        inner_state_names(s.state, names);
        if (std::find(names.begin(), names.end(), name) == names.end())
            throw invalid("errorCausedByState '" + name + "' is not a state of " + s.type + " state '" + s.name + "'");
    }
    if (config.contains("mapIterationFailureCount")) {
        if (s.type != "Map") throw invalid("mapIterationFailureCount can only be specified for a Map state");
        bool tolerates = false;
        for (const char* key : {"ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage",
                                "ToleratedFailurePercentagePath"})
            tolerates = tolerates || s.state.contains(key);
        if (!tolerates)
            throw invalid(
                "mapIterationFailureCount requires a Map state with ToleratedFailureCount or "
                "ToleratedFailurePercentage");
    }
    if (config.contains("mapItemReaderData") && (s.type != "Map" || !s.state.contains("ItemReader")))
        throw invalid("mapItemReaderData can only be specified for a Map state with an ItemReader");
    if (config.contains("retrierRetryCount") &&
        !(s.state.contains("Retry") && s.state["Retry"].is_array() && !s.state["Retry"].empty()))
        throw invalid("retrierRetryCount can only be specified for a state with a Retry field");
}

/// A mocked Map or Parallel as a Task: the same input and output processing around a result that is the
/// mock (the iterations and branches do not run).
json as_mock_task(const json& state) {
    static constexpr std::array<const char*, 14> kept{
        "Comment", "QueryLanguage", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Output",
        "Assign",  "Catch",         "Next",      "End",        "Parameters", "Arguments",      "Type"};
    json task = json::object();
    const bool parallel = state.value("Type", "") == "Parallel";
    for (const char* key : kept) {
        // A Map's Parameters is the legacy ItemSelector: per item, not the state's.
        if (!parallel && (std::string_view(key) == "Parameters" || std::string_view(key) == "Arguments")) continue;
        if (state.contains(key)) task[key] = state[key];
    }
    task["Type"] = "Task";
    task["Resource"] = "arn:aws:states:::testState:mock";
    return task;
}

}  // namespace

bool TestSubject::jsonata() const {
    return state.value("QueryLanguage", query_language.value_or("JSONPath")) == "JSONata";
}

TestSubject test_subject(const json& definition, const json& request) {
    TestSubject s;
    s.name = request.value("stateName", "");
    if (definition.contains("States")) {
        s.whole_machine = true;
        if (s.name.empty()) s.name = definition.value("StartAt", "");
        if (!definition["States"].is_object() || !definition["States"].contains(s.name))
            throw invalid("State '" + s.name + "' is not in the definition's States");
        s.state = definition["States"][s.name];
        if (definition.contains("QueryLanguage") && definition["QueryLanguage"].is_string())
            s.query_language = definition["QueryLanguage"].get<std::string>();
    } else {
        if (request.contains("stateName"))
            throw invalid(
                "stateName can only be specified with a complete state machine definition "
                "(StartAt and States)");
        s.state = definition;
        s.name = "TestState";
    }
    if (!s.state.is_object() || !s.state.contains("Type") || !s.state["Type"].is_string()) {
        throw ApiError("InvalidDefinition",
                       "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the state "
                       "has no Type at /'");
    }
    s.type = s.state["Type"];
    return s;
}

void check_test_request(const TestSubject& subject, const json& request) {
    if (request.contains("mock"))
        check_mock(subject, request["mock"]);
    else
        check_unmocked(subject, request);
    check_configuration(subject, request);
}

std::optional<std::string> mock_result_problem(const TestSubject& subject, const json& mock, const json& result) {
    if (subject.type != "Task") return std::nullopt;
    const std::string mode = mock.value("fieldValidationMode", "STRICT");
    const auto op = response_operation(resource_of(subject));
    if (!op) return std::nullopt;
    const auto level = mode == "NONE"      ? FieldValidation::None
                       : mode == "PRESENT" ? FieldValidation::Present
                                           : FieldValidation::Strict;
    return check_response(*op, result, level);
}

std::string tested_state_name(const TestSubject& subject) {
    std::string name = subject.name;
    const auto targets = transitions(subject.state);
    while (std::find(targets.begin(), targets.end(), name) != targets.end()) name = "_" + name;
    return name;
}

json test_machine(const TestSubject& subject, const std::string& tested_name, const TestMachineOptions& options) {
    json state = options.mocked && (subject.type == "Map" || subject.type == "Parallel") ? as_mock_task(subject.state)
                                                                                         : subject.state;
    if (!options.keep_retry) state.erase("Retry");
    json states = json::object();
    for (const auto& target : transitions(state)) states[target] = {{"Type", "Pass"}, {"End", true}};
    states[tested_name] = std::move(state);
    json machine = {{"StartAt", tested_name}, {"States", std::move(states)}};
    if (subject.query_language) machine["QueryLanguage"] = *subject.query_language;
    return machine;
}

std::optional<std::size_t> first_handler(const json& list, const std::string& error) {
    if (!list.is_array()) return std::nullopt;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json names = list[i].value("ErrorEquals", json::array());
        std::vector<std::string> equals;
        for (const auto& n : names) {
            if (n.is_string()) equals.push_back(n.get<std::string>());
        }
        if (engine::error_equals_matches(equals, error)) return i;
    }
    return std::nullopt;
}

std::int64_t backoff_seconds(const json& retrier, std::int64_t retry_count) {
    const double interval = retrier.value("IntervalSeconds", 1.0);
    const double rate = retrier.value("BackoffRate", 2.0);
    double delay = interval * std::pow(rate, static_cast<double>(retry_count));
    if (retrier.contains("MaxDelaySeconds") && retrier["MaxDelaySeconds"].is_number())
        delay = std::min(delay, retrier["MaxDelaySeconds"].get<double>());
    return static_cast<std::int64_t>(std::floor(delay));
}

}  // namespace sfn::server::detail
