// Payload templates (Parameters, ResultSelector, ItemSelector, Assign) from untrusted JSON: compile and render
// against a fixed input, context and variables. check_template must report a problem exactly when compile
// throws.
#include "fuzz_support.hpp"

#include "sfn/jsonpath/template.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sfn::jsonpath;
    const auto payload = nlohmann::ordered_json::parse(sfn::fuzz::as_text(data, size), nullptr, false);
    if (payload.is_discarded()) return 0;
    const sfn::fuzz::SampleScope sample;
    const auto& scope = sample.scope();

    const bool valid = check_template(payload).empty();
    try {
        const auto compiled = Template::compile(payload);
        if (!valid) sfn::fuzz::fail("check_template reports a problem Template::compile accepts", sfn::fuzz::dump_lossy(payload));
        (void)compiled.render(scope);
    } catch (const PathError& e) {
        if (valid) sfn::fuzz::fail("check_template misses a problem Template::compile reports", e.what());
    }
    return 0;
}
