#include "sfn/server/http_server.hpp"

#include "sfn/aws/sigv4.hpp"
#include "sfn/core/error.hpp"
#include "server/detail_connection_guard.hpp"
#include "server/detail_console.hpp"
#include "server/detail_http_error.hpp"
#include "server/detail_names.hpp"
#include "server/detail_pool.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace sfn::server {

namespace {

constexpr const char* json_type = "application/x-amz-json-1.0";

}  // namespace

void detail::send_error(httplib::Response& res, int status, const std::string& type, const std::string& message) {
    res.status = status;
    res.set_header("X-Amzn-ErrorType", type);
    // Messages may quote request bytes (a path, a header) that are not UTF-8: render them with U+FFFD rather
    // than let the dump throw on an HTTP worker thread.
    res.set_content(nlohmann::json{{"__type", type}, {"message", message}}.dump(
                        -1, ' ', false, nlohmann::json::error_handler_t::replace),
                    json_type);
}

namespace {

using detail::send_error;

// SigV4 check (PROTOCOL.md §3): rebuilds the canonical request from the headers the Authorization
// header declares and compares signatures. Returns false after writing the AWS error to `res`.
bool verify_signature(const httplib::Request& req, httplib::Response& res, const std::string& key,
                      const std::string& secret) {
    const auto authorization = req.get_header_value("Authorization");
    if (authorization.empty()) {
        send_error(res, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        return false;
    }
    aws::sigv4::Authorization auth;
    try {
        auth = aws::sigv4::parse_authorization(authorization);
    } catch (const sfn::Error& e) {
        send_error(res, 400, "IncompleteSignatureException", std::string("Authorization header is malformed: ") + e.what());
        return false;
    }
    if (auth.access_key_id != key) {
        send_error(res, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        return false;
    }
    aws::Headers headers;
    for (const auto& [name, value] : req.headers) headers.emplace_back(name, value);
    const auto amz_date = req.get_header_value("X-Amz-Date");
    if (amz_date.size() < 16 || amz_date.substr(0, 8) != auth.date) {
        send_error(res, 400, "InvalidSignatureException", "The X-Amz-Date header is missing or does not match the "
                                                          "credential scope date");
        return false;
    }
    const auto path_end = req.target.find('?');
    const std::string path = req.target.substr(0, path_end);
    const std::string query = path_end == std::string::npos ? "" : req.target.substr(path_end + 1);
    const auto expected = aws::sigv4::expected_signature(req.method, path, query, headers, req.body, auth, secret);
    if (expected != auth.signature) {
        send_error(res, 400, "InvalidSignatureException",
                   "The request signature we calculated does not match the signature you provided. Check your AWS "
                   "Secret Access Key and signing method.");
        return false;
    }
    // Reject requests signed more than 5 minutes away from now, like AWS ("Signature expired").
    std::tm tm{};
    tm.tm_year = std::stoi(amz_date.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(amz_date.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(amz_date.substr(6, 2));
    tm.tm_hour = std::stoi(amz_date.substr(9, 2));
    tm.tm_min = std::stoi(amz_date.substr(11, 2));
    tm.tm_sec = std::stoi(amz_date.substr(13, 2));
    const auto signed_at = std::chrono::system_clock::from_time_t(timegm(&tm));
    const auto skew = std::chrono::abs(std::chrono::system_clock::now() - signed_at);
    if (skew > std::chrono::minutes(5)) {
        send_error(res, 400, "InvalidSignatureException", "Signature expired: " + amz_date +
                                                              " is more than 5 minutes away from the server time");
        return false;
    }
    return true;
}

// httplib gives each accepted connection to the task queue, and the task keeps its thread while the
// client is connected (keep-alive, a slow or silent client, GetActivityTask's long poll). With a fixed
// pool, `threads` silent clients would starve everyone else; the elastic pool starts another thread
// whenever a connection arrives while every thread is busy, up to `max_threads`.
class ElasticQueue final : public httplib::TaskQueue {
public:
    ElasticQueue(unsigned threads, unsigned max_threads) : pool_(std::in_place, threads, std::max(threads, max_threads)) {}
    void enqueue(std::function<void()> fn) override { pool_->submit(std::move(fn)); }
    void shutdown() override { pool_.reset(); }  // runs what is queued, then joins every thread

private:
    std::optional<detail::WorkerPool> pool_;
};

// Error statuses httplib produces itself (no handler ran) get an AWS-shaped body like every other error.
void describe_transport_error(const httplib::Request& req, httplib::Response& res, const HttpOptions& options) {
    if (!res.body.empty()) return;
    switch (res.status) {
        case 413:
            send_error(res, 413, "RequestEntityTooLargeException",
                       "The request body is " + req.get_header_value("Content-Length") +
                           " bytes; the local service accepts at most " + std::to_string(options.max_body_bytes));
            break;
        case 400: send_error(res, 400, "SerializationException", "The HTTP request is malformed"); break;
        default: send_error(res, res.status, "InternalFailure", "HTTP status " + std::to_string(res.status)); break;
    }
}

}  // namespace

struct HttpServer::Impl {
    std::shared_ptr<Service> service;
    HttpOptions options;
    httplib::Server server;
    int port = 0;
    std::optional<std::string> console_token;
    /// Lives while run() serves: created before httplib starts its workers, destroyed after it joined them,
    /// so the handlers see it without a lock. Connections still draining after stop() stay bounded.
    std::optional<detail::ConnectionGuard> guard;
};

HttpServer::HttpServer(std::shared_ptr<Service> service, HttpOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->service = std::move(service);
    impl_->options = std::move(options);
    auto& svr = impl_->server;
    const unsigned threads = impl_->options.threads;
    const unsigned max_threads = impl_->options.max_threads;
    svr.new_task_queue = [threads, max_threads] { return new ElasticQueue(threads, max_threads); };
    // Headers and body leave in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms.
    svr.set_tcp_nodelay(true);
    svr.set_keep_alive_max_count(1'000'000);
    // An idle keep-alive connection holds its thread, and stop() waits for it (httplib checks for a stop only
    // between requests): 5 s bounds both. Clients reconnect transparently when an idle connection was closed.
    svr.set_keep_alive_timeout(5);
    // GetActivityTask holds a request up to 60 s.
    svr.set_read_timeout(75, 0);
    svr.set_write_timeout(75, 0);
    svr.set_payload_max_length(impl_->options.max_body_bytes);
    Impl* impl = impl_.get();
    // httplib bounds each header line (8 KiB) but not their number; their total size is bounded by the
    // connection guard (see run()), which counts the bytes a connection sent since its last request.
    svr.set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
        if (impl->guard) impl->guard->request_done(req.remote_addr, req.remote_port);
        if (req.headers.size() <= impl->options.max_headers) return httplib::Server::HandlerResponse::Unhandled;
        send_error(res, 431, "RequestHeaderFieldsTooLargeException",
                   "The request has " + std::to_string(req.headers.size()) + " header fields; the local service "
                   "accepts at most " + std::to_string(impl->options.max_headers));
        return httplib::Server::HandlerResponse::Handled;
    });
    svr.set_error_handler([impl](const httplib::Request& req, httplib::Response& res) {
        describe_transport_error(req, res, impl->options);
    });
    svr.Post("/", [impl](const httplib::Request& req, httplib::Response& res) {
        res.set_header("x-amzn-RequestId", detail::uuid4());
        if (impl->options.require_sigv4 &&
            !verify_signature(req, res, impl->options.require_sigv4->first, impl->options.require_sigv4->second)) {
            return;
        }
        // Any Host is fine: clients prefix `sync-` for StartSyncExecution and TestState (PROTOCOL.md §1.1).
        const auto answer = impl->service->handle(req.get_header_value("X-Amz-Target"), req.body);
        res.status = answer.status;
        if (!answer.error_type.empty()) res.set_header("X-Amzn-ErrorType", answer.error_type);
        res.set_content(answer.body, json_type);
    });
    if (impl_->options.console) {
        if (impl_->options.require_sigv4) impl_->console_token = detail::console_token();
        detail::add_console_routes(svr, impl_->service, {impl_->options.host, impl_->console_token});
    }
    const auto not_found = [](const httplib::Request& req, httplib::Response& res) {
        send_error(res, 404, "UnknownOperationException",
                   "The Step Functions API takes POST / only, not " + req.method + " " + req.path);
    };
    svr.Get(".*", not_found);
    svr.Put(".*", not_found);
    svr.Delete(".*", not_found);
    svr.Post(".+", not_found);
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string message = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            message = e.what();
        }
        send_error(res, 500, "InternalFailure", message);
    });
    // SO_REUSEADDR only: a restart may take the port over from connections still closing, but a second server
    // cannot share a port another one listens on (the library's default, SO_REUSEPORT, lets it, and the two
    // would split the requests between their stores).
    svr.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    if (impl_->options.port == 0) {
        impl_->port = svr.bind_to_any_port(impl_->options.host);
    } else {
        impl_->port = svr.bind_to_port(impl_->options.host, impl_->options.port) ? impl_->options.port : -1;
    }
    if (impl_->port <= 0) {
        throw sfn::Error("sfn.server.E002", "cannot listen on " + impl_->options.host + ":" +
                                                std::to_string(impl_->options.port) + " (address in use or not local)");
    }
    if (impl_->options.console) {
        const auto url = console_url();
        impl_->service->set_console_url(url.substr(0, url.find('?')));
    }
}

HttpServer::~HttpServer() {
    stop();
    if (impl_->options.console) impl_->service->set_console_url({});
}

std::uint16_t HttpServer::port() const noexcept { return static_cast<std::uint16_t>(impl_->port); }

std::string HttpServer::console_url() const {
    if (!impl_->options.console) return {};
    auto host = impl_->options.host;
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    std::string url = "http://" + host + ":" + std::to_string(impl_->port) + "/";
    if (impl_->console_token) url += "?token=" + *impl_->console_token;
    return url;
}

void HttpServer::run() {
    // httplib reads every header line into memory before a handler runs, with no bound on their number, and
    // its read timeout never fires on a fast stream: the guard cuts a connection whose request grows past
    // the body limit plus the header limit (detail_connection_guard.cpp).
    const std::uint64_t body = impl_->options.max_body_bytes;
    const std::uint64_t headers = impl_->options.max_header_bytes;
    const auto limit = body > UINT64_MAX - headers ? UINT64_MAX : body + headers;
    impl_->guard.emplace(static_cast<std::uint16_t>(impl_->port), limit);
    impl_->server.listen_after_bind();
    impl_->guard.reset();
}

void HttpServer::stop() { impl_->server.stop(); }

}  // namespace sfn::server
