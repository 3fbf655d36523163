// `--integrations aws` at the engine level against a loopback server started by each test that speaks Lambda's
// Invoke wire protocol (POST /2015-03-31/functions/NAME/invocations, X-Amz-Function-Error, x-amzn-ErrorType),
// Bedrock Runtime's InvokeModel and Batch's SubmitJob/DescribeJobs/TerminateJob: lambda:invoke and plain
// function ARNs, function and service errors, bedrock:invokeModel, batch:submitJob.sync, and the faults of any
// call (unreachable endpoint, rejected credentials, throttling, unparsable answers, unknown services, timeouts
// and stops in flight, no secret in what the run shows).
#include "sfn/engine/execution.hpp"
#include "sfn/engine/machine.hpp"
#include "sfn/integrations/aws.hpp"

#include "aws/moto_support.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <thread>

namespace sfn::integrations {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "lambda-test-secret-value";

class LambdaServer {
public:
    LambdaServer() {
        server_.Post(R"(/2015-03-31/functions/([^/]+)/invocations)",
                     [this](const httplib::Request& r, httplib::Response& res) { invoke(r, res); });
        // Bedrock Runtime's InvokeModel (rest-json, the request document as the body blob).
        server_.Post(R"(/model/([^/]+)/invoke)", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            const auto prompt = json::parse(r.body).value("prompt", "");
            res.set_header("X-Amzn-Bedrock-Input-Token-Count", "3");
            res.set_content(json{{"completion", "echo: " + prompt}, {"model", std::string(r.matches[1])}}.dump(),
                            "application/json");
        });
        // Batch: a job that is RUNNING for two DescribeJobs, then ends as its name says ("ok", "bad" or "forever");
        // DescribeJobs of "garbled" answers what no model parses.
        server_.Post("/v1/submitjob", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            const std::string name = json::parse(r.body).value("jobName", "");
            res.set_content(
                json{{"jobArn", "arn:aws:batch:us-east-1:123456789012:job/" + name}, {"jobName", name}, {"jobId", name}}
                    .dump(),
                "application/json");
        });
        server_.Post("/v1/describejobs", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            const std::string id = json::parse(r.body)["jobs"][0];
            if (id == "garbled") return res.set_content("<html>not json", "text/html");
            const int polls = ++batch_polls_;
            std::string status = "RUNNING";
            if (polls > 2 && id == "ok") status = "SUCCEEDED";
            if (polls > 2 && id == "bad") status = "FAILED";
            res.set_content(json{{"jobs", json::array({{{"jobId", id},
                                                        {"jobName", id},
                                                        {"status", status},
                                                        {"jobQueue", "q"},
                                                        {"jobDefinition", "d"}}})}}
                                .dump(),
                            "application/json");
        });
        server_.Post("/v1/terminatejob", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            std::lock_guard lock(mutex_);
            terminated_ = json::parse(r.body).value("jobId", "");
            res.set_content("{}", "application/json");
        });
        // Anything else (a JSON-protocol service pointed here): an answer no model can parse.
        server_.Post("/", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            res.set_content("<html>not json", "text/html");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~LambdaServer() {
        release_ = true;
        server_.stop();
        thread_.join();
    }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    httplib::Request last() {
        std::lock_guard lock(mutex_);
        return last_;
    }
    int requests() const { return requests_; }
    bool slow_call_arrived() const { return slow_arrived_; }
    int batch_polls() const { return batch_polls_; }
    std::string terminated() {
        std::lock_guard lock(mutex_);
        return terminated_;
    }

private:
    void keep(const httplib::Request& r) {
        std::lock_guard lock(mutex_);
        last_ = r;
        ++requests_;
    }
    void invoke(const httplib::Request& r, httplib::Response& res) {
        keep(r);
        const std::string name = r.matches[1];
        res.set_header("x-amzn-RequestId", "req-" + std::to_string(requests_.load()));
        if (name == "echo" || name.find(":function:echo") != std::string::npos) {
            res.set_header("X-Amz-Executed-Version", "$LATEST");
            res.set_content(r.body.empty() ? "{}" : r.body, "application/json");
        } else if (name == "fail") {
            res.set_header("X-Amz-Function-Error", "Unhandled");
            res.set_header("X-Amz-Executed-Version", "$LATEST");
            res.set_content(R"({"errorMessage":"boom","errorType":"CustomError","stackTrace":["  at handler"]})",
                            "application/json");
        } else if (name == "spaced" || name.find(":function:spaced") != std::string::npos) {
            // The Python runtime's json.dumps: ", " and ": " separators
            res.set_header("X-Amz-Function-Error", "Unhandled");
            res.set_content(R"({"errorMessage": "", "errorType": "CustomException", "stackTrace": []})",
                            "application/json");
        } else if (name == "timedout") {
            // A function that ran out of time: no errorType
            res.set_header("X-Amz-Function-Error", "Unhandled");
            res.set_content(R"({"errorMessage":"2024-11-26T00:36:39.604Z 5b1c Task timed out after 3.00 seconds"})",
                            "application/json");
        } else if (name == "throttled" && ++throttled_ <= 2) {
            res.status = 429;
            res.set_header("x-amzn-ErrorType", "TooManyRequestsException");
            res.set_content(R"({"Type":"User","message":"Rate Exceeded.","Reason":"CallerRateLimitExceeded"})",
                            "application/json");
        } else if (name == "throttled") {
            res.set_content(R"({"after":"throttling"})", "application/json");
        } else if (name == "slow") {
            slow_arrived_ = true;
            for (int i = 0; i < 600 && !release_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            res.set_content("{}", "application/json");
        } else if (name == "denied") {
            res.status = 403;
            res.set_header("x-amzn-ErrorType", "UnrecognizedClientException");
            res.set_content(R"({"message":"The security token included in the request is invalid."})",
                            "application/json");
        } else {
            res.status = 404;
            res.set_header("x-amzn-ErrorType", "ResourceNotFoundException");
            res.set_content(
                R"({"Type":"User","message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:)" +
                    name + "\"}",
                "application/json");
        }
    }

    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    httplib::Request last_;
    std::atomic<int> requests_{0};
    std::atomic<int> throttled_{0};
    std::atomic<int> batch_polls_{0};
    std::string terminated_;
    std::atomic<bool> slow_arrived_{false};
    std::atomic<bool> release_{false};
};

