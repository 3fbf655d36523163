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
/// Argument i as given, undefined when absent. The signature lets undefined through every simple type,
/// as the reference does, so test defined() before using a typed accessor, or use the checked ones below.
inline const Value& arg(const std::vector<Value>& args, std::size_t i) {
    static const Value undefined;
    return i < args.size() ? args[i] : undefined;
}

/// Raises T0410 "Argument i+1 of function <name> does not match function signature" for the builtin
/// being applied, at the position of its call.
[[noreturn]] void fail_argument(const Evaluator& ev, std::size_t i);

/// Checked argument access: argument i when it has the type, otherwise T0410 (see fail_argument), so an
/// undefined or wrongly typed argument is an error of the expression, never a read through a null pointer.
/// Use these where the function has no defined answer for a missing argument.
/// \throws Error T0410 naming the function and argument i+1
inline const std::string& string_arg(const Evaluator& ev, const std::vector<Value>& args, std::size_t i) {
    const Value& v = arg(args, i);
    if (!v.is_string()) [[unlikely]] fail_argument(ev, i);
    return v.as_string();
}
inline double number_arg(const Evaluator& ev, const std::vector<Value>& args, std::size_t i) {
    const Value& v = arg(args, i);
    if (!v.is_number()) [[unlikely]] fail_argument(ev, i);
    return v.as_number();
}
inline const std::vector<Value>& array_arg(const Evaluator& ev, const std::vector<Value>& args, std::size_t i) {
    const Value& v = arg(args, i);
    if (!v.is_array()) [[unlikely]] fail_argument(ev, i);
    return v.as_array().items;
}
inline const Object& object_arg(const Evaluator& ev, const std::vector<Value>& args, std::size_t i) {
    const Value& v = arg(args, i);
    if (!v.is_object()) [[unlikely]] fail_argument(ev, i);
    return v.as_object();
}
/// The function value itself, ready for Evaluator::call.
inline const Value& function_arg(const Evaluator& ev, const std::vector<Value>& args, std::size_t i) {
    const Value& v = arg(args, i);
    if (!v.is_function()) [[unlikely]] fail_argument(ev, i);
    return v;
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
