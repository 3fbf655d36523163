#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (a free port) that misbehaves on cue, for the AWS client's fault tests.
// Request n (0-based, counted once its head and body have arrived) is answered by script[min(n, size-1)]:
// a normal response, a dropped connection, a truncated body, or no answer at all. Keep-alive is honoured for
// normal responses, so the client's pooled connections are exercised too.

#include "sfn/aws/transport.hpp"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sfn::testing {

/// What the server does with one request.
enum class Fault {
    none,      ///< answer with status, headers and body
    drop,      ///< close the connection without answering
    truncate,  ///< announce Content-Length larger than the body, send part of it, close
    hang,      ///< read the request and never answer (until the client gives up or the server stops)
};

struct ScriptedReply {
    Fault fault = Fault::none;
    int status = 200;
    aws::Headers headers;
    std::string body;
};

/// Shorthands for scripts.
ScriptedReply reply(int status, std::string body, aws::Headers headers = {});
ScriptedReply fault(Fault what);

class FaultServer {
public:
    /// Starts listening at once. Throws std::runtime_error when no loopback socket can be had.
    explicit FaultServer(std::vector<ScriptedReply> script);
    ~FaultServer();
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    /// "http://127.0.0.1:<port>"
    [[nodiscard]] std::string url() const;
    /// Complete requests received so far.
    [[nodiscard]] int requests() const noexcept { return requests_.load(); }
    /// The X-Amz-Target header of every request received, in order.
    [[nodiscard]] std::vector<std::string> targets() const;

private:
    void accept_loop();
    void serve_connection(int fd);
    const ScriptedReply& next_reply(const std::string& target);

    std::vector<ScriptedReply> script_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> targets_;
    std::vector<std::thread> connections_;
    std::thread acceptor_;
};

}  // namespace sfn::testing
