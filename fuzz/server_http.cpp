// Raw bytes of an HTTP request through the real `sfn serve` front end: cpp-httplib's request parsing, our
// routing, SigV4-free dispatch, JSON decoding and the API on an in-memory service with a virtual clock.
// httplib keeps its stream parser private, so the bytes go over a loopback TCP connection to an HttpServer
// on a free port: the client writes the input, half-closes and reads the answer until the server closes.
// The service is replaced every few thousand inputs so that created resources do not pile up.
#include "fuzz_support.hpp"

#include "sfn/server/http_server.hpp"
#include "sfn/server/service.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <memory>
#include <thread>

namespace {

class LoopbackServer {
public:
    LoopbackServer()
        : service_(std::make_shared<sfn::server::Service>(sfn::server::ServiceOptions{
              .db_path = std::nullopt, .clock = sfn::server::ClockMode::virtual_time, .workers = 1})),
          http_(service_, sfn::server::HttpOptions{.host = "127.0.0.1", .port = 0, .threads = 2}),
          thread_([this] { http_.run(); }) {}
    ~LoopbackServer() {
        http_.stop();
        thread_.join();
        service_->drain();
    }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    /// Sends `bytes` on a new connection and reads until the server closes it. A call that a signal interrupts
    /// (EINTR: libFuzzer's timeout alarm fires while the harness waits) is made again.
    void exchange(std::string_view bytes) const {
        const int fd = connect_to_server();
        while (!bytes.empty()) {
            const auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR) continue;
            if (sent <= 0) break;  // the server may close early on a malformed request
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        ::shutdown(fd, SHUT_WR);
        char buffer[16384];
        while (true) {
            const auto got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got == 0) break;
            if (got < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) sfn::fuzz::fail("no answer within 10 s", "");
                break;  // reset by the server
            }
        }
        ::close(fd);
    }

private:
    /// A socket connected to the server. Hundreds of connections a second leave the loopback's ephemeral ports
    /// in TIME_WAIT for a minute: when they run out (EADDRNOTAVAIL) this waits for some to free up instead of
    /// reporting the harness's limit. A connect that a signal interrupted goes on in the background, so it is
    /// abandoned with its socket and made again on a new one.
    int connect_to_server() const {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(http_.port());
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int attempts = 0;; ++attempts) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            if (fd < 0) sfn::fuzz::fail("socket() failed", std::strerror(errno));
            timeval timeout{10, 0};  // an answer that takes this long is a hang worth a report
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return fd;
            const int error = errno;
            ::close(fd);
            if ((error != EADDRNOTAVAIL && error != EINTR) || attempts >= 400)
                sfn::fuzz::fail("cannot connect to the loopback server", std::strerror(error));
            if (error == EADDRNOTAVAIL) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    std::shared_ptr<sfn::server::Service> service_;
    sfn::server::HttpServer http_;
    std::thread thread_;
};

constexpr int inputs_per_service = 5000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::unique_ptr<LoopbackServer> server;
    static int served = 0;
    if (!server || ++served % inputs_per_service == 0) {
        server.reset();
        server = std::make_unique<LoopbackServer>();
    }
    server->exchange(sfn::fuzz::as_text(data, size));
    return 0;
}