struct AwsLambda : ::testing::Test {
    LambdaServer server;

    IntegrationOptions options(const std::string& endpoint) const {
        IntegrationOptions o;
        o.region = "us-east-1";
        o.environment = aws::Environment::from_map({{"AWS_ENDPOINT_URL", endpoint},
                                                    {"AWS_ACCESS_KEY_ID", "AKIDLAMBDATEST"},
                                                    {"AWS_SECRET_ACCESS_KEY", kSecret},
                                                    {"AWS_CONFIG_FILE", "/nonexistent/config"},
                                                    {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}});
        o.retry.sleep = [](std::chrono::milliseconds) {};  // retries without the backoff's wait
        return o;
    }

    static std::string lambda_task(const std::string& function, const std::string& extra = "") {
        return R"({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":")" +
               function + R"(","Payload.$":"$"})" + extra + R"(,"End":true}}})";
    }

    engine::ExecutionOptions run_options(IntegrationOptions o) const {
        auto registry = std::make_shared<engine::HandlerRegistry>();
        enable_aws_integrations(*registry, std::move(o));
        engine::ExecutionOptions e;
        e.handlers = registry;
        return e;
    }

    engine::ExecutionResult run(const std::string& definition, const std::string& input) {
        return run_at(server.url(), definition, input);
    }
    engine::ExecutionResult run_at(const std::string& endpoint, const std::string& definition,
                                   const std::string& input) {
        return engine::run(engine::compile(std::string_view(definition)), Value::parse(input),
                           run_options(options(endpoint)));
    }
    static json output(const engine::ExecutionResult& r) { return json::parse(r.output_json()); }
    static std::string describe(const engine::ExecutionResult& r) {
        return std::string(engine::to_string(r.status)) + " " + r.error.value_or("") + ": " + r.cause.value_or("");
    }
};

