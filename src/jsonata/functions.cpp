// The built-in function table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {

const std::vector<Builtin>& builtins() {
    static const std::vector<Builtin> rows = [] {
        std::vector<Builtin> t;
        add_string_functions(t);
        add_numeric_functions(t);
        add_collection_functions(t);
        add_datetime_functions(t);
        for (auto& b : t) b.parsed = parse_signature(b.signature, 0);
        std::sort(t.begin(), t.end(), [](const Builtin& a, const Builtin& b) { return a.name < b.name; });
        return t;
    }();
    return rows;
}

const Builtin* find_builtin(std::string_view name) {
    const auto& t = builtins();
    auto it = std::lower_bound(t.begin(), t.end(), name, [](const Builtin& b, std::string_view n) { return b.name < n; });
    return (it != t.end() && it->name == name) ? &*it : nullptr;
}

void fail_argument(const Evaluator& ev, std::size_t i) {
    std::string_view name = ev.current_builtin ? ev.current_builtin->name : std::string_view(ev.current_name);
    fail("T0410", ev.position, name, std::to_string(i + 1));
}

Value sequence_of(std::vector<Value> items) {
    auto s = make_sequence();
    s->items = std::move(items);
    return Value::array(s);
}

std::vector<Value> hof_args(const Value& fn, const Value& a1, const Value& a2, const Value& a3) {
    std::vector<Value> args{a1};
    int arity = fn.as_function().arity();
    if (arity >= 2) args.push_back(a2);
    if (arity >= 3) args.push_back(a3);
    return args;
}

double round_half_even(double value, int precision) {
    double scaled = value;
    if (precision != 0) {
        // shift in decimal text, as the reference does, to avoid binary scaling error
        std::string s = js_number_to_string(value);
        auto e = s.find('e');
        int exp = precision;
        if (e != std::string::npos) exp += std::atoi(s.c_str() + e + 1);
        std::string m = e == std::string::npos ? s : s.substr(0, e);
        scaled = std::strtod((m + "e" + std::to_string(exp)).c_str(), nullptr);
        // past the largest double the value has no digits at that precision: nothing to round
        if (!std::isfinite(scaled)) return value;
    }
    double result = std::floor(scaled + 0.5);
    double diff = result - scaled;
    if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2.0)) == 1) result -= 1;
    if (precision != 0) {
        std::string s = js_number_to_string(result);
        auto e = s.find('e');
        int exp = -precision;
        if (e != std::string::npos) exp += std::atoi(s.c_str() + e + 1);
        std::string m = e == std::string::npos ? s : s.substr(0, e);
        result = std::strtod((m + "e" + std::to_string(exp)).c_str(), nullptr);
    }
    if (result == 0) result = 0;  // JSON has no -0
    return result;
}

}  // namespace sfn::jsonata::detail
