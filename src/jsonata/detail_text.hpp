#pragma once
// UTF-8 helpers: JSONata string functions count Unicode code points.
#include <string>
#include <string_view>
#include <vector>

#include "sfn/core/text.hpp"

namespace sfn::jsonata::detail {

using sfn::text::append_utf8;
std::u32string to_u32(std::string_view s);
std::string from_u32(std::u32string_view s);
std::size_t utf8_length(std::string_view s);

/// JavaScript's Number.prototype.toString (shortest round trip, exponent beyond 1e21 / below 1e-7).
std::string js_number_to_string(double d);
/// How JSONata renders a number inside strings: 15 significant digits, then JS formatting.
std::string jsonata_number_to_string(double d);

}  // namespace sfn::jsonata::detail