TEST_F(AwsLambda, LambdaInvokeCallsTheFunctionAndAnswersInvokesShape) {
    // GIVEN lambda:invoke of "echo" (answers its event)
    // WHEN it runs
    const auto r = run(lambda_task("echo"), R"({"order":{"id":7}})");
    // THEN the function got the payload through Invoke's wire protocol, signed for lambda
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << describe(r);
    const auto seen = server.last();
    EXPECT_EQ(seen.path, "/2015-03-31/functions/echo/invocations");
    EXPECT_EQ(json::parse(seen.body), (json{{"order", {{"id", 7}}}}));
    EXPECT_EQ(seen.get_header_value("Authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIDLAMBDATEST/", 0), 0U);
    EXPECT_NE(seen.get_header_value("Authorization").find("/us-east-1/lambda/aws4_request"), std::string::npos);
    // AND the result has the shape AWS gives lambda:invoke
    const json out = output(r);
    EXPECT_EQ(out["Payload"], (json{{"order", {{"id", 7}}}}));
    EXPECT_EQ(out["StatusCode"], 200);
    EXPECT_EQ(out["ExecutedVersion"], "$LATEST");
    EXPECT_EQ(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
    EXPECT_EQ(out["SdkResponseMetadata"]["RequestId"], "req-1");
    EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"], "req-1");
    EXPECT_EQ(out["SdkHttpMetadata"]["AllHttpHeaders"]["x-amzn-RequestId"], json::array({"req-1"}));
    std::vector<std::string> keys;
    for (const auto& [k, v] : out.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata",
                                              "StatusCode"}));
}

TEST_F(AwsLambda, APlainFunctionArnAnswersThePayloadItself) {
    const auto r = run(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","End":true}}})",
                       R"({"n":1})");
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << describe(r);
    EXPECT_EQ(output(r), (json{{"n", 1}}));
    EXPECT_EQ(server.last().path,
              "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations");
}

TEST_F(AwsLambda, AFunctionErrorIsNamedAfterItsErrorTypeWithThePayloadAsCause) {
    // GIVEN a function that raises (X-Amz-Function-Error)
    const auto r = run(lambda_task("fail"), "{}");
    // THEN the task fails as on AWS: errorType, and the payload text as cause
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "CustomError");
    EXPECT_EQ(r.cause, R"({"errorMessage":"boom","errorType":"CustomError","stackTrace":["  at handler"]})");
    // AND Retry/Catch see it too
    const auto r2 =
        run(R"({"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"fail"},"Catch":[{"ErrorEquals":["CustomError"],"Next":"Handled"}],"End":true},
        "Handled":{"Type":"Pass","End":true}}})",
            "{}");
    ASSERT_EQ(r2.status, engine::ExecutionStatus::Succeeded) << describe(r2);
    EXPECT_EQ(output(r2)["Error"], "CustomError");
}

TEST_F(AwsLambda, LambdaInvokeReserialisesTheErrorPayloadWhileAPlainArnKeepsItsText) {
    // GIVEN a function whose error payload is spaced JSON (as Python writes it)
    const auto invoked = run(lambda_task("spaced"), "{}");
    const auto plain = run(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:123456789012:function:spaced","End":true}}})",
                           "{}");
    // THEN lambda:invoke's cause is the payload written compactly, a plain ARN's the text itself (both recorded
    // on AWS: test_task_service_lambda / test_task_lambda ::test_raise_custom_exception)
    EXPECT_EQ(invoked.error, "CustomException");
    EXPECT_EQ(invoked.cause, R"({"errorMessage":"","errorType":"CustomException","stackTrace":[]})");
    EXPECT_EQ(plain.error, "CustomException");
    EXPECT_EQ(plain.cause, R"({"errorMessage": "", "errorType": "CustomException", "stackTrace": []})");
}

