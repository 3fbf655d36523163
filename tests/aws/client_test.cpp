// The client's wire behaviour with a scripted transport: headers, signing, host prefix, errors, retries.
#include "aws/fake_transport.hpp"
#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace sfn::aws;
using nlohmann::json;

namespace {

struct ClientFixture : ::testing::Test {
    std::shared_ptr<sfn::testing::FakeTransport> transport = std::make_shared<sfn::testing::FakeTransport>();
    std::vector<std::chrono::milliseconds> sleeps;

    std::unique_ptr<SfnClient> make(const std::string& endpoint = {}, int attempts = 3,
                                    const std::string& token = {}) {
        ClientConfig config;
        config.region = "eu-west-1";
        config.endpoint_url = endpoint;
        config.retry.max_attempts = attempts;
        config.retry.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
        return std::make_unique<SfnClient>(transport, static_credentials({"AKID", "SECRET", token, std::nullopt, ""}),
                                           config);
    }
};

TEST_F(ClientFixture, SendsAwsJson10WithTargetAndAVerifiableSignature) {
    auto client = make({}, 3, "session-token");
    transport->push(200, R"({"stateMachineArn":"arn:aws:states:eu-west-1:1:stateMachine:X","creationDate":1700000000.5})",
                    {{"x-amzn-RequestId", "r1"}});
    sfn_api::CreateStateMachineInput in;
    in.name = "X";
    in.definition = "{}";
    in.role_arn = "arn:aws:iam::1:role/R";
    auto out = client->create_state_machine(in);
    EXPECT_EQ(out.state_machine_arn, "arn:aws:states:eu-west-1:1:stateMachine:X");
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(out.creation_date.time_since_epoch()).count(),
              1700000000500);
    ASSERT_EQ(transport->requests.size(), 1u);
    const auto& r = transport->requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, "https://states.eu-west-1.amazonaws.com/");
    EXPECT_EQ(*r.header("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(*r.header("X-Amz-Target"), "AWSStepFunctions.CreateStateMachine");
    EXPECT_EQ(*r.header("Host"), "states.eu-west-1.amazonaws.com");
    EXPECT_EQ(*r.header("X-Amz-Security-Token"), "session-token");
    EXPECT_EQ(json::parse(r.body), json({{"name", "X"}, {"definition", "{}"}, {"roleArn", "arn:aws:iam::1:role/R"}}));
    auto auth = sigv4::parse_authorization(*r.header("Authorization"));
    EXPECT_EQ(auth.region, "eu-west-1");
    EXPECT_EQ(auth.service, "states");
    EXPECT_EQ(auth.signed_headers, (std::vector<std::string>{"content-type", "host", "x-amz-date",
                                                             "x-amz-security-token", "x-amz-target"}) );
    EXPECT_TRUE(sigv4::verify(r, auth, "SECRET"));
}

TEST_F(ClientFixture, EmptyInputIsSentAsAnEmptyObject) {
    auto client = make();
    transport->push(200, R"({"stateMachines":[]})");
    client->list_state_machines({});
    EXPECT_EQ(transport->requests[0].body, "{}");
}

TEST_F(ClientFixture, SyncPrefixOnlyOnAwsEndpoints) {
    auto aws = make();
    transport->push(200, R"({"executionArn":"e","startDate":1,"stopDate":2,"status":"SUCCEEDED"})");
    aws->start_sync_execution({"arn", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    EXPECT_EQ(transport->requests.back().url, "https://sync-states.eu-west-1.amazonaws.com/");
    EXPECT_EQ(*transport->requests.back().header("Host"), "sync-states.eu-west-1.amazonaws.com");

    auto custom = make("http://127.0.0.1:8083/");
    transport->push(200, R"({"executionArn":"e","startDate":1,"stopDate":2,"status":"SUCCEEDED"})");
    custom->start_sync_execution({"arn", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    EXPECT_EQ(transport->requests.back().url, "http://127.0.0.1:8083/");
    EXPECT_EQ(*transport->requests.back().header("Host"), "127.0.0.1:8083");
}

TEST_F(ClientFixture, ErrorCodeIsNormalisedFromTypeHeaderOrBody) {
    auto client = make();
    transport->push(400, R"({"__type":"com.amazonaws.swf.base.model#StateMachineDoesNotExist","message":"gone"})",
                    {{"x-amzn-RequestId", "req-7"}});
    try {
        client->describe_state_machine({"arn:aws:states:eu-west-1:1:stateMachine:X", std::nullopt});
        FAIL();
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "StateMachineDoesNotExist");
        EXPECT_EQ(e.error_message(), "gone");
        EXPECT_EQ(e.request_id(), "req-7");
        EXPECT_EQ(std::string(e.what()),
                  "[sfn.aws.E001] DescribeStateMachine: StateMachineDoesNotExist: gone (HTTP 400, request id req-7)");
    }
    transport->push(400, R"({"Message":"m"})", {{"X-Amzn-ErrorType", "InvalidArn:http://internal"}});
    try {
        client->describe_state_machine({"x", std::nullopt});
        FAIL();
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "InvalidArn");
        EXPECT_EQ(e.error_message(), "m");
    }
    EXPECT_TRUE(sleeps.empty());  // client errors are never retried
}

TEST_F(ClientFixture, ThrottlingAndServerErrorsAreRetriedWithBackoffThenSucceed) {
    auto client = make({}, 3);
    transport->push(400, R"({"__type":"ThrottlingException","message":"slow down"})");
    transport->push(503, "Service Unavailable");
    transport->push(200, R"({"stateMachines":[]})");
    client->list_state_machines({});
    EXPECT_EQ(transport->requests.size(), 3u);
    ASSERT_EQ(sleeps.size(), 2u);
    EXPECT_LE(sleeps[0].count(), 1000);  // full jitter below base * 2^0
    EXPECT_LE(sleeps[1].count(), 2000);
    EXPECT_EQ(*transport->requests[2].header("amz-sdk-request"), "attempt=3; max=3");
    EXPECT_EQ(client->attempts(), 3u);
}

TEST_F(ClientFixture, NetworkErrorsAreRetriedAndTheLastOneSurfaces) {
    auto client = make({}, 2);
    transport->push_network_error("connection refused");
    transport->push_network_error("connection refused again");
    try {
        client->list_state_machines({});
        FAIL();
    } catch (const TransportError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "[sfn.aws.E002] ListStateMachines failed after 2 attempt(s): [sfn.aws.E002] connection refused again");
    }
    EXPECT_EQ(sleeps.size(), 1u);
}

TEST_F(ClientFixture, RetriesStopAtMaxAttempts) {
    auto client = make({}, 2);
    transport->push(500, R"({"__type":"InternalFailure"})");
    transport->push(500, R"({"__type":"InternalFailure"})");
    EXPECT_THROW(client->list_state_machines({}), ServiceError);
    EXPECT_EQ(transport->requests.size(), 2u);
}

TEST_F(ClientFixture, UnparsableSuccessBodyIsAProtocolError) {
    auto client = make();
    transport->push(200, "<html>proxy page</html>");
    EXPECT_THROW(client->list_state_machines({}), ProtocolError);
    transport->push(200, R"({"stateMachines":"not a list"})");
    try {
        client->list_state_machines({});
        FAIL();
    } catch (const ProtocolError& e) {
        EXPECT_NE(std::string(e.what()).find("ListStateMachinesOutput.stateMachines"), std::string::npos) << e.what();
    }
}

TEST_F(ClientFixture, UnknownEnumValuesMapToUnknownInsteadOfFailing) {
    auto client = make();
    transport->push(200, R"({"executionArn":"e","stateMachineArn":"s","status":"SOMETHING_NEW","startDate":1})");
    auto d = client->describe_execution({"e", std::nullopt});
    EXPECT_EQ(d.status, sfn_api::ExecutionStatus::Unknown);
}

TEST_F(ClientFixture, TimestampsOutsideTheClockRangeSaturateInsteadOfOverflowing) {
    // GIVEN dates the nanosecond system_clock cannot hold (found by fuzz/aws_response: signed overflow)
    auto client = make();
    transport->push(200, R"({"updateDate":17500000000.123})");
    transport->push(200, R"({"updateDate":-1e300})");
    transport->push(200, R"({"updateDate":"1000-01-01T00:00:00Z"})");
    transport->push(200, R"({"updateDate":"nan"})");
    // WHEN the client reads them THEN they saturate at the clock's ends, and NaN is a protocol error
    EXPECT_EQ(client->update_state_machine_alias({}).update_date, sfn_api::Timestamp::max());
    EXPECT_EQ(client->update_state_machine_alias({}).update_date, sfn_api::Timestamp::min());
    EXPECT_EQ(client->update_state_machine_alias({}).update_date, sfn_api::Timestamp::min());
    EXPECT_THROW(client->update_state_machine_alias({}), ProtocolError);
}

TEST(ClientConfigErrors, MissingRegionAndBadEndpointAreRejected) {
    auto t = std::make_shared<sfn::testing::FakeTransport>();
    auto creds = static_credentials({"a", "b", "", std::nullopt, ""});
    EXPECT_THROW(SfnClient(t, creds, ClientConfig{}), ConfigError);
    ClientConfig bad;
    bad.region = "us-east-1";
    bad.endpoint_url = "localhost:8083";
    try {
        SfnClient client(t, creds, bad);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E004] malformed URL 'localhost:8083': expected scheme://host");
    }
}

TEST(DefaultEndpoint, UsesTheChinaDomainForCnRegions) {
    EXPECT_EQ(default_endpoint("states", "us-east-1"), "https://states.us-east-1.amazonaws.com");
    EXPECT_EQ(default_endpoint("states", "cn-north-1"), "https://states.cn-north-1.amazonaws.com.cn");
}

TEST(Url, ParsesPortsPathsAndQueries) {
    auto u = parse_url("http://127.0.0.1:8083/a/b?x=1");
    EXPECT_EQ(u.host, "127.0.0.1");
    EXPECT_EQ(u.port, 8083);
    EXPECT_EQ(u.path, "/a/b");
    EXPECT_EQ(u.query, "x=1");
    EXPECT_EQ(u.authority(), "127.0.0.1:8083");
    EXPECT_EQ(parse_url("https://h:443").authority(), "h");
    EXPECT_THROW((void)parse_url("http://h:99999/"), ConfigError);
    EXPECT_THROW((void)parse_url("ftp://h/"), ConfigError);
}

}  // namespace
