// TestState: runs one state on its own (a single state, or `stateName` of a whole definition) and reports
// its output, the next state, how it ended (SUCCEEDED, CAUGHT_ERROR, RETRIABLE, FAILED) and, at the DEBUG
// and TRACE inspection levels, its data processing step by step. A `mock` replaces what the state calls
// (a Task's integration, a Map's iterations, a Parallel's branches); `stateConfiguration` says where in a
// run the state is (retries made so far, Map iterations failed), `variables` and `context` what it sees.
#include "server/detail_service.hpp"
#include "server/detail_test_state.hpp"
#include "sfn/core/text.hpp"
#include "sfn/engine/error.hpp"

namespace sfn::server {

namespace {

using detail::TestSubject;

/// A JSON member of the request given as text (input, variables, context), parsed.
sfn::Value json_member(const json& r, const char* member, const char* fallback, const char* error_type) {
    const std::string text = r.value(member, fallback);
    try {
        return sfn::Value::parse(text);
    } catch (const sfn::Error& e) {
        if (std::string_view(error_type) == "InvalidExecutionInput")
            throw ApiError(error_type, std::string("Invalid State Machine Execution Input: '") + e.what() + "'");
        throw ApiError(error_type, std::string(member) + " is not valid JSON: " + e.what());
    }
}

json plain(const sfn::Value& v) { return json::parse(v.dump()); }

sfn::Value object_member(const json& r, const char* member) {
    auto v = json_member(r, member, "{}", "ValidationException");
    if (!v.is_object()) throw ApiError("ValidationException", std::string(member) + " must be a JSON object");
    return v;
}

/// What the run showed about the tested state.
struct Observed {
    std::optional<json> error;        ///< {"Error", "Cause"} when it failed
    std::optional<std::string> next;  ///< the state it went on to
    std::string next_input;
    json stages = json::object();    ///< inspection data by name
    json assigned = json::object();  ///< variables it assigned
};

const char* stage_name(engine::InspectionStage stage) {
    switch (stage) {
        case engine::InspectionStage::AfterInputPath:
            return "afterInputPath";
        case engine::InspectionStage::AfterParameters:
            return "afterParameters";
        case engine::InspectionStage::AfterArguments:
            return "afterArguments";
        case engine::InspectionStage::Result:
            return "result";
        case engine::InspectionStage::AfterResultSelector:
            return "afterResultSelector";
        case engine::InspectionStage::AfterResultPath:
            return "afterResultPath";
        case engine::InspectionStage::Error:
            return "error";
    }
    return "";
}

/// The handler a mock stands for: the mocked result as the integration's whole response, or the error.
std::shared_ptr<engine::HandlerRegistry> mock_handlers(const TestSubject& subject, const json& r,
                                                       const detail::MapInspection& map) {
    const json& mock = r["mock"];
    auto registry = std::make_shared<engine::HandlerRegistry>();
    const json config = r.value("stateConfiguration", json::object());
    const std::int64_t failures = config.value("mapIterationFailureCount", std::int64_t{0});
    if (subject.type == "Map" && detail::exceeds_tolerance(map, failures)) {
        registry->add("*", [](const engine::TaskRequest&) {
            return engine::TaskOutcome::failure("States.ExceedToleratedFailureThreshold",
                                                "The specified tolerated failure threshold was exceeded");
        });
    } else if (mock.contains("result")) {
        auto result = sfn::Value::parse(mock["result"].get<std::string>());
        registry->add("*", [result](const engine::TaskRequest&) { return engine::TaskOutcome::raw_result(result); });
    } else {
        const json& e = mock["errorOutput"];
        const std::string error = e.value("error", "");
        const std::string cause = e.value("cause", "");
        registry->add(
            "*", [error, cause](const engine::TaskRequest&) { return engine::TaskOutcome::failure(error, cause); });
    }
    return registry;
}

void check_mock_result(const TestSubject& subject, const json& r) {
    const json& mock = r["mock"];
    if (!mock.contains("result")) return;
    const json result = json::parse(mock["result"].get<std::string>(), nullptr, false);
    if (result.is_discarded()) throw ApiError("ValidationException", "The mocked result is not valid JSON");
    if (auto problem = detail::mock_result_problem(subject, mock, result))
        throw ApiError("ValidationException", "Mock result schema validation error: " + *problem);
}

}  // namespace

json Service::Impl::test_state(const json& r) {
    const std::string& text = r["definition"].get_ref<const std::string&>();
    if (auto problem = text::json_nesting_problem(text, Value::max_depth)) {
        throw ApiError("InvalidDefinition",
                       "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: " + *problem + "'");
    }
    const auto definition = json::parse(text, nullptr, false);
    if (definition.is_discarded() || !definition.is_object()) {
        throw ApiError("InvalidDefinition",
                       "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the "
                       "definition is not a JSON object'");
    }
    const TestSubject subject = detail::test_subject(definition, r);
    const std::string tested = detail::tested_state_name(subject);
    // A whole definition must be one AWS would accept, not only the state under test; a single state is
    // checked as written (a mocked Map's ItemsPath and ItemSelector too, which the run itself skips). The
    // engine's own limits (an ItemReader) do not apply to a mocked Map or Parallel, which it does not run.
    const bool mocked = r.contains("mock");
    const bool container = subject.type == "Map" || subject.type == "Parallel";
    throw_if_invalid(definition_diagnostics(
        subject.whole_machine ? text : detail::test_machine(subject, tested, {.keep_retry = true}).dump(),
        {.engine_checks = !(mocked && container)}));
    detail::check_test_request(subject, r);
    if (mocked) check_mock_result(subject, r);

    const sfn::Value input = json_member(r, "input", "{}", "InvalidExecutionInput");
    const sfn::Value variables = r.contains("variables") ? object_member(r, "variables") : sfn::Value();
    const sfn::Value context = r.contains("context") ? object_member(r, "context") : sfn::Value();
    auto machine = compile(detail::test_machine(subject, tested, {.mocked = mocked}).dump());

    Observed seen;
    engine::ExecutionOptions options;
    options.name = "test-state";
    options.role_arn = r.value("roleArn", "arn:aws:iam::" + this->options.account + ":role/TestStateRole");
    options.region = this->options.region;
    options.clock = std::make_shared<engine::VirtualClock>();
    options.task_tokens = tokens;
    options.variables = variables;
    options.context = context;
    options.inspect = [&seen, &tested](std::string_view state, engine::InspectionStage stage, const Value& value) {
        if (state != tested) return;
        if (stage == engine::InspectionStage::Error)
            seen.error = plain(value);
        else
            seen.stages[stage_name(stage)] = value.dump();
    };
    // A Map's items are worked out beside the engine, which does not run a mocked Map's iterations.
    detail::MapInspection map;
    if (subject.type == "Map") {
        map = detail::map_inspection(subject, input, r);
        const json config = r.value("stateConfiguration", json::object());
        if (config.contains("mapIterationFailureCount") && !map.tolerated_count && map.tolerated_percentage &&
            !map.item_count)
            throw ApiError("ValidationException",
                           "mapIterationFailureCount with a ToleratedFailurePercentage needs "
                           "the Map's items (from its ItemsPath or mapItemReaderData)");
    }
    if (mocked) {
        options.handlers = mock_handlers(subject, r, map);
    } else {
        std::lock_guard lock(handlers_mutex_);
        options.handlers = registry_snapshot;
    }
    engine::Execution execution(machine, input, std::move(options));
    const auto result = execution.run();
    for (const auto& event : execution.history()) {
        if (event.name == tested && event.assigned) {
            for (const auto& [name, value] : *event.assigned) seen.assigned[name] = plain(value);
        }
        const auto type = engine::to_string(event.type);
        const bool entered = type.size() > 12 && type.substr(type.size() - 12) == "StateEntered";
        if (entered && event.name != tested && !seen.next) {
            seen.next = std::string(event.name);
            seen.next_input = event.payload ? event.payload->dump() : "null";
        }
    }

    json out = json::object();
    json error_details = json::object();
    const json& original = subject.state;
    if (seen.error) {
        const std::string error = (*seen.error).value("Error", "");
        out["error"] = error;
        if ((*seen.error).contains("Cause")) out["cause"] = (*seen.error)["Cause"];
        const json retry = original.value("Retry", json::array());
        const auto retrier = detail::first_handler(retry, error);
        const std::int64_t retries =
            r.value("stateConfiguration", json::object()).value("retrierRetryCount", std::int64_t{0});
        if (retrier && retries < retry[*retrier].value("MaxAttempts", std::int64_t{3})) {
            // A retrier applies before any catcher: the state would be run again.
            out["status"] = "RETRIABLE";
            error_details = {{"retryIndex", *retrier},
                             {"retryBackoffIntervalSeconds", detail::backoff_seconds(retry[*retrier], retries)}};
        } else if (seen.next) {
            out["status"] = "CAUGHT_ERROR";
            out["nextState"] = *seen.next;
            out["output"] = seen.next_input;
            if (auto catcher = detail::first_handler(original.value("Catch", json::array()), error))
                error_details = {{"catchIndex", *catcher}};
        } else {
            out["status"] = "FAILED";
        }
    } else if (seen.next) {
        out["status"] = "SUCCEEDED";
        out["nextState"] = *seen.next;
        out["output"] = seen.next_input;
    } else if (result.status == engine::ExecutionStatus::Succeeded) {
        out["status"] = "SUCCEEDED";
        out["output"] = result.output_json();
    } else {
        out["status"] = "FAILED";
        out["error"] = result.error.value_or("States.Runtime");
        if (result.cause) out["cause"] = *result.cause;
    }

    const std::string level = r.value("inspectionLevel", "INFO");
    if (level != "INFO") {
        json data = seen.stages;
        data["input"] = input.dump();
        if (subject.jsonata()) {
            // AWS populates the JSONPath steps only for JSONPath states.
            for (const char* step : {"afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"})
                data.erase(step);
        }
        data.update(map.data);
        if (variables.is_object() || !seen.assigned.empty()) {
            json vars = variables.is_object() ? plain(variables) : json::object();
            vars.update(seen.assigned);
            data["variables"] = vars.dump();
        }
        if (!error_details.empty()) data["errorDetails"] = error_details;
        out["inspectionData"] = std::move(data);
    }
    return out;
}

}  // namespace sfn::server