TEST_F(AwsLambda, AFunctionErrorWithoutAnErrorTypeIsLambdaUnknown) {
    // GIVEN a function that timed out (its error payload has no errorType)
    const auto r = run(lambda_task("timedout"), "{}");
    // THEN the task fails with Lambda.Unknown and AWS's cause, which quotes the payload
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Lambda.Unknown");
    EXPECT_EQ(r.cause,
              "The cause could not be determined because Lambda did not return an error type. Returned "
              R"(payload: {"errorMessage":"2024-11-26T00:36:39.604Z 5b1c Task timed out after 3.00 seconds"})");
}

TEST_F(AwsLambda, AMissingFunctionFailsWithLambdasServiceErrorName) {
    const auto r = run(lambda_task("nosuch"), "{}");
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Lambda.ResourceNotFoundException");
    EXPECT_EQ(r.cause,
              "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nosuch (Service: AWSLambda; "
              "Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-1; Proxy: null)");
}

TEST_F(AwsLambda, BedrockInvokeModelSendsTheBodyDocumentAndAnswersItParsed) {
    // GIVEN bedrock:invokeModel with a JSON Body (Bedrock Runtime pointed at the loopback server)
    const auto r =
        run(R"({"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::bedrock:invokeModel",
        "Parameters":{"ModelId":"anthropic.claude-v2","Body":{"prompt.$":"$.q"},"ContentType":"application/json"},
        "End":true}}})",
            R"({"q":"hi"})");
    // THEN the model got the document as its body, and the result holds the answer parsed
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << describe(r);
    EXPECT_EQ(server.last().path, "/model/anthropic.claude-v2/invoke");
    EXPECT_EQ(json::parse(server.last().body), (json{{"prompt", "hi"}}));
    const json out = output(r);
    EXPECT_EQ(out["Body"], (json{{"completion", "echo: hi"}, {"model", "anthropic.claude-v2"}}));
    EXPECT_EQ(out["ContentType"], "application/json");
}

