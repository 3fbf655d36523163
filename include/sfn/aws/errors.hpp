#pragma once
/// \file
/// The aws component's exceptions. Error codes (docs/errors.md):
/// - sfn.aws.E001 ServiceError: the service answered with an error (AWS code, HTTP status, request id).
/// - sfn.aws.E002 TransportError: no HTTP response (connection refused, timeout, TLS, DNS).
/// - sfn.aws.E003 CredentialsError: no usable credentials (names the provider, file, profile and key).
/// - sfn.aws.E004 ConfigError: a malformed config/credentials file, unknown profile, missing region, bad URL.
/// - sfn.aws.E005 ProtocolError: a response that is not what the protocol promises (bad JSON/XML).
/// - sfn.aws.E006 UsageError: a call the service model rejects (unknown operation, input that does not fit).

#include "sfn/core/error.hpp"

#include <string>
#include <string_view>

namespace sfn::aws {

/// What an error response said, as ServiceError is made from it.
struct ServiceErrorDetails {
    int http_status = 0;
    std::string error_code;           ///< the AWS error name, stripped of namespace and suffix ("InvalidArn")
    std::string message;              ///< the service's message text (may be empty)
    std::string request_id;
    std::string operation;            ///< the API operation that failed, when known
    std::string extended_request_id;  ///< S3's second request id (`x-amz-id-2`, the error's HostId), else empty
};

/// An error response from AWS (or any server speaking its protocol).
/// **Example**: `catch (const aws::ServiceError& e) { if (e.is("StateMachineDoesNotExist")) ... }`
class ServiceError : public sfn::Error {
public:
    explicit ServiceError(ServiceErrorDetails details);

    [[nodiscard]] int http_status() const noexcept { return http_status_; }
    /// The AWS error name, e.g. "StateMachineDoesNotExist", "ValidationException".
    [[nodiscard]] const std::string& error_code() const noexcept { return error_code_; }
    /// The service's message text (may be empty).
    [[nodiscard]] const std::string& error_message() const noexcept { return error_message_; }
    [[nodiscard]] const std::string& request_id() const noexcept { return request_id_; }
    /// S3's extended request id (`x-amz-id-2` / HostId); empty for other services.
    [[nodiscard]] const std::string& extended_request_id() const noexcept { return extended_request_id_; }
    /// The API operation that failed ("DescribeStateMachine"), when known.
    [[nodiscard]] const std::string& operation() const noexcept { return operation_; }
    [[nodiscard]] bool is(std::string_view error_code) const noexcept { return error_code_ == error_code; }
    /// Throttling codes of the SDKs' standard retry mode (ThrottlingException, Throttling, ...), or HTTP 429.
    [[nodiscard]] bool is_throttling() const noexcept;
    /// True when the standard retry mode retries it: throttling, 500/502/503/504, RequestTimeout*.
    [[nodiscard]] bool is_retryable() const noexcept;

private:
    int http_status_;
    std::string error_code_;
    std::string error_message_;
    std::string request_id_;
    std::string operation_;
    std::string extended_request_id_;
};

/// How a request without a response ended.
struct TransportFailure {
    bool timed_out = false;  ///< a timeout or deadline ended it (retries cost more; see RetryPolicy)
};

/// No HTTP response was received. Retryable.
/// **Example**: `throw TransportError(url + ": deadline passed", {.timed_out = true});`
class TransportError : public sfn::Error {
public:
    explicit TransportError(const std::string& message, TransportFailure failure = {})
        : sfn::Error("sfn.aws.E002", message), timed_out_(failure.timed_out) {}
    [[nodiscard]] bool timed_out() const noexcept { return timed_out_; }

private:
    bool timed_out_;
};

/// No usable credentials, or a credential provider failed.
class CredentialsError : public sfn::Error {
public:
    explicit CredentialsError(const std::string& message) : sfn::Error("sfn.aws.E003", message) {}
};

/// Bad configuration: malformed INI file, unknown profile, missing region, malformed URL.
class ConfigError : public sfn::Error {
public:
    explicit ConfigError(const std::string& message) : sfn::Error("sfn.aws.E004", message) {}
};

/// A response that breaks the protocol (unparsable JSON or XML, missing required member).
class ProtocolError : public sfn::Error {
public:
    explicit ProtocolError(const std::string& message) : sfn::Error("sfn.aws.E005", message) {}
};

/// A call the service model rejects before anything is sent: an unknown operation, or an input member that the
/// model does not have or whose value has the wrong type (the message names the operation and member path).
class UsageError : public sfn::Error {
public:
    explicit UsageError(const std::string& message) : sfn::Error("sfn.aws.E006", message) {}
};

}  // namespace sfn::aws
