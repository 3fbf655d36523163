// $formatNumber: the XPath/XSLT 3.0 fn:format-number picture language, as the reference implements it.
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <numeric>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

using U = std::u32string;

struct Properties {
    char32_t decimal = U'.', grouping = U',', exponent = U'e', zero = U'0', digit = U'#', separator = U';';
    U minus = U"-", infinity = U"Infinity", nan = U"NaN", percent = U"%", permille = U"\u2030";
};

struct Parts {
    U prefix, suffix, active, mantissa, integer, fraction, picture;
    bool has_exponent = false;
    U exponent;
};

struct Analysis {
    std::vector<int> integer_groups;
    int regular = 0;
    int min_integer = 0;
    int scaling = 0;
    std::vector<int> fraction_groups;
    int min_fraction = 0;
    int max_fraction = 0;
    int min_exponent = 0;
    U prefix, suffix, picture;
};

bool contains(const U& s, char32_t c) { return s.find(c) != U::npos; }
bool contains(const U& s, const U& part) { return !part.empty() && s.find(part) != U::npos; }
bool repeats(const U& s, const U& part) { return !part.empty() && s.find(part) != s.rfind(part); }

}  // namespace

std::string format_number(double value, const std::string& picture_text, const Value& options) {
    Properties p;
    if (options.is_object()) {
        for (const auto& [k, v] : options.as_object().entries) {
            if (!v.is_string()) continue;
            U s = to_u32(v.as_string());
            char32_t c = s.empty() ? U'\0' : s[0];
            if (k == "decimal-separator") p.decimal = c;
            else if (k == "grouping-separator") p.grouping = c;
            else if (k == "exponent-separator") p.exponent = c;
            else if (k == "percent") p.percent = s;
            else if (k == "per-mille") p.permille = s;
            else if (k == "zero-digit") p.zero = c;
            else if (k == "digit") p.digit = c;
            else if (k == "pattern-separator") p.separator = c;
            else if (k == "minus-sign") p.minus = s;
            else if (k == "infinity") p.infinity = s;
            else if (k == "NaN") p.nan = s;
        }
    }
    U family;
    for (int i = 0; i < 10; ++i) family += static_cast<char32_t>(p.zero + static_cast<char32_t>(i));
    // percent and per-mille are passive: they sit in the prefix or suffix
    U active = family + p.decimal + p.grouping + p.digit + p.exponent;
    auto is_active = [&](char32_t c) { return contains(active, c); };
    auto is_digit = [&](char32_t c) { return contains(family, c); };

    U picture = to_u32(picture_text);
    std::vector<U> pictures;
    {
        U cur;
        for (char32_t c : picture) {
            if (c == p.separator) {
                pictures.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        pictures.push_back(cur);
    }
    if (pictures.size() > 2) fail("D3080", 0, "formatNumber");

    auto split = [&](const U& sub) {
        Parts r;
        r.picture = sub;
        std::size_t first = sub.size(), last = sub.size();
        for (std::size_t i = 0; i < sub.size(); ++i)
            if (is_active(sub[i]) && sub[i] != p.exponent) { first = i; break; }
        for (std::size_t i = sub.size(); i-- > 0;)
            if (is_active(sub[i]) && sub[i] != p.exponent) { last = i; break; }
        r.prefix = first == sub.size() ? U() : sub.substr(0, first);
        r.suffix = last == sub.size() ? U() : sub.substr(last + 1);
        r.active = sub.substr(r.prefix.size(), sub.size() - r.prefix.size() - r.suffix.size());
        auto epos = sub.find(p.exponent, r.prefix.size());
        if (epos == U::npos || epos > sub.size() - r.suffix.size()) {
            r.mantissa = r.active;
        } else {
            r.mantissa = r.active.substr(0, std::min(epos, r.active.size()));
            r.has_exponent = true;
            r.exponent = epos + 1 <= r.active.size() ? r.active.substr(epos + 1) : U();
        }
        auto dpos = r.mantissa.find(p.decimal);
        if (dpos == U::npos) {
            r.integer = r.mantissa;
            r.fraction = r.suffix;
        } else {
            r.integer = r.mantissa.substr(0, dpos);
            r.fraction = r.mantissa.substr(dpos + 1);
        }
        return r;
    };

    auto validate = [&](const Parts& r) {
        const U& sub = r.picture;
        const char* error = nullptr;
        auto dpos = sub.find(p.decimal);
        if (dpos != sub.rfind(p.decimal)) error = "D3081";
        if (repeats(sub, p.percent)) error = "D3082";
        if (repeats(sub, p.permille)) error = "D3083";
        if (contains(sub, p.percent) && contains(sub, p.permille)) error = "D3084";
        bool valid = false;
        for (char32_t c : r.mantissa)
            if (is_digit(c) || c == p.digit) { valid = true; break; }
        if (!valid) error = "D3085";
        for (char32_t c : r.active)
            if (!is_active(c)) error = "D3086";
        if (dpos != U::npos) {
            if ((dpos > 0 && sub[dpos - 1] == p.grouping) || (dpos + 1 < sub.size() && sub[dpos + 1] == p.grouping)) error = "D3087";
        } else if (!r.integer.empty() && r.integer.back() == p.grouping) {
            error = "D3088";
        }
        if (sub.find(U() + p.grouping + p.grouping) != U::npos) error = "D3089";
        auto opt = r.integer.find(p.digit);
        if (opt != U::npos)
            for (std::size_t i = 0; i < opt; ++i)
                if (is_digit(r.integer[i])) error = "D3090";
        opt = r.fraction.rfind(p.digit);
        if (opt != U::npos)
            for (std::size_t i = opt; i < r.fraction.size(); ++i)
                if (is_digit(r.fraction[i])) error = "D3091";
        if (r.has_exponent && !r.exponent.empty() && (contains(sub, p.percent) || contains(sub, p.permille))) error = "D3092";
        if (r.has_exponent) {
            bool bad = r.exponent.empty();
            for (char32_t c : r.exponent)
                if (!is_digit(c)) bad = true;
            if (bad) error = "D3093";
        }
        if (error) fail(error, 0, "formatNumber");
    };

    auto analyse = [&](const Parts& r) {
        Analysis a;
        auto positions = [&](const U& part, bool to_left) {
            std::vector<int> out;
            auto g = part.find(p.grouping);
            while (g != U::npos) {
                U side = to_left ? part.substr(0, g) : part.substr(g);
                int n = 0;
                for (char32_t c : side)
                    if (is_digit(c) || c == p.digit) ++n;
                out.push_back(n);
                g = r.integer.find(p.grouping, g + 1);
            }
            return out;
        };
        a.integer_groups = positions(r.integer, false);
        if (!a.integer_groups.empty()) {
            int factor = std::accumulate(a.integer_groups.begin() + 1, a.integer_groups.end(), a.integer_groups[0],
                                         [](int x, int y) { return std::gcd(x, y); });
            a.regular = factor;
            for (std::size_t i = 1; i <= a.integer_groups.size(); ++i)
                if (std::find(a.integer_groups.begin(), a.integer_groups.end(), static_cast<int>(i) * factor) == a.integer_groups.end())
                    a.regular = 0;
        }
        a.fraction_groups = positions(r.fraction, true);
        for (char32_t c : r.integer)
            if (is_digit(c)) ++a.min_integer;
        a.scaling = a.min_integer;
        for (char32_t c : r.fraction) {
            if (is_digit(c)) ++a.min_fraction;
            if (is_digit(c) || c == p.digit) ++a.max_fraction;
        }
        if (a.min_integer == 0 && a.max_fraction == 0) {
            if (r.has_exponent) {
                a.min_fraction = 1;
                a.max_fraction = 1;
            } else {
                a.min_integer = 1;
            }
        }
        if (r.has_exponent && a.min_integer == 0 && contains(r.integer, p.digit)) a.min_integer = 1;
        if (a.min_integer == 0 && a.min_fraction == 0) a.min_fraction = 1;
        if (r.has_exponent)
            for (char32_t c : r.exponent)
                if (is_digit(c)) ++a.min_exponent;
        a.prefix = r.prefix;
        a.suffix = r.suffix;
        a.picture = r.picture;
        return a;
    };

    std::vector<Analysis> vars;
    for (const auto& sub : pictures) {
        Parts r = split(sub);
        validate(r);
        vars.push_back(analyse(r));
    }
    if (vars.size() == 1) {
        vars.push_back(vars[0]);
        vars[1].prefix = p.minus + vars[1].prefix;
    }
    const Analysis& pic = value >= 0 ? vars[0] : vars[1];
    double adjusted = value;
    if (contains(pic.picture, p.percent)) adjusted = value * 100;
    else if (contains(pic.picture, p.permille)) adjusted = value * 1000;
    // Infinity and NaN have no digits to write (and would never leave the exponent loops below); 1e307 as a
    // percentage overflows to Infinity
    if (!std::isfinite(adjusted)) fail("D1001", 0, {}, js_number_to_string(adjusted));
    double mantissa = std::fabs(adjusted);
    bool has_exp = pic.min_exponent != 0;
    int exponent = 0;
    if (has_exp) {
        double max_m = std::pow(10, pic.scaling), min_m = std::pow(10, pic.scaling - 1);
        while (mantissa != 0 && mantissa < min_m) { mantissa *= 10; exponent -= 1; }
        while (mantissa > max_m) { mantissa /= 10; exponent += 1; }
    }
    double rounded = round_half_even(mantissa, pic.max_fraction);
    auto make_string = [&](double v, int dp) {
        char buf[400];
        std::snprintf(buf, sizeof buf, "%.*f", dp, std::fabs(v));
        U s;
        for (const char* c = buf; *c; ++c) s += (*c >= '0' && *c <= '9') ? static_cast<char32_t>(p.zero + static_cast<char32_t>(*c - '0')) : static_cast<char32_t>(*c);
        return s;
    };
    U s = make_string(rounded, pic.max_fraction);
    auto dot = s.find(U'.');
    if (dot == U::npos) s += p.decimal;
    else s[dot] = p.decimal;
    while (!s.empty() && s.front() == p.zero) s.erase(0, 1);
    while (!s.empty() && s.back() == p.zero) s.pop_back();
    auto dpos = static_cast<long>(s.find(p.decimal));
    long pad_left = pic.min_integer - dpos;
    long pad_right = pic.min_fraction - (static_cast<long>(s.size()) - dpos - 1);
    if (pad_left > 0) s = U(static_cast<std::size_t>(pad_left), p.zero) + s;
    if (pad_right > 0) s += U(static_cast<std::size_t>(pad_right), p.zero);
    dpos = static_cast<long>(s.find(p.decimal));
    if (pic.regular > 0) {
        long groups = (dpos - 1) / pic.regular;
        for (long g = 1; g <= groups; ++g) s.insert(static_cast<std::size_t>(dpos - g * pic.regular), 1, p.grouping);
    } else {
        for (int pos : pic.integer_groups) {
            if (dpos - pos >= 0) s.insert(static_cast<std::size_t>(dpos - pos), 1, p.grouping);
            ++dpos;
        }
    }
    dpos = static_cast<long>(s.find(p.decimal));
    for (int pos : pic.fraction_groups) {
        auto at = static_cast<std::size_t>(pos + dpos + 1);
        if (at <= s.size()) s.insert(at, 1, p.grouping);
    }
    dpos = static_cast<long>(s.find(p.decimal));
    if (dpos == static_cast<long>(s.size()) - 1) s.pop_back();
    if (has_exp) {
        U e = make_string(exponent, 0);
        long pad = pic.min_exponent - static_cast<long>(e.size());
        if (pad > 0) e = U(static_cast<std::size_t>(pad), p.zero) + e;
        s += p.exponent;
        if (exponent < 0) s += p.minus;
        s += e;
    }
    return from_u32(pic.prefix + s + pic.suffix);
}

}  // namespace sfn::jsonata::detail
