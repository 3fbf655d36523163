#pragma once
// Integer picture strings (XPath fn:format-integer), shared by $formatInteger, $parseInteger and the
// date/time pictures of $fromMillis/$toMillis.
#include <string>
#include <vector>

namespace sfn::jsonata::detail {

struct IntegerFormat {
    enum class Primary : std::uint8_t { Decimal, Letters, Roman, Words, Sequence, Name };
    enum class Case : std::uint8_t { Lower, Upper, Title };
    Primary primary = Primary::Decimal;
    Case letter_case = Case::Lower;
    bool ordinal = false;
    char32_t zero = U'0';
    int mandatory_digits = 0;
    int optional_digits = 0;
    bool regular = false;
    struct Separator {
        int position;
        std::u32string character;
    };
    std::vector<Separator> separators;  // when regular: one entry with the interval
    std::string token;                  // the picture, for error messages
};

IntegerFormat analyse_integer_picture(const std::string& picture);
std::string format_integer_with(double value, IntegerFormat format);
/// \returns nullopt when the text does not parse under the format
std::optional<double> parse_integer_with(const std::string& text, const IntegerFormat& format);
/// Words ("one hundred and two") to a number; ordinals accepted.
double words_to_number(const std::string& lower_text);
std::string number_to_words(double value, bool ordinal);
std::string to_roman(double value);
std::string to_letters(double value, char a);

}  // namespace sfn::jsonata::detail
