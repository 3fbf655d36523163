// ServiceClient against moto_server for the json and query protocols (DynamoDB, SQS, SNS, EventBridge, STS,
// Secrets Manager): results shaped as the model says, side effects checked with boto3, every signature checked
// by the verifying proxy (service_moto_fixture.hpp).
#include "service_moto_fixture.hpp"
#include "sfn/aws/errors.hpp"

#include <cstdlib>

using namespace sfn::aws;
using Moto = sfn::testing::ServiceAgainstMoto;
using nlohmann::json;

TEST_F(Moto, DynamoDbTableItemsRoundTrip) {
    // GIVEN a DynamoDB client (AWS JSON 1.0)
    auto ddb = client("dynamodb");
    // WHEN a table is created and an item put, updated and read back
    auto created = ddb.call("CreateTable", json::parse(R"({"TableName":"Orders",
        "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})"));
    (void)ddb.call("PutItem", json::parse(R"({"TableName":"Orders","Item":{"id":{"S":"o-1"},"qty":{"N":"2"}}})"));
    auto updated = ddb.call("UpdateItem", json::parse(R"({"TableName":"Orders","Key":{"id":{"S":"o-1"}},
        "UpdateExpression":"SET qty = qty + :one","ExpressionAttributeValues":{":one":{"N":"1"}},
        "ReturnValues":"ALL_NEW"})"));
    auto got = ddb.call("GetItem", json::parse(R"({"TableName":"Orders","Key":{"id":{"S":"o-1"}}})"));
    // THEN the outputs are the model's shapes (timestamps as ISO-8601 text)
    EXPECT_EQ(created["TableDescription"]["TableName"], "Orders");
    EXPECT_TRUE(created["TableDescription"]["CreationDateTime"].is_string());
    EXPECT_EQ(updated["Attributes"], json::parse(R"({"id":{"S":"o-1"},"qty":{"N":"3"}})"));
    EXPECT_EQ(got, json::parse(R"({"Item":{"id":{"S":"o-1"},"qty":{"N":"3"}}})"));
    // AND boto3 reads the same item from moto
    auto item = boto3("result = client('dynamodb').get_item(TableName='Orders', Key={'id': {'S': 'o-1'}})['Item']");
    EXPECT_EQ(item, json::parse(R"({"id":{"S":"o-1"},"qty":{"N":"3"}})"));
}

TEST_F(Moto, DynamoDbMissingTableIsResourceNotFound) {
    auto ddb = client("dynamodb");
    try {
        (void)ddb.call("GetItem", json::parse(R"({"TableName":"NoSuchTable","Key":{"id":{"S":"x"}}})"));
        FAIL() << "no error";
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "ResourceNotFoundException");
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_FALSE(e.error_message().empty());
    }
}

namespace {

// SQS as the installed model speaks it (query in Debian's botocore 1.29, json in newer ones).
void sqs_round_trip(sfn::aws::ServiceClient sqs, const std::string& queue,
                    const std::function<json(const std::string&)>& boto3) {
    auto created = sqs.call("CreateQueue", {{"QueueName", queue}});
    const std::string url = created["QueueUrl"];
    EXPECT_NE(url.find(queue), std::string::npos) << url;
    auto sent = sqs.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "hello <&> ünïcødé"},
                                         {"MessageAttributes", {{"kind", {{"DataType", "String"},
                                                                          {"StringValue", "greeting"}}}}}});
    EXPECT_TRUE(sent["MessageId"].is_string());
    EXPECT_EQ(sent["MD5OfMessageBody"].get<std::string>().size(), 32u);
    // boto3 sees exactly one message waiting before the client receives it
    auto waiting = boto3("result = client('sqs').get_queue_attributes(QueueUrl='" + url +
                         "', AttributeNames=['ApproximateNumberOfMessages'])['Attributes']");
    EXPECT_EQ(waiting["ApproximateNumberOfMessages"], "1");
    auto received = sqs.call("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", 10},
                                                {"MessageAttributeNames", {"All"}}});
    ASSERT_EQ(received["Messages"].size(), 1u) << received.dump();
    EXPECT_EQ(received["Messages"][0]["Body"], "hello <&> ünïcødé");
    EXPECT_EQ(received["Messages"][0]["MessageAttributes"]["kind"]["StringValue"], "greeting");
    EXPECT_EQ(received["Messages"][0]["MessageId"], sent["MessageId"]);
    // a queue that does not exist
    try {
        (void)sqs.call("SendMessage", {{"QueueUrl", url + "-missing"}, {"MessageBody", "x"}});
        FAIL() << "no error";
    } catch (const ServiceError& e) {
        // the query model's code or the json model's shape name: the same exception shape either way
        EXPECT_EQ(sqs.model().error_shape_name(e.error_code()), "QueueDoesNotExist") << e.what();
        EXPECT_EQ(e.http_status(), 400);
    }
}

}  // namespace

