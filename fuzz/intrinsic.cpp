// Intrinsic function calls (`States.Format('{}', $.x)`) from untrusted text: parse, then evaluate against a
// fixed input, context and variables with a seeded random source. check_intrinsic must agree with parse.
#include "fuzz_support.hpp"

#include "sfn/jsonpath/intrinsic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sfn::jsonpath;
    const auto text = sfn::fuzz::as_text(data, size);
    const sfn::fuzz::SampleScope sample;
    const auto& scope = sample.scope();

    const bool valid = !check_intrinsic(text).has_value();
    try {
        const auto call = Intrinsic::parse(text);
        if (!valid) sfn::fuzz::fail("check_intrinsic rejects what Intrinsic::parse accepts", text);
        (void)call.evaluate(scope);
    } catch (const PathError& e) {
        if (valid) sfn::fuzz::fail("check_intrinsic accepts what Intrinsic::parse rejects", e.what());
    }
    return 0;
}
