#pragma once
/// \file
/// The AWS Step Functions client (AWS JSON 1.0 over a Transport, SigV4-signed, with the SDKs' standard retry
/// mode). One typed method per API operation, generated from the service model (operations.def, shapes.hpp),
/// plus a generic `call(operation, json)`. STS GetCallerIdentity/AssumeRole live in sts.hpp.
///
/// **Example**
/// @code
///   auto client = aws::SfnClient(aws::make_curl_transport(), aws::default_credentials_chain({}), {"eu-west-1"});
///   sfn_api::DescribeStateMachineInput in;
///   in.state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:Demo";
///   auto out = client.describe_state_machine(in);  // throws aws::ServiceError("StateMachineDoesNotExist")
/// @endcode

#include "sfn/aws/credentials.hpp"
#include "sfn/aws/shapes.hpp"
#include "sfn/aws/transport.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::aws {

/// The SDKs' "standard" retry mode (PROTOCOL.md §5): bounded attempts, full-jitter exponential backoff,
/// a per-client retry quota. An error response's `x-amz-retry-after` header (milliseconds) lengthens the wait
/// to that value, by at most 5 s over the backoff; an RFC 9110 `Retry-After` header is ignored, as the SDKs do.
struct RetryPolicy {
    int max_attempts = 3;  ///< counts the first try; 1 = no retries
    std::chrono::milliseconds base_delay{1000};
    std::chrono::milliseconds max_delay{20000};
    int quota = 500;  ///< token bucket: a retry costs 5 (10 after a timeout), a success refunds
    /// How to wait between attempts (tests replace it to record the delays instead of sleeping).
    std::function<void(std::chrono::milliseconds)> sleep;
};

/// Where and how the client talks.
struct ClientConfig {
    std::string region;
    /// A custom endpoint (`http://127.0.0.1:4566`); empty = `https://states.<region>.amazonaws.com`.
    std::string endpoint_url;
    /// Prefix `sync-` to the host for StartSyncExecution/TestState. Default: only on AWS's own endpoints.
    std::optional<bool> inject_host_prefix;
    RetryPolicy retry;
    std::string user_agent = "sfn-cpp/0.1";
    /// Time source for signing (tests pin it).
    std::function<std::chrono::system_clock::time_point()> clock;
};

/// The default AWS endpoint of a service in a region ("states" → https://states.eu-west-1.amazonaws.com;
/// cn-* regions use amazonaws.com.cn).
[[nodiscard]] std::string default_endpoint(std::string_view endpoint_prefix, std::string_view region);

/// Sends signed AWS JSON 1.0 requests for Step Functions. Thread-safe; cheap to share.
class SfnClient {
public:
    /// Throws ConfigError for an empty region or a malformed endpoint URL.
    SfnClient(std::shared_ptr<Transport> transport, std::shared_ptr<CredentialsProvider> credentials,
              ClientConfig config);
    ~SfnClient();
    SfnClient(const SfnClient&) = delete;
    SfnClient& operator=(const SfnClient&) = delete;

    /// Calls `operation` ("DescribeStateMachine") with `input` (an object in the wire's camelCase) and returns the
    /// output object. Throws ServiceError (AWS error code, message, status, request id), TransportError after the
    /// last attempt, ProtocolError for an unparsable response, CredentialsError.
    nlohmann::json call(std::string_view operation, const nlohmann::json& input);

#define SFN_AWS_OPERATION(Op, method, In, Out, prefix) sfn_api::Out method(const sfn_api::In& request);
#include "sfn/aws/operations.def"

    /// Every page of ListStateMachines.
    std::vector<sfn_api::StateMachineListItem> list_all_state_machines();
    /// Every page of ListExecutions for `request` (its nextToken is ignored).
    std::vector<sfn_api::ExecutionListItem> list_all_executions(sfn_api::ListExecutionsInput request);
    /// Every page of GetExecutionHistory for `request` (its nextToken is ignored).
    std::vector<sfn_api::HistoryEvent> get_full_execution_history(sfn_api::GetExecutionHistoryInput request);

    [[nodiscard]] const std::string& region() const noexcept;
    /// The endpoint requests go to (without any `sync-` prefix).
    [[nodiscard]] const std::string& endpoint() const noexcept;
    /// Number of HTTP attempts made so far (retries included).
    [[nodiscard]] std::uint64_t attempts() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfn::aws
