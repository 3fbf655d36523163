#pragma once
// Helpers shared by the jsonpath tests.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sfn/jsonpath/all.hpp"

namespace sfn::jsonpath::testing {

/// Variables held in a map.
class MapVariables : public VariableLookup {
public:
    std::map<std::string, Value, std::less<>> values;
    const Value* lookup(std::string_view name) const override {
        auto it = values.find(name);
        return it == values.end() ? nullptr : &it->second;
    }
};

/// A scope over parsed JSON texts, with a seeded random source.
struct Fixture {
    Value input;
    Value context;
    MapVariables variables;
    Random random{42};

    explicit Fixture(std::string_view input_json, std::string_view context_json = "{}")
        : input(Value::parse(input_json)), context(Value::parse(context_json)) {}
    Scope scope() { return Scope(input, context, &variables, &random); }
};

/// The PathError detail thrown by `f`, or "<no error>".
template <class F>
std::string path_error(F&& f, std::string* code = nullptr) {
    try {
        f();
    } catch (const PathError& e) {
        if (code) *code = e.code();
        return e.what();
    }
    return "<no error>";
}

/// Evaluates an intrinsic call against `input_json` and returns its dump or "FAIL <error>: <cause>".
inline std::string call(std::string_view text, std::string_view input_json = "{}") {
    Fixture f(input_json);
    auto r = Intrinsic::parse(text).evaluate(f.scope());
    if (!r) return "FAIL " + r.failure().error + ": " + r.failure().cause;
    return r->dump();
}

}  // namespace sfn::jsonpath::testing
