#pragma once
/// \file
/// A generic AWS client: calls any operation of any service from its botocore model (service_model.hpp), over
/// the json, rest-json, rest-xml, query and ec2 protocols, SigV4-signed with the model's signing name (S3's
/// payload-signing rules included), with the SDKs' standard retry mode. Input and output are JSON objects with
/// the model's member names, as Step Functions' `aws-sdk:<service>:<action>` integrations use them.
///
/// **Example**
/// @code
///   auto model = aws::ServiceModel::load("dynamodb");
///   aws::ServiceClient ddb(model, aws::make_curl_transport(), aws::default_credentials_chain({}),
///                          {.region = "eu-west-1"});
///   auto out = ddb.call("GetItem", {{"TableName", "T"}, {"Key", {{"id", {{"S", "1"}}}}}});
///   // throws aws::ServiceError{.error_code() == "ResourceNotFoundException"} when T does not exist
/// @endcode

#include "sfn/aws/client.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/service_model.hpp"
#include "sfn/aws/transport.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sfn::aws {

/// Where and how a ServiceClient talks.
struct ServiceClientOptions {
    std::string region;
    /// Empty = AWS's endpoint for the region (see resolve_endpoint for the configured overrides).
    std::string endpoint_url;
    RetryPolicy retry;
    std::string user_agent = "sfn-cpp/0.1";
    /// Time source for signing (tests pin it); empty = the system clock.
    std::function<std::chrono::system_clock::time_point()> clock;
};

/// Bounds one call (all its attempts): the engine's task deadline and stop signal.
struct CallControl {
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::function<bool()> cancelled;  ///< true aborts the call in flight (TransportError); empty = never
};

/// Calls any operation of one service. Input and output are JSON objects with the model's member names
/// (PascalCase). In input, blobs are base64 strings (a streaming or payload blob such as S3 PutObject's Body is
/// the body text itself, or a JSON value that is sent serialised), timestamps ISO-8601 strings or epoch
/// seconds. In output, timestamps are ISO-8601 UTC strings ("2024-01-02T03:04:05.678Z"), blobs base64,
/// and a payload blob (S3 GetObject's Body) is its text when it is UTF-8 and base64 otherwise.
/// Thread-safe; cheap to share.
class ServiceClient {
public:
    /// Throws ConfigError for a null model/transport/credentials, an empty region or a malformed endpoint URL.
    ServiceClient(std::shared_ptr<const ServiceModel> model, std::shared_ptr<Transport> transport,
                  std::shared_ptr<CredentialsProvider> credentials, ServiceClientOptions options);
    ~ServiceClient();
    ServiceClient(const ServiceClient&) = delete;
    ServiceClient& operator=(const ServiceClient&) = delete;

    /// The result of one call with the HTTP details Step Functions' optimised integrations report.
    struct Response {
        nlohmann::json output;
        int status = 0;
        Headers headers;
        std::string request_id;
    };

    /// Calls `operation` ("PutItem") with `input` (an object, or null for none). Throws ServiceError (HTTP
    /// status, AWS error code without namespace prefix, message, request id), TransportError (no response after
    /// the last attempt), UsageError for an unknown operation or an input that does not fit the model (the
    /// message names the operation and the member path), ProtocolError for a response that cannot be parsed,
    /// CredentialsError.
    [[nodiscard]] nlohmann::json call(std::string_view operation, const nlohmann::json& input) const;
    /// The same, plus the HTTP status, response headers and request id.
    [[nodiscard]] Response call_with_metadata(std::string_view operation, const nlohmann::json& input) const;
    /// The same, bounded by `control`: each attempt ends at the deadline or when `cancelled` answers true, and no
    /// retry starts after that (TransportError).
    [[nodiscard]] Response call_with_metadata(std::string_view operation, const nlohmann::json& input,
                                              const CallControl& control) const;

    /// The endpoint requests go to (before any S3 virtual-host bucket prefix).
    [[nodiscard]] const std::string& endpoint() const noexcept;
    [[nodiscard]] const ServiceModel& model() const noexcept;
    /// Number of HTTP attempts made so far (retries included).
    [[nodiscard]] std::uint64_t attempts() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The endpoint for a service as the AWS CLI (botocore) resolves it: AWS_ENDPOINT_URL_<SERVICE_ID> (serviceId
/// upper-cased, spaces → underscores), AWS_ENDPOINT_URL, the profile's `services` section
/// (`[services NAME]` with `<service_id_snake> =` / `  endpoint_url = ...`), the profile's `endpoint_url` (all
/// skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's ignore_configured_endpoint_urls is true);
/// else AWS's endpoint: `https://<endpointPrefix>.<region>.amazonaws.com` (`.amazonaws.com.cn` in cn-*
/// regions), the global endpoint of IAM, Route 53, CloudFront, Organizations and the like, and
/// `https://s3.amazonaws.com` for S3 in us-east-1. `profile` empty = AWS_PROFILE / AWS_DEFAULT_PROFILE /
/// "default". Throws ConfigError when the profile names a `services` section that does not exist.
[[nodiscard]] std::string resolve_endpoint(const ServiceModel& model, std::string_view region, const Environment& env,
                                           const std::optional<std::string>& profile);

}  // namespace sfn::aws
