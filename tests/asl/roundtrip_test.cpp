// serialize(parse(x)) == x for every definition AWS recorded, and the canonical order on seeds.
#include "asl/asl_support.hpp"
#include "sfn/asl/parse.hpp"
#include "sfn/asl/serialize.hpp"

#include <gtest/gtest.h>

using sfn::asl::testing::conformance_cases;
using sfn::asl::testing::read_json;

namespace {
// The one normalization: an explicit empty "Retry": [] / "Catch": [] means the same as none, and
// the model keeps Retry/Catch as plain lists, so such a field is not written back.
nlohmann::json without_empty_error_handling(nlohmann::json j) {
    if (j.is_object()) {
        for (const char* key : {"Retry", "Catch"}) {
            if (j.contains(key) && j[key].is_array() && j[key].empty()) j.erase(key);
        }
        for (auto it = j.begin(); it != j.end(); ++it) *it = without_empty_error_handling(*it);
    } else if (j.is_array()) {
        for (auto& value : j) value = without_empty_error_handling(value);
    }
    return j;
}
}  // namespace

TEST(RoundTrip, EveryConformanceDefinitionSerializesBackToItself) {
    // GIVEN every definition of the conformance corpus
    auto cases = conformance_cases();
    ASSERT_GE(cases.size(), 700u);
    int failures = 0;
    for (const auto& file : cases) {
        const auto definition = read_json(file).at("definition");
        // WHEN parsed and serialized again
        try {
            const auto again = sfn::asl::serialize(sfn::asl::parse(definition));
            // THEN the JSON is the same (key order aside)
            if (nlohmann::json::parse(again.dump()) != without_empty_error_handling(nlohmann::json::parse(definition.dump()))) {
                ++failures;
                ADD_FAILURE() << file.filename() << "\n  in:  " << definition.dump() << "\n  out: " << again.dump();
            }
        } catch (const sfn::asl::ParseError& e) {
            ++failures;
            ADD_FAILURE() << file.filename() << ": " << e.what();
        }
        if (failures > 5) break;
    }
}

TEST(RoundTrip, SeedWorkflowsSerializeInTheCanonicalOrder) {
    // GIVEN the seed examples' expected ASL (key order is the canonical order)
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(SFN_SHARED_DIR) / "seed-examples")) {
        if (entry.path().extension() != ".json") continue;
        const auto seed = read_json(entry.path());
        const auto& expected = seed.contains("expected_asl_clean_subset") ? seed["expected_asl_clean_subset"] : seed["expected_asl"];
        // WHEN parsed and serialized
        const auto out = seed["scope"] == "workflow"
                             ? sfn::asl::serialize(sfn::asl::parse(expected))
                             : sfn::asl::serialize_state(
                                   sfn::asl::parse(nlohmann::ordered_json{{"StartAt", "S"}, {"States", {{"S", expected}}}}).states[0].state);
        // THEN the text is identical, order included
        EXPECT_EQ(out.dump(1), expected.dump(1)) << entry.path().filename();
    }
}
