#pragma once
// ISO-8601 UTC timestamps as STS, credential_process and some servers send them.

#include <chrono>
#include <optional>
#include <string_view>

namespace sfn::aws::detail {

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|-HH:MM]`; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace sfn::aws::detail
