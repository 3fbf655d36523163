#pragma once
// The built-in function library, split by topic; each file contributes its rows to the table.
#include <vector>

#include "jsonata/detail_eval.hpp"

namespace sfn::jsonata::detail {

void add_string_functions(std::vector<Builtin>& table);
void add_numeric_functions(std::vector<Builtin>& table);
void add_collection_functions(std::vector<Builtin>& table);
void add_datetime_functions(std::vector<Builtin>& table);

/// Helpers shared by the function files.
inline const Value& arg(const std::vector<Value>& args, std::size_t i) {
    static const Value undefined;
    return i < args.size() ? args[i] : undefined;
}
Value sequence_of(std::vector<Value> items);
/// Arguments for a higher-order callback: the value plus as many extras as the callback takes.
std::vector<Value> hof_args(const Value& fn, const Value& a1, const Value& a2, const Value& a3);
/// Rounds half to even, at `precision` decimal places (the reference's $round).
double round_half_even(double value, int precision);

/// Picture-string formatting shared by $formatInteger and $fromMillis.
std::string format_integer(double value, const std::string& picture);
/// \returns nullopt when the string does not match the picture
std::optional<double> parse_integer(const std::string& value, const std::string& picture);
std::string format_number(double value, const std::string& picture, const Value& options);

}  // namespace sfn::jsonata::detail
