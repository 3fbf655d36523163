// JSONPath and reference paths from untrusted text, evaluated against a fixed input, context and variables.
// check_path must agree with parse; a reference path is also used to assign a value (ResultPath).
#include "fuzz_support.hpp"

#include "sfn/jsonpath/path.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sfn::jsonpath;
    const auto text = sfn::fuzz::as_text(data, size);
    const sfn::fuzz::SampleScope sample;
    const auto& scope = sample.scope();

    const bool valid = !check_path(text, PathKind::path).has_value();
    try {
        const auto path = Path::parse(text);
        if (!valid) sfn::fuzz::fail("check_path rejects what Path::parse accepts", text);
        (void)path.normalized();
        (void)path.select(scope);
        (void)path.evaluate(scope);
    } catch (const PathError& e) {
        if (valid) sfn::fuzz::fail("check_path accepts what Path::parse rejects", e.what());
        return 0;
    }

    const bool valid_reference = !check_path(text, PathKind::reference_path).has_value();
    try {
        const auto reference = Path::parse_reference(text);
        if (!valid_reference) sfn::fuzz::fail("check_path rejects a reference path parse_reference accepts", text);
        if (reference.root() == PathRoot::input) {
            (void)reference.assign(sfn::fuzz::sample_input(), sfn::Value("result"));
        }
    } catch (const PathError& e) {
        if (valid_reference) sfn::fuzz::fail("check_path accepts a reference path parse_reference rejects", e.what());
    }
    return 0;
}
