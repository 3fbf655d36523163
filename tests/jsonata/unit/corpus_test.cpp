// Every `{% %}` expression of the Step Functions conformance corpus compiles (the ASL validator
// relies on Expression::compile to check them at definition time).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sfn/jsonata/expression.hpp"

using sfn::jsonata::Json;

namespace {

void collect(const Json& j, std::vector<std::string>& out) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s.size() >= 4 && s.rfind("{%", 0) == 0 && s.compare(s.size() - 2, 2, "%}") == 0) out.push_back(s.substr(2, s.size() - 4));
    } else if (j.is_structured()) {
        for (const auto& x : j) collect(x, out);
    }
}

}  // namespace

TEST(Corpus, EveryConformanceExpressionCompiles) {
    std::size_t count = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(SFN_SHARED_DIR) / "conformance/cases")) {
        if (e.path().extension() != ".json") continue;
        std::ifstream in(e.path());
        Json doc = Json::parse(in);
        std::vector<std::string> exprs;
        collect(doc["definition"], exprs);
        for (const auto& x : exprs) {
            ++count;
            EXPECT_NO_THROW((void)sfn::jsonata::Expression::compile(x)) << e.path().filename() << ": " << x;
        }
    }
    EXPECT_GT(count, 100u);
}