TEST_F(AwsLambda, BatchSubmitJobSyncPollsTheJobUntilItEnds) {
    const auto job = [](const std::string& name, const std::string& extra = "") {
        return R"({"StartAt":"Job","States":{"Job":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync",
            "Parameters":{"JobName":")" +
               name + R"(","JobQueue":"q","JobDefinition":"d"})" + extra + R"(,"End":true}}})";
    };
    // GIVEN a job that runs for two polls, then SUCCEEDS
    auto o = options(server.url());
    o.poll_interval = std::chrono::milliseconds(10);
    engine::Execution ok(engine::compile(std::string_view(job("ok"))), Value::parse("{}"), run_options(o));
    const auto r = ok.run();
    // THEN the result is DescribeJobs' job in PascalCase, after TaskSubmitted with SubmitJob's answer
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << describe(r);
    EXPECT_EQ(output(r)["Status"], "SUCCEEDED");
    EXPECT_EQ(output(r)["JobId"], "ok");
    EXPECT_EQ(server.batch_polls(), 3);
    bool submitted = false;
    for (const auto& e : ok.history()) {
        const json shown = e.to_json();
        if (shown["type"] != "TaskSubmitted") continue;
        submitted = true;
        EXPECT_EQ(json::parse(shown["taskSubmittedEventDetails"]["output"].get<std::string>())["JobId"], "ok");
    }
    EXPECT_TRUE(submitted);
    // AND a FAILED job fails the task with the job as cause
    const auto bad = engine::run(engine::compile(std::string_view(job("bad"))), Value::parse("{}"), run_options(o));
    ASSERT_EQ(bad.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(bad.error, "States.TaskFailed");
    EXPECT_EQ(json::parse(*bad.cause)["Status"], "FAILED");
    // AND a task that times out terminates its job
    const auto late = engine::run(engine::compile(std::string_view(job("forever", R"(,"TimeoutSeconds":1)"))),
                                  Value::parse("{}"), run_options(o));
    EXPECT_EQ(late.error, "States.Timeout") << describe(late);
    for (int i = 0; i < 500 && server.terminated().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(server.terminated(), "forever");
    // AND a poll that gets no usable answer fails the task naming the poll, not the submission
    const auto garbled =
        engine::run(engine::compile(std::string_view(job("garbled"))), Value::parse("{}"), run_options(o));
    ASSERT_EQ(garbled.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(garbled.error, "States.TaskFailed");
    EXPECT_NE(garbled.cause->find("an answer the model cannot parse calling batch DescribeJobs at " + server.url()),
              std::string::npos)
        << *garbled.cause;
}

TEST_F(AwsLambda, ThrottlingIsRetriedBeforeTheTaskSeesIt) {
    // GIVEN a function throttled twice, then answering (standard mode: 3 attempts)
    const auto r = run(lambda_task("throttled"), "{}");
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << describe(r);
    EXPECT_EQ(output(r)["Payload"], (json{{"after", "throttling"}}));
    EXPECT_EQ(server.requests(), 3);
}

TEST_F(AwsLambda, RejectedCredentialsFailTheTaskWithTheServicesAnswer) {
    const auto r = run(lambda_task("denied"), "{}");
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Lambda.AWSLambdaException");
    EXPECT_NE(r.cause->find("The security token included in the request is invalid."), std::string::npos) << *r.cause;
    EXPECT_NE(r.cause->find("Status Code: 403; Error Code: UnrecognizedClientException"), std::string::npos)
        << *r.cause;
}

TEST_F(AwsLambda, AnUnreachableEndpointFailsNamingServiceActionAndEndpoint) {
    const std::string closed = "http://127.0.0.1:" + std::to_string(sfn::testing::free_loopback_port());
    const auto r = run_at(closed, lambda_task("echo"), "{}");
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Lambda.SdkClientException");  // the name AWS gives a Lambda it cannot reach
    EXPECT_EQ(r.cause->rfind("Unable to execute HTTP request: ", 0), 0U) << *r.cause;
    EXPECT_NE(r.cause->find("(calling lambda Invoke at " + closed + ")"), std::string::npos) << *r.cause;
    // AND another service is named by its SDK prefix too (recorded on AWS for SQS: SQS.SdkClientException,
    // test_task_service_sqs::test_send_message_no_such_queue)
    const auto sqs = run_at(closed, R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"http://q","MessageBody":"m"},
        "End":true}}})",
                            "{}");
    EXPECT_EQ(sqs.error, "SQS.SdkClientException");
    const auto sdk = run_at(closed, R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:states:::aws-sdk:dynamodb:listTables","End":true}}})",
                            "{}");
    EXPECT_EQ(sdk.error, "DynamoDb.SdkClientException");
}

TEST_F(AwsLambda, AnAnswerTheModelCannotParseFailsNamingTheCall) {
    // GIVEN DynamoDB (JSON protocol) pointed at a server answering HTML
    const auto r =
        run(R"({"StartAt":"Get","States":{"Get":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:getItem",
        "Parameters":{"TableName":"T","Key":{"id":{"S":"1"}}},"End":true}}})",
            "{}");
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.TaskFailed");
    EXPECT_EQ(r.cause->rfind("an answer the model cannot parse calling dynamodb GetItem at " + server.url(), 0), 0U)
        << *r.cause;
}

