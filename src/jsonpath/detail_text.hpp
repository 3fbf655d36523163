#pragma once
// Private: small text helpers shared by paths, templates and intrinsics.

#include <cstddef>
#include <string>
#include <string_view>

#include "sfn/core/value.hpp"

namespace sfn::jsonpath::detail {

/// before + c + after (one allocation; avoids a GCC 12 -Warray-bounds false positive on
/// std::string + char + literal).
inline std::string concat(std::string_view before, char c, std::string_view after) {
    std::string out;
    out.reserve(before.size() + 1 + after.size());
    out.append(before);
    out += c;
    out.append(after);
    return out;
}

/// "the string \"x\"", "an object", "null", ... for causes.
std::string describe(const Value& v);

}  // namespace sfn::jsonpath::detail
