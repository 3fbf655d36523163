#pragma once
// The fixture of the ServiceClient tests against moto_server: moto plus a SigV4-verifying proxy in front of it
// (tests/aws/sigv4_verifying_proxy.py recomputes every request's signature with botocore); clients talk to the
// proxy, boto3 checks side effects directly against moto.

#include "aws/moto_support.hpp"
#include "sfn/aws/service_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace sfn::testing {

inline constexpr const char* kTestSecret = "service-client-test-secret";

class ServiceAgainstMoto : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        moto_ = std::make_unique<MotoServer>();
        const int port = free_loopback_port();
        proxy_ = std::make_unique<LoopbackProcess>(
            std::vector<std::string>{"python3", std::string(SFN_SOURCE_DIR) + "/tests/aws/sigv4_verifying_proxy.py",
                                     std::to_string(port), std::to_string(moto_->port()), kTestSecret},
            port, "the SigV4 verifying proxy");
    }
    static void TearDownTestSuite() {
        proxy_.reset();
        moto_.reset();
    }

    void SetUp() override { log_mark_ = proxy_log().size(); }
    void TearDown() override {
        // THEN (every test) each request reached the proxy with a signature botocore recomputes identically
        auto log = proxy_log();
        ASSERT_GT(log.size(), log_mark_) << "no request went through the verifying proxy";
        std::size_t rejected = 0;
        for (std::size_t i = log_mark_; i < log.size(); ++i) {
            if (log[i]["ok"].get<bool>()) continue;
            ++rejected;
            if (rejected > expected_rejections_) ADD_FAILURE() << "signature rejected: " << log[i].dump(2);
        }
        EXPECT_EQ(rejected, expected_rejections_);
    }

    /// A client of `service` talking to moto through the verifying proxy.
    static aws::ServiceClient client(std::string_view service,
                                     std::shared_ptr<const aws::ServiceModel> model = nullptr,
                                     const std::string& secret = kTestSecret) {
        return aws::ServiceClient(model ? model : aws::ServiceModel::load(service), aws::make_curl_transport(),
                                  aws::static_credentials({.access_key_id = "AKIDSERVICETEST",
                                                           .secret_access_key = secret,
                                                           .source = "test"}),
                                  {.region = "us-east-1", .endpoint_url = proxy_->endpoint(), .retry = {.max_attempts = 1}});
    }

    /// The requests the proxy saw since this test started: [{"method","path","service","region","ok","reason"}].
    std::vector<nlohmann::json> requests_seen() const {
        auto log = proxy_log();
        return {log.begin() + static_cast<std::ptrdiff_t>(log_mark_), log.end()};
    }

    /// Runs Python with boto3 directly against moto (not through the client under test) and returns the JSON
    /// the code leaves in `result`. `client(name)` and `ENDPOINT` are defined for it.
    static nlohmann::json boto3(const std::string& code) {
        char path[] = "/tmp/sfn-boto3-XXXXXX";
        int fd = ::mkstemp(path);
        ::close(fd);
        {
            std::ofstream script(path);
            script << "import base64, json, boto3\n"
                   << "ENDPOINT = '" << moto_->endpoint() << "'\n"
                   << "def client(name):\n"
                   << "    return boto3.client(name, endpoint_url=ENDPOINT, region_name='us-east-1',\n"
                   << "                        aws_access_key_id='AKIDBOTO3', aws_secret_access_key='x')\n"
                   << "result = None\n"
                   << code << "\n"
                   << "print(json.dumps(result, default=str))\n";
        }
        std::string out;
        FILE* pipe = ::popen(("python3 " + std::string(path)).c_str(), "r");
        char buffer[4096];
        while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
        int status = pipe ? ::pclose(pipe) : -1;
        std::remove(path);
        if (status != 0) throw std::runtime_error("boto3 check failed (exit " + std::to_string(status) + "): " + code);
        return nlohmann::json::parse(out);
    }

private:
    static std::vector<nlohmann::json> proxy_log() {
        auto transport = aws::make_curl_transport();
        aws::HttpRequest request{.method = "GET", .url = proxy_->endpoint() + "/__sigv4/log", .headers = {}, .body = {}};
        auto response = transport->send(request);
        return nlohmann::json::parse(response.body).get<std::vector<nlohmann::json>>();
    }

    static inline std::unique_ptr<MotoServer> moto_;
    static inline std::unique_ptr<LoopbackProcess> proxy_;
    std::size_t log_mark_ = 0;

protected:
    /// Requests of this test that the proxy must reject (a test of the proxy itself).
    std::size_t expected_rejections_ = 0;
};

}  // namespace sfn::testing