TEST_F(Moto, SqsWithTheInstalledModel) {
    auto sqs = client("sqs");
    SCOPED_TRACE("SQS protocol in " + sqs.model().source() + ": " + sqs.model().protocol());
    sqs_round_trip(client("sqs"), "installed-model-queue", boto3);
    for (const auto& r : requests_seen()) EXPECT_EQ(r["service"], "sqs");
}

TEST_F(Moto, SqsWithTheOtherProtocol) {
    // GIVEN the SQS model the installed one is not: botocore's json model if Debian's query model is installed
    const auto installed = ServiceModel::load("sqs");
    std::shared_ptr<const ServiceModel> other;
    for (const auto& dir : model_search_path()) {
        for (const char* version : {"2012-11-05/service-2.json.gz", "2012-11-05/service-2.json"}) {
            const auto path = dir + "/sqs/" + version;
            if (!std::ifstream(path)) continue;
            auto model = ServiceModel::load_file(path, "sqs");
            if (model->protocol() != installed->protocol() && !other) other = model;
        }
    }
    if (!other) GTEST_SKIP() << "only one SQS protocol (" << installed->protocol() << ") is installed";
    SCOPED_TRACE("SQS protocol in " + other->source() + ": " + other->protocol());
    sqs_round_trip(client("sqs", other), "other-model-queue", boto3);
}

TEST_F(Moto, SnsTopicAndPublishOverQuery) {
    // GIVEN an SQS queue subscribed to a new topic (boto3)
    auto sns = client("sns");
    ASSERT_EQ(sns.model().protocol(), "query");
    auto topic = sns.call("CreateTopic", {{"Name", "orders"}, {"Tags", {{{"Key", "team"}, {"Value", "a"}}}}});
    const std::string arn = topic["TopicArn"];
    auto queue_url = boto3(
        "sqs = client('sqs'); url = sqs.create_queue(QueueName='sns-sink')['QueueUrl']\n"
        "arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']\n"
        "client('sns').subscribe(TopicArn='" + arn + "', Protocol='sqs', Endpoint=arn,"
        " Attributes={'RawMessageDelivery': 'true'})\n"
        "result = url");
    // WHEN a message with attributes is published
    auto published = sns.call_with_metadata(
        "Publish", {{"TopicArn", arn}, {"Message", "order 7 & more"}, {"Subject", "new"},
                    {"MessageAttributes", {{"priority", {{"DataType", "Number"}, {"StringValue", "1"}}}}}});
    // THEN the output has the MessageId and the request id from <ResponseMetadata>
    EXPECT_TRUE(published.output["MessageId"].is_string()) << published.output.dump();
    EXPECT_FALSE(published.request_id.empty());
    EXPECT_EQ(published.status, 200);
    // AND the topic is listed and the message arrived in the subscribed queue (boto3)
    auto arns = boto3("result = [t['TopicArn'] for t in client('sns').list_topics()['Topics']]");
    EXPECT_NE(std::find(arns.begin(), arns.end(), arn), arns.end());
    auto body = boto3("m = client('sqs').receive_message(QueueUrl='" + queue_url.get<std::string>() +
                      "', WaitTimeSeconds=2)\nresult = m['Messages'][0]['Body']");
    EXPECT_EQ(body, "order 7 & more");
    // AND ListTopics parses the nested list of the query answer
    auto listed = sns.call("ListTopics", nullptr);
    ASSERT_TRUE(listed["Topics"].is_array());
    EXPECT_NE(listed["Topics"].dump().find(arn), std::string::npos);
}

