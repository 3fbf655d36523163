#pragma once
/// \file
/// The one seam between the Step Functions client and the wire: a Transport sends an HttpRequest and returns
/// an HttpResponse. CurlTransport talks HTTP(S); the local service provides an embedded Transport
/// (`server::make_embedded_transport`) that dispatches in-process. The client speaks only through this interface.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfn::aws {

/// Header fields in the order they are sent. Names keep the case they were given; lookups ignore case.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// Returns the value of the first header named `name` (case-insensitive), or nullptr.
[[nodiscard]] const std::string* find_header(const Headers& headers, std::string_view name) noexcept;

/// One HTTP request. `url` is absolute (`https://states.us-east-1.amazonaws.com/`); the `Host` header, when
/// present, is what was signed and must be sent as is.
struct HttpRequest {
    std::string method = "POST";
    std::string url;
    Headers headers;
    std::string body;
    /// The transport gives up (TransportError, timed out) when this passes; max() = only its own timeouts.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    /// Polled while the request is in flight; true aborts it (TransportError). Empty = never.
    std::function<bool()> cancelled;

    [[nodiscard]] const std::string* header(std::string_view name) const noexcept { return find_header(headers, name); }
};

/// One HTTP response (status 100-599).
struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;

    [[nodiscard]] const std::string* header(std::string_view name) const noexcept { return find_header(headers, name); }
};

/// Sends requests. Implementations must be safe to call from several threads at once.
/// Throws aws::TransportError when no HTTP response was received (connection refused, timeout, TLS failure).
class Transport {
public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

/// Settings of the libcurl transport.
struct CurlOptions {
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
    /// Longest time without receiving a byte (GetActivityTask long-polls for 60 s, hence 70 s).
    std::chrono::milliseconds read_timeout{std::chrono::seconds(70)};
    /// Proxy URL; empty = libcurl's environment handling (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).
    std::string proxy;
    /// CA bundle file; empty = AWS_CA_BUNDLE or the system default.
    std::string ca_bundle;
    bool verify_tls = true;
};

/// An HTTP(S) transport over libcurl. Keeps a small pool of easy handles so connections are reused
/// (keep-alive) across calls of the same client; thread-safe.
[[nodiscard]] std::shared_ptr<Transport> make_curl_transport(const CurlOptions& options = {});

/// The parts of an absolute URL that the signer and the transport need.
struct Url {
    std::string scheme;  ///< "https" or "http"
    std::string host;    ///< without port
    std::optional<int> port;
    std::string path;   ///< "/" when empty; kept as sent (not decoded)
    std::string query;  ///< without '?', not decoded

    /// `host` plus `:port` when the port is not the scheme's default: the value of the Host header.
    [[nodiscard]] std::string authority() const;
    /// scheme://authority + path (+ ?query).
    [[nodiscard]] std::string str() const;
};

/// Parses `scheme://host[:port][/path][?query]`. Throws aws::ConfigError naming the URL when malformed.
[[nodiscard]] Url parse_url(std::string_view url);

}  // namespace sfn::aws
