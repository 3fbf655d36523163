#include "aws/detail_json_io.hpp"
#include "aws/detail_time.hpp"

#include <charconv>
#include <cmath>

namespace sfn::aws::detail {
namespace {

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size()) return false;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc{} && p == s.data() + pos + len;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
    int y, mo, d, h, mi, sec;
    if (!read_int(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' ||
        !read_int(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !read_int(s, 11, 2, h) || s[13] != ':' ||
        !read_int(s, 14, 2, mi) || s[16] != ':' || !read_int(s, 17, 2, sec)) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::chrono::milliseconds fraction{0};
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int ms = 0, digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) ms = ms * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        for (int i = digits; i < 3; ++i) ms *= 10;
        fraction = std::chrono::milliseconds(ms);
    }
    std::chrono::minutes offset{0};
    if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            int oh = 0, om = 0;
            if (!read_int(s, pos + 1, 2, oh)) return std::nullopt;
            std::size_t mpos = pos + 3 < s.size() && s[pos + 3] == ':' ? pos + 4 : pos + 3;
            if (mpos < s.size() && !read_int(s, mpos, 2, om)) return std::nullopt;
            offset = std::chrono::minutes(oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
            pos = std::min(s.size(), mpos + 2);
        }
    }
    if (pos != s.size()) return std::nullopt;
    using namespace std::chrono;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    // system_clock counts nanoseconds in 64 bits (years 1678 to 2262): later dates mean "never", earlier
    // ones saturate at the earliest representable time instead of overflowing.
    if (y >= 2262) return system_clock::time_point::max();
    if (y < 1678) return system_clock::time_point::min();
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + fraction - offset;
}

}  // namespace sfn::aws::detail

namespace sfn::aws::sfn_api::detail {
namespace {

// Epoch seconds with millisecond precision. Beyond the nanosecond clock's range (about ±292 years around 1970)
// the time saturates, as parse_iso8601 does; NaN has no meaning.
std::optional<Timestamp> from_epoch_seconds(double seconds) {
    using namespace std::chrono;
    constexpr double limit = 9.2e9;  // seconds; 9.2e18 ns stays below 2^63
    if (std::isnan(seconds)) return std::nullopt;
    if (seconds >= limit) return Timestamp::max();
    if (seconds <= -limit) return Timestamp::min();
    return Timestamp(duration_cast<system_clock::duration>(milliseconds(std::llround(seconds * 1000.0))));
}

}  // namespace

Timestamp parse_timestamp(const nlohmann::json& j) {
    if (j.is_number()) {
        if (auto t = from_epoch_seconds(j.get<double>())) return *t;
    }
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        double seconds = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
        if (ec == std::errc{} && p == s.data() + s.size()) {
            if (auto t = from_epoch_seconds(seconds)) return *t;
        } else if (auto t = aws::detail::parse_iso8601(s)) {
            return *t;
        }
    }
    throw ProtocolError("expected a timestamp (epoch seconds or ISO-8601), got " + j.dump());
}

double timestamp_seconds(Timestamp t) {
    using namespace std::chrono;
    return static_cast<double>(duration_cast<milliseconds>(t.time_since_epoch()).count()) / 1000.0;
}

}  // namespace sfn::aws::sfn_api::detail
