// TestState: runs one state on its own and reports its output, the next state and how it ended.
#include "sfn/core/text.hpp"
#include "sfn/engine/error.hpp"
#include "server/detail_names.hpp"
#include "server/detail_service.hpp"

namespace sfn::server {

namespace {

// Every transition a state can take: Next, Default, Choices[].Next and Catch[].Next.
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

bool retrier_matches(const json& state, const std::string& error) {
    if (!state.contains("Retry") || !state["Retry"].is_array()) return false;
    for (const auto& retrier : state["Retry"]) {
        if (retrier.value("MaxAttempts", 3) == 0) continue;
        for (const auto& e : retrier.value("ErrorEquals", json::array())) {
            if (e == error || e == "States.ALL" || (e == "States.TaskFailed" && error.rfind("States.", 0) != 0)) return true;
        }
    }
    return false;
}

bool is_entered(std::string_view type) {
    return type.size() > 12 && type.substr(type.size() - 12) == "StateEntered";
}

}  // namespace

json Service::Impl::test_state(const json& r) {
    const std::string& text = r["definition"].get_ref<const std::string&>();
    if (auto problem = text::json_nesting_problem(text, Value::max_depth)) {
        throw ApiError("InvalidDefinition",
                       "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: " + *problem + "'");
    }
    auto definition = json::parse(text, nullptr, false);
    if (definition.is_discarded() || !definition.is_object()) {
        throw ApiError("InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the "
                                            "definition is not a JSON object'");
    }
    std::string name = r.value("stateName", "");
    json state;
    if (definition.contains("States")) {
        if (name.empty()) name = definition.value("StartAt", "");
        if (!definition["States"].is_object() || !definition["States"].contains(name)) {
            throw ApiError("ValidationException", "State '" + name + "' is not in the definition's States");
        }
        state = definition["States"][name];
    } else {
        state = definition;
        if (name.empty()) name = "TestState";
    }
    if (!state.is_object() || !state.contains("Type")) {
        throw ApiError("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the state "
                                            "has no Type at /'");
    }
    const json original = state;
    // Each transition leads to a Pass state that ends the run, so the history shows which one was taken.
    json states = json::object();
    const auto targets = transitions(state);
    std::string tested = name;
    for (const auto& t : targets) {
        if (t == tested) tested = "__sfn_tested_state";
    }
    for (const auto& t : targets) states[t] = {{"Type", "Pass"}, {"End", true}};
    state.erase("Retry");
    states[tested] = state;
    json machine_json = {{"StartAt", tested}, {"States", states}};
    auto machine = compile(machine_json.dump());

    sfn::Value input = sfn::Value::parse(r.value("input", "{}"));
    engine::ExecutionOptions options;
    options.name = "test-state";
    options.role_arn = r.value("roleArn", "arn:aws:iam::" + this->options.account + ":role/TestStateRole");
    options.region = this->options.region;
    options.clock = std::make_shared<engine::VirtualClock>();
    options.task_tokens = tokens;
    if (r.contains("mock")) {
        const json& mock = r["mock"];
        auto registry_copy = std::make_shared<engine::HandlerRegistry>();
        if (mock.contains("result")) {
            auto result = sfn::Value::parse(mock["result"].get<std::string>());
            registry_copy->add("*", [result](const engine::TaskRequest&) { return engine::TaskOutcome::raw_result(result); });
        } else {
            const json e = mock.value("errorOutput", json::object());
            const std::string error = e.value("error", "States.TaskFailed");
            const std::string cause = e.value("cause", "");
            registry_copy->add("*", [error, cause](const engine::TaskRequest&) {
                return engine::TaskOutcome::failure(error, cause);
            });
        }
        options.handlers = registry_copy;
    } else {
        std::lock_guard lock(handlers_mutex_);
        options.handlers = registry_snapshot;
    }
    engine::Execution execution(machine, input, std::move(options));
    const auto result = execution.run();

    json out = json::object();
    std::string next;
    std::string next_input;
    bool failed_inside = false;
    std::string caught_error;
    std::string caught_cause;
    for (const auto& event : execution.history()) {
        const auto type = engine::to_string(event.type);
        if (type.find("Failed") != std::string_view::npos && event.type != engine::EventType::ExecutionFailed) {
            failed_inside = true;
            caught_error = event.error;
            caught_cause = event.cause;
        }
        if (is_entered(type) && event.name != tested && next.empty()) {
            next = std::string(event.name);
            next_input = event.payload ? event.payload->dump() : "null";
        }
    }
    const std::string level = r.value("inspectionLevel", "INFO");
    if (level != "INFO") {
        out["inspectionData"] = {{"input", r.value("input", "{}")}};
    }
    if (!next.empty()) {
        out["nextState"] = next;
        out["output"] = next_input;
        out["status"] = failed_inside ? "CAUGHT_ERROR" : "SUCCEEDED";
        if (failed_inside) {
            out["error"] = caught_error;
            out["cause"] = caught_cause;
        }
    } else if (result.status == engine::ExecutionStatus::Succeeded) {
        out["output"] = result.output_json;
        out["status"] = "SUCCEEDED";
    } else {
        const std::string error = result.error.value_or("States.Runtime");
        out["status"] = retrier_matches(original, error) ? "RETRIABLE" : "FAILED";
        out["error"] = error;
        if (result.cause) out["cause"] = *result.cause;
    }
    if (level != "INFO" && out.contains("output")) out["inspectionData"]["afterResultPath"] = out["output"];
    return out;
}

}  // namespace sfn::server
