#include "sfn/core/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace sfn::text {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((b0 & 0xE0) == 0xC0) {
            len = 2, cp = b0 & 0x1F, min = 0x80;
        } else if ((b0 & 0xF0) == 0xE0) {
            len = 3, cp = b0 & 0x0F, min = 0x800;
        } else if ((b0 & 0xF8) == 0xF0) {
            len = 4, cp = b0 & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (std::size_t j = 1; j < len; ++j) {
            auto b = static_cast<unsigned char>(s[i + j]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

std::size_t utf16_length(std::string_view utf8) noexcept {
    std::size_t n = 0;
    for (char c : utf8) {
        auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0) != 0x80) n += 1;  // a lead byte starts a code point
        if ((b & 0xF8) == 0xF0) n += 1;  // above U+FFFF: a surrogate pair
    }
    return n;
}

namespace {
// The two-character escapes JSON.stringify writes; other control characters take six (\u00XX).
char short_escape(unsigned char c) noexcept {
    switch (c) {
        case '"': return '"';
        case '\\': return '\\';
        case '\b': return 'b';
        case '\f': return 'f';
        case '\n': return 'n';
        case '\r': return 'r';
        case '\t': return 't';
        default: return 0;
    }
}
}  // namespace

std::size_t json_string_size(std::string_view s) noexcept {
    std::size_t n = 2 + s.size();
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        n += short_escape(c) ? 1 : 5;
    }
    return n;
}

char* write_json_string(std::string_view s, char* o) noexcept {
    static constexpr char hexdigits[] = "0123456789abcdef";
    *o++ = '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = ch;
            continue;
        }
        *o++ = '\\';
        if (const char e = short_escape(c)) {
            *o++ = e;
        } else {
            *o++ = 'u', *o++ = '0', *o++ = '0';
            *o++ = hexdigits[c >> 4];
            *o++ = hexdigits[c & 0xF];
        }
    }
    *o++ = '"';
    return o;
}

void append_json_string(std::string& out, std::string_view s) {
    const std::size_t at = out.size();
    out.resize(at + json_string_size(s));
    write_json_string(s, out.data() + at);
}

std::size_t format_json_number(double d, char* out) noexcept {
    char* o = out;
    auto put = [&o](std::string_view s) {
        for (char c : s) *o++ = c;
    };
    if (!std::isfinite(d)) {
        put("null");  // JSON.stringify(NaN) === "null"
        return 4;
    }
    if (d == 0) {
        *o++ = '0';  // also -0, as JavaScript prints it
        return 1;
    }
    // Shortest round-trip digits, then laid out by ECMAScript Number::toString rules.
    char buf[40];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
    bool negative = sci.front() == '-';
    if (negative) sci.remove_prefix(1);
    auto e = sci.find('e');
    char digits[24];
    int k = 0;
    for (char c : sci.substr(0, e))
        if (c != '.') digits[k++] = c;
    int exp10 = 0;
    std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp10);
    int n = exp10 + 1;  // position of the decimal point relative to the digits
    std::string_view ds(digits, static_cast<std::size_t>(k));
    if (negative) *o++ = '-';
    auto zeros = [&o](int count) {
        for (int i = 0; i < count; ++i) *o++ = '0';
    };
    if (k <= n && n <= 21) {
        put(ds);
        zeros(n - k);
    } else if (0 < n && n <= 21) {
        put(ds.substr(0, static_cast<std::size_t>(n)));
        *o++ = '.';
        put(ds.substr(static_cast<std::size_t>(n)));
    } else if (-6 < n && n <= 0) {
        put("0.");
        zeros(-n);
        put(ds);
    } else {
        *o++ = ds[0];
        if (k > 1) {
            *o++ = '.';
            put(ds.substr(1));
        }
        *o++ = 'e';
        *o++ = (n - 1) >= 0 ? '+' : '-';
        auto r = std::to_chars(o, o + 4, std::abs(n - 1));
        o = r.ptr;
    }
    return static_cast<std::size_t>(o - out);
}

void append_json_number(std::string& out, double d) {
    char buf[max_json_number_chars];
    out.append(buf, format_json_number(d, buf));
}

std::string base64_encode(std::string_view s) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // Written in place into a string of the final size: appending a character at a time checks the
    // capacity for each one.
    std::string out((s.size() + 2) / 3 * 4, '=');
    char* o = out.data();
    auto byte = [&s](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(s[i])); };
    std::size_t i = 0;
    for (; i + 2 < s.size(); i += 3, o += 4) {
        const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        o[0] = alphabet[(n >> 18) & 63];
        o[1] = alphabet[(n >> 12) & 63];
        o[2] = alphabet[(n >> 6) & 63];
        o[3] = alphabet[n & 63];
    }
    if (i < s.size()) {  // one or two bytes left: the '=' padding is already in place
        unsigned n = byte(i) << 16;
        if (i + 1 < s.size()) n |= byte(i + 1) << 8;
        o[0] = alphabet[(n >> 18) & 63];
        o[1] = alphabet[(n >> 12) & 63];
        if (i + 1 < s.size()) o[2] = alphabet[(n >> 6) & 63];
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view s) {
    auto digit = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (s.size() % 4 != 0) return std::nullopt;
    std::string_view body = s;
    for (int pad = 0; pad < 2 && !body.empty() && body.back() == '='; ++pad) body.remove_suffix(1);
    std::string out;
    out.reserve(body.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (char c : body) {
        int d = digit(c);
        if (d < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::optional<std::string> json_nesting_problem(std::string_view text, std::size_t limit) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;  // the escaped character cannot end the string
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) {
                std::size_t line = 1;
                std::size_t column = 1;
                for (std::size_t j = 0; j < i; ++j) {
                    if (text[j] == '\n') {
                        ++line;
                        column = 1;
                    } else {
                        ++column;
                    }
                }
                return "nesting deeper than " + std::to_string(limit) + " levels at line " + std::to_string(line) +
                       ", column " + std::to_string(column);
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

}  // namespace sfn::text
