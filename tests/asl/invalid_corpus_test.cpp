// Data-driven: tests/asl/invalid/*.json each break one rule; check() must report exactly the
// expected findings (pointer and code), nothing more.
#include "asl/asl_support.hpp"
#include "sfn/asl/validate.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

std::vector<std::filesystem::path> invalid_cases() {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(SFN_SOURCE_DIR) / "tests/asl/invalid")) {
        if (e.path().extension() == ".json") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

class InvalidCorpus : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(InvalidCorpus, ReportsExactlyTheExpectedLocationAndCode) {
    // GIVEN a definition that breaks one rule
    const auto file = sfn::asl::testing::read_json(GetParam());
    // WHEN checked
    const auto diagnostics = sfn::asl::check(file.at("definition"));
    // THEN exactly the expected findings are reported, each with a message
    std::vector<std::pair<std::string, std::string>> got, want;
    for (const auto& d : diagnostics) {
        got.emplace_back(d.pointer, d.code);
        EXPECT_FALSE(d.message.empty());
    }
    for (const auto& e : file.at("expected")) want.emplace_back(e.at("pointer"), e.at("code"));
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << sfn::asl::to_string(diagnostics);
}

INSTANTIATE_TEST_SUITE_P(Files, InvalidCorpus, ::testing::ValuesIn(invalid_cases()),
                         [](const auto& info) { return info.param.stem().string(); });

TEST(InvalidCorpusSize, HasAtLeastSixtyCases) { EXPECT_GE(invalid_cases().size(), 60u); }

}  // namespace
