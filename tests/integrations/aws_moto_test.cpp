// `--integrations aws` at the engine level against moto_server, every request's SigV4 signature verified by the
// proxy in front of it (tests/aws/service_moto_fixture.hpp): DynamoDB, SNS, SQS, EventBridge, S3 and STS through
// the optimised and aws-sdk:* resources, each side effect checked with boto3 directly against moto.
#include "sfn/engine/execution.hpp"
#include "sfn/engine/machine.hpp"
#include "sfn/integrations/aws.hpp"

#include "aws/service_moto_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

namespace sfn::integrations {
namespace {

using nlohmann::json;

class Integrations : public sfn::testing::ServiceAgainstMoto {
protected:
    static engine::ExecutionOptions run_options() {
        IntegrationOptions o;
        o.region = "us-east-1";
        o.environment = aws::Environment::from_map({{"AWS_ENDPOINT_URL", options().endpoint_url},
                                                    {"AWS_ACCESS_KEY_ID", "AKIDINTEGRATIONS"},
                                                    {"AWS_SECRET_ACCESS_KEY", sfn::testing::kTestSecret},
                                                    {"AWS_CONFIG_FILE", "/nonexistent/config"},
                                                    {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}});
        o.retry.max_attempts = 1;  // a retry would hide a rejected signature
        o.poll_interval = std::chrono::milliseconds(50);
        auto registry = std::make_shared<engine::HandlerRegistry>();
        enable_aws_integrations(*registry, std::move(o));
        engine::ExecutionOptions e;
        e.handlers = registry;
        return e;
    }

    // One Task state with `resource` and `parameters`.
    static std::string task(const std::string& resource, const json& parameters) {
        return json{
            {"StartAt", "T"},
            {"States", {{"T", {{"Type", "Task"}, {"Resource", resource}, {"Parameters", parameters}, {"End", true}}}}}}
            .dump();
    }

