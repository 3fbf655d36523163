#pragma once
/// \file
/// Task states that call AWS (or any AWS-compatible endpoint: moto_server, LocalStack, DynamoDB Local): Lambda
/// (`arn:aws:states:::lambda:invoke`, plain function ARNs), the optimised integrations
/// (`arn:aws:states:::dynamodb:putItem`, `sqs:sendMessage.waitForTaskToken`, ...) and `aws-sdk:<service>:<action>`
/// for every service botocore models. Endpoints and credentials resolve as the AWS CLI resolves them.
/// The HTTP Task (`arn:aws:states:::http:invoke`) and nested `states:startExecution` go to their own handlers
/// (http_task.hpp, start_execution.hpp). Opt-in: nothing calls AWS unless enable_aws_integrations() (or
/// `--integrations aws`) asks for it.
///
/// **Example**
/// @code
///   sfn::engine::HandlerRegistry handlers;
///   sfn::integrations::enable_aws_integrations(handlers, {.region = "us-east-1"});
///   // Tasks that no mock and no explicit handler covers now call the service their Resource names.
/// @endcode

#include "sfn/aws/client.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/transport.hpp"
#include "sfn/engine/handlers.hpp"
#include "sfn/integrations/http_task.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::integrations {

/// Where and how integrations call AWS.
struct IntegrationOptions {
    /// Region; empty = AWS_REGION / AWS_DEFAULT_REGION / the profile's region, else us-east-1.
    std::string region;
    /// Profile; empty = AWS_PROFILE / AWS_DEFAULT_PROFILE / "default".
    std::string profile;
    /// Environment read for endpoints and credentials (tests pass their own).
    aws::Environment environment = aws::Environment::process();
    /// HTTP transport; null = libcurl.
    std::shared_ptr<aws::Transport> transport;
    /// Credentials; null = the default chain (environment, profiles, assume-role, ...).
    std::shared_ptr<aws::CredentialsProvider> credentials;
    /// The SDKs' standard retry mode (throttling and 5xx answers are retried before the task fails).
    aws::RetryPolicy retry;
    /// How often `.sync` integrations (Athena, Batch, Glue, ECS) ask whether their job has ended.
    std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};
    /// The HTTP Task: how ConnectionArn is resolved (null: every HTTP Task fails with
    /// Events.ConnectionResource.ResourceNotFound) and its timeout.
    HttpTaskOptions http_task;
    /// `arn:aws:states:::states:startExecution*` (when no explicit handler covers it; the local service registers
    /// its own): empty = through the Step Functions API at the endpoint resolved for "sfn", as the AWS CLI does.
    engine::TaskHandler start_execution;
};

/// A task handler for every AWS resource: answers Lambda, optimised and `aws-sdk:*` resources by calling the
/// service, the HTTP Task and nested executions through their handlers; any other resource fails the task with
/// States.Runtime naming it. Thread-safe. Clients (one per
/// service) are created on first use; a missing region or profile fails the task, not this call.
[[nodiscard]] engine::TaskHandler make_aws_handler(IntegrationOptions options);

/// Installs make_aws_handler() as the registry's fallback (after mock config and explicit handlers).
void enable_aws_integrations(engine::HandlerRegistry& registry, IntegrationOptions options);

/// How a resource ARN is served.
enum class ResourceKind : std::uint8_t {
    Lambda,     ///< lambda:invoke or a function ARN
    Optimized,  ///< arn:aws:states:::<service>:<action>
    Sdk,        ///< arn:aws:states:::aws-sdk:<service>:<action>
    Http,       ///< arn:aws:states:::http:invoke (the HTTP Task)
    Unknown,
};

/// A resource ARN taken apart. `pattern` is "" (request/response), "sync", "sync:2" or "waitForTaskToken".
struct ResourceName {
    ResourceKind kind = ResourceKind::Unknown;
    std::string service;  ///< as written in the ARN ("dynamodb", "sfn", "eventbridge")
    std::string action;   ///< as written in the ARN ("putItem")
    std::string pattern;
};

/// Parses `arn:<partition>:states:::<service>:<action>[.pattern]` and Lambda function ARNs.
[[nodiscard]] ResourceName parse_resource(std::string_view resource);

/// One row of the optimised-integration table (for docs and the coverage script).
struct OptimizedIntegration {
    std::string resource;               ///< "arn:aws:states:::dynamodb:putItem"
    std::vector<std::string> patterns;  ///< "" (request/response), "sync", "waitForTaskToken"
};

/// The optimised integrations this component implements.
[[nodiscard]] std::vector<OptimizedIntegration> optimized_integrations();

/// True when make_aws_handler() serves `resource` (independent of whether the service answers).
[[nodiscard]] bool handles_resource(std::string_view resource);

/// The botocore service name for the `<service>` of an `aws-sdk:<service>:<action>` ARN ("sfn" →
/// "stepfunctions", "eventbridge" → "events"); the name itself when botocore has no other.
[[nodiscard]] std::string botocore_service_name(std::string_view sdk_service);

/// The PascalCase API operation of a camelCase action ("putItem" → "PutItem").
[[nodiscard]] std::string operation_name(std::string_view action);

}  // namespace sfn::integrations
