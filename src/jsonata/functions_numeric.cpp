// Numeric and aggregation functions.
#include <cmath>
#include <random>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"
#include "jsonata/detail_regex.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

using Args = std::vector<Value>;

template <typename Fold>
Value aggregate(Evaluator& ev, Args& a, Fold fold) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    if (items.empty()) return Value();
    double acc = items[0].as_number();
    for (std::size_t i = 1; i < items.size(); ++i) acc = fold(acc, items[i].as_number());
    return Value::number(acc);
}

Value fn_sum(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    double s = 0;
    for (const auto& x : array_arg(ev, a, 0)) s += x.as_number();
    return Value::number(s);
}

Value fn_count(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value::number(0);
    return Value::number(static_cast<double>(array_arg(ev, a, 0).size()));
}

Value fn_max(Evaluator& ev, Args& a, const Value&) { return aggregate(ev, a, [](double x, double y) { return std::max(x, y); }); }
Value fn_min(Evaluator& ev, Args& a, const Value&) { return aggregate(ev, a, [](double x, double y) { return std::min(x, y); }); }

Value fn_average(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    if (items.empty()) return Value();
    double s = 0;
    for (const auto& x : items) s += x.as_number();
    return Value::number(s / static_cast<double>(items.size()));
}

bool matches_json_number(const std::string& s) {
    std::size_t i = 0, n = s.size();
    if (i < n && s[i] == '-') ++i;
    if (i >= n) return false;
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i < n && s[i] == '.') {
        ++i;
        std::size_t d = i;
        while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == d) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t d = i;
        while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == d) return false;
    }
    return i == n;
}

std::optional<double> radix_literal(const std::string& s) {
    if (s.size() < 3 || s[0] != '0') return std::nullopt;
    int base = 0;
    switch (s[1]) {
    case 'x': case 'X': base = 16; break;
    case 'o': case 'O': base = 8; break;
    case 'b': case 'B': base = 2; break;
    default: return std::nullopt;
    }
    double v = 0;
    for (std::size_t i = 2; i < s.size(); ++i) {
        int d = std::isdigit(static_cast<unsigned char>(s[i])) ? s[i] - '0'
                : std::isxdigit(static_cast<unsigned char>(s[i])) ? std::tolower(s[i]) - 'a' + 10 : 99;
        if (d >= base) return std::nullopt;
        v = v * base + d;
    }
    return v;
}

Value fn_number(Evaluator& ev, Args& a, const Value&) {
    const Value& v = arg(a, 0);
    switch (v.type()) {
    case Type::Undefined: return Value();
    case Type::Number: return v;
    case Type::Bool: return Value::number(v.as_bool() ? 1 : 0);
    case Type::String: {
        const std::string& s = v.as_string();
        if (matches_json_number(s)) {
            double d = std::strtod(s.c_str(), nullptr);
            if (std::isfinite(d)) return Value::number(d);
        }
        if (auto r = radix_literal(s)) return Value::number(*r);
        break;
    }
    default: break;
    }
    fail("D3030", ev.position, "number", describe(v));
}

// Arithmetic can make Infinity (1/0) or NaN (1%0), which JSON cannot hold. The formatting functions have no
// digits to write for them (the reference writes "NaN", "-NaN" or "Infinity", or loops until its stack
// overflows): D1001, as arithmetic on such a number.
void fail_unless_finite(const Evaluator& ev, double x) {
    if (!std::isfinite(x)) fail("D1001", ev.position, {}, js_number_to_string(x));
}

Value unary_math(Evaluator& ev, Args& a, double (*f)(double)) {
    if (arg(a, 0).undefined()) return Value();
    return Value::number(f(number_arg(ev, a, 0)));
}
Value fn_floor(Evaluator& ev, Args& a, const Value&) { return unary_math(ev, a, [](double x) { return std::floor(x); }); }
Value fn_ceil(Evaluator& ev, Args& a, const Value&) { return unary_math(ev, a, [](double x) { return std::ceil(x); }); }
Value fn_abs(Evaluator& ev, Args& a, const Value&) { return unary_math(ev, a, [](double x) { return std::fabs(x); }); }

Value fn_sqrt(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    double x = number_arg(ev, a, 0);
    if (x < 0) fail("D3060", ev.position, "sqrt", describe(arg(a, 0)));
    return Value::number(std::sqrt(x));
}