    static json run_ok(const std::string& definition, const json& input = json::object()) {
        const auto r =
            engine::run(engine::compile(std::string_view(definition)), Value::from_json(input), run_options());
        EXPECT_EQ(r.status, engine::ExecutionStatus::Succeeded) << r.error.value_or("") << ": " << r.cause.value_or("");
        return r.output_json().empty() ? json() : json::parse(r.output_json());
    }
    static engine::ExecutionResult run_failing(const std::string& definition) {
        const auto r = engine::run(engine::compile(std::string_view(definition)), Value::parse("{}"), run_options());
        EXPECT_EQ(r.status, engine::ExecutionStatus::Failed);
        return r;
    }
};

TEST_F(Integrations, DynamoDbOptimisedItemLifecycle) {
    boto3(
        "client('dynamodb').create_table(TableName='orders', KeySchema=[{'AttributeName':'id','KeyType':'HASH'}],"
        " AttributeDefinitions=[{'AttributeName':'id','AttributeType':'S'}], BillingMode='PAY_PER_REQUEST')");
    // WHEN putItem runs
    const json put =
        run_ok(task("arn:aws:states:::dynamodb:putItem",
                    {{"TableName", "orders"}, {"Item", {{"id", {{"S", "o1"}}}, {"total", {{"N", "5"}}}}}}));
    // THEN the item is in the table, and the result carries the HTTP metadata AWS adds
    EXPECT_EQ(boto3("result = client('dynamodb').get_item(TableName='orders', Key={'id':{'S':'o1'}})['Item']"),
              (json{{"id", {{"S", "o1"}}}, {"total", {{"N", "5"}}}}));
    EXPECT_EQ(put["SdkHttpMetadata"]["HttpStatusCode"], 200);
    EXPECT_TRUE(put["SdkResponseMetadata"]["RequestId"].is_string());
    // AND updateItem, getItem and deleteItem follow
    run_ok(task("arn:aws:states:::dynamodb:updateItem", {{"TableName", "orders"},
                                                         {"Key", {{"id", {{"S", "o1"}}}}},
                                                         {"UpdateExpression", "SET #t = :t"},
                                                         {"ExpressionAttributeNames", {{"#t", "total"}}},
                                                         {"ExpressionAttributeValues", {{":t", {{"N", "9"}}}}}}));
    const json got =
        run_ok(task("arn:aws:states:::dynamodb:getItem", {{"TableName", "orders"}, {"Key", {{"id", {{"S", "o1"}}}}}}));
    EXPECT_EQ(got["Item"]["total"], (json{{"N", "9"}}));
    EXPECT_EQ(got["SdkHttpMetadata"]["HttpStatusCode"], 200);
    run_ok(task("arn:aws:states:::dynamodb:deleteItem", {{"TableName", "orders"}, {"Key", {{"id", {{"S", "o1"}}}}}}));
    EXPECT_EQ(boto3("result = 'Item' in client('dynamodb').get_item(TableName='orders', Key={'id':{'S':'o1'}})"),
              false);
}

TEST_F(Integrations, DynamoDbSdkResultsAndErrorsAreNamedAsStepFunctionsNamesThem) {
    boto3(
        "client('dynamodb').create_table(TableName='sdk', KeySchema=[{'AttributeName':'id','KeyType':'HASH'}],"
        " AttributeDefinitions=[{'AttributeName':'id','AttributeType':'S'}], BillingMode='PAY_PER_REQUEST')");
    const json put = run_ok(task("arn:aws:states:::aws-sdk:dynamodb:putItem",
                                 {{"TableName", "sdk"}, {"Item", {{"id", {{"S", "a"}}}, {"n", {{"N", "1"}}}}}}));
    EXPECT_EQ(put, json::object());  // aws-sdk:* answers the SDK's result only
    EXPECT_EQ(boto3("result = client('dynamodb').get_item(TableName='sdk', Key={'id':{'S':'a'}})['Item']['n']"),
              (json{{"N", "1"}}));
    const json got = run_ok(
        task("arn:aws:states:::aws-sdk:dynamodb:getItem", {{"TableName", "sdk"}, {"Key", {{"id", {{"S", "a"}}}}}}));
    EXPECT_EQ(got, (json{{"Item", {{"id", {{"S", "a"}}}, {"n", {{"N", "1"}}}}}}));
    // An SDK error: <Service>.<Exception> with the SDK v2 cause; the optimised one: the v1 names
    const auto sdk = run_failing(
        task("arn:aws:states:::aws-sdk:dynamodb:putItem", {{"TableName", "none"}, {"Item", {{"id", {{"S", "a"}}}}}}));
    EXPECT_EQ(sdk.error, "DynamoDb.ResourceNotFoundException");
    EXPECT_EQ(sdk.cause->rfind("Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: ", 0),
              0U)
        << *sdk.cause;
    const auto optimised = run_failing(
        task("arn:aws:states:::dynamodb:putItem", {{"TableName", "none"}, {"Item", {{"id", {{"S", "a"}}}}}}));
    EXPECT_EQ(optimised.error, "DynamoDB.ResourceNotFoundException");
    EXPECT_EQ(optimised.cause->rfind("Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error "
                                     "Code: ResourceNotFoundException; Request ID: ",
                                     0),
              0U)
        << *optimised.cause;
}

TEST_F(Integrations, SqsSendMessagePutsTheMessageInTheQueue) {
    const json q = boto3("result = queue('jobs')");
    const std::string url = q[0];
    // GIVEN a JSON MessageBody (the optimised integration sends its text)
    const json sent =
        run_ok(task("arn:aws:states:::sqs:sendMessage", {{"QueueUrl", url}, {"MessageBody", {{"job", 1}}}}));
    EXPECT_TRUE(sent["MessageId"].is_string());
    EXPECT_TRUE(sent["MD5OfMessageBody"].is_string());
    EXPECT_EQ(sent["SdkHttpMetadata"]["HttpStatusCode"], 200);
    EXPECT_EQ(boto3("result = [m['Body'] for m in client('sqs').receive_message(QueueUrl='" + url +
                    "', WaitTimeSeconds=1).get('Messages', [])]"),
              json::array({R"({"job":1})"}));
}

TEST_F(Integrations, SqsSendMessageWithANullBodySendsNoBodyAndFails) {
    const json q = boto3("result = queue('nulls')");
    const std::string url = q[0];
    // GIVEN MessageBody null: no MessageBody is sent, which SQS rejects (recorded on AWS:
    // test_task_service_sqs::test_send_message_empty_body, SQS.AmazonSQSException "The request must contain the
    // parameter MessageBody. (Service: AmazonSQS; ... Error Code: MissingParameter ...)"; moto answers a 500)
    const auto r = run_failing(task("arn:aws:states:::sqs:sendMessage", {{"QueueUrl", url}, {"MessageBody", nullptr}}));
    EXPECT_EQ(r.error, "SQS.AmazonSQSException");
    EXPECT_NE(r.cause->find("(Service: AmazonSQS; Status Code: "), std::string::npos) << *r.cause;
    EXPECT_EQ(boto3("result = [m['Body'] for m in client('sqs').receive_message(QueueUrl='" + url +
                    "', WaitTimeSeconds=0).get('Messages', [])]"),
              json::array());
}

TEST_F(Integrations, SqsWaitForTaskTokenWaitsForTheAnswer) {
    const json q = boto3("result = queue('callbacks')");
    const std::string url = q[0];
    const std::string definition = task("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                        {{"QueueUrl", url}, {"MessageBody", {{"token.$", "$$.Task.Token"}}}});
    engine::Execution exec(engine::compile(std::string_view(definition)), Value::parse("{}"), run_options());
    exec.start();
    // WHEN a worker reads the token from the queue and answers
    json token;
    for (int i = 0; i < 30 && !token.is_string(); ++i) {
        const json bodies = boto3("result = [m['Body'] for m in client('sqs').receive_message(QueueUrl='" + url +
                                  "', WaitTimeSeconds=1).get('Messages', [])]");
        if (!bodies.empty()) token = json::parse(bodies[0].get<std::string>())["token"];
    }
    ASSERT_TRUE(token.is_string());
    ASSERT_EQ(exec.task_tokens()->send_success(token, Value::parse(R"({"done":true})")),
              engine::TaskTokens::Answer::Accepted);
    // THEN the task's result is the answer, and TaskSubmitted carried SendMessage's answer
    const auto r = exec.wait();
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << r.error.value_or("") << r.cause.value_or("");
    EXPECT_EQ(json::parse(r.output_json()), (json{{"done", true}}));
    bool submitted = false;
    for (const auto& e : exec.history()) {
        const json shown = e.to_json();
        if (shown["type"] == "TaskSubmitted") {
            submitted = true;
            EXPECT_NE(shown.dump().find("MessageId"), std::string::npos) << shown.dump();
        }
    }
    EXPECT_TRUE(submitted);
}

TEST_F(Integrations, SnsPublishReachesASubscribedQueue) {
    const json setup = boto3(R"(url, arn = queue('sns-target')
sns = client('sns')
topic = sns.create_topic(Name='news')['TopicArn']
sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn, Attributes={'RawMessageDelivery': 'true'})
result = [topic, url])");
    const json out =
        run_ok(task("arn:aws:states:::sns:publish", {{"TopicArn", setup[0]}, {"Message", {{"hello", "world"}}}}));
    EXPECT_TRUE(out["MessageId"].is_string());
    EXPECT_EQ(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
    EXPECT_EQ(boto3("result = [m['Body'] for m in client('sqs').receive_message(QueueUrl='" +
                    setup[1].get<std::string>() + "', WaitTimeSeconds=1).get('Messages', [])]"),
              json::array({R"({"hello":"world"})"}));
    // A missing topic: SNS.NotFoundException as AWS names it
    const auto missing = run_failing(task("arn:aws:states:::sns:publish",
                                          {{"TopicArn", "arn:aws:sns:us-east-1:123456789012:none"}, {"Message", "x"}}));
    EXPECT_EQ(missing.error, "SNS.NotFoundException");
    EXPECT_NE(missing.cause->find("(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; "), std::string::npos)
        << *missing.cause;
}

TEST_F(Integrations, EventBridgePutEventsReachesARuleTarget) {
    const json setup = boto3(R"(url, arn = queue('events-target')
events = client('events')
events.put_rule(Name='orders', EventPattern=json.dumps({'source': ['shop']}))
events.put_targets(Rule='orders', Targets=[{'Id': 'q', 'Arn': arn}])
result = url)");
    const json out = run_ok(
        task("arn:aws:states:::events:putEvents",
             {{"Entries", json::array({{{"Source", "shop"}, {"DetailType", "order"}, {"Detail", {{"id", 3}}}}})}}));
    EXPECT_EQ(out["FailedEntryCount"], 0);
    EXPECT_EQ(out["Entries"].size(), 1U);
    EXPECT_FALSE(out.contains("SdkHttpMetadata"));  // AWS adds none to putEvents
    const json bodies = boto3("result = [json.loads(m['Body']) for m in client('sqs').receive_message(QueueUrl='" +
                              setup.get<std::string>() + "', WaitTimeSeconds=1).get('Messages', [])]");
    ASSERT_EQ(bodies.size(), 1U);
    EXPECT_EQ(bodies[0]["detail"], (json{{"id", 3}}));
    EXPECT_EQ(bodies[0]["source"], "shop");
    // AND the entry names the state machine and the execution among its resources, as AWS adds them
    EXPECT_EQ(bodies[0]["resources"],
              (json{"arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine",
                    "arn:aws:states:us-east-1:123456789012:execution:StateMachine:execution"}));
}

TEST_F(Integrations, EventBridgePutEventsWithAFailedEntryFailsTheTask) {
    // WHEN an entry's Detail is not JSON, the service answers FailedEntryCount 1 (HTTP 200)
    const auto r = run_failing(task("arn:aws:states:::events:putEvents",
                                    {{"Entries", json::array({{{"Source", "shop"}, {"DetailType", "order"},
                                                               {"Detail", "not json"}}})}}));
    // THEN the task fails EventBridge.FailedEntry with the answer as its cause
    EXPECT_EQ(r.error, "EventBridge.FailedEntry");
    const json cause = json::parse(r.cause.value_or("{}"));
    EXPECT_EQ(cause["FailedEntryCount"], 1) << cause.dump();
    EXPECT_EQ(cause["Entries"][0]["ErrorCode"], "MalformedDetail") << cause.dump();
}

TEST_F(Integrations, S3ObjectsThroughTheSdkIntegration) {
    boto3("client('s3').create_bucket(Bucket='docs')");
    // WHEN putObject gets a string Body, AWS stores its JSON text (quoted) as text/plain; charset=UTF-8
    run_ok(
        task("arn:aws:states:::aws-sdk:s3:putObject", {{"Bucket", "docs"}, {"Key", "a.txt"}, {"Body", "text data"}}));
    EXPECT_EQ(boto3("o = client('s3').get_object(Bucket='docs', Key='a.txt')\n"
                    "result = [o['Body'].read().decode(), o['ContentType']]"),
              (json{"\"text data\"", "text/plain; charset=UTF-8"}));
    const json got = run_ok(task("arn:aws:states:::aws-sdk:s3:getObject", {{"Bucket", "docs"}, {"Key", "a.txt"}}));
    EXPECT_EQ(got["Body"], "\"text data\"");
    EXPECT_EQ(got["ContentLength"], 11);
    // AND a JSON Body is stored as its compact text; a ContentType given is kept
    run_ok(task("arn:aws:states:::aws-sdk:s3:putObject", {{"Bucket", "docs"},
                                                          {"Key", "b.json"},
                                                          {"Body", {{"Dict", "Value"}}},
                                                          {"ContentType", "application/json"}}));
    EXPECT_EQ(boto3("o = client('s3').get_object(Bucket='docs', Key='b.json')\n"
                    "result = [o['Body'].read().decode(), o['ContentType']]"),
              (json{"{\"Dict\":\"Value\"}", "application/json"}));
    const auto missing =
        run_failing(task("arn:aws:states:::aws-sdk:s3:getObject", {{"Bucket", "docs"}, {"Key", "none"}}));
    EXPECT_EQ(missing.error, "S3.NoSuchKeyException");
    EXPECT_NE(missing.cause->find("(Service: S3, Status Code: 404, Request ID: "), std::string::npos) << *missing.cause;
}

TEST_F(Integrations, StsAndSqsThroughTheSdkIntegrationOverTheQueryProtocol) {
    const json who = run_ok(task("arn:aws:states:::aws-sdk:sts:getCallerIdentity", json::object()));
    EXPECT_TRUE(who["Account"].is_string()) << who.dump();
    EXPECT_TRUE(who["Arn"].is_string()) << who.dump();
    const json created = run_ok(task("arn:aws:states:::aws-sdk:sqs:createQueue", {{"QueueName", "made-by-sdk"}}));
    EXPECT_NE(created["QueueUrl"].get<std::string>().find("made-by-sdk"), std::string::npos);
    EXPECT_EQ(
        boto3("result = client('sqs').get_queue_url(QueueName='made-by-sdk')['QueueUrl'].endswith('made-by-sdk')"),
        true);
}

TEST_F(Integrations, SyncJobsArePolledUntilTheyEnd) {
    // GIVEN a Glue job and an Athena query (moto moves both through RUNNING to SUCCEEDED as they are polled)
    boto3(
        "client('glue').create_job(Name='etl', Role='arn:aws:iam::123456789012:role/glue',"
        " Command={'Name': 'glueetl', 'ScriptLocation': 's3://scripts/etl.py'})");
    // WHEN startJobRun.sync runs
    const std::string glue = task("arn:aws:states:::glue:startJobRun.sync", {{"JobName", "etl"}});
    engine::Execution exec(engine::compile(std::string_view(glue)), Value::parse("{}"), run_options());
    const auto r = exec.run();
    // THEN the result is the job run as GetJobRun describes it once it SUCCEEDED, after a TaskSubmitted event
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << r.error.value_or("") << ": " << r.cause.value_or("");
    const json run = json::parse(r.output_json());
    EXPECT_EQ(run["JobName"], "etl");
    EXPECT_EQ(run["JobRunState"], "SUCCEEDED");
    std::vector<std::string> types;
    for (const auto& e : exec.history()) types.push_back(e.to_json()["type"]);
    EXPECT_NE(std::find(types.begin(), types.end(), "TaskSubmitted"), types.end());
    EXPECT_EQ(boto3("result = client('glue').get_job_runs(JobName='etl')['JobRuns'][0]['Id']"), run["Id"]);

    const json query =
        run_ok(task("arn:aws:states:::athena:startQueryExecution.sync",
                    {{"QueryString", "SELECT 1"}, {"ResultConfiguration", {{"OutputLocation", "s3://results/"}}}}));
    EXPECT_EQ(query["QueryExecution"]["Status"]["State"], "SUCCEEDED");
    EXPECT_EQ(query["QueryExecution"]["Query"], "SELECT 1");
}

}  // namespace
}  // namespace sfn::integrations