TEST_F(Moto, EventBridgePutEventsReachesARuleTarget) {
    // GIVEN a rule that sends events of source "sfn.test" to an SQS queue (boto3)
    auto queue_url = boto3(
        "sqs = client('sqs'); url = sqs.create_queue(QueueName='events-sink')['QueueUrl']\n"
        "arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']\n"
        "ev = client('events')\n"
        "ev.put_rule(Name='to-sqs', EventPattern=json.dumps({'source': ['sfn.test']}))\n"
        "ev.put_targets(Rule='to-sqs', Targets=[{'Id': 'q', 'Arn': arn}])\n"
        "result = url");
    // WHEN PutEvents (AWS JSON 1.1) sends one event
    auto events = client("events");
    ASSERT_EQ(events.model().json_version(), "1.1");
    auto out = events.call("PutEvents", {{"Entries", {{{"Source", "sfn.test"}, {"DetailType", "Order"},
                                                       {"Detail", R"({"id":7})"}, {"Time", "2024-01-02T03:04:05Z"}}}}});
    // THEN no entry failed, and the event is in the queue with its detail
    EXPECT_EQ(out["FailedEntryCount"], 0) << out.dump();
    ASSERT_EQ(out["Entries"].size(), 1u);
    EXPECT_TRUE(out["Entries"][0]["EventId"].is_string());
    auto event = boto3("m = client('sqs').receive_message(QueueUrl='" + queue_url.get<std::string>() +
                       "', WaitTimeSeconds=2)\nresult = json.loads(m['Messages'][0]['Body'])");
    EXPECT_EQ(event["detail"], json::parse(R"({"id":7})"));
    EXPECT_EQ(event["detail-type"], "Order");
    for (const auto& r : requests_seen()) EXPECT_EQ(r["service"], "events");
}

TEST_F(Moto, StsGetCallerIdentity) {
    auto sts = client("sts");
    auto out = sts.call_with_metadata("GetCallerIdentity", nullptr);
    EXPECT_EQ(out.output["Account"], boto3("result = client('sts').get_caller_identity()['Account']"));
    EXPECT_TRUE(out.output["Arn"].is_string());
    EXPECT_FALSE(out.request_id.empty());
    for (const auto& r : requests_seen()) EXPECT_EQ(r["service"], "sts");
}

TEST_F(Moto, SecretsManagerCreateAndList) {
    auto secrets = client("secretsmanager");
    auto created = secrets.call("CreateSecret", {{"Name", "db/password"}, {"SecretString", "s3cr3t"}});
    EXPECT_EQ(created["Name"], "db/password");
    auto listed = secrets.call("ListSecrets", nullptr);
    ASSERT_EQ(listed["SecretList"].size(), 1u) << listed.dump();
    EXPECT_EQ(listed["SecretList"][0]["Name"], "db/password");
    // timestamps come back as ISO-8601 text, not epoch numbers
    EXPECT_TRUE(listed["SecretList"][0]["CreatedDate"].is_string()) << listed.dump();
    EXPECT_EQ(boto3("result = client('secretsmanager').get_secret_value(SecretId='db/password')['SecretString']"),
              "s3cr3t");
}

TEST_F(Moto, UnknownOperationAndBadInputSendNothing) {
    auto ddb = client("dynamodb");
    EXPECT_THROW((void)ddb.call("GetItems", json::object()), UsageError);
    EXPECT_THROW((void)ddb.call("GetItem", {{"TableName", "T"}, {"Key", "not an object"}}), UsageError);
    // one real call so the proxy has something to verify for this test
    EXPECT_THROW((void)ddb.call("DescribeTable", {{"TableName", "Missing"}}), ServiceError);
    EXPECT_EQ(requests_seen().size(), 1u);
}

TEST_F(Moto, TheProxyRejectsAWrongSignature) {
    // GIVEN a client signing with another secret than the proxy knows
    expected_rejections_ = 1;
    auto ddb = client("dynamodb", nullptr, "not-the-secret");
    // WHEN it calls THEN the proxy answers SignatureDoesNotMatch and forwards nothing
    try {
        (void)ddb.call("ListTables", nullptr);
        FAIL() << "no error";
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "SignatureDoesNotMatch");
        EXPECT_EQ(e.http_status(), 403);
    }
    auto seen = requests_seen();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_NE(seen[0]["reason"].get<std::string>().find("signature mismatch"), std::string::npos) << seen[0].dump();
}
