// ASL definitions from untrusted text. The first byte picks the syntax (even: JSON, odd: YAML), the rest is
// the definition. Parse, validate and serialize; a parsed definition must survive the round trip
// parse(serialize(m)) unchanged, and asl::check must agree with parse + validate.
#include "fuzz_support.hpp"

#include "sfn/asl/asl.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto syntax = (data[0] & 1) != 0 ? sfn::asl::Syntax::Yaml : sfn::asl::Syntax::Json;
    const auto text = sfn::fuzz::as_text(data + 1, size - 1);
    sfn::model::Json document;
    try {
        document = sfn::asl::read_document(text, syntax);
    } catch (const sfn::asl::ParseError&) {
        return 0;  // malformed JSON or YAML: a clean error is all we ask for
    }
    const auto checked = sfn::asl::check(document);
    sfn::model::StateMachine machine;
    try {
        machine = sfn::asl::parse(document);
    } catch (const sfn::asl::ParseError& e) {
        if (checked.empty()) sfn::fuzz::fail("asl::check accepted what asl::parse rejects", e.what());
        return 0;
    }
    const auto diagnostics = sfn::asl::validate(machine);
    if (diagnostics != checked) {
        sfn::fuzz::fail("asl::check and asl::validate disagree", sfn::fuzz::dump_lossy(document));
    }
    const auto rendered = sfn::asl::serialize(machine);
    sfn::model::StateMachine again;
    try {
        again = sfn::asl::parse(rendered);
    } catch (const sfn::asl::ParseError& e) {
        sfn::fuzz::fail("serialize() wrote a definition parse() rejects", sfn::fuzz::dump_lossy(rendered) + "\n" + e.what());
    }
    if (sfn::asl::serialize(again) != rendered) {
        sfn::fuzz::fail("serialize(parse(serialize(m))) != serialize(m)", sfn::fuzz::dump_lossy(rendered));
    }
    return 0;
}
