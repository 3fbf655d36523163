#pragma once
// Helpers shared by the fuzz targets: one input split into parts, a property failure that libFuzzer reports
// as a crash, and the fixed documents that paths, templates and intrinsic calls are evaluated against.

#include "sfn/core/value.hpp"
#include "sfn/jsonpath/scope.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::fuzz {

[[nodiscard]] inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Splits `text` at NUL bytes into exactly `n` parts; the last part keeps any further NULs, missing parts are
/// empty. Seeds (fuzz/make_seeds.py) write multi-part inputs the same way.
[[nodiscard]] inline std::vector<std::string_view> split_parts(std::string_view text, std::size_t n) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < n) {
        const auto nul = text.find('\0');
        if (nul == std::string_view::npos) break;
        parts.push_back(text.substr(0, nul));
        text.remove_prefix(nul + 1);
    }
    parts.push_back(text);
    parts.resize(n);
    return parts;
}

/// A property the target checks does not hold: print it and abort, so libFuzzer saves the input.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
    std::fprintf(stderr, "fuzz property violated: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

/// JSON text for a failure message; invalid UTF-8 (possible from YAML or JSONata) is replaced, not thrown on.
template <class Json>
[[nodiscard]] std::string dump_lossy(const Json& json) {
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// `$`: a state input with objects, arrays, numbers of both kinds, strings with JSON, Base64 and a
/// States.Format template in them.
inline const Value& sample_input() {
    static const Value input = Value::parse(R"({
      "order": {"id": 7, "paid": true, "note": null, "tags": ["x", "y", "x"],
                "items": [{"sku": "a", "price": 9.5, "qty": 2}, {"sku": "b", "price": 20, "qty": 1}]},
      "numbers": [1, 2, 3, -4, 5.5, 1e300],
      "text": "h\u00e9llo {} world {}",
      "nested": {"a": {"b": {"c": [1, [2, [3]]]}}},
      "json": "{\"k\": [1, 2], \"m\": {\"n\": true}}",
      "b64": "aGVsbG8gd29ybGQ=",
      "empty": {}, "none": [], "big": 9223372036854775807, "neg": -9223372036854775808
    })");
    return input;
}

/// `$$`: a context object as the engine builds it inside a Map iteration.
inline const Value& sample_context() {
    static const Value context = Value::parse(R"({
      "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:M:e1", "Name": "e1",
                    "Input": {"a": 1}, "StartTime": "2024-01-01T00:00:00.000Z",
                    "RoleArn": "arn:aws:iam::123456789012:role/r"},
      "State": {"Name": "S", "EnteredTime": "2024-01-01T00:00:01.000Z", "RetryCount": 0},
      "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "Name": "M"},
      "Map": {"Item": {"Index": 1, "Value": {"sku": "b"}}}
    })");
    return context;
}

/// `$name`: a few workflow variables.
class SampleVariables final : public jsonpath::VariableLookup {
public:
    SampleVariables()
        : values_{{"v", Value::parse(R"({"x": 1, "y": [true, false]})")},
                  {"list", Value::parse("[3, 1, 2]")},
                  {"name", Value("bob")}} {}
    [[nodiscard]] const Value* lookup(std::string_view name) const override {
        auto it = values_.find(std::string(name));
        return it == values_.end() ? nullptr : &it->second;
    }

private:
    std::map<std::string, Value> values_;
};

/// The scope every path, template and intrinsic input is evaluated in: the samples above and a random source
/// seeded the same way for each input (so runs are reproducible). Not copyable: the scope points into it.
class SampleScope {
public:
    SampleScope() : random_(1), scope_(sample_input(), sample_context(), &variables(), &random_) {}
    SampleScope(const SampleScope&) = delete;
    SampleScope& operator=(const SampleScope&) = delete;
    [[nodiscard]] const jsonpath::Scope& scope() const noexcept { return scope_; }

private:
    static const SampleVariables& variables() {
        static const SampleVariables values;
        return values;
    }
    jsonpath::Random random_;
    jsonpath::Scope scope_;
};

}  // namespace sfn::fuzz
