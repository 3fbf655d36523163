// Canned task actions: Resource ARNs and Parameters as AWS documents them.

#include "sfn/builder/builder.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace {

using Json = nlohmann::ordered_json;
using sfn::actions::Pattern;

const sfn::TaskContext context{"111122223333", "us-east-1"};

sfn::actions::Options with(Pattern pattern, std::optional<Json> payload = std::nullopt) {
    return {.id = "T", .pattern = pattern, .context = context, .payload = std::move(payload)};
}

std::string build_error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const sfn::builder::BuildError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected sfn::builder::BuildError";
    return {};
}

TEST(Actions, LambdaInvokeUsesTheFunctionArnWithFunctionSegment) {
    auto task = sfn::actions::lambda_invoke("f", {.context = context});
    EXPECT_EQ(task.serialize().at("Parameters").dump(),
              R"({"Payload.$":"$","FunctionName":"arn:aws:lambda:us-east-1:111122223333:function:f"})");
}

TEST(Actions, LambdaInvokeKeepsAGivenArn) {
    auto task = sfn::actions::lambda_invoke("arn:aws:lambda:eu-west-1:999999999999:function:g:prod", {.context = context});
    EXPECT_EQ(task.serialize().at("Parameters").at("FunctionName"), "arn:aws:lambda:eu-west-1:999999999999:function:g:prod");
}

TEST(Actions, LambdaCallbackPassesTheTaskTokenInThePayload) {
    auto task = sfn::actions::lambda_invoke("f", with(Pattern::wait_for_task_token));
    EXPECT_EQ(task.serialize(), Json::parse(R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:111122223333:function:f",
                      "Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}},
        "Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException"],
                  "IntervalSeconds":2,"BackoffRate":2,"MaxAttempts":3}]})"));
}

TEST(Actions, LambdaAsyncInvokesWithEventInvocationType) {
    auto params = sfn::actions::lambda_invoke_async("f", {.context = context}).serialize().at("Parameters");
    EXPECT_EQ(params.at("InvocationType"), "Event");
}

TEST(Actions, LambdaHasNoRunJobPattern) {
    EXPECT_EQ(build_error_of([] { (void)sfn::actions::lambda_invoke("f", with(Pattern::run_job)); }),
              "[sfn.build.E009] lambda_invoke: lambda:invoke does not support the .sync pattern (supported: "
              "request-response, .waitForTaskToken)");
}

TEST(Actions, NamesNeedAContextWithAccountAndRegion) {
    EXPECT_EQ(build_error_of([] {
                  (void)sfn::actions::sns_publish("t", {.context = sfn::TaskContext{}});
              }),
              "[sfn.build.E009] sns_publish('t'): the task context has no aws_account_id or aws_region; set "
              "sfn::task_context() or pass a full ARN");
}

TEST(Actions, EcsRunTaskPatterns) {
    auto sync = sfn::actions::ecs_run_task("app:3", "main", {.context = context}).serialize();
    EXPECT_EQ(sync.at("Resource"), "arn:aws:states:::ecs:runTask.sync");
    EXPECT_EQ(sync.at("Parameters").dump(),
              R"({"LaunchType":"FARGATE","Cluster":"arn:aws:ecs:us-east-1:111122223333:cluster/main",)"
              R"("TaskDefinition":"arn:aws:ecs:us-east-1:111122223333:task-definition/app:3"})");
    EXPECT_EQ(sfn::actions::ecs_run_task("app:3", "main", with(Pattern::request_response)).serialize().at("Resource"),
              "arn:aws:states:::ecs:runTask");
    auto callback = sfn::actions::ecs_run_task("app:3", "main", {.id = "T", .pattern = Pattern::wait_for_task_token, .context = context, .container = "worker"}).serialize();
    EXPECT_EQ(callback.at("Resource"), "arn:aws:states:::ecs:runTask.waitForTaskToken");
    EXPECT_EQ(callback.at("Parameters").at("Overrides").dump(),
              R"({"ContainerOverrides":[{"Name":"worker","Environment":[{"Name":"TASK_TOKEN","Value.$":"$$.Task.Token"}]}]})");
    EXPECT_EQ(build_error_of([] { (void)sfn::actions::ecs_run_task("app:3", "main", with(Pattern::wait_for_task_token)); }),
              "[sfn.build.E009] ecs_run_task('app:3'): the .waitForTaskToken pattern needs a container name to "
              "pass the task token to");
}

TEST(Actions, GlueAndBatchRunJobs) {
    EXPECT_EQ(sfn::actions::glue_start_job_run("etl", with(Pattern::request_response)).serialize().at("Resource"),
              "arn:aws:states:::glue:startJobRun");
    auto batch = sfn::actions::batch_submit_job("nightly", "queue", "def:1", {.context = context}).serialize();
    EXPECT_EQ(batch.at("Resource"), "arn:aws:states:::batch:submitJob.sync");
    EXPECT_EQ(batch.at("Parameters").dump(), R"({"JobName":"nightly","JobQueue":"queue","JobDefinition":"def:1"})");
    EXPECT_THROW((void)sfn::actions::glue_start_job_run("etl", with(Pattern::wait_for_task_token)),
                 sfn::builder::BuildError);
}

