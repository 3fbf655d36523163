#include "sfn/core/text.hpp"

#include <gtest/gtest.h>

using namespace sfn;

TEST(Text, JsonNumbersFollowJavaScriptLayout) {
    auto num = [](double d) {
        std::string s;
        text::append_json_number(s, d);
        return s;
    };
    EXPECT_EQ(num(100), "100");
    EXPECT_EQ(num(1.5), "1.5");
    EXPECT_EQ(num(-0.0), "0");
    EXPECT_EQ(num(1e21), "1e+21");
    EXPECT_EQ(num(123e-20), "1.23e-18");
    EXPECT_EQ(num(0.000001), "0.000001");
    EXPECT_EQ(num(0.0000001), "1e-7");
    EXPECT_EQ(num(-123.456), "-123.456");
    EXPECT_EQ(num(1.0 / 0.0), "null");
}

TEST(Text, JsonStringsEscapeOnlyWhatJsonStringifyEscapes) {
    std::string s;
    text::append_json_string(s, "a\"b\\c\n\x01/\xC3\xA9");
    EXPECT_EQ(s, "\"a\\\"b\\\\c\\n\\u0001/\xC3\xA9\"");
}

TEST(Text, Utf8ValidationAndUtf16Length) {
    EXPECT_TRUE(text::is_valid_utf8("abc\xC3\xA9\xF0\x9F\x98\x80"));
    EXPECT_FALSE(text::is_valid_utf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(text::is_valid_utf8("\xE4\xB8"));          // truncated
    EXPECT_EQ(text::utf16_length("a\xC3\xA9\xF0\x9F\x98\x80"), 4u);
    std::string out;
    text::append_utf8(out, U'\U0001F600');
    EXPECT_EQ(out, "\xF0\x9F\x98\x80");
}

TEST(Text, Base64RoundTripsEveryLength) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
        auto encoded = text::base64_encode(bytes);
        EXPECT_EQ(encoded.size() % 4, 0u);
        ASSERT_EQ(text::base64_decode(encoded), bytes) << i;
        bytes += static_cast<char>(i * 37);
    }
    EXPECT_EQ(text::base64_encode("Data to encode"), "RGF0YSB0byBlbmNvZGU=");
    EXPECT_EQ(text::base64_decode("abc"), std::nullopt);
    EXPECT_EQ(text::base64_decode("ab!="), std::nullopt);
}

TEST(Text, JsonNestingProblemNamesThePositionPastTheLimit) {
    EXPECT_EQ(text::json_nesting_problem("[[1],{\"a\":[2]}]", 3), std::nullopt);
    EXPECT_EQ(text::json_nesting_problem("[[1],{\"a\":[2]}]", 2), "nesting deeper than 2 levels at line 1, column 11");
    // Brackets inside strings, also after escaped quotes, do not count.
    EXPECT_EQ(text::json_nesting_problem(R"(["[[[[\"[[[[", "\\"])", 1), std::nullopt);
    const std::string deep = "{\n\"x\": " + std::string(1'000'000, '[');
    EXPECT_EQ(text::json_nesting_problem(deep, 512), "nesting deeper than 512 levels at line 2, column 517");
}
