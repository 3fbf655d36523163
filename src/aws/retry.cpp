#include "aws/detail_retry.hpp"

#include "aws/detail_xml.hpp"

#include "sfn/aws/sts.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

namespace sfn::aws::detail {
namespace {

constexpr int kRetryCost = 5;
constexpr int kTimeoutRetryCost = 10;


}  // namespace

std::string request_id_of(const HttpResponse& response) {
    for (const char* name : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"}) {
        if (const auto* v = response.header(name)) return *v;
    }
    return {};
}

std::string normalize_error_code(std::string code) {
    if (auto colon = code.find(':'); colon != std::string::npos) code.resize(colon);
    if (auto hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
    return code;
}

ServiceError json_error_parser(const HttpResponse& response, const std::string& operation) {
    std::string code, message;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (const auto* type = response.header("x-amzn-ErrorType")) code = *type;
    if (body.is_object()) {
        for (const char* key : {"__type", "code"}) {
            if (code.empty() && body.contains(key) && body[key].is_string()) code = body[key].get<std::string>();
        }
        for (const char* key : {"message", "Message", "errorMessage"}) {
            if (message.empty() && body.contains(key) && body[key].is_string()) message = body[key].get<std::string>();
        }
    } else if (!response.body.empty()) {
        message = response.body.substr(0, 300);
    }
    return ServiceError({.http_status = response.status,
                         .error_code = normalize_error_code(code),
                         .message = message,
                         .request_id = request_id_of(response),
                         .operation = operation,
                         .extended_request_id = {}});
}

ServiceError xml_error_parser(const HttpResponse& response, const std::string& operation) {
    std::string code, message, request_id = request_id_of(response);
    const auto* id2 = response.header("x-amz-id-2");
    std::string extended_request_id = id2 ? *id2 : std::string();
    if (!response.body.empty()) {
        try {
            auto root = parse_xml(response.body, operation);
            if (const auto* error = root.find("Error")) {
                if (const auto* c = error->child("Code")) code = c->text;
                if (const auto* m = error->child("Message")) message = m->text;
            }
            for (const char* id : {"RequestId", "RequestID"}) {
                if (const auto* r = root.find(id); r && request_id.empty()) request_id = r->text;
            }
            if (const auto* host = root.find("HostId"); host && extended_request_id.empty()) {
                extended_request_id = host->text;
            }
        } catch (const ProtocolError&) {
            message = response.body.substr(0, 300);  // not XML: an HTML error page from a proxy, say
        }
    }
    // No body (S3 answers HEAD requests so): the status is all there is, as the SDKs report it.
    if (code.empty() && message.empty()) code = std::to_string(response.status);
    return ServiceError({.http_status = response.status,
                         .error_code = normalize_error_code(code),
                         .message = message,
                         .request_id = request_id,
                         .operation = operation,
                         .extended_request_id = extended_request_id});
}

Retrier::Retrier(RetryPolicy policy) : policy_(std::move(policy)), quota_(policy_.quota), rng_(std::random_device{}()) {
    policy_.max_attempts = std::max(1, policy_.max_attempts);
    if (!policy_.sleep) policy_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

std::chrono::milliseconds Retrier::backoff(int retry) {
    double cap = static_cast<double>(policy_.max_delay.count());
    double exp = static_cast<double>(policy_.base_delay.count()) * static_cast<double>(1ULL << std::min(retry - 1, 30));
    double limit = std::min(exp, cap);
    std::lock_guard lock(mutex_);
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(jitter(rng_) * limit));
}

bool Retrier::take_quota(int cost) {
    std::lock_guard lock(mutex_);
    if (quota_ < cost) return false;
    quota_ -= cost;
    return true;
}

void Retrier::refund(int amount) {
    std::lock_guard lock(mutex_);
    quota_ = std::min(policy_.quota, quota_ + amount);
}

std::optional<std::chrono::milliseconds> server_retry_hint(const HttpResponse& response) {
    const auto* value = response.header("x-amz-retry-after");
    if (!value || value->empty() || value->size() > 12) return std::nullopt;
    std::int64_t ms = 0;
    for (char c : *value) {
        if (c < '0' || c > '9') return std::nullopt;
        ms = ms * 10 + (c - '0');
    }
    return std::chrono::milliseconds(ms);
}

std::chrono::milliseconds Retrier::delay(int retry, std::optional<std::chrono::milliseconds> hint) {
    const auto computed = backoff(retry);
    if (!hint) return computed;
    return std::clamp(*hint, computed, computed + kMaxHintExtension);
}

HttpResponse Retrier::run(const std::string& operation, const std::function<HttpResponse(int, int)>& attempt,
                          ErrorParser parse_error) {
    const int max = policy_.max_attempts;
    int last_cost = 0;
    for (int n = 1;; ++n) {
        ++attempts_;
        int cost = 0;
        std::optional<std::chrono::milliseconds> hint;
        try {
            HttpResponse response = attempt(n, max);
            if (response.status >= 200 && response.status < 300) {
                refund(last_cost > 0 ? last_cost : 1);
                return response;
            }
            ServiceError error = parse_error(response, operation);
            if (!error.is_retryable() || n >= max || !take_quota(kRetryCost)) throw error;
            cost = kRetryCost;
            // Only AWS's own x-amz-retry-after is a hint; the SDKs' standard mode ignores RFC 9110 Retry-After.
            hint = server_retry_hint(response);
        } catch (const TransportError& e) {
            int c = e.timed_out() ? kTimeoutRetryCost : kRetryCost;
            if (n >= max || !take_quota(c)) {
                throw TransportError(operation + " failed after " + std::to_string(n) + " attempt(s): " + e.what(),
                                     {.timed_out = e.timed_out()});
            }
            cost = c;
        }
        last_cost = cost;
        policy_.sleep(delay(n, hint));
    }
}

}  // namespace sfn::aws::detail
