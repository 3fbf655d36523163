// Generic ServiceClient overhead: client CPU per DynamoDB GetItem against an in-process loopback HTTP server
// (cpp-httplib, answering a canned GetItem result) — Google Benchmark's CPU column is the calling thread's, so
// the server's work is not counted — plus the same call and an SNS Publish (query/XML) and S3 GetObject
// (rest-xml) over an in-memory transport that answers instantly (model-driven serialise, sign, parse only).
#include "sfn/aws/service_client.hpp"

#include "support/loopback_dynamodb.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <thread>

using namespace sfn::aws;

namespace {

using sfn::bench::kGetItemAnswer;

const nlohmann::json& get_item_input() {
    static const nlohmann::json input =
        nlohmann::json::parse(R"({"TableName":"Orders","Key":{"id":{"S":"order-1"}},"ConsistentRead":true})");
    return input;
}

std::shared_ptr<CredentialsProvider> bench_keys() {
    return static_credentials({.access_key_id = "AKIDBENCH",
                               .secret_access_key = "bench",
                               .session_token = {},
                               .expiration = std::nullopt,
                               .source = "bench"});
}

using sfn::bench::LoopbackDynamoDb;

class InstantTransport final : public Transport {
public:
    explicit InstantTransport(HttpResponse answer) : answer_(std::move(answer)) {}
    HttpResponse send(const HttpRequest&) override { return answer_; }

private:
    HttpResponse answer_;
};

ServiceClient client_for(std::string_view service, std::shared_ptr<Transport> transport, std::string endpoint) {
    ServiceClientOptions options;
    options.region = "us-east-1";
    options.endpoint_url = std::move(endpoint);
    return ServiceClient(ServiceModel::load(service), std::move(transport), bench_keys(), std::move(options));
}

void BM_DynamoDbGetItem_Loopback(benchmark::State& state) {
    static LoopbackDynamoDb server;
    auto client = client_for("dynamodb", make_curl_transport(), server.endpoint());
    for (auto _ : state) {
        auto out = client.call("GetItem", get_item_input());
        benchmark::DoNotOptimize(out);
    }
    state.counters["calls_per_s_wall"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DynamoDbGetItem_Loopback)->UseRealTime()->MinTime(2.0)->Unit(benchmark::kMicrosecond);

void BM_DynamoDbGetItem_ClientOnly(benchmark::State& state) {
    auto client = client_for(
        "dynamodb", std::make_shared<InstantTransport>(HttpResponse{200, {{"x-amzn-RequestId", "r"}}, kGetItemAnswer}),
        "http://127.0.0.1:1");
    for (auto _ : state) {
        auto out = client.call("GetItem", get_item_input());
        benchmark::DoNotOptimize(out);
    }
}
BENCHMARK(BM_DynamoDbGetItem_ClientOnly)->Unit(benchmark::kMicrosecond);

void BM_SnsPublish_ClientOnly(benchmark::State& state) {
    auto client = client_for("sns",
                             std::make_shared<InstantTransport>(HttpResponse{
                                 200,
                                 {},
                                 "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult>"
                                 "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>"}),
                             "http://127.0.0.1:1");
    const nlohmann::json input = {{"TopicArn", "arn:aws:sns:us-east-1:123456789012:orders"}, {"Message", "order 7"}};
    for (auto _ : state) {
        auto out = client.call("Publish", input);
        benchmark::DoNotOptimize(out);
    }
}
BENCHMARK(BM_SnsPublish_ClientOnly)->Unit(benchmark::kMicrosecond);

void BM_S3GetObject_ClientOnly(benchmark::State& state) {
    auto client =
        client_for("s3",
                   std::make_shared<InstantTransport>(HttpResponse{200,
                                                                   {{"Content-Type", "text/plain"},
                                                                    {"Content-Length", "11"},
                                                                    {"ETag", "\"e\""},
                                                                    {"Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT"},
                                                                    {"x-amz-request-id", "r"}},
                                                                   "hello world"}),
                   "http://127.0.0.1:1");
    const nlohmann::json input = {{"Bucket", "bench"}, {"Key", "dir/object.txt"}};
    for (auto _ : state) {
        auto out = client.call("GetObject", input);
        benchmark::DoNotOptimize(out);
    }
}
BENCHMARK(BM_S3GetObject_ClientOnly)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
