#pragma once
// Task failures named as Step Functions names them: `<Prefix>.<Exception>` with a cause in the format of the
// AWS SDK for Java that Step Functions calls services with (v1 for optimised integrations, v2 for aws-sdk:*).

#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_model.hpp"
#include "sfn/engine/handlers.hpp"

#include <string>
#include <string_view>

namespace sfn::integrations::detail {

/// What the failure message names: the call and where it went.
struct CallSite {
    std::string_view service;    ///< botocore name
    std::string_view operation;  ///< "PutItem"
    std::string_view endpoint;   ///< URL the call went to
};

/// The exception name the Java SDKs give an AWS error code: the model's shape for it ("NotFound" →
/// "NotFoundException"), "Exception" appended when the shape's name lacks it (S3's "NoSuchKey" →
/// "NoSuchKeyException"); empty when the model declares no such error.
[[nodiscard]] std::string exception_name(const aws::ServiceModel& model, std::string_view code);

/// The AWS SDK for Java v2's service name for a model: its serviceId in PascalCase with acronyms
/// capitalised only ("DynamoDB" → "DynamoDb", "Secrets Manager" → "SecretsManager", "SFN" → "Sfn").
[[nodiscard]] std::string java_v2_service_name(const aws::ServiceModel& model);

/// An error answer of an `aws-sdk:*` call: "DynamoDb.ResourceNotFoundException", cause
/// "<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)".
[[nodiscard]] engine::TaskOutcome sdk_failure(const aws::ServiceModel& model, const aws::ServiceError& error);

/// An error answer of an optimised integration: "DynamoDB.ResourceNotFoundException", cause
/// "<message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)".
[[nodiscard]] engine::TaskOutcome optimized_failure(const aws::ServiceModel& model, std::string_view prefix,
                                                    std::string_view java_service, std::string_view java_exception,
                                                    const aws::ServiceError& error);

/// No answer (unreachable endpoint, connection reset, timeout): `error` (`<SDK prefix>.SdkClientException`, as AWS
/// names it) with the Java SDK's cause "Unable to execute HTTP request: <detail>", then the service, operation and
/// endpoint in parentheses.
[[nodiscard]] engine::TaskOutcome unreachable_failure(const CallSite& site, std::string_view detail, std::string error);

/// Bad credentials or an answer the model cannot parse: `error`
/// (States.TaskFailed unless AWS names it otherwise) with a cause naming the service, operation and endpoint.
[[nodiscard]] engine::TaskOutcome call_failure(const CallSite& site, std::string_view what, std::string_view detail,
                                               std::string_view error = "States.TaskFailed");

}  // namespace sfn::integrations::detail
