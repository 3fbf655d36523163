// Request ids and HTTP dates (detail_ids.hpp).
#include "integrations/detail_ids.hpp"

#include <chrono>
#include <cstdint>
#include <ctime>
#include <random>

namespace sfn::integrations::detail {

std::string uuid4() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    std::uint64_t bits = rng();
    for (int i = 0; i < 32; ++i) {
        if (i == 16) bits = rng();
        int digit = static_cast<int>(bits & 15);
        bits >>= 4;
        if (i == 12) digit = 4;                    // version 4
        if (i == 16) digit = 8 | (digit & 3);      // RFC 4122 variant
        if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
        out += hex[digit];
    }
    return out;
}

std::string http_date_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

std::string plain_message(const sfn::Error& e) {
    const std::string what = e.what();
    const std::string prefix = "[" + e.code() + "] ";
    return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
}

}  // namespace sfn::integrations::detail
