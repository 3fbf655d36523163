// Numbers far outside what a function can use (years of 10^23, 1e300 milliseconds, precisions, radixes,
// widths and indexes of 1e300). Converting such a double to an integer is undefined behaviour, and the
// fuzzer (UBSan) found $toMillis doing it with a year in words that is no number. jsonata-js answers NaN,
// RangeErrors or garbage for most of these; here each has a defined answer: undefined where a text names
// no date, D1001 (Number out of range) where a number cannot be used, U1002 for a string past JavaScript's
// length limit, and the plain answer where the number is merely larger than needed.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "error_of.hpp"
#include "sfn/jsonata/expression.hpp"

using sfn::jsonata::Error;
using sfn::jsonata::Expression;
using sfn::jsonata::Json;
using sfn::jsonata::testing::error_of;

namespace {

std::optional<Json> eval(const std::string& text) { return Expression::compile(text).evaluate(Json::object()); }

}  // namespace

TEST(NumberRanges, TheFuzzedYearInWordsThatIsNoNumberParsesToUndefined) {
    // GIVEN build-fuzz/crashes/jsonata/crash-843928cf68e89179233701de6e4ffb95fc081d6e, byte for byte: "dour"
    // is no number word, so the year is NaN
    // WHEN parsed THEN no date: undefined (jsonata-js 2.x answers undefined too), no NaN cast to an integer
    EXPECT_FALSE(eval("$toMillis('nineteen hundred and eighty-dour', '[Yw]')").has_value());
}

TEST(NumberRanges, ParsedDatesOutsideTheDateRangeAreUndefined) {
    // GIVEN texts naming a year, a day of year or a year in letters beyond Date's ±8.64e15 ms
    // WHEN parsed THEN undefined, as for text that does not match (jsonata-js answers NaN)
    EXPECT_FALSE(eval("$toMillis('99999999999999999999999', '[Y]')").has_value());
    EXPECT_FALSE(eval("$toMillis('2020-999999999999999999999', '[Y]-[d]')").has_value());
    EXPECT_FALSE(eval("$toMillis('zzzzzzzzzzzzzzzzzzzzzzzz', '[Ya]')").has_value());
    // and the edges of the range still parse
    EXPECT_EQ(eval("$toMillis('275760-09-13', '[Y]-[M]-[D]')"), Json(8.64e15));
}

TEST(NumberRanges, MillisecondsOutsideTheDateRangeAreD1001) {
    Error e = error_of("$fromMillis(1e300)");
    EXPECT_EQ(e.code(), "D1001");
    EXPECT_EQ(e.message(), "Number out of range: 1e+300");
    // the last millisecond of the range formats; a time zone pushing it past the end does not
    EXPECT_EQ(eval("$fromMillis(8.64e15, '[Y]')"), Json("275760"));
    EXPECT_EQ(error_of("$fromMillis(8.64e15, '[Y]', '+0100')").code(), "D1001");
}

TEST(NumberRanges, APictureWidthPastAMillionIsD1001) {
    // jsonata-js: RangeError (Invalid array length)
    Error e = error_of("$fromMillis(0, '[Y,*-99999999999]')");
    EXPECT_EQ(e.code(), "D1001");
    EXPECT_EQ(e.message(), "Number out of range: 99999999999");
}

TEST(NumberRanges, RomanNumeralsPastAMillionMsAreD1001AndLettersCountInDoubles) {
    // jsonata-js overflows its stack on the roman numeral, and computes letters in doubles
    EXPECT_EQ(error_of("$formatInteger(1e300, 'i')").code(), "D1001");
    EXPECT_EQ(eval("$formatInteger(1e20, 'a')"), Json("angwjirsmasvagw"));
    EXPECT_EQ(eval("$formatInteger(1e300, 'a')"),
              Json("aaochtvvtrodmmkokckqgmsogyoqayeukkokmicawoyioymiysmekcyieqqaqskmiowkcck"
                   "iqoyqqkcososmggqkcmsosqysyaagkomecieosoigwueaqusyqgykkeomuwwikawaocqeeo"
                   "oyyycsamiwiaguwssuiqeimiuggukkcuwkycwiwcqeemqmaumwamccmewamysgiqkigqsog"));
}

