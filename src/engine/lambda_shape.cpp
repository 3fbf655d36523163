// The response of Lambda's Invoke API as the lambda:invoke integration hands it to the state: the function's
// payload with the status, version and HTTP metadata AWS adds (request and trace ids from the execution's
// random source, so seeded runs repeat).
#include "engine/detail_runtime.hpp"

#include <ctime>

namespace sfn::engine::detail {

namespace {

std::string http_date(TimePoint t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

std::string random_hex(Runtime& rt, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    std::lock_guard lock(rt.random_mutex());
    while (static_cast<int>(out.size()) < digits) {
        std::uint64_t bits = rt.random().bits();
        for (int i = 0; i < 16 && static_cast<int>(out.size()) < digits; ++i, bits >>= 4) out += hex[bits & 15];
    }
    return out;
}

}  // namespace

Value lambda_invoke_shape(Value payload, const std::string& body, Runtime& rt) {
    const std::string request_id = random_hex(rt, 8) + "-" + random_hex(rt, 4) + "-4" + random_hex(rt, 3) + "-a" +
                                   random_hex(rt, 3) + "-" + random_hex(rt, 12);
    const std::string trace_id = "Root=1-" + random_hex(rt, 8) + "-" + random_hex(rt, 24) + ";Sampled=0";
    const Value headers = Value::object({{"Connection", "keep-alive"},
                                         {"Content-Length", Value(std::to_string(body.empty() ? payload.dump().size() : body.size()))},
                                         {"Content-Type", "application/json"},
                                         {"Date", Value(http_date(rt.now()))},
                                         {"X-Amz-Executed-Version", "$LATEST"},
                                         {"x-amzn-Remapped-Content-Length", "0"},
                                         {"x-amzn-RequestId", Value(request_id)},
                                         {"X-Amzn-Trace-Id", Value(trace_id)}});
    std::vector<Member> all;
    for (const auto& [k, v] : headers.members()) all.emplace_back(k, Value::array({v}));
    return Value::object({{"ExecutedVersion", "$LATEST"},
                          {"Payload", std::move(payload)},
                          {"SdkHttpMetadata", Value::object({{"AllHttpHeaders", Value::object(std::move(all))},
                                                             {"HttpHeaders", headers},
                                                             {"HttpStatusCode", 200}})},
                          {"SdkResponseMetadata", Value::object({{"RequestId", Value(request_id)}})},
                          {"StatusCode", 200}});
}

}  // namespace sfn::engine::detail
