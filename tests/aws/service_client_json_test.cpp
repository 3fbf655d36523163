// The generic ServiceClient over the AWS JSON protocol against a scripted transport: what goes on the wire, how
// outputs and errors come back, and what the model rejects before sending.
#include "fake_transport.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"
#include "sfn/aws/sigv4.hpp"

#include <gtest/gtest.h>

using namespace sfn::aws;
using sfn::testing::FakeTransport;

namespace {

std::shared_ptr<CredentialsProvider> test_keys() {
    return static_credentials({.access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret", .source = "test"});
}

struct Fixture {
    std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
    ServiceClient client;
    explicit Fixture(std::string_view service)
        : client(ServiceModel::load(service), transport, test_keys(),
                 {.region = "eu-west-1", .endpoint_url = "http://127.0.0.1:9", .retry = {.max_attempts = 1}}) {}
};

}  // namespace

TEST(ServiceClientJson, GetItemIsAJson10RequestWithTheModelsTarget) {
    // GIVEN a DynamoDB client and a canned answer
    Fixture f("dynamodb");
    f.transport->push(200, R"({"Item":{"id":{"S":"1"}},"Unknown":1})", {{"x-amzn-RequestId", "RID"}});
    // WHEN GetItem is called
    auto response = f.client.call_with_metadata(
        "GetItem", {{"TableName", "T"}, {"Key", {{"id", {{"S", "1"}}}}}, {"ConsistentRead", true}});
    // THEN the request is AWS JSON 1.0 with the model's target prefix, signed for "dynamodb"
    ASSERT_EQ(f.transport->requests.size(), 1u);
    const auto& request = f.transport->requests[0];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, "http://127.0.0.1:9/");
    EXPECT_EQ(*request.header("X-Amz-Target"), "DynamoDB_20120810.GetItem");
    EXPECT_EQ(*request.header("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(nlohmann::json::parse(request.body),
              nlohmann::json::parse(R"({"TableName":"T","Key":{"id":{"S":"1"}},"ConsistentRead":true})"));
    auto auth = sigv4::parse_authorization(*request.header("Authorization"));
    EXPECT_EQ(auth.service, "dynamodb");
    EXPECT_EQ(auth.region, "eu-west-1");
    EXPECT_TRUE(sigv4::verify(request, auth, "secret"));
    // AND the output keeps the model's members only, with the status and request id beside it
    EXPECT_EQ(response.output, nlohmann::json::parse(R"({"Item":{"id":{"S":"1"}}})"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.request_id, "RID");
}

TEST(ServiceClientJson, TimestampsComeBackAsIso8601) {
    // GIVEN a DescribeTable answer with epoch-second timestamps
    Fixture f("dynamodb");
    f.transport->push(200, R"({"Table":{"TableName":"T","CreationDateTime":1704164645.5,
        "ProvisionedThroughput":{"LastIncreaseDateTime":1704164645,"ReadCapacityUnits":5}}})");
    // WHEN DescribeTable is called
    auto out = f.client.call("DescribeTable", {{"TableName", "T"}});
    // THEN timestamps are ISO-8601 UTC (milliseconds only when present) and numbers stay numbers
    EXPECT_EQ(out["Table"]["CreationDateTime"], "2024-01-02T03:04:05.500Z");
    EXPECT_EQ(out["Table"]["ProvisionedThroughput"]["LastIncreaseDateTime"], "2024-01-02T03:04:05Z");
    EXPECT_EQ(out["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
}

TEST(ServiceClientJson, Json11ServicesUseTheirVersionAndSigningName) {
    // GIVEN a Secrets Manager client (AWS JSON 1.1)
    Fixture f("secretsmanager");
    f.transport->push(200, R"({"SecretList":[{"Name":"s","CreatedDate":1.7e9}]})");
    // WHEN ListSecrets is called
    auto out = f.client.call("ListSecrets", nullptr);
    // THEN the request says 1.1 and is signed for secretsmanager; the timestamp is converted
    const auto& request = f.transport->requests.at(0);
    EXPECT_EQ(*request.header("Content-Type"), "application/x-amz-json-1.1");
    EXPECT_EQ(*request.header("X-Amz-Target"), "secretsmanager.ListSecrets");
    EXPECT_EQ(request.body, "{}");
    EXPECT_EQ(sigv4::parse_authorization(*request.header("Authorization")).service, "secretsmanager");
    EXPECT_EQ(out, nlohmann::json::parse(R"({"SecretList":[{"Name":"s","CreatedDate":"2023-11-14T22:13:20Z"}]})"));
}

TEST(ServiceClientJson, ErrorCodesLoseTheirNamespace) {
    // GIVEN a DynamoDB error answer with a namespaced __type
    Fixture f("dynamodb");
    f.transport->push(400,
                      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"gone"})",
                      {{"x-amzn-RequestId", "R1"}});
    // WHEN GetItem is called THEN ServiceError carries the bare code, message, status and request id
    try {
        (void)f.client.call("GetItem", {{"TableName", "T"}, {"Key", nlohmann::json::object()}});
        FAIL() << "no error";
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "ResourceNotFoundException");
        EXPECT_EQ(e.error_message(), "gone");
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.request_id(), "R1");
        EXPECT_EQ(e.operation(), "dynamodb.GetItem");
    }
}

TEST(ServiceClientJson, UnknownOperationIsAUsageError) {
    Fixture f("dynamodb");
    try {
        (void)f.client.call("PutItems", nlohmann::json::object());
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_EQ(std::string(e.what()).find("[sfn.aws.E006] dynamodb has no operation 'PutItems'"), 0u) << e.what();
    }
    EXPECT_TRUE(f.transport->requests.empty());
}

TEST(ServiceClientJson, InputThatDoesNotFitTheModelNamesTheMemberPath) {
    // GIVEN a client WHEN inputs break the model THEN UsageError names operation and member path, nothing is sent
    Fixture f("dynamodb");
    auto message = [&](const nlohmann::json& input) {
        try {
            (void)f.client.call("PutItem", input);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message({{"TableName", "T"}, {"Itm", nlohmann::json::object()}}),
              "[sfn.aws.E006] dynamodb.PutItem: /Itm: not a member of PutItemInput");
    EXPECT_EQ(message({{"TableName", "T"}, {"ConditionalOperator", 5}}),
              "[sfn.aws.E006] dynamodb.PutItem: /ConditionalOperator: expected a string (shape ConditionalOperator), "
              "got 5");
    EXPECT_EQ(message({{"TableName", "T"}, {"Item", {{"id", {{"BOOL", "yes"}}}}}}),
              "[sfn.aws.E006] dynamodb.PutItem: /Item/id/BOOL: expected a boolean (shape BooleanAttributeValue), got "
              "\"yes\"");
    EXPECT_TRUE(f.transport->requests.empty());
}

TEST(ServiceModel, UnknownServiceNamesWhereItLooked) {
    try {
        (void)ServiceModel::load("no-such-service");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("no AWS service model for 'no-such-service': looked for "
                                             "no-such-service/<version>/service-2.json[.gz] in "),
                  std::string::npos)
            << e.what();
    }
}
