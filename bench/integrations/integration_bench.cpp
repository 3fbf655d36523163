// What `--integrations aws` adds to a service call: client CPU per DynamoDB GetItem against an in-process
// loopback server (cpp-httplib answering a canned GetItem result; Google Benchmark's CPU column is the calling
// thread's, so the server's work is not counted) — through the generic ServiceClient directly, through the AWS
// task handler (optimised `dynamodb:getItem` with its HTTP metadata, and `aws-sdk:dynamodb:getItem`), and as a
// whole execution of a one-Task state machine on the engine.
#include "sfn/aws/service_client.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/engine/machine.hpp"
#include "sfn/integrations/aws.hpp"

#include "support/loopback_dynamodb.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace {

using namespace sfn;

using sfn::bench::kGetItemAnswer;
constexpr const char* kParameters = R"({"TableName":"Orders","Key":{"id":{"S":"order-1"}},"ConsistentRead":true})";

using sfn::bench::LoopbackDynamoDb;

LoopbackDynamoDb& server() {
    static LoopbackDynamoDb instance;
    return instance;
}

integrations::IntegrationOptions options() {
    integrations::IntegrationOptions o;
    o.region = "us-east-1";
    o.environment = aws::Environment::from_map({{"AWS_ENDPOINT_URL", server().endpoint()},
                                                {"AWS_ACCESS_KEY_ID", "AKIDBENCH"},
                                                {"AWS_SECRET_ACCESS_KEY", "bench"},
                                                {"AWS_CONFIG_FILE", "/nonexistent"},
                                                {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"}});
    return o;
}

void BM_GetItem_ServiceClient(benchmark::State& state) {
    aws::ServiceClientOptions o;
    o.region = "us-east-1";
    o.endpoint_url = server().endpoint();
    aws::ServiceClient client(aws::ServiceModel::load("dynamodb"), aws::make_curl_transport(),
                              aws::static_credentials({.access_key_id = "AKIDBENCH",
                                                       .secret_access_key = "bench",
                                                       .session_token = {},
                                                       .expiration = std::nullopt,
                                                       .source = "bench"}),
                              o);
    const auto input = nlohmann::json::parse(kParameters);
    for (auto _ : state) benchmark::DoNotOptimize(client.call_with_metadata("GetItem", input));
}
BENCHMARK(BM_GetItem_ServiceClient)->Unit(benchmark::kMicrosecond);

void task_handler(benchmark::State& state, const char* resource) {
    const auto handler = integrations::make_aws_handler(options());
    engine::TaskRequest request;
    request.resource = resource;
    request.state_name = "Get";
    request.parameters = Value::parse(kParameters);
    for (auto _ : state) {
        auto outcome = handler(request);
        if (outcome.kind != engine::TaskOutcome::Kind::RawResult) state.SkipWithError(outcome.cause.c_str());
        benchmark::DoNotOptimize(outcome);
    }
}

void BM_GetItem_TaskHandler_Optimised(benchmark::State& state) {
    task_handler(state, "arn:aws:states:::dynamodb:getItem");
}
BENCHMARK(BM_GetItem_TaskHandler_Optimised)->Unit(benchmark::kMicrosecond);

void BM_GetItem_TaskHandler_Sdk(benchmark::State& state) {
    task_handler(state, "arn:aws:states:::aws-sdk:dynamodb:getItem");
}
BENCHMARK(BM_GetItem_TaskHandler_Sdk)->Unit(benchmark::kMicrosecond);

void BM_GetItem_Execution(benchmark::State& state) {
    const auto machine = engine::compile(std::string_view(
        R"({"StartAt":"Get","States":{"Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
            "Parameters":)" +
        std::string(kParameters) + R"(,"End":true}}})"));
    auto registry = std::make_shared<engine::HandlerRegistry>();
    integrations::enable_aws_integrations(*registry, options());
    engine::ExecutionOptions o;
    o.handlers = registry;
    const Value input = Value::parse("{}");
    for (auto _ : state) {
        auto result = engine::run(machine, input, o);
        if (result.status != engine::ExecutionStatus::Succeeded) state.SkipWithError("execution failed");
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(BM_GetItem_Execution)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
