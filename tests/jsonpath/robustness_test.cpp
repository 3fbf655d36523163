// Property tests: hostile or random text never crashes or hangs the parsers; it either compiles
// or throws PathError.
#include <gtest/gtest.h>

#include <random>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;

namespace {

template <class F>
void expect_parses_or_path_error(const std::string& text, F&& parse) {
    try {
        parse(text);
    } catch (const PathError&) {
        return;
    } catch (const std::exception& e) {
        FAIL() << "unexpected " << e.what() << " for " << text;
    }
}

}  // namespace

TEST(Robustness, DeeplyNestedFiltersAreRejectedNotAStackOverflow) {
    std::string path = "$[?(" + std::string(100000, '(') + "@.a";
    EXPECT_EQ(path_error([&] { (void)Path::parse(path); }).substr(0, 40), "[sfn.jsonpath.E001] invalid JSONPath '$[");
    EXPECT_NE(path_error([&] { (void)Path::parse(path); }).find("filter nested deeper than 64 levels"), std::string::npos);
    std::string bangs = "$[?(" + std::string(100000, '!') + "@.a)]";
    EXPECT_NE(path_error([&] { (void)Path::parse(bangs); }).find("filter nested deeper than 64 levels"), std::string::npos);
}

TEST(Robustness, DeeplyNestedIntrinsicCallsAreRejected) {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += "States.Array(";
    EXPECT_NE(path_error([&] { (void)Intrinsic::parse(text); }).find("intrinsic calls nested deeper than 32 levels"),
              std::string::npos);
    std::string ok = "1";
    for (int i = 0; i < 30; ++i) ok = "States.Array(" + ok + ")";
    EXPECT_EQ(call(ok).size(), 61u);
}

TEST(Robustness, RandomTextNeverCrashesThePathParser) {
    const std::string alphabet = "$@.[]()*?:,'\"-0123456789abc =!<>&|\\ ";
    std::mt19937 rng(7);
    Value doc = Value::parse(R"({"a":[{"b":1},{"b":"x"}],"c":{"d":[1,2,3]}})");
    for (int i = 0; i < 20000; ++i) {
        std::string text = "$";
        for (int n = static_cast<int>(rng() % 16); n > 0; --n) text += alphabet[rng() % alphabet.size()];
        expect_parses_or_path_error(text, [&](const std::string& t) { (void)Path::parse(t).select(doc); });
    }
}

TEST(Robustness, RandomTextNeverCrashesTheIntrinsicParser) {
    const std::vector<std::string> pieces = {"States.Format(", "States.Array(", "States.MathAdd(", "States.Hash(",
                                             "'x'", "'{}'", "$.a", "$$", "1", "-2.5", ",", ")", "(", " ", "\\'", "true",
                                             "null", "States.UUID()", "$v"};
    std::mt19937 rng(11);
    Fixture f(R"({"a":1})");
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        for (int n = static_cast<int>(rng() % 10) + 1; n > 0; --n) text += pieces[rng() % pieces.size()];
        expect_parses_or_path_error(text, [&](const std::string& t) { (void)Intrinsic::parse(t).evaluate(f.scope()); });
    }
}
