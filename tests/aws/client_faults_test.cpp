// The Step Functions client over libcurl against a real loopback server that misbehaves: dropped connections,
// truncated bodies, 5xx, throttling with and without retry hints, invalid JSON, AWS error shapes, and a server
// that never answers. Every test counts the requests the server saw; none measures time (delays are recorded
// through RetryPolicy::sleep instead of slept).
#include "aws/fault_server_support.hpp"
#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>

using namespace sfn::aws;
using sfn::testing::Fault;
using sfn::testing::FaultServer;
using sfn::testing::fault;
using sfn::testing::reply;
using std::chrono::milliseconds;

namespace {

constexpr const char* kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:M";
constexpr const char* kListOutput = R"({"stateMachines":[{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:M","name":"M","type":"STANDARD","creationDate":1700000000}]})";

struct ClientFaults : ::testing::Test {
    std::vector<milliseconds> sleeps;

    /// A client of `server` over libcurl with a 1 s read timeout and `attempts` attempts.
    std::unique_ptr<SfnClient> client_of(const FaultServer& server, int attempts = 3) {
        CurlOptions curl;
        curl.connect_timeout = std::chrono::seconds(5);
        curl.read_timeout = std::chrono::seconds(1);
        ClientConfig config;
        config.region = "us-east-1";
        config.endpoint_url = server.url();
        config.retry.max_attempts = attempts;
        config.retry.sleep = [this](milliseconds d) { sleeps.push_back(d); };
        return std::make_unique<SfnClient>(make_curl_transport(curl),
                                           static_credentials({"AKID", "SECRET", "", std::nullopt, ""}), config);
    }

    /// ListStateMachines against `server` with `attempts` attempts, which must end in a TransportError that
    /// names the operation, the attempts and the URL (libcurl's own wording follows).
    std::optional<TransportError> list_fails_in_transport(const FaultServer& server, int attempts);
};

/// The exception of type E that `call` throws, or nullopt when it returns (any other exception propagates).
template <typename E, typename F>
std::optional<E> thrown(F&& call) {
    try {
        call();
    } catch (const E& e) {
        return e;
    }
    return std::nullopt;
}

std::optional<TransportError> ClientFaults::list_fails_in_transport(const FaultServer& server, int attempts) {
    auto client = client_of(server, attempts);
    auto e = thrown<TransportError>([&] { client->list_state_machines({}); });
    const std::string prefix = "[sfn.aws.E002] ListStateMachines failed after " + std::to_string(attempts) +
                               " attempt(s): [sfn.aws.E002] POST " + server.url() + "/: ";
    EXPECT_TRUE(e) << "expected a TransportError";
    if (e) {
        EXPECT_EQ(std::string(e->what()).rfind(prefix, 0), 0u) << e->what();
    }
    return e;
}

/// Checks the status, AWS error code and whole message of a ServiceError that must have been thrown.
void expect_service_error(const std::optional<ServiceError>& e, int status, const std::string& code,
                          const std::string& what) {
    ASSERT_TRUE(e) << "expected a ServiceError: " << what;
    EXPECT_EQ(e->http_status(), status);
    EXPECT_EQ(e->error_code(), code);
    EXPECT_EQ(std::string(e->what()), what);
}

std::string error_json(const std::string& type, const std::string& message) {
    return nlohmann::json{{"__type", type}, {"message", message}}.dump();
}

TEST_F(ClientFaults, DroppedConnectionsAreRetriedUpToMaxAttemptsThenSurfaceATransportError) {
    FaultServer server({fault(Fault::drop)});
    const auto e = list_fails_in_transport(server, 3);
    EXPECT_FALSE(e && e->timed_out());
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(sleeps.size(), 2u);
}

TEST_F(ClientFaults, SuccessAfterTwoDroppedConnectionsReturnsTheResult) {
    FaultServer server({fault(Fault::drop), fault(Fault::drop), reply(200, kListOutput)});
    auto client = client_of(server, 3);
    auto out = client->list_state_machines({});
    ASSERT_EQ(out.state_machines.size(), 1u);
    EXPECT_EQ(out.state_machines[0].name, "M");
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(client->attempts(), 3u);
}

TEST_F(ClientFaults, ATruncatedBodyIsRetriedAsATransportError) {
    FaultServer failing({fault(Fault::truncate)});
    list_fails_in_transport(failing, 2);
    EXPECT_EQ(failing.requests(), 2);

    FaultServer recovering({fault(Fault::truncate), reply(200, kListOutput)});
    auto second = client_of(recovering, 3);
    EXPECT_EQ(second->list_state_machines({}).state_machines.size(), 1u);
    EXPECT_EQ(recovering.requests(), 2);
}

