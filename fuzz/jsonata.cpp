// JSONata expressions from untrusted text, compiled and evaluated against a fixed document with the
// evaluation limits on (depth and wall-clock time), so deep recursion and endless loops end in error U1001
// instead of a crash or a hang. fuzz/run_target.sh bounds the expression size (-max_len).
#include "fuzz_support.hpp"

#include "sfn/jsonata/expression.hpp"

#include <chrono>

namespace {

const sfn::jsonata::Json& document() {
    static const auto doc = sfn::jsonata::Json::parse(R"({
      "Account": {"Name": "Firefly", "Order": [
        {"OrderID": "o1", "Product": [{"Name": "Hat", "Price": 34.45, "Quantity": 2, "Tags": ["a", "b"]},
                                       {"Name": "Scarf", "Price": 21.67, "Quantity": 1}]},
        {"OrderID": "o2", "Product": [{"Name": "Coat", "Price": 107.99, "Quantity": 1, "Tags": []}]}]},
      "nums": [3, 1, 2, -5.5, 1e308], "str": "Hello, World", "when": "2024-02-29T12:00:00.000Z",
      "nested": {"a": [{"b": [{"c": 1}, {"c": [2, 3]}]}]}, "nothing": null, "yes": true
    })");
    return doc;
}

sfn::jsonata::Environment environment() {
    sfn::jsonata::Environment env;
    env.bindings.emplace("states", sfn::jsonata::Json{{"input", {{"x", 1}}}, {"context", {{"n", "e"}}}});
    env.max_depth = 500;
    env.time_limit = std::chrono::milliseconds(500);
    return env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const sfn::jsonata::Input input(document());
    static const sfn::jsonata::Environment env = environment();
    try {
        const auto expression = sfn::jsonata::Expression::compile(sfn::fuzz::as_text(data, size));
        (void)expression.evaluate(input, env);
    } catch (const sfn::jsonata::Error&) {
        // syntax, type and limit errors are the expected outcome for most inputs
    }
    return 0;
}
