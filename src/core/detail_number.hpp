#pragma once
// Private: JSON number text written into a caller's buffer (the printer writes in place).

#include <cstddef>

namespace sfn::text {

/// The longest text format_json_number writes: "-0.0000012345678901234567" is 25 characters.
inline constexpr std::size_t max_json_number_chars = 32;

/// Writes `d` as text::append_json_number does into `out` (room for max_json_number_chars); returns the length.
std::size_t format_json_number(double d, char* out) noexcept;

}  // namespace sfn::text