TEST_F(ClientFaults, ServerErrorsAreRetriedUpToMaxAttemptsAndTheLastOneSurfaces) {
    FaultServer server({reply(500, error_json("InternalFailure", "first")), reply(500, "<html>busy</html>"),
                        reply(503, error_json("ServiceUnavailable", "last"), {{"x-amzn-RequestId", "req-3"}})});
    auto client = client_of(server, 3);
    const auto e = thrown<ServiceError>([&] { client->describe_state_machine({kMachineArn, std::nullopt}); });
    expect_service_error(e, 503, "ServiceUnavailable",
                         "[sfn.aws.E001] DescribeStateMachine: ServiceUnavailable: last (HTTP 503, request id req-3)");
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(server.targets(), std::vector<std::string>(3, "AWSStepFunctions.DescribeStateMachine"));
}

TEST_F(ClientFaults, AServerErrorWithoutAnErrorShapeKeepsStatusAndBody) {
    FaultServer server({reply(500, "<html>busy</html>")});
    auto client = client_of(server, 2);
    const auto e = thrown<ServiceError>([&] { client->list_state_machines({}); });
    expect_service_error(e, 500, "",
                         "[sfn.aws.E001] ListStateMachines: HTTP 500: <html>busy</html> (HTTP 500)");
    EXPECT_EQ(server.requests(), 2);
}

TEST_F(ClientFaults, TooManyRequestsIsThrottlingEvenWithoutAnErrorCode) {
    FaultServer recovering({reply(429, ""), reply(200, kListOutput)});
    auto client = client_of(recovering, 3);
    EXPECT_EQ(client->list_state_machines({}).state_machines.size(), 1u);
    EXPECT_EQ(recovering.requests(), 2);

    FaultServer failing({reply(429, "")});
    auto second = client_of(failing, 2);
    const auto e = thrown<ServiceError>([&] { second->list_state_machines({}); });
    expect_service_error(e, 429, "", "[sfn.aws.E001] ListStateMachines: HTTP 429 (HTTP 429)");
    EXPECT_TRUE(e && e->is_throttling());
    EXPECT_EQ(failing.requests(), 2);
}

TEST_F(ClientFaults, ThrottlingExceptionIsRetriedAndAPlainRetryAfterHeaderIsIgnored) {
    // Standard mode's full-jitter backoff stays below base * 2^(i-1) = 1 s, 2 s whatever Retry-After asks for.
    FaultServer server({reply(400, error_json("ThrottlingException", "Rate exceeded"), {{"Retry-After", "30"}}),
                        reply(400, error_json("ThrottlingException", "Rate exceeded")), reply(200, kListOutput)});
    auto client = client_of(server, 3);
    EXPECT_EQ(client->list_state_machines({}).state_machines.size(), 1u);
    EXPECT_EQ(server.requests(), 3);
    ASSERT_EQ(sleeps.size(), 2u);
    EXPECT_LE(sleeps[0], milliseconds(1000));
    EXPECT_LE(sleeps[1], milliseconds(2000));
}

TEST_F(ClientFaults, ThrottlingThatNeverEndsSurfacesTheLastThrottlingError) {
    FaultServer server({reply(400, error_json("ThrottlingException", "Rate exceeded"), {{"Retry-After", "1"}})});
    auto client = client_of(server, 4);
    const auto e = thrown<ServiceError>([&] { client->list_state_machines({}); });
    expect_service_error(e, 400, "ThrottlingException",
                         "[sfn.aws.E001] ListStateMachines: ThrottlingException: Rate exceeded (HTTP 400)");
    EXPECT_EQ(server.requests(), 4);
    EXPECT_EQ(sleeps.size(), 3u);
}

TEST_F(ClientFaults, AmzRetryAfterLengthensTheWaitByAtMostFiveSeconds) {
    FaultServer server({reply(503, "", {{"x-amz-retry-after", "1500"}}),
                        reply(503, "", {{"x-amz-retry-after", "60000"}}),
                        reply(503, "", {{"x-amz-retry-after", "soon"}}), reply(200, kListOutput)});
    auto client = client_of(server, 4);
    EXPECT_EQ(client->list_state_machines({}).state_machines.size(), 1u);
    EXPECT_EQ(server.requests(), 4);
    ASSERT_EQ(sleeps.size(), 3u);
    EXPECT_EQ(sleeps[0], milliseconds(1500));  // backoff <= 1 s, so the hint wins
    EXPECT_GE(sleeps[1], milliseconds(5000));  // backoff (<= 2 s) + 5 s at most
    EXPECT_LE(sleeps[1], milliseconds(7000));
    EXPECT_LE(sleeps[2], milliseconds(4000));  // a malformed hint is ignored
}

