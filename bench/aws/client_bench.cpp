// Client overhead: DescribeStateMachine requests/s from one thread against moto_server (started here on a free
// loopback port, or SFN_BENCH_ENDPOINT), and the same call over an in-memory transport that answers instantly
// (pure client cost: serialize, sign, parse), plus SigV4 signing alone.
#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

using namespace sfn::aws;

namespace {

const char* kDefinition = R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})";

class Moto {
public:
    Moto() {
        if (const char* e = std::getenv("SFN_BENCH_ENDPOINT")) {
            endpoint = e;
            return;
        }
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        ::close(fd);
        int port = ntohs(addr.sin_port);
        std::string script = std::string(SFN_SHARED_DIR) + "/aws/moto_server_fixed.py";
        std::string port_s = std::to_string(port);
        pid_ = ::fork();
        if (pid_ == 0) {
            int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::dup2(null, 2);
            ::execlp("python3", "python3", script.c_str(), port_s.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        endpoint = "http://127.0.0.1:" + port_s;
        for (int i = 0; i < 600; ++i) {
            int s = ::socket(AF_INET, SOCK_STREAM, 0);
            addr.sin_port = htons(static_cast<std::uint16_t>(port));
            bool up = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
            ::close(s);
            if (up) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ~Moto() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    std::string endpoint;

private:
    pid_t pid_ = -1;
};

std::unique_ptr<SfnClient> client_for(std::shared_ptr<Transport> transport, const std::string& endpoint) {
    ClientConfig config;
    config.region = "us-east-1";
    config.endpoint_url = endpoint;
    return std::make_unique<SfnClient>(std::move(transport),
                                       static_credentials({"bench", "bench", "", std::nullopt, "bench"}), config);
}

void BM_DescribeStateMachine_Moto(benchmark::State& state) {
    static Moto moto;
    auto client = client_for(make_curl_transport(), moto.endpoint);
    std::string arn;
    try {
        sfn_api::CreateStateMachineInput in;
        in.name = "bench-describe";
        in.definition = kDefinition;
        in.role_arn = "arn:aws:iam::123456789012:role/bench";
        arn = client->create_state_machine(in).state_machine_arn;
    } catch (const sfn::aws::ServiceError&) {
        arn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench-describe";  // left by an earlier run
    }
    for (auto _ : state) {
        auto out = client->describe_state_machine({arn, std::nullopt});
        benchmark::DoNotOptimize(out);
    }
    state.counters["requests/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DescribeStateMachine_Moto)->UseRealTime()->MinTime(5.0);

class InstantTransport final : public Transport {
public:
    HttpResponse send(const HttpRequest&) override {
        return {200, {{"x-amzn-RequestId", "r"}},
                R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:bench","name":"bench",)"
                R"("status":"ACTIVE","definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",)"
                R"("roleArn":"arn:aws:iam::123456789012:role/bench","type":"STANDARD","creationDate":1700000000.123})"};
    }
};

void BM_DescribeStateMachine_ClientOnly(benchmark::State& state) {
    auto client = client_for(std::make_shared<InstantTransport>(), "http://127.0.0.1:1");
    for (auto _ : state) {
        auto out = client->describe_state_machine({"arn:aws:states:us-east-1:123456789012:stateMachine:bench", std::nullopt});
        benchmark::DoNotOptimize(out);
    }
    state.counters["requests/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DescribeStateMachine_ClientOnly);

void BM_SigV4_Sign(benchmark::State& state) {
    Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, ""};
    for (auto _ : state) {
        HttpRequest request{"POST", "https://states.us-east-1.amazonaws.com/",
                            {{"Content-Type", "application/x-amz-json-1.0"},
                             {"X-Amz-Target", "AWSStepFunctions.DescribeStateMachine"}},
                            R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:bench"})"};
        auto s = sigv4::sign(request, credentials, {"us-east-1", "states"});
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(BM_SigV4_Sign);

}  // namespace

BENCHMARK_MAIN();
