#pragma once
/// \file
/// The HTTP Task (`arn:aws:states:::http:invoke`): calls an HTTPS (or, locally, HTTP) API with the task's
/// ApiEndpoint, Method, Headers, QueryParameters, RequestBody and Transform (URL_ENCODED bodies with ArrayFormat
/// INDICES, REPEAT, COMMAS or BRACKETS), authorised by the EventBridge connection of
/// `Authentication.ConnectionArn` (or `InvocationConfig.ConnectionArn`). Result: {Headers, ResponseBody,
/// StatusCode, StatusText}; a non-2xx answer fails the task with `States.Http.StatusCode.<code>` and the status
/// text as cause; no answer within the timeout (60 s, as on AWS) is `States.Http.Socket`.
///
/// **Example**
/// @code
/// handlers.add("arn:aws:states:::http:invoke", [opts](const engine::TaskRequest& r) {
///     return integrations::invoke_http_task(r, opts);
/// });
/// @endcode

#include "sfn/engine/handlers.hpp"
#include "sfn/integrations/connections.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sfn::aws {
class Transport;
}

namespace sfn::integrations {

inline constexpr std::string_view http_task_resource = "arn:aws:states:::http:invoke";

struct HttpTaskOptions {
    /// Resolves ConnectionArn; null: every HTTP Task fails with Events.ConnectionResource.ResourceNotFound.
    std::shared_ptr<const ConnectionResolver> connections;
    /// The region named in the User-Agent (`Amazon|StepFunctions|HttpInvoke|<region>`).
    std::string region = "us-east-1";
    /// How long the API may take to answer (AWS: 60 s); the task's own deadline shortens it.
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    /// Makes the transport for one call, given the time it may take. Empty: libcurl (aws::make_curl_transport).
    std::function<std::shared_ptr<aws::Transport>(std::chrono::milliseconds timeout)> transport;
};

/// Runs one HTTP Task. Thread-safe. Never throws: bad parameters fail the task with States.Runtime naming the
/// field, connection problems with Events.ConnectionResource.*.
[[nodiscard]] engine::TaskOutcome invoke_http_task(const engine::TaskRequest& request, const HttpTaskOptions& options);

/// invoke_http_task bound to `options`, for HandlerRegistry::add(std::string(http_task_resource), ...).
[[nodiscard]] engine::TaskHandler make_http_task_handler(HttpTaskOptions options);

/// The URL-encoded form of a JSON object, arrays written as AWS's ArrayFormat says ("INDICES" (default),
/// "REPEAT", "COMMAS", "BRACKETS"); nested objects as `a[b]=...`. \throws sfn::Error (sfn.integrations.E004)
/// for an unknown format.
[[nodiscard]] std::string url_encode_form(const Value& object, std::string_view array_format = "INDICES");

}  // namespace sfn::integrations
