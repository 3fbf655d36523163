// The `states:startExecution` integration: starts the child through the Step Functions API it is given and,
// for `.sync`/`.sync:2`, waits for it and answers DescribeExecution's record in the shape AWS uses.
#include "sfn/integrations/start_execution.hpp"

#include "integrations/detail_ids.hpp"
#include "sfn/integrations/aws.hpp"

#include <cmath>
#include <thread>

namespace sfn::integrations {

using nlohmann::json;

namespace {

enum class Pattern : std::uint8_t { RequestResponse, Sync, Sync2, WaitForTaskToken };

Pattern pattern_of(std::string_view resource) {
    const std::string pattern = parse_resource(resource).pattern;
    if (pattern == "sync:2") return Pattern::Sync2;
    if (pattern == "sync") return Pattern::Sync;
    if (pattern == "waitForTaskToken") return Pattern::WaitForTaskToken;
    return Pattern::RequestResponse;
}

// Step Functions renders the API's timestamps (epoch seconds on the wire) as epoch milliseconds.
json epoch_ms(const json& seconds) {
    if (!seconds.is_number()) return seconds;
    return static_cast<std::int64_t>(std::llround(seconds.get<double>() * 1000.0));
}

std::string capitalised(const std::string& name) {
    std::string out = name;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

json pascal_case(const json& value) {
    if (!value.is_object()) return value;
    json out = json::object();
    for (const auto& [k, v] : value.items()) out[capitalised(k)] = pascal_case(v);
    return out;
}

// DescribeExecution's answer as the `.sync` (JSON text) or `.sync:2` (parsed JSON) integrations return it.
json describe_shape(const json& described, Pattern pattern) {
    static const char* const common[] = {"executionArn",  "stateMachineArn", "name",         "status",
                                         "input",         "inputDetails",    "output",       "outputDetails",
                                         "error",         "cause",           "stateMachineVersionArn",
                                         "stateMachineAliasArn"};
    static const char* const redrive[] = {"redriveCount", "redriveStatus", "redriveStatusReason"};
    json out = json::object();
    for (const char* member : common) {
        if (described.contains(member)) out[capitalised(member)] = pascal_case(described[member]);
    }
    for (const char* member : {"startDate", "stopDate"}) {
        if (described.contains(member)) out[capitalised(member)] = epoch_ms(described[member]);
    }
    if (pattern == Pattern::Sync2) {
        for (const char* member : redrive) {
            if (described.contains(member)) out[capitalised(member)] = described[member];
        }
        for (const char* member : {"Input", "Output"}) {
            if (!out.contains(member) || !out[member].is_string()) continue;
            auto parsed = json::parse(out[member].get<std::string>(), nullptr, false);
            if (!parsed.is_discarded()) out[member] = std::move(parsed);
        }
    }
    return out;
}

// StartExecution's request from the task's parameters (PascalCase, as AWS documents them).
json start_request(const Value& parameters) {
    const json params = json::parse(parameters.dump());
    json request = json::object();
    if (params.contains("StateMachineArn")) request["stateMachineArn"] = params["StateMachineArn"];
    if (params.contains("Name")) request["name"] = params["Name"];
    if (params.contains("TraceHeader")) request["traceHeader"] = params["TraceHeader"];
    const json input = params.value("Input", json());
    // A string is the input's JSON text as is; absent or null starts the child with {}.
    if (input.is_string()) {
        request["input"] = input;
    } else if (input.is_null()) {
        request["input"] = "{}";
    } else {
        request["input"] = input.dump();
    }
    return request;
}

engine::TaskOutcome api_failure(const StepFunctionsApiError& e) {
    // The optimised integrations name a service error after the Java SDK's exception class.
    std::string exception = e.code();
    if (!exception.ends_with("Exception")) exception += "Exception";
    std::string cause = e.api_message() + " (Service: AWSStepFunctions; Status Code: " + std::to_string(e.status()) +
                        "; Error Code: " + e.code() + "; Request ID: " +
                        (e.request_id().empty() ? detail::uuid4() : e.request_id()) + "; Proxy: null)";
    return engine::TaskOutcome::failure("StepFunctions." + exception, std::move(cause));
}

engine::TaskOutcome no_answer(const sfn::Error& e, std::string_view operation, const StartExecutionOptions& o) {
    return engine::TaskOutcome::failure(
        "States.TaskFailed", "Step Functions " + std::string(operation) + " on " + o.endpoint_name + " failed: " + detail::plain_message(e));
}

// Waits for the child to end, or for the parent to give up (then the child is stopped, as AWS stops `.sync`
// children of a stopped parent). Returns DescribeExecution's last answer, or nullopt when given up.
std::optional<json> await_child(const engine::TaskRequest& request, const StartExecutionOptions& o,
                                const std::string& arn) {
    for (;;) {
        if (request.cancelled()) {
            try {
                (void)o.call("StopExecution", {{"executionArn", arn}});
            } catch (const sfn::Error&) {
                // The child ended meanwhile (or cannot be reached): nothing is left to stop.
            }
            return std::nullopt;
        }
        json described = o.call("DescribeExecution", {{"executionArn", arn}});
        if (described.value("status", "RUNNING") != "RUNNING") return described;
        const auto until = std::min(request.deadline, std::chrono::steady_clock::now() + o.poll_interval);
        if (o.wait_for_end) {
            o.wait_for_end(arn, until);
        } else if (request.stop_signal) {
            (void)request.stop_signal->wait_until(std::chrono::system_clock::now() +
                                                  (until - std::chrono::steady_clock::now()));
        } else {
            std::this_thread::sleep_until(until);
        }
    }
}

}  // namespace

json sdk_metadata(std::size_t body_size, const std::string& request_id, std::string_view content_type) {
    const json headers = {{"connection", "keep-alive"},
                          {"Content-Length", std::to_string(body_size)},
                          {"Content-Type", std::string(content_type)},
                          {"Date", detail::http_date_now()},
                          {"x-amzn-RequestId", request_id}};
    json all = json::object();
    for (const auto& [k, v] : headers.items()) all[k] = json::array({v});
    return {{"SdkHttpMetadata", {{"AllHttpHeaders", all}, {"HttpHeaders", headers}, {"HttpStatusCode", 200}}},
            {"SdkResponseMetadata", {{"RequestId", request_id}}}};
}

engine::TaskOutcome start_execution_task(const engine::TaskRequest& request, const StartExecutionOptions& o) {
    const Pattern pattern = pattern_of(request.resource);
    const json api_request = start_request(request.parameters);
    json started;
    try {
        started = o.call("StartExecution", api_request);
    } catch (const StepFunctionsApiError& e) {
        return api_failure(e);
    } catch (const sfn::Error& e) {
        return no_answer(e, "StartExecution", o);
    }
    json answer = sdk_metadata(started.dump().size(), detail::uuid4());
    answer["ExecutionArn"] = started.value("executionArn", "");
    answer["StartDate"] = epoch_ms(started.value("startDate", json()));
    const Value start_answer = Value::from_json(answer);
    switch (pattern) {
        case Pattern::RequestResponse:
            return engine::TaskOutcome::raw_result(start_answer);
        case Pattern::WaitForTaskToken:
            // The child answers with SendTaskSuccess/Failure using the token the parent passed in its input.
            if (request.submitted) request.submitted(start_answer);
            return engine::TaskOutcome::pending();
        case Pattern::Sync:
        case Pattern::Sync2:
            break;
    }
    if (request.submitted) request.submitted(start_answer);
    const std::string arn = answer["ExecutionArn"];
    std::optional<json> described;
    try {
        described = await_child(request, o, arn);
    } catch (const StepFunctionsApiError& e) {
        return api_failure(e);
    } catch (const sfn::Error& e) {
        return no_answer(e, "DescribeExecution", o);
    }
    if (!described) return engine::TaskOutcome::failure("States.TaskFailed", "The parent stopped waiting for " + arn);
    json shape = describe_shape(*described, pattern);
    if ((*described)["status"] == "SUCCEEDED") return engine::TaskOutcome::raw_result(Value::from_json(shape));
    return engine::TaskOutcome::failure("States.TaskFailed", shape.dump());
}

engine::TaskHandler make_start_execution_handler(StartExecutionOptions options) {
    return [options = std::move(options)](const engine::TaskRequest& request) {
        return start_execution_task(request, options);
    };
}

}  // namespace sfn::integrations
