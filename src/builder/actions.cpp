#include "sfn/builder/actions.hpp"

#include "builder/detail_graph.hpp"
#include "sfn/builder/retry.hpp"

#include <initializer_list>

namespace sfn {

using builder::detail::fail;

std::string TaskContext::partition() const {
    if (aws_region.starts_with("cn-")) return "aws-cn";
    if (aws_region.starts_with("us-gov-")) return "aws-us-gov";
    return "aws";
}

TaskContext& task_context() {
    static TaskContext context;
    return context;
}

namespace actions {
namespace {

using Json = model::Json;

std::string_view suffix(Pattern pattern) {
    switch (pattern) {
        case Pattern::request_response: return "";
        case Pattern::run_job: return ".sync";
        case Pattern::run_job_v2: return ".sync:2";
        case Pattern::wait_for_task_token: return ".waitForTaskToken";
    }
    return "";
}

std::string_view describe(Pattern pattern) {
    return pattern == Pattern::request_response ? std::string_view("request-response") : suffix(pattern);
}

/// What one action needs: its name (for messages), its integration and the patterns it has.
struct Action {
    std::string_view name;
    std::string_view integration;  // "lambda:invoke", "glue:startJobRun", ...
    Pattern default_pattern;
    std::initializer_list<Pattern> supported;
};

struct Resolved {
    Pattern pattern;
    TaskContext context;
};

Resolved resolve(const Action& action, const Options& options) {
    Pattern pattern = options.pattern.value_or(action.default_pattern);
    bool ok = false;
    std::string supported;
    for (Pattern p : action.supported) {
        ok = ok || p == pattern;
        supported += (supported.empty() ? "" : ", ") + std::string(describe(p));
    }
    if (!ok)
        fail("E009", std::string(action.name) + ": " + std::string(action.integration) + " does not support the " +
                         std::string(describe(pattern)) + " pattern (supported: " + supported + ")");
    return {pattern, options.context.value_or(task_context())};
}

Task make_task(const Action& action, const Options& options, const Resolved& r, Json parameters) {
    Task task(options.id);
    task.resource("arn:" + r.context.partition() + ":states:::" + std::string(action.integration) +
                  std::string(suffix(r.pattern)));
    task.parameters(std::move(parameters));
    return task;
}

/// `name` itself when it is already an ARN (or URL), else the ARN built from the context.
std::string arn_of(std::string_view action, std::string_view name, const TaskContext& context, std::string_view service,
                   std::string_view resource_prefix) {
    if (name.empty()) fail("E009", std::string(action) + ": the " + std::string(service) + " resource name is empty");
    if (name.starts_with("arn:")) return std::string(name);
    if (context.aws_account_id.empty() || context.aws_region.empty())
        fail("E009", std::string(action) + "('" + std::string(name) +
                         "'): the task context has no aws_account_id or aws_region; set sfn::task_context() or "
                         "pass a full ARN");
    return "arn:" + context.partition() + ":" + std::string(service) + ":" + context.aws_region + ":" +
           context.aws_account_id + ":" + std::string(resource_prefix) + std::string(name);
}

/// `key: value`, or `key.$: "$"` (the whole state input) when no value is given.
void put_or_input(Json& parameters, const std::string& key, const std::optional<Json>& value) {
    if (value) {
        parameters[key] = *value;
    } else {
        parameters[key + ".$"] = "$";
    }
}

/// The callback pattern: the receiver gets the input and the token to call SendTaskSuccess with.
Json with_task_token(const std::optional<Json>& input) {
    Json payload = Json::object();
    put_or_input(payload, "Input", input);
    payload["TaskToken.$"] = "$$.Task.Token";
    return payload;
}

/// `key` holds the message, or the message plus the task token in the callback pattern.
void put_message(Json& parameters, const std::string& key, const std::optional<Json>& message, Pattern pattern) {
    if (pattern == Pattern::wait_for_task_token) {
        parameters[key] = with_task_token(message);
    } else {
        put_or_input(parameters, key, message);
    }
}

constexpr Action lambda_action{"lambda_invoke", "lambda:invoke", Pattern::request_response,
                               {Pattern::request_response, Pattern::wait_for_task_token}};

Retry lambda_retry() {
    // The transient Lambda errors AWS recommends retrying, with the original's settings.
    return Retry({"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"})
        .interval_seconds(2)
        .backoff_rate(2)
        .max_attempts(3);
}

}  // namespace

Task lambda_invoke(std::string_view function, const Options& options) {
    auto r = resolve(lambda_action, options);
    std::string arn = arn_of(lambda_action.name, function, r.context, "lambda", "function:");
    Json parameters = Json::object();
    if (r.pattern == Pattern::wait_for_task_token) {
        parameters["FunctionName"] = arn;
        parameters["Payload"] = with_task_token(std::nullopt);
    } else {
        parameters["Payload.$"] = "$";
        parameters["FunctionName"] = arn;
    }
    Task task = make_task(lambda_action, options, r, std::move(parameters));
    // The optimized integration wraps the function's result in {"Payload": ...}; the callback
    // pattern returns what SendTaskSuccess sent, unwrapped.
    if (r.pattern != Pattern::wait_for_task_token) task.output_path("$.Payload");
    task.add_retry(lambda_retry());
    return task;
}

Task lambda_invoke_async(std::string_view function, const Options& options) {
    static constexpr Action action{"lambda_invoke_async", "lambda:invoke", Pattern::request_response,
                            {Pattern::request_response}};
    auto r = resolve(action, options);
    Json parameters = Json::object();
    parameters["FunctionName"] = arn_of(action.name, function, r.context, "lambda", "function:");
    parameters["InvocationType"] = "Event";
    parameters["Payload.$"] = "$";
    Task task = make_task(action, options, r, std::move(parameters));
    task.add_retry(lambda_retry());
    return task;
}

Task ecs_run_task(std::string_view task_definition, std::string_view cluster, const Options& options,
                  std::string_view container) {
    static constexpr Action action{"ecs_run_task", "ecs:runTask", Pattern::run_job,
                            {Pattern::request_response, Pattern::run_job, Pattern::wait_for_task_token}};
    auto r = resolve(action, options);
    Json parameters = Json::object();
    parameters["LaunchType"] = "FARGATE";
    parameters["Cluster"] = arn_of(action.name, cluster, r.context, "ecs", "cluster/");
    parameters["TaskDefinition"] = arn_of(action.name, task_definition, r.context, "ecs", "task-definition/");
    if (r.pattern == Pattern::wait_for_task_token) {
        if (container.empty())
            fail("E009", "ecs_run_task('" + std::string(task_definition) +
                             "'): the .waitForTaskToken pattern needs a container name to pass the task token to");
        Json variable = {{"Name", "TASK_TOKEN"}, {"Value.$", "$$.Task.Token"}};
        Json override_ = {{"Name", container}, {"Environment", Json::array({variable})}};
        parameters["Overrides"] = {{"ContainerOverrides", Json::array({override_})}};
    }
    return make_task(action, options, r, std::move(parameters));
}

Task glue_start_job_run(std::string_view job_name, const Options& options) {
    static constexpr Action action{"glue_start_job_run", "glue:startJobRun", Pattern::run_job,
                            {Pattern::request_response, Pattern::run_job}};
    auto r = resolve(action, options);
    if (job_name.empty()) fail("E009", "glue_start_job_run: the job name is empty");
    return make_task(action, options, r, {{"JobName", job_name}});
}

Task batch_submit_job(std::string_view job_name, std::string_view job_queue, std::string_view job_definition,
                      const Options& options) {
    static constexpr Action action{"batch_submit_job", "batch:submitJob", Pattern::run_job,
                            {Pattern::request_response, Pattern::run_job}};
    auto r = resolve(action, options);
    if (job_name.empty() || job_queue.empty() || job_definition.empty())
        fail("E009", "batch_submit_job: the job name, queue and definition must all be given");
    return make_task(action, options, r,
                     {{"JobName", job_name}, {"JobQueue", job_queue}, {"JobDefinition", job_definition}});
}

Task sns_publish(std::string_view topic, std::optional<model::Json> message, const Options& options) {
    static constexpr Action action{"sns_publish", "sns:publish", Pattern::request_response,
                            {Pattern::request_response, Pattern::wait_for_task_token}};
    auto r = resolve(action, options);
    Json parameters = Json::object();
    parameters["TopicArn"] = arn_of(action.name, topic, r.context, "sns", "");
    put_message(parameters, "Message", message, r.pattern);
    return make_task(action, options, r, std::move(parameters));
}

Task sqs_send_message(std::string_view queue, std::optional<model::Json> body, const Options& options) {
    static constexpr Action action{"sqs_send_message", "sqs:sendMessage", Pattern::request_response,
                            {Pattern::request_response, Pattern::wait_for_task_token}};
    auto r = resolve(action, options);
    if (queue.empty()) fail("E009", "sqs_send_message: the queue name is empty");
    std::string url(queue);
    if (!queue.starts_with("https://")) {
        if (r.context.aws_account_id.empty() || r.context.aws_region.empty())
            fail("E009", "sqs_send_message('" + url +
                             "'): the task context has no aws_account_id or aws_region; set sfn::task_context() "
                             "or pass the queue URL");
        std::string domain = r.context.partition() == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
        url = "https://sqs." + r.context.aws_region + "." + domain + "/" + r.context.aws_account_id + "/" + url;
    }
    Json parameters = Json::object();
    parameters["QueueUrl"] = url;
    put_message(parameters, "MessageBody", body, r.pattern);
    return make_task(action, options, r, std::move(parameters));
}

Task start_execution(std::string_view state_machine, std::optional<model::Json> input, const Options& options) {
    static constexpr Action action{"start_execution", "states:startExecution", Pattern::request_response,
                            {Pattern::request_response, Pattern::run_job, Pattern::run_job_v2,
                             Pattern::wait_for_task_token}};
    auto r = resolve(action, options);
    Json parameters = Json::object();
    parameters["StateMachineArn"] = arn_of(action.name, state_machine, r.context, "states", "stateMachine:");
    put_message(parameters, "Input", input, r.pattern);
    return make_task(action, options, r, std::move(parameters));
}

Task dynamodb_get_item(std::string_view table, model::Json key, const Options& options) {
    static constexpr Action action{"dynamodb_get_item", "dynamodb:getItem", Pattern::request_response,
                            {Pattern::request_response}};
    auto r = resolve(action, options);
    if (table.empty()) fail("E009", "dynamodb_get_item: the table name is empty");
    return make_task(action, options, r, {{"TableName", table}, {"Key", std::move(key)}});
}

Task dynamodb_put_item(std::string_view table, model::Json item, const Options& options) {
    static constexpr Action action{"dynamodb_put_item", "dynamodb:putItem", Pattern::request_response,
                            {Pattern::request_response}};
    auto r = resolve(action, options);
    if (table.empty()) fail("E009", "dynamodb_put_item: the table name is empty");
    return make_task(action, options, r, {{"TableName", table}, {"Item", std::move(item)}});
}

Task eventbridge_put_events(std::string_view source, std::string_view detail_type, std::optional<model::Json> detail,
                            std::string_view event_bus, const Options& options) {
    static constexpr Action action{"eventbridge_put_events", "events:putEvents", Pattern::request_response,
                            {Pattern::request_response, Pattern::wait_for_task_token}};
    auto r = resolve(action, options);
    if (source.empty() || detail_type.empty())
        fail("E009", "eventbridge_put_events: the source and the detail type must both be given");
    Json entry = Json::object();
    put_message(entry, "Detail", detail, r.pattern);
    entry["DetailType"] = detail_type;
    entry["Source"] = source;
    if (!event_bus.empty()) entry["EventBusName"] = event_bus;
    return make_task(action, options, r, {{"Entries", Json::array({entry})}});
}

Task aws_sdk(std::string_view service, std::string_view api_action, model::Json parameters, const Options& options) {
    if (service.empty() || api_action.empty())
        fail("E009", "aws_sdk: the service and the API action must both be given");
    // The SDK integration names actions in camelCase (s3:getObject), though the API says GetObject.
    if (api_action.front() < 'a' || api_action.front() > 'z')
        fail("E009", "aws_sdk(" + std::string(service) + ", " + std::string(api_action) +
                         "): the action must be camelCase, e.g. getObject");
    std::string integration = "aws-sdk:" + std::string(service) + ":" + std::string(api_action);
    Action action{"aws_sdk", integration, Pattern::request_response,
                  {Pattern::request_response, Pattern::wait_for_task_token}};
    auto r = resolve(action, options);
    if (r.pattern == Pattern::wait_for_task_token && parameters.dump().find("$$.Task.Token") == std::string::npos)
        fail("E009", "aws_sdk(" + std::string(service) + ", " + std::string(api_action) +
                         "): the .waitForTaskToken pattern needs the task token ($$.Task.Token) in the parameters");
    if (parameters.is_null()) parameters = Json::object();
    return make_task(action, options, r, std::move(parameters));
}

}  // namespace actions

LambdaTask::LambdaTask(std::string_view id, std::string_view function_name, const TaskContext& context)
    : Task(actions::lambda_invoke(function_name, {.id = std::string(id), .pattern = {}, .context = context})) {}

}  // namespace sfn
