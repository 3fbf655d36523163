// serialize(parse(x)) == x for every definition AWS recorded, and the canonical order on seeds.
#include "asl/asl_support.hpp"
#include "sfn/asl/parse.hpp"
#include "sfn/asl/serialize.hpp"

#include <gtest/gtest.h>

using sfn::asl::testing::conformance_cases;
using sfn::asl::testing::read_json;

namespace {
// What `sfn fmt` does to a definition: parse, serialize.
nlohmann::json formatted(const nlohmann::ordered_json& definition) {
    return nlohmann::json::parse(sfn::asl::serialize(sfn::asl::parse(definition)).dump());
}

// Compares each definition with its formatted form as JSON values: key order aside, nothing may be dropped or
// added (empty lists and objects included). Returns the number of definitions that differ.
int count_changed(const std::vector<std::pair<std::string, nlohmann::ordered_json>>& definitions) {
    int failures = 0;
    for (const auto& [name, definition] : definitions) {
        try {
            const auto out = formatted(definition);
            if (out != nlohmann::json::parse(definition.dump())) {
                ++failures;
                ADD_FAILURE() << name << "\n  in:  " << definition.dump() << "\n  out: " << out.dump();
            }
        } catch (const sfn::asl::ParseError& e) {
            ++failures;
            ADD_FAILURE() << name << ": " << e.what();
        }
        if (failures > 5) break;
    }
    return failures;
}

std::vector<std::pair<std::string, nlohmann::ordered_json>> definitions_in(const std::filesystem::path& folder) {
    std::vector<std::pair<std::string, nlohmann::ordered_json>> out;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (entry.path().extension() == ".json") out.emplace_back(entry.path().filename().string(), read_json(entry.path()));
    }
    return out;
}
}  // namespace

TEST(RoundTrip, EveryConformanceDefinitionSerializesBackToItself) {
    // GIVEN every definition of the conformance corpus (some with an empty "Retry": [] or "Catch": [])
    std::vector<std::pair<std::string, nlohmann::ordered_json>> definitions;
    for (const auto& file : conformance_cases()) definitions.emplace_back(file.filename().string(), read_json(file).at("definition"));
    ASSERT_GE(definitions.size(), 700u);
    // WHEN parsed and serialized again THEN the JSON is the same (key order aside)
    EXPECT_EQ(count_changed(definitions), 0);
}

TEST(RoundTrip, EveryRealWorldAndSeedDefinitionSerializesBackToItself) {
    // GIVEN the real-world workflows and the seed examples' ASL (single states wrapped in a machine)
    auto definitions = definitions_in(std::filesystem::path(SFN_SHARED_DIR) / "realworld");
    ASSERT_GE(definitions.size(), 40u);
    for (auto& [name, file] : definitions) file = nlohmann::ordered_json(file.at("definition"));
    for (auto [name, seed] : definitions_in(std::filesystem::path(SFN_SHARED_DIR) / "seed-examples")) {
        for (const char* key : {"expected_asl", "expected_asl_clean_subset"}) {
            if (!seed.contains(key)) continue;
            const auto& asl = seed[key];
            definitions.emplace_back(name + ":" + key, seed["scope"] == "workflow"
                                                            ? asl
                                                            : nlohmann::ordered_json{{"StartAt", "S"}, {"States", {{"S", asl}}}});
        }
    }
    // WHEN parsed and serialized again THEN the JSON is the same (key order aside)
    EXPECT_EQ(count_changed(definitions), 0);
}

TEST(RoundTrip, EmptyListsAndObjectsAreKept) {
    // GIVEN a definition with every kind of empty list and object a state may hold
    const auto definition = nlohmann::ordered_json::parse(R"({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{},"ResultSelector":{},
             "Assign":{},"Retry":[],"Catch":[],"Next":"P"},
        "P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Result":[],"End":true}}}],
             "Retry":[],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"M","Assign":{}}],"Next":"M"},
        "M":{"Type":"Map","ItemSelector":{},"ItemProcessor":{"StartAt":"Y","States":{"Y":{"Type":"Pass","Parameters":{},"End":true}}},
             "Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[],"End":true}}})");
    // WHEN formatted THEN nothing is dropped
    const auto out = formatted(definition);
    EXPECT_EQ(out, nlohmann::json::parse(definition.dump()));
    EXPECT_EQ(out["States"]["T"]["Retry"], nlohmann::json::array());
    EXPECT_EQ(out["States"]["M"]["Catch"], nlohmann::json::array());
    // AND a model that never had Retry/Catch writes neither
    const auto bare = formatted(nlohmann::ordered_json::parse(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::x:y","End":true}}})"));
    EXPECT_FALSE(bare["States"]["T"].contains("Retry"));
    EXPECT_FALSE(bare["States"]["T"].contains("Catch"));
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
