#include "sfn/aws/errors.hpp"

#include <algorithm>
#include <iterator>

namespace sfn::aws {
namespace {

std::string describe(int status, const std::string& code, const std::string& message, const std::string& request_id,
                     const std::string& operation) {
    std::string out = operation.empty() ? std::string() : operation + ": ";
    out += code.empty() ? "HTTP " + std::to_string(status) : code;
    if (!message.empty()) out += ": " + message;
    out += " (HTTP " + std::to_string(status);
    if (!request_id.empty()) out += ", request id " + request_id;
    out += ")";
    return out;
}

}  // namespace

ServiceError::ServiceError(ServiceErrorDetails d)
    : sfn::Error("sfn.aws.E001", describe(d.http_status, d.error_code, d.message, d.request_id, d.operation)),
      http_status_(d.http_status),
      error_code_(std::move(d.error_code)),
      error_message_(std::move(d.message)),
      request_id_(std::move(d.request_id)),
      operation_(std::move(d.operation)),
      extended_request_id_(std::move(d.extended_request_id)) {}

bool ServiceError::is_throttling() const noexcept {
    static constexpr std::string_view codes[] = {
        "Throttling",         "ThrottlingException",      "ThrottledException",
        "RequestThrottledException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException"};
    // 429 Too Many Requests is throttling whatever the body says (as the Java v2 and JavaScript v3 SDKs classify it).
    return http_status_ == 429 || std::find(std::begin(codes), std::end(codes), error_code_) != std::end(codes);
}

bool ServiceError::is_retryable() const noexcept {
    if (is_throttling()) return true;
    if (http_status_ == 500 || http_status_ == 502 || http_status_ == 503 || http_status_ == 504) return true;
    return error_code_ == "RequestTimeout" || error_code_ == "RequestTimeoutException" ||
           error_code_ == "PriorRequestNotComplete" || error_code_ == "InternalFailure" ||
           error_code_ == "ServiceUnavailable";
}

}  // namespace sfn::aws
