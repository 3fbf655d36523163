#pragma once
// Helpers shared by the asl tests: reading the shared corpora.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sfn::asl::testing {

/// Every conformance case file under ../shared/conformance/cases (recursively), sorted.
std::vector<std::filesystem::path> conformance_cases();
/// A JSON file read as ordered JSON.
nlohmann::ordered_json read_json(const std::filesystem::path& path);

}  // namespace sfn::asl::testing
