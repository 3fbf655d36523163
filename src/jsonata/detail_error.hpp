#pragma once
// Raising jsonata::Error with the reference implementation's codes and message texts.

#include <string>
#include <string_view>

#include "sfn/jsonata/expression.hpp"

namespace sfn::jsonata::detail {

class Value;

/// The reference implementation's message for `code` ("{{token}}"/"{{value}}" already substituted).
std::string error_message(std::string_view code, std::string_view token, std::string_view value);

[[noreturn]] void fail(std::string_view code, std::size_t position, std::string_view token = {},
                       std::string_view value = {});

/// A short rendering of a value for messages.
std::string describe(const Value& v);

}  // namespace sfn::jsonata::detail
