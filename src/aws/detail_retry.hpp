#pragma once
// The SDKs' standard retry mode (PROTOCOL.md §5), shared by the Step Functions and STS clients.

#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/transport.hpp"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace sfn::aws::detail {

/// Turns a non-2xx response into the ServiceError it carries.
using ErrorParser = ServiceError (*)(const HttpResponse& response, const std::string& operation);

/// AWS JSON 1.0 errors: x-amzn-ErrorType header or body `__type`/`code`, cut at ':' and after the last '#'.
ServiceError json_error_parser(const HttpResponse& response, const std::string& operation);
/// AWS XML errors: `<ErrorResponse><Error><Code>` (query), `<Error><Code>` (rest-xml), `<Response><Errors>
/// <Error><Code>` (ec2), with the body's RequestId; a body without one (S3's HEAD errors) gives the HTTP status
/// as the code.
ServiceError xml_error_parser(const HttpResponse& response, const std::string& operation);
/// The request id header of a response (x-amzn-RequestId, x-amz-request-id), or empty.
std::string request_id_of(const HttpResponse& response);
/// Strips `ns#Name:extra` down to `Name`.
std::string normalize_error_code(std::string code);
/// The x-amz-retry-after header (whole milliseconds) of an error response, when present and well-formed.
std::optional<std::chrono::milliseconds> server_retry_hint(const HttpResponse& response);

class Retrier {
public:
    explicit Retrier(RetryPolicy policy);

    /// Runs `attempt(n, max)` until it yields a 2xx response, a non-retryable error, or attempts/quota run out.
    HttpResponse run(const std::string& operation, const std::function<HttpResponse(int, int)>& attempt,
                     ErrorParser parse_error);

    [[nodiscard]] std::uint64_t attempts() const noexcept { return attempts_.load(); }
    /// The delay before retry `retry` (1-based): random(0,1) * min(base * 2^(retry-1), max).
    std::chrono::milliseconds backoff(int retry);
    /// The delay actually slept: backoff(retry), or a server hint clamped to [backoff, backoff + 5 s] (the
    /// SDKs' handling of x-amz-retry-after: it may lengthen the wait a little, never shorten it).
    std::chrono::milliseconds delay(int retry, std::optional<std::chrono::milliseconds> hint);

    static constexpr std::chrono::milliseconds kMaxHintExtension{5000};

private:
    bool take_quota(int cost);
    void refund(int amount);

    RetryPolicy policy_;
    std::atomic<std::uint64_t> attempts_{0};
    std::mutex mutex_;
    int quota_;
    std::mt19937_64 rng_;
};

}  // namespace sfn::aws::detail
