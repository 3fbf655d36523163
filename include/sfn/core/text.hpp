#pragma once
/// \file
/// Text helpers every component that prints or reads JSON-ish text needs: UTF-8 encoding, JSON
/// string escaping, JavaScript number formatting and base64. One implementation, shared.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sfn::text {

/// Appends code point `cp` (<= 0x10FFFF) as UTF-8.
void append_utf8(std::string& out, char32_t cp);

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;

/// Number of UTF-16 code units `utf8` takes (Java's and JavaScript's string length).
[[nodiscard]] std::size_t utf16_length(std::string_view utf8) noexcept;

/// Appends `s` as a JSON string literal with JSON.stringify's escaping: `"` `\` and control
/// characters are escaped, everything else (including non-ASCII) is copied.
void append_json_string(std::string& out, std::string_view s);

/// The length of the literal append_json_string writes for `s`, quotes included.
[[nodiscard]] std::size_t json_string_size(std::string_view s) noexcept;

/// Writes that literal at `out`, which has room for json_string_size(s) bytes; returns the end.
char* write_json_string(std::string_view s, char* out) noexcept;

/// Appends `d` as JavaScript's Number.prototype.toString prints it (shortest round trip:
/// 1.5, 100, 1e+21, 1e-7; -0 prints 0). NaN and infinities print `null`, as in JSON.stringify.
void append_json_number(std::string& out, double d);

/// The longest text append_json_number writes: "-0.0000012345678901234567" is 25 characters.
inline constexpr std::size_t max_json_number_chars = 32;

/// Writes `d` as append_json_number does into `out`, which has room for max_json_number_chars; returns the
/// length written.
std::size_t format_json_number(double d, char* out) noexcept;

/// When JSON text nests arrays and objects deeper than `limit` levels: "nesting deeper than <limit> levels at
/// line L, column C" (the position of the first bracket past the limit); otherwise std::nullopt. Brackets in
/// strings do not count and the text need not be valid JSON (a parser reports other problems), so callers run
/// it before a parser or converter that recurses per level (nlohmann's copy, dump and conversions do).
///
/// **Example**
/// \code
///   if (auto problem = sfn::text::json_nesting_problem(body, sfn::Value::max_depth)) reject(*problem);
/// \endcode
[[nodiscard]] std::optional<std::string> json_nesting_problem(std::string_view text, std::size_t limit);

/// Standard base64 (RFC 4648, with padding).
[[nodiscard]] std::string base64_encode(std::string_view bytes);
/// Decodes standard padded base64; std::nullopt when `text` is not valid base64.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sfn::text