Value fn_power(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    // An undefined exponent gives no number: D3061, as in the reference (where it computes NaN).
    double exponent = arg(a, 1).is_number() ? arg(a, 1).as_number() : std::nan("");
    double r = std::pow(number_arg(ev, a, 0), exponent);
    if (!std::isfinite(r)) fail("D3061", ev.position, "power", describe(arg(a, 0)) + ", exponent=" + describe(arg(a, 1)));
    return Value::number(r);
}

Value fn_round(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    // Doubles carry no digits beyond 10^±400, so a precision past that changes nothing more; clamping it
    // keeps the conversion to int defined (the reference's string shifting yields NaN there).
    // A NaN precision (from 1%0) counts as none, as the reference's `if (precision)` does.
    double places = arg(a, 1).defined() ? number_arg(ev, a, 1) : 0;
    if (std::isnan(places)) places = 0;
    if (places < -400) places = -400;
    if (places > 400) places = 400;
    const int precision = static_cast<int>(places);
    return Value::number(round_half_even(number_arg(ev, a, 0), precision));
}

Value fn_random(Evaluator&, Args&, const Value&) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return Value::number(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
}

Value fn_format_base(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    fail_unless_finite(ev, number_arg(ev, a, 0));
    double value = round_half_even(number_arg(ev, a, 0), 0);
    const double base = arg(a, 1).defined() ? number_arg(ev, a, 1) : 10;
    if (!(base >= 2 && base <= 36)) fail("D3100", ev.position, "formatBase", describe(arg(a, 1)));
    const int radix = static_cast<int>(base);
    bool neg = value < 0;
    double v = std::fabs(value);
    std::string digits;
    do {
        int d = static_cast<int>(std::fmod(v, radix));
        digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
        v = std::floor(v / radix);
    } while (v > 0);
    return Value::string(neg ? "-" + digits : digits);
}

// $formatNumber, $formatInteger and $parseInteger have no answer without a picture: an undefined one is
// T0410 for argument 2 (the reference fails reading the undefined picture, a JavaScript TypeError).
Value fn_format_number(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    fail_unless_finite(ev, number_arg(ev, a, 0));
    return Value::string(format_number(number_arg(ev, a, 0), string_arg(ev, a, 1), arg(a, 2)));
}

Value fn_format_integer(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    fail_unless_finite(ev, number_arg(ev, a, 0));
    return Value::string(format_integer(number_arg(ev, a, 0), string_arg(ev, a, 1)));
}

Value fn_parse_integer(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    auto r = parse_integer(string_arg(ev, a, 0), string_arg(ev, a, 1));
    return r ? Value::number(*r) : Value();
}

}  // namespace

void add_numeric_functions(std::vector<Builtin>& t) {
    t.push_back({"sum", "<a<n>:n>", 1, fn_sum, nullptr});
    t.push_back({"count", "<a:n>", 1, fn_count, nullptr});
    t.push_back({"max", "<a<n>:n>", 1, fn_max, nullptr});
    t.push_back({"min", "<a<n>:n>", 1, fn_min, nullptr});
    t.push_back({"average", "<a<n>:n>", 1, fn_average, nullptr});
    t.push_back({"number", "<(nsb)-:n>", 1, fn_number, nullptr});
    t.push_back({"floor", "<n-:n>", 1, fn_floor, nullptr});
    t.push_back({"ceil", "<n-:n>", 1, fn_ceil, nullptr});
    t.push_back({"abs", "<n-:n>", 1, fn_abs, nullptr});
    t.push_back({"sqrt", "<n-:n>", 1, fn_sqrt, nullptr});
    t.push_back({"power", "<n-n:n>", 2, fn_power, nullptr});
    t.push_back({"round", "<n-n?:n>", 2, fn_round, nullptr});
    t.push_back({"random", "<:n>", 0, fn_random, nullptr});
    t.push_back({"formatBase", "<n-n?:s>", 2, fn_format_base, nullptr});
    t.push_back({"formatNumber", "<n-so?:s>", 3, fn_format_number, nullptr});
    t.push_back({"formatInteger", "<n-s:s>", 2, fn_format_integer, nullptr});
    t.push_back({"parseInteger", "<s-s:n>", 2, fn_parse_integer, nullptr});
}

}  // namespace sfn::jsonata::detail
