#pragma once
// An in-process loopback DynamoDB for the client benches: cpp-httplib on 127.0.0.1 answering every POST with one
// canned GetItem result over a single kept-alive connection, as a real endpoint would serve a run.

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace sfn::bench {

inline constexpr const char* kGetItemAnswer =
    R"({"Item":{"id":{"S":"order-1"},"qty":{"N":"3"},"status":{"S":"PAID"},"tags":{"SS":["a","b"]}}})";

class LoopbackDynamoDb {
public:
    LoopbackDynamoDb() {
        server_.Post("/", [](const httplib::Request&, httplib::Response& res) {
            res.set_header("x-amzn-RequestId", "bench-request");
            res.set_content(kGetItemAnswer, "application/x-amz-json-1.0");
        });
        server_.set_keep_alive_max_count(1 << 30);  // one connection for the whole run, as with a real endpoint
        server_.set_tcp_nodelay(true);
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~LoopbackDynamoDb() {
        server_.stop();
        thread_.join();
    }
    LoopbackDynamoDb(const LoopbackDynamoDb&) = delete;
    LoopbackDynamoDb& operator=(const LoopbackDynamoDb&) = delete;

    [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace sfn::bench
