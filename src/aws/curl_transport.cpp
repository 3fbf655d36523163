// HTTP(S) over libcurl. Easy handles are pooled so that the connection cache inside each handle is reused
// across calls (keep-alive, one TLS handshake per connection rather than per request).
#include "sfn/aws/errors.hpp"
#include "sfn/aws/transport.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace sfn::aws {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct HandleDeleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
using Handle = std::unique_ptr<CURL, HandleDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* response = static_cast<HttpResponse*>(user);
    std::string_view line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        // A new status line (after 100-continue or a proxy CONNECT): forget earlier headers.
        response->headers.clear();
        return size * count;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        response->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    return size * count;
}

// CURLOPT_XFERINFOFUNCTION: a non-zero answer aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int on_progress(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancelled = static_cast<const std::function<bool()>*>(data);
    return (*cancelled)() ? 1 : 0;
}

class CurlTransport final : public Transport {
public:
    explicit CurlTransport(CurlOptions options) : options_(std::move(options)) {
        global_init();
        if (options_.ca_bundle.empty()) {
            if (const char* bundle = std::getenv("AWS_CA_BUNDLE"); bundle && *bundle) options_.ca_bundle = bundle;
        }
    }

    HttpResponse send(const HttpRequest& request) override {
        Handle handle = acquire();
        CURL* h = handle.get();
        curl_easy_reset(h);
        HttpResponse response;
        std::unique_ptr<curl_slist, SlistDeleter> headers;
        for (const auto& [name, value] : request.headers) {
            std::string line = value.empty() ? name + ";" : name + ": " + value;
            headers.reset(curl_slist_append(headers.release(), line.c_str()));
        }
        // libcurl would otherwise add "Expect: 100-continue" for large bodies and its own Content-Type.
        if (!request.header("expect")) headers.reset(curl_slist_append(headers.release(), "Expect:"));
        if (!request.header("content-type")) headers.reset(curl_slist_append(headers.release(), "Content-Type:"));

        curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
        // The path is sent as signed: S3 keys may contain "." and ".." segments that libcurl would squash.
        curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        if (request.method != "GET" && request.method != "HEAD") {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
        if (request.method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
        // A read timeout: abort when fewer than 1 byte/s arrives for read_timeout.
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                         std::max(1L, static_cast<long>(options_.read_timeout.count() / 1000)));
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        if (request.deadline != std::chrono::steady_clock::time_point::max()) {
            // Rounded up: a deadline less than a millisecond away has not passed yet (the caller decides by the
            // same clock whether it has, e.g. to report a task's timeout rather than a failed call).
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(request.deadline -
                                                                           std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                throw TransportError(request.method + " " + request.url + ": deadline passed", {.timed_out = true});
            }
            curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
        }
        if (request.cancelled) {
            curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
            curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
            curl_easy_setopt(h, CURLOPT_XFERINFODATA, &request.cancelled);
        }
        if (!options_.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
        if (!options_.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_bundle.c_str());
        if (!options_.verify_tls) {
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
        char error[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);

        CURLcode rc = curl_easy_perform(h);
        if (rc != CURLE_OK) {
            std::string what = error[0] ? error : curl_easy_strerror(rc);
            // The handle's connection may be broken; do not return it to the pool.
            if (rc == CURLE_ABORTED_BY_CALLBACK) what = "cancelled";
            throw TransportError(request.method + " " + request.url + ": " + what,
                                 {.timed_out = rc == CURLE_OPERATION_TIMEDOUT});
        }
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        response.status = static_cast<int>(status);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
        release(std::move(handle));
        return response;
    }

private:
    Handle acquire() {
        {
            std::lock_guard lock(mutex_);
            if (!pool_.empty()) {
                Handle h = std::move(pool_.back());
                pool_.pop_back();
                return h;
            }
        }
        Handle h(curl_easy_init());
        if (!h) throw TransportError("libcurl could not create a handle");
        return h;
    }

    void release(Handle h) {
        std::lock_guard lock(mutex_);
        if (pool_.size() < 16) pool_.push_back(std::move(h));
    }

    CurlOptions options_;
    std::mutex mutex_;
    std::vector<Handle> pool_;
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport(const CurlOptions& options) {
    return std::make_shared<CurlTransport>(options);
}

}  // namespace sfn::aws
