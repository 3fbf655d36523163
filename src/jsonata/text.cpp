// UTF-8 helpers and JavaScript-identical number rendering.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "jsonata/detail_text.hpp"

#include "sfn/core/text.hpp"

namespace sfn::jsonata::detail {

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        char32_t cp;
        std::size_t len;
        if (c < 0x80) { cp = c; len = 1; }
        else if ((c >> 5) == 0x6) { cp = c & 0x1F; len = 2; }
        else if ((c >> 4) == 0xE) { cp = c & 0x0F; len = 3; }
        else if ((c >> 3) == 0x1E) { cp = c & 0x07; len = 4; }
        else { cp = 0xFFFD; len = 1; }
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out += cp;
        i += len;
    }
    return out;
}

std::string from_u32(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) append_utf8(out, c);
    return out;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string js_number_to_string(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    std::string out;
    sfn::text::append_json_number(out, d);
    return out;
}

std::string jsonata_number_to_string(double d) {
    if (!std::isfinite(d)) return js_number_to_string(d);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.14e", d);
    return js_number_to_string(std::strtod(buf, nullptr));
}

}  // namespace sfn::jsonata::detail