TEST(NumberRanges, RoundTakesAnyPrecisionAndFormatBaseChecksTheRadixAsANumber) {
    // beyond the digits a double has, rounding changes nothing (jsonata-js: NaN)
    EXPECT_EQ(eval("$round(1.5, 1e300)"), Json(1.5));
    EXPECT_EQ(eval("$round(1e300, 400)"), Json(1e300));
    EXPECT_EQ(eval("$round(1.5, -1e300)"), Json(0));
    Error e = error_of("$formatBase(1e300, 1e300)");
    EXPECT_EQ(e.code(), "D3100");
    EXPECT_EQ(e.message(), "The radix of the formatBase function must be between 2 and 36.  It was given 1e+300");
}

TEST(NumberRanges, AnIndexFarOutsideTheArraySelectsNothing) {
    EXPECT_FALSE(eval("[1,2,3][1e300]").has_value());
    EXPECT_FALSE(eval("[1,2,3][-1e300]").has_value());
    EXPECT_FALSE(eval("[1,2,3][$number('1e300')]").has_value());
    EXPECT_FALSE(eval("[1,2,3][$number('-1e300')]").has_value());
    EXPECT_EQ(eval("[1,2,3][$number('-1')]"), Json(3));
}

TEST(NumberRanges, AStringPastJavaScriptsLengthLimitIsU1002EvenWithoutAMemoryLimit) {
    // GIVEN no Environment::memory_limit WHEN a pad would build 600 million characters THEN U1002 before
    // any memory is taken (jsonata-js: RangeError, Invalid string length)
    EXPECT_EQ(error_of("$pad('a', 6e8)").code(), "U1002");
    // the padding is still the pad characters repeated and cut, on either side
    EXPECT_EQ(eval("$pad('ab', -5, '€')"), Json("€€€ab"));
    EXPECT_EQ(eval("$pad('x', 7, 'abc')"), Json("xabcabc"));
    EXPECT_EQ(eval("$pad('x', -6, 'ab')"), Json("ababax"));
    EXPECT_EQ(eval("$pad('x', 5, '€𝟎')"), Json("x€𝟎€𝟎"));
}

TEST(NumberRanges, TheFuzzedFormatBaseOfNaNIsD1001) {
    // GIVEN build-fuzz/crashes/jsonata/crash-911456139ea905f71fe498feb3ead87b74c949cc, byte for byte: 1%0 is
    // NaN, which the digit loop converted to an int
    // WHEN evaluated THEN D1001 (jsonata-js writes "NaN")
    Error e = error_of("$formatBase(1%0, 36)");
    EXPECT_EQ(e.code(), "D1001");
    EXPECT_EQ(e.message(), "Number out of range: NaN");
}

TEST(NumberRanges, TheFormattingFunctionsRejectInfinityAndNaN) {
    // jsonata-js writes "Infinity", "NaN" or "-NaN", or overflows its stack (words); the loops here would not end
    EXPECT_EQ(error_of("$formatBase(1/0)").code(), "D1001");
    EXPECT_EQ(error_of("$formatInteger(1%0, 'w')").code(), "D1001");
    EXPECT_EQ(error_of("$formatInteger(1/0, 'a')").code(), "D1001");
    EXPECT_EQ(error_of("$formatNumber(1/0, '0.0e0')").code(), "D1001");
    // a finite number whose percentage is not
    EXPECT_EQ(error_of("$formatNumber(1e307, '0%')").message(), "Number out of range: Infinity");
    EXPECT_EQ(error_of("$fromMillis(1%0)").code(), "D1001");
    // a NaN precision counts as none, as in jsonata-js
    EXPECT_EQ(eval("$round(1.5, 1%0)"), Json(2));
}