TEST_F(AwsLambda, UnknownServicesAndActionsFailNamingThem) {
    const auto service =
        run(R"({"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:nosuchservice:doThing",
        "End":true}}})",
            "{}");
    ASSERT_EQ(service.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(service.error, "States.Runtime");
    EXPECT_NE(service.cause->find("nosuchservice"), std::string::npos) << *service.cause;
    const auto action =
        run(R"({"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:doThing",
        "End":true}}})",
            "{}");
    ASSERT_EQ(action.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(action.error, "States.Runtime");
    EXPECT_NE(action.cause->find("dynamodb has no operation DoThing"), std::string::npos) << *action.cause;
    EXPECT_EQ(server.requests(), 0);
}

TEST_F(AwsLambda, TimeoutSecondsInterruptsACallInFlight) {
    // GIVEN a function that does not answer for 30 s and a task timeout of 1 s
    const auto r = run(lambda_task("slow", R"(,"TimeoutSeconds":1)"), "{}");
    // THEN the task times out (the call is abandoned, not awaited)
    ASSERT_EQ(r.status, engine::ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Timeout");
}

TEST_F(AwsLambda, StopExecutionInterruptsACallInFlight) {
    engine::Execution exec(engine::compile(std::string_view(lambda_task("slow"))), Value::parse("{}"),
                           run_options(options(server.url())));
    exec.start();
    for (int i = 0; i < 2000 && !server.slow_call_arrived(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(server.slow_call_arrived());
    exec.stop({.error = "Halt", .cause = "by the test"});
    const auto r = exec.wait();
    EXPECT_EQ(r.status, engine::ExecutionStatus::Aborted);
}

TEST_F(AwsLambda, NoSecretAppearsInHistoryOrErrors) {
    // GIVEN runs that succeed, fail at the service and fail without an answer
    std::string seen;
    for (const auto& [endpoint, function] : std::vector<std::pair<std::string, std::string>>{
             {server.url(), "echo"},
             {server.url(), "denied"},
             {"http://127.0.0.1:" + std::to_string(sfn::testing::free_loopback_port()), "echo"}}) {
        engine::Execution exec(engine::compile(std::string_view(lambda_task(function))), Value::parse("{}"),
                               run_options(options(endpoint)));
        const auto r = exec.run();
        seen += r.error.value_or("") + r.cause.value_or("") + r.output_json();
        for (const auto& e : exec.history()) seen += e.to_json().dump();
    }
    // THEN neither the secret key nor a signature shows anywhere
    EXPECT_EQ(seen.find(kSecret), std::string::npos);
    EXPECT_EQ(seen.find("Signature="), std::string::npos);
    EXPECT_NE(seen.find("UnrecognizedClientException"), std::string::npos);  // the runs did show their errors
}

TEST_F(AwsLambda, MockConfigAndExplicitHandlersWinOverTheIntegrations) {
    auto registry = std::make_shared<engine::HandlerRegistry>();
    enable_aws_integrations(*registry, options(server.url()));
    registry->add("echo", [](const engine::TaskRequest&) { return engine::TaskOutcome::result(Value("explicit")); });
    engine::ExecutionOptions e;
    e.handlers = registry;
    const auto r = engine::run(engine::compile(std::string_view(lambda_task("echo"))), Value::parse("{}"), e);
    ASSERT_EQ(r.status, engine::ExecutionStatus::Succeeded) << describe(r);
    EXPECT_EQ(output(r)["Payload"], "explicit");
    EXPECT_EQ(server.requests(), 0);
    registry->use_mock_config(json::parse(R"({"StateMachines":{"M":{"TestCases":{"T":{"Call":"R"}}}},
        "MockedResponses":{"R":{"0":{"Return":{"mocked":true}}}}})"),
                              "M", "T");
    const auto mocked = engine::run(engine::compile(std::string_view(lambda_task("echo"))), Value::parse("{}"), e);
    EXPECT_EQ(output(mocked), (json{{"mocked", true}}));
    EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace sfn::integrations