TEST(Actions, SnsPublishWithoutMessagePublishesTheInput) {
    auto task = sfn::actions::sns_publish("alerts", {.context = context});
    EXPECT_EQ(task.serialize().at("Parameters").dump(),
              R"({"TopicArn":"arn:aws:sns:us-east-1:111122223333:alerts","Message.$":"$"})");
    auto callback = sfn::actions::sns_publish("alerts", with(Pattern::wait_for_task_token, Json{{"a", 1}}));
    EXPECT_EQ(callback.serialize().at("Resource"), "arn:aws:states:::sns:publish.waitForTaskToken");
    EXPECT_EQ(callback.serialize().at("Parameters").at("Message").dump(),
              R"({"Input":{"a":1},"TaskToken.$":"$$.Task.Token"})");
}

TEST(Actions, SqsSendMessageBuildsTheQueueUrl) {
    auto task = sfn::actions::sqs_send_message("jobs", with(Pattern::wait_for_task_token));
    EXPECT_EQ(task.serialize(), Json::parse(R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/jobs",
                      "MessageBody":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}}})"));
}

TEST(Actions, StartExecutionHasEveryPattern) {
    EXPECT_EQ(sfn::actions::start_execution("child", with(Pattern::run_job_v2)).serialize(),
              Json::parse(R"({"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
        "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:111122223333:stateMachine:child","Input.$":"$"}})"));
    EXPECT_EQ(sfn::actions::start_execution("child", with(Pattern::run_job, Json{{"k", "v"}})).serialize().at("Resource"),
              "arn:aws:states:::states:startExecution.sync");
    EXPECT_EQ(sfn::actions::start_execution("child", with(Pattern::request_response))
                  .serialize()
                  .at("Resource"),
              "arn:aws:states:::states:startExecution");
}

TEST(Actions, DynamoDbAndEventBridge) {
    auto get = sfn::actions::dynamodb_get_item("orders", {{"id", {{"S.$", "$.id"}}}}, {.context = context});
    EXPECT_EQ(get.serialize().dump(),
              R"({"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","Parameters":{"TableName":"orders",)"
              R"("Key":{"id":{"S.$":"$.id"}}}})");
    auto put = sfn::actions::dynamodb_put_item("orders", {{"id", {{"S", "1"}}}}, {.context = context});
    EXPECT_EQ(put.serialize().at("Resource"), "arn:aws:states:::dynamodb:putItem");
    auto events = sfn::actions::eventbridge_put_events("my.app", "OrderPlaced", {.context = context, .event_bus = "bus"});
    EXPECT_EQ(events.serialize().at("Parameters").dump(),
              R"({"Entries":[{"Detail.$":"$","DetailType":"OrderPlaced","Source":"my.app","EventBusName":"bus"}]})");
}

TEST(Actions, AwsSdkIntegration) {
    auto task = sfn::actions::aws_sdk("s3", "getObject", {{"Bucket", "b"}, {"Key.$", "$.key"}}, {.context = context});
    EXPECT_EQ(task.serialize().dump(),
              R"({"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject","Parameters":{"Bucket":"b","Key.$":"$.key"}})");
    EXPECT_EQ(build_error_of([] { (void)sfn::actions::aws_sdk("s3", "GetObject", Json::object()); }),
              "[sfn.build.E009] aws_sdk(s3, GetObject): the action must be camelCase, e.g. getObject");
    EXPECT_EQ(build_error_of([] {
                  (void)sfn::actions::aws_sdk("sqs", "sendMessage", Json{{"QueueUrl", "u"}},
                                              with(Pattern::wait_for_task_token));
              }),
              "[sfn.build.E009] aws_sdk(sqs, sendMessage): the .waitForTaskToken pattern needs the task token "
              "($$.Task.Token) in the parameters");
}

TEST(Actions, PartitionFollowsTheRegion) {
    auto task = sfn::actions::lambda_invoke("f", {.context = sfn::TaskContext{"111122223333", "cn-north-1"}});
    EXPECT_EQ(task.serialize().at("Resource"), "arn:aws-cn:states:::lambda:invoke");
    EXPECT_EQ(task.serialize().at("Parameters").at("FunctionName"),
              "arn:aws-cn:lambda:cn-north-1:111122223333:function:f");
}

TEST(Actions, TheDefaultContextIsProcessWide) {
    sfn::TaskContext saved = sfn::task_context();
    sfn::task_context() = {"222233334444", "eu-west-1"};
    auto task = sfn::LambdaTask("Magic", "fn");
    sfn::task_context() = saved;
    EXPECT_EQ(task.id(), "Magic");
    EXPECT_EQ(task.serialize().at("Parameters").at("FunctionName"), "arn:aws:lambda:eu-west-1:222233334444:function:fn");
}

}  // namespace
