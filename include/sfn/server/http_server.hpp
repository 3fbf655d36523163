#pragma once
/// \file
/// HttpServer: serves a server::Service over HTTP (AWS JSON 1.0) for the AWS CLI and SDKs (`sfn serve`).

#include "sfn/server/service.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace sfn::server {

/// The port `sfn console` listens on unless told otherwise; sessions on the embedded service link into it
/// when no console serves their service in-process.
inline constexpr std::uint16_t default_console_port = 8084;

struct HttpOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8083;  ///< 0 picks a free port (see HttpServer::port())
    /// When set, every request must carry a valid SigV4 signature made with this key pair
    /// (InvalidSignatureException / UnrecognizedClientException otherwise).
    std::optional<std::pair<std::string, std::string>> require_sigv4;
    /// Threads started at once; each open connection holds one.
    unsigned threads = 16;
    /// More threads start while every one is busy (silent or slow clients never starve the others),
    /// up to this many; connections beyond wait for a free thread.
    unsigned max_threads = 1024;
    /// Larger request bodies get 413 RequestEntityTooLargeException (AWS caps a definition at 1 MiB).
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    /// Requests with more header fields get 431 RequestHeaderFieldsTooLargeException.
    std::size_t max_headers = 100;
    /// The total size of a request line and its headers. A connection that sends more than
    /// `max_body_bytes + max_header_bytes` for one request is shut down without an answer (the client sees the
    /// connection end); a request under that total is never touched. Enforced on Linux 4.1+ only, within about
    /// 50 ms, so a fast client may overshoot by what it sends in that time.
    std::size_t max_header_bytes = 1024 * 1024;
    /// Serve the web console on the same port: the page at `GET /` (browsers), its data under `/console/`;
    /// the API (POST / with X-Amz-Target) is unchanged. With `require_sigv4` the console needs a login:
    /// console_url() carries a token that sets a cookie.
    bool console = true;
};

/// Owns a listening socket and its worker threads.
class HttpServer {
public:
    /// Binds at once. \throws sfn::Error (sfn.server.E002) when the address cannot be bound.
    HttpServer(std::shared_ptr<Service> service, HttpOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// The bound port (useful with port 0).
    [[nodiscard]] std::uint16_t port() const noexcept;
    /// The address of the console (`http://127.0.0.1:8083/`, with `?token=...` when it needs a login),
    /// or empty when it is off.
    [[nodiscard]] std::string console_url() const;
    /// Serves until stop() is called (blocking).
    void run();
    /// Stops run() from another thread or a signal-safe path.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfn::server
