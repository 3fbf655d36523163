#pragma once
// The optimised integrations: which API operation each `arn:aws:states:::<service>:<action>` calls and how
// Step Functions names its errors (the AWS SDK for Java v1 names it used to call the service).

#include <string>
#include <string_view>
#include <vector>

namespace sfn::integrations::detail {

struct OptimizedSpec {
    std::string_view service;          ///< as in the ARN: "dynamodb"
    std::string_view action;           ///< as in the ARN: "putItem"
    std::string_view botocore;         ///< botocore folder: "dynamodb"
    std::string_view operation;        ///< "PutItem"
    std::string_view error_prefix;     ///< "DynamoDB" in "DynamoDB.ResourceNotFoundException"
    std::string_view java_service;     ///< "AmazonDynamoDBv2" in the cause's "(Service: ...)"
    std::string_view java_exception;   ///< "AmazonDynamoDBException": the name of errors the model does not declare
    bool http_metadata = false;        ///< the result carries SdkHttpMetadata / SdkResponseMetadata
    bool wait_for_task_token = false;  ///< `.waitForTaskToken` is offered
};

/// The spec for an optimised resource's service and action, or nullptr.
[[nodiscard]] const OptimizedSpec* find_optimized(std::string_view service, std::string_view action);
[[nodiscard]] const std::vector<OptimizedSpec>& optimized_table();

}  // namespace sfn::integrations::detail
