#include "asl/asl_support.hpp"

#include <algorithm>
#include <fstream>

namespace sfn::asl::testing {

std::vector<std::filesystem::path> conformance_cases() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::filesystem::path(SFN_SHARED_DIR) / "conformance/cases")) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

nlohmann::ordered_json read_json(const std::filesystem::path& path) {
    std::ifstream in(path);
    return nlohmann::ordered_json::parse(in);
}

}  // namespace sfn::asl::testing