TEST_F(ClientFaults, ValidationErrorsAreNotRetried) {
    FaultServer server({reply(400, error_json("ValidationException", "1 validation error detected"))});
    auto client = client_of(server, 3);
    const auto e = thrown<ServiceError>([&] { client->describe_state_machine({"not-an-arn", std::nullopt}); });
    expect_service_error(e, 400, "ValidationException",
                         "[sfn.aws.E001] DescribeStateMachine: ValidationException: 1 validation error detected (HTTP 400)");
    EXPECT_FALSE(e && e->is_retryable());
    EXPECT_EQ(server.requests(), 1);
    EXPECT_TRUE(sleeps.empty());
}

TEST_F(ClientFaults, TheErrorCodeComesFromTheTypeHeaderOrTheBodyOrIsAbsent) {
    struct Case {
        sfn::testing::ScriptedReply reply;
        std::string code;
        std::string what;
    };
    const std::vector<Case> cases = {
        {reply(400, R"({"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"gone"})"),
         "StateMachineDoesNotExist", "[sfn.aws.E001] DescribeStateMachine: StateMachineDoesNotExist: gone (HTTP 400)"},
        {reply(400, R"({"message":"bad arn"})", {{"x-amzn-ErrorType", "InvalidArn:http://internal.amazon.com/"}}),
         "InvalidArn", "[sfn.aws.E001] DescribeStateMachine: InvalidArn: bad arn (HTTP 400)"},
        {reply(400, "", {{"X-Amzn-ErrorType", "AccessDeniedException"}}), "AccessDeniedException",
         "[sfn.aws.E001] DescribeStateMachine: AccessDeniedException (HTTP 400)"},
        {reply(400, R"({"Message":"no type anywhere"})"), "",
         "[sfn.aws.E001] DescribeStateMachine: HTTP 400: no type anywhere (HTTP 400)"},
    };
    for (const auto& c : cases) {
        FaultServer server({c.reply});
        auto client = client_of(server, 3);
        const auto e = thrown<ServiceError>([&] { client->describe_state_machine({kMachineArn, std::nullopt}); });
        expect_service_error(e, 400, c.code, c.what);
        EXPECT_EQ(server.requests(), 1) << c.what;
    }
}

TEST_F(ClientFaults, InvalidJsonWithStatus200IsAProtocolErrorNamingTheOperation) {
    FaultServer server({reply(200, R"({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:sta)")});
    auto client = client_of(server, 3);
    const auto e = thrown<ProtocolError>([&] { client->describe_state_machine({kMachineArn, std::nullopt}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(std::string(e->what()),
              "[sfn.aws.E005] DescribeStateMachine: the response is not a JSON object: "
              R"({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:sta)");
    EXPECT_EQ(server.requests(), 1);
}

TEST_F(ClientFaults, AMemberOfTheWrongTypeNamesTheOutputShapeAndMember) {
    FaultServer server({reply(200, R"({"stateMachineArn":"a","name":"M","creationDate":"yesterday"})")});
    auto client = client_of(server, 3);
    const auto e = thrown<ProtocolError>([&] { client->describe_state_machine({kMachineArn, std::nullopt}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(std::string(e->what()).rfind("[sfn.aws.E005] DescribeStateMachineOutput.creationDate: ", 0), 0u)
        << e->what();
    EXPECT_EQ(server.requests(), 1);
}

TEST_F(ClientFaults, AServerThatNeverAnswersIsEndedByTheReadTimeout) {
    FaultServer server({fault(Fault::hang)});
    const auto e = list_fails_in_transport(server, 2);
    EXPECT_TRUE(e && e->timed_out());
    EXPECT_EQ(server.requests(), 2);
}

TEST_F(ClientFaults, TheGeneratedClientGetsItsResultAfterAHangAndAThrottle) {
    FaultServer server({fault(Fault::hang), reply(429, error_json("ThrottlingException", "slow")),
                        reply(200, R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:M:e1","startDate":1700000000.25})")});
    auto client = client_of(server, 3);
    sfn_api::StartExecutionInput in;
    in.state_machine_arn = kMachineArn;
    in.name = "e1";
    in.input = R"({"n":1})";
    auto out = client->start_execution(in);
    EXPECT_EQ(out.execution_arn, "arn:aws:states:us-east-1:123456789012:execution:M:e1");
    EXPECT_EQ(std::chrono::duration_cast<milliseconds>(out.start_date.time_since_epoch()).count(), 1700000000250);
    EXPECT_EQ(server.requests(), 3);
    EXPECT_EQ(server.targets(), std::vector<std::string>(3, "AWSStepFunctions.StartExecution"));
}

}  // namespace
