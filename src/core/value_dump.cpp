// sfn::Value -> compact JSON text, printed the way JSON.stringify does.
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/detail_value.hpp"
#include "core/number_format.hpp"

namespace sfn {

namespace detail {

void append_number(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";  // JSON.stringify(NaN) === "null"
        return;
    }
    if (d == 0) {
        out += '0';  // also -0, as JavaScript prints it
        return;
    }
    // Shortest round-trip digits, then laid out by ECMAScript Number::toString rules.
    char buf[40];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
    bool negative = sci.front() == '-';
    if (negative) sci.remove_prefix(1);
    auto e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    int exp10 = 0;
    std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp10);
    int k = static_cast<int>(digits.size());
    int n = exp10 + 1;  // position of the decimal point relative to the digits
    if (negative) out += '-';
    if (k <= n && n <= 21) {
        out += digits;
        out.append(static_cast<std::size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(digits, 0, static_cast<std::size_t>(n));
        out += '.';
        out.append(digits, static_cast<std::size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out.append(digits, 1);
        }
        out += 'e';
        out += (n - 1) >= 0 ? '+' : '-';
        out += std::to_string(std::abs(n - 1));
    }
}

void append_number(std::string& out, std::int64_t i) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, res.ptr);
}

void append_quoted(std::string& out, std::string_view s) {
    static constexpr char hexdigits[] = "0123456789abcdef";
    out += '"';
    const char* run = s.data();
    const char* end = s.data() + s.size();
    for (const char* p = run; p != end; ++p) {
        auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(run, p);
        run = p + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hexdigits[c >> 4];
                out += hexdigits[c & 0xF];
        }
    }
    out.append(run, end);
    out += '"';
}

}  // namespace detail

void Value::dump_to(std::string& out) const {
    switch (kind_) {
        case Kind::null: out += "null"; return;
        case Kind::boolean: out += data_.b ? "true" : "false"; return;
        case Kind::integer: detail::append_number(out, data_.i); return;
        case Kind::real: detail::append_number(out, data_.d); return;
        case Kind::string: detail::append_quoted(out, ValueAccess::string(*this).text); return;
        case Kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : elements()) {
                if (!first) out += ',';
                first = false;
                e.dump_to(out);
            }
            out += ']';
            return;
        }
        case Kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [k, v] : members()) {
                if (!first) out += ',';
                first = false;
                detail::append_quoted(out, k);
                out += ':';
                v.dump_to(out);
            }
            out += '}';
            return;
        }
    }
}

std::string Value::dump() const {
    std::string out;
    if (is_container()) out.reserve(64);
    dump_to(out);
    return out;
}

}  // namespace sfn
