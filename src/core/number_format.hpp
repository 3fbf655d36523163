#pragma once
// Private: the number and string printers dump() uses, shared with other printers in sfn.

#include <cstdint>
#include <string>
#include <string_view>

namespace sfn::detail {

/// Appends `d` as JavaScript's Number::toString prints it (shortest round trip; NaN/inf as null).
void append_number(std::string& out, double d);
void append_number(std::string& out, std::int64_t i);
/// Appends `s` as a JSON string literal (JSON.stringify escaping).
void append_quoted(std::string& out, std::string_view s);

}  // namespace sfn::detail
