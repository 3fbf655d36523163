#include "aws/fault_server_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

namespace sfn::testing {
namespace {

// How often blocked calls look at the stop flag.
constexpr int kPollMs = 50;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The value of header `name` in a request head (case-insensitive), or "".
std::string head_value(const std::string& head, const std::string& name) {
    const std::string wanted = "\r\n" + lower(name) + ":";
    const std::string low = lower(head);
    const auto at = low.find(wanted);
    if (at == std::string::npos) return {};
    auto begin = at + wanted.size();
    const auto end = head.find("\r\n", begin);
    while (begin < end && head[begin] == ' ') ++begin;
    return head.substr(begin, end - begin);
}

const char* reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

ScriptedReply reply(int status, std::string body, aws::Headers headers) {
    return ScriptedReply{Fault::none, status, std::move(headers), std::move(body)};
}

ScriptedReply fault(Fault what) { return ScriptedReply{what, 200, {}, {}}; }

FaultServer::FaultServer(std::vector<ScriptedReply> script) : script_(std::move(script)) {
    if (script_.empty()) throw std::invalid_argument("FaultServer: empty script");
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (listener_ >= 0) ::close(listener_);
        throw std::runtime_error("FaultServer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultServer::~FaultServer() {
    stopping_ = true;
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(listener_);
}

std::string FaultServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> FaultServer::targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
}

void FaultServer::accept_loop() {
    while (!stopping_) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) continue;
        // Only the acceptor touches connections_ until the destructor joins it.
        connections_.emplace_back([this, fd] {
            serve_connection(fd);
            ::close(fd);
        });
    }
}

const ScriptedReply& FaultServer::next_reply(const std::string& target) {
    std::lock_guard lock(mutex_);
    targets_.push_back(target);
    const auto n = static_cast<std::size_t>(requests_++);
    return script_[std::min(n, script_.size() - 1)];
}

void FaultServer::serve_connection(int fd) {
    std::string buffer;
    // Reads until `ready()` holds; false when the peer closed or the server stops first.
    const auto read_until = [&](auto ready) {
        char chunk[4096];
        while (!ready()) {
            pollfd p{fd, POLLIN, 0};
            if (stopping_) return false;
            if (::poll(&p, 1, kPollMs) <= 0) continue;
            const auto n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        return true;
    };
    while (true) {
        if (!read_until([&] { return buffer.find("\r\n\r\n") != std::string::npos; })) return;
        const auto head_end = buffer.find("\r\n\r\n") + 4;
        const std::string head = buffer.substr(0, head_end);
        const std::string length = head_value(head, "Content-Length");
        const std::size_t body_size = length.empty() ? 0 : std::stoul(length);
        if (!read_until([&] { return buffer.size() >= head_end + body_size; })) return;
        buffer.erase(0, head_end + body_size);

        const ScriptedReply& r = next_reply(head_value(head, "X-Amz-Target"));
        switch (r.fault) {
            case Fault::drop:
                return;
            case Fault::hang:
                // Wait for the client to give up (it closes the socket) or for the server to stop.
                buffer.clear();
                read_until([] { return false; });
                return;
            case Fault::none:
            case Fault::truncate: {
                const std::string body = r.fault == Fault::truncate ? R"({"stateMachines":[)" : r.body;
                const std::size_t announced = r.fault == Fault::truncate ? body.size() + 100 : body.size();
                std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
                out += "Content-Type: application/x-amz-json-1.0\r\n";
                out += "Content-Length: " + std::to_string(announced) + "\r\n";
                for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
                out += "\r\n" + body;
                if (!send_all(fd, out) || r.fault == Fault::truncate) return;
                break;
            }
        }
    }
}

}  // namespace sfn::testing
