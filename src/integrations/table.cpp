// The table of optimised integrations (resource → API operation, error naming, result metadata).
#include "integrations/detail_table.hpp"

namespace sfn::integrations::detail {

const std::vector<OptimizedSpec>& optimized_table() {
    // Error prefixes and Java service names as AWS's recorded failures show them
    // (shared/conformance-integrations: "DynamoDB.ResourceNotFoundException ... (Service: AmazonDynamoDBv2; ...",
    // "SNS.NotFoundException ... (Service: AmazonSNS; ..."). Lambda and SQS follow the same SDK naming.
    static const std::vector<OptimizedSpec> table = {
        {"lambda", "invoke", "lambda", "Invoke", "Lambda", "AWSLambda", "AWSLambdaException", true, true},
        {"dynamodb", "getItem", "dynamodb", "GetItem", "DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException", true,
         false},
        {"dynamodb", "putItem", "dynamodb", "PutItem", "DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException", true,
         false},
        {"dynamodb", "updateItem", "dynamodb", "UpdateItem", "DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException",
         true, false},
        {"dynamodb", "deleteItem", "dynamodb", "DeleteItem", "DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException",
         true, false},
        {"sns", "publish", "sns", "Publish", "SNS", "AmazonSNS", "AmazonSNSException", true, true},
        {"sqs", "sendMessage", "sqs", "SendMessage", "SQS", "AmazonSQS", "AmazonSQSException", true, true},
        {"events", "putEvents", "events", "PutEvents", "EventBridge", "AmazonEventBridge", "AmazonEventBridgeException",
         false, true},
        {"athena", "startQueryExecution", "athena", "StartQueryExecution", "Athena", "AmazonAthena",
         "AmazonAthenaException", false, false},
        {"athena", "getQueryExecution", "athena", "GetQueryExecution", "Athena", "AmazonAthena",
         "AmazonAthenaException", false, false},
        {"athena", "getQueryResults", "athena", "GetQueryResults", "Athena", "AmazonAthena", "AmazonAthenaException",
         false, false},
        {"athena", "stopQueryExecution", "athena", "StopQueryExecution", "Athena", "AmazonAthena",
         "AmazonAthenaException", false, false},
        {"batch", "submitJob", "batch", "SubmitJob", "Batch", "AWSBatch", "AWSBatchException", false, false},
        {"ecs", "runTask", "ecs", "RunTask", "ECS", "AmazonECS", "AmazonECSException", false, true},
        {"glue", "startJobRun", "glue", "StartJobRun", "Glue", "AWSGlue", "AWSGlueException", false, false},
        {"bedrock", "invokeModel", "bedrock-runtime", "InvokeModel", "Bedrock", "AmazonBedrockRuntime",
         "AmazonBedrockRuntimeException", false, false},
    };
    return table;
}

const OptimizedSpec* find_optimized(std::string_view service, std::string_view action) {
    for (const auto& spec : optimized_table()) {
        if (spec.service == service && spec.action == action) return &spec;
    }
    return nullptr;
}

}  // namespace sfn::integrations::detail
