#pragma once
// Shared by the JSONata unit tests: the error an expression raises.
#include <gtest/gtest.h>

#include <string>

#include "sfn/jsonata/expression.hpp"

namespace sfn::jsonata::testing {

/// Evaluates `text` and returns the error it throws, failing the test if it throws none.
inline Error error_of(const std::string& text, const Environment& env = {}, const Json& input = Json::object()) {
    try {
        (void)Expression::compile(text).evaluate(&input, env);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no error from " << text;
    return Error("none", 0, "", "");
}

}  // namespace sfn::jsonata::testing
