#pragma once
/// \file
/// Nested workflows: the `arn:aws:states:::states:startExecution` integration (request/response, `.sync`,
/// `.sync:2`, `.waitForTaskToken`) over any Step Functions API: the local service in-process, or the
/// Step Functions endpoint an aws::SfnClient talks to. Results and errors are shaped as AWS shapes them:
/// - request/response: {ExecutionArn, SdkHttpMetadata, SdkResponseMetadata, StartDate} (dates in epoch ms);
/// - `.sync`: DescribeExecution's answer in PascalCase, Input/Output as JSON text;
/// - `.sync:2`: the same with Input/Output parsed, plus RedriveCount/RedriveStatus/RedriveStatusReason;
/// - a FAILED, TIMED_OUT or ABORTED child fails the task with `States.TaskFailed` and, as cause, that shape as
///   JSON text with the child's Error/Cause;
/// - an API error fails it with `StepFunctions.<Code>Exception` and the SDK's cause text.
/// A `.sync` child is stopped when the parent no longer waits for it (stop, TimeoutSeconds, failing sibling).

#include "sfn/core/error.hpp"
#include "sfn/engine/handlers.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace sfn::integrations {

/// The glob of the resources this integration serves.
inline constexpr std::string_view start_execution_glob = "arn:aws:states:::states:startExecution*";

/// An error answer of the Step Functions API (what a StepFunctionsCall throws).
class StepFunctionsApiError : public sfn::Error {
public:
    StepFunctionsApiError(std::string code, std::string message, int status = 400, std::string request_id = {})
        : sfn::Error("sfn.integrations.E001", code + ": " + message), code_(std::move(code)),
          message_(std::move(message)), status_(status), request_id_(std::move(request_id)) {}
    [[nodiscard]] const std::string& code() const noexcept { return code_; }
    [[nodiscard]] const std::string& api_message() const noexcept { return message_; }
    [[nodiscard]] int status() const noexcept { return status_; }
    [[nodiscard]] const std::string& request_id() const noexcept { return request_id_; }

private:
    std::string code_;
    std::string message_;
    int status_;
    std::string request_id_;
};

/// Calls one Step Functions operation ("StartExecution") with a camelCase request and returns its answer.
/// Throws StepFunctionsApiError for an error answer; any other sfn::Error (no response) fails the task with
/// States.TaskFailed naming it.
using StepFunctionsCall = std::function<nlohmann::json(std::string_view operation, const nlohmann::json& request)>;

/// Where the integration starts children and how it waits for them.
struct StartExecutionOptions {
    StepFunctionsCall call;  ///< required
    /// Blocks until execution `arn` has ended or `until` (steady clock) passes; returns early when it can
    /// tell. Empty: DescribeExecution is polled every `poll_interval`.
    std::function<void(const std::string& arn, std::chrono::steady_clock::time_point until)> wait_for_end;
    std::chrono::milliseconds poll_interval{200};
    /// Names the endpoint in causes of transport failures ("the local service", "http://...").
    std::string endpoint_name = "the Step Functions endpoint";
};

/// Runs one `states:startExecution*` task. Thread-safe (as thread-safe as `options.call`).
/// **Example**: `handlers.add(std::string(start_execution_glob), make_start_execution_handler({.call = f}));`
[[nodiscard]] engine::TaskOutcome start_execution_task(const engine::TaskRequest& request,
                                                       const StartExecutionOptions& options);

/// start_execution_task bound to `options`, for HandlerRegistry::add.
[[nodiscard]] engine::TaskHandler make_start_execution_handler(StartExecutionOptions options);

/// The SdkHttpMetadata/SdkResponseMetadata members Step Functions adds to an optimised integration's result,
/// for a JSON answer of `body_size` bytes: {"SdkHttpMetadata": {...}, "SdkResponseMetadata": {...}}.
[[nodiscard]] nlohmann::json sdk_metadata(std::size_t body_size, const std::string& request_id,
                                          std::string_view content_type = "application/x-amz-json-1.0");

}  // namespace sfn::integrations
