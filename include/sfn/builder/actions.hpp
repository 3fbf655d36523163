#pragma once
/// \file
/// Canned task actions: Task states for the Step Functions service integrations, with the
/// Resource ARNs and Parameters that AWS documents
/// (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html).
///
/// Names that are not ARNs are turned into ARNs with a TaskContext (account id and region),
/// like the original's `task_context`.
///
/// **Example**
/// \code
///   sfn::task_context() = {"111122223333", "us-east-1"};
///   auto invoke = sfn::actions::lambda_invoke("my_func");        // arn:...:function:my_func
///   auto notify = sfn::actions::sns_publish("alerts", {{{"body", "done"}}},
///                                           {.pattern = sfn::actions::Pattern::wait_for_task_token});
/// \endcode

#include "sfn/builder/states.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sfn {

/// The account and region that canned actions build ARNs with.
struct TaskContext {
    std::string aws_account_id;
    std::string aws_region;
    /// "aws", "aws-cn" (cn-* regions) or "aws-us-gov" (us-gov-* regions).
    [[nodiscard]] std::string partition() const;
};

/// The process-wide default context (the original's module-level `task_context`). Not
/// synchronized: set it before building workflows on several threads.
TaskContext& task_context();

namespace actions {

/// The service integration patterns.
enum class Pattern {
    request_response,     ///< call the API and continue with its response
    run_job,              ///< `.sync`: wait for the job to finish
    run_job_v2,           ///< `.sync:2`: StartExecution only, output as parsed JSON
    wait_for_task_token,  ///< `.waitForTaskToken`: wait for SendTaskSuccess/Failure with the token
};

/// Options every action takes. The default pattern is the action's own (see each function).
struct Options {
    std::string id = {};                              ///< the state name; generated (`Task-<7 hex>`) when empty
    std::optional<Pattern> pattern = std::nullopt;      ///< \throws builder::BuildError E009 when the service lacks it
    std::optional<TaskContext> context = std::nullopt;  ///< defaults to task_context()
    /// What the action sends: sns_publish's Message, sqs_send_message's MessageBody, start_execution's Input,
    /// eventbridge_put_events' Detail. Default: the state input (`$`).
    std::optional<model::Json> payload = std::nullopt;
    /// eventbridge_put_events: the event bus (default: the account's default bus).
    std::string event_bus = {};
    /// ecs_run_task with wait_for_task_token: the container whose TASK_TOKEN variable receives the token.
    std::string container = {};
};

/// Lambda Invoke (`arn:aws:states:::lambda:invoke`): Payload is the state input, OutputPath
/// `$.Payload`, and the Lambda service-exception Retry of the original. Default request_response;
/// also wait_for_task_token (Payload `{"Input.$": "$", "TaskToken.$": "$$.Task.Token"}`).
/// `function` is a name (made `arn:aws:lambda:<region>:<account>:function:<name>`) or an ARN.
[[nodiscard]] Task lambda_invoke(std::string_view function, const Options& options = {});
/// Lambda Invoke with `InvocationType: Event` (fire and forget; no Payload comes back).
[[nodiscard]] Task lambda_invoke_async(std::string_view function, const Options& options = {});

/// ECS RunTask on Fargate. Default run_job; also request_response and wait_for_task_token, which
/// needs `options.container` (the task token goes to its TASK_TOKEN environment variable).
/// `task_definition` is `family:revision` or an ARN; `cluster` a name or an ARN.
[[nodiscard]] Task ecs_run_task(std::string_view task_definition, std::string_view cluster, const Options& options = {});

/// Glue StartJobRun. Default run_job; also request_response.
[[nodiscard]] Task glue_start_job_run(std::string_view job_name, const Options& options = {});

/// Batch SubmitJob (queue and definition: names or ARNs). Default run_job; also request_response.
[[nodiscard]] Task batch_submit_job(std::string_view job_name, std::string_view job_queue,
                                    std::string_view job_definition, const Options& options = {});

/// SNS Publish to a topic (name or ARN). Without `options.payload` the state input is published
/// (`Message.$: $`). Default request_response; also wait_for_task_token.
[[nodiscard]] Task sns_publish(std::string_view topic, const Options& options = {});

/// SQS SendMessage to a queue (name or https URL). Without `options.payload` the state input is sent.
/// Default request_response; also wait_for_task_token.
[[nodiscard]] Task sqs_send_message(std::string_view queue, const Options& options = {});

/// Step Functions StartExecution of a state machine (name or ARN). Without `options.payload` the state
/// input is passed. Default request_response; also run_job (.sync), run_job_v2 (.sync:2) and
/// wait_for_task_token.
[[nodiscard]] Task start_execution(std::string_view state_machine, const Options& options = {});

/// DynamoDB GetItem (`Key` in DynamoDB JSON, e.g. `{"id": {"S.$": "$.id"}}`). request_response only.
[[nodiscard]] Task dynamodb_get_item(std::string_view table, model::Json key, const Options& options = {});
/// DynamoDB PutItem. request_response only.
[[nodiscard]] Task dynamodb_put_item(std::string_view table, model::Json item, const Options& options = {});

/// EventBridge PutEvents with one entry (bus: `options.event_bus`). Without `options.payload` the state
/// input is sent as Detail. Default request_response; also wait_for_task_token.
[[nodiscard]] Task eventbridge_put_events(std::string_view source, std::string_view detail_type,
                                          const Options& options = {});

/// Any API through the AWS SDK integration: `arn:aws:states:::aws-sdk:<service>:<action>`, e.g.
/// `aws_sdk("s3", "getObject", {{"Bucket", "b"}, {"Key.$", "$.key"}})`. Default request_response;
/// also wait_for_task_token, which needs `$$.Task.Token` somewhere in the parameters.
[[nodiscard]] Task aws_sdk(std::string_view service, std::string_view action, model::Json parameters,
                           const Options& options = {});

}  // namespace actions

/// The original's "magic" LambdaTask: a Lambda invoke of `function_name` in the given account
/// and region, named `id`. Serializes exactly as actions::lambda_invoke.
class LambdaTask : public Task {
public:
    LambdaTask(std::string_view id, std::string_view function_name, const TaskContext& context = task_context());
};

}  // namespace sfn
