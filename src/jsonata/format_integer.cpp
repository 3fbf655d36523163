// $formatInteger / $parseInteger: decimal digit patterns (any Unicode digit family, grouping,
// ordinals), letters, roman numerals and English words.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"
#include "jsonata/detail_picture.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

constexpr char32_t kDecimalGroups[] = {0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
                                       0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
                                       0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
                                       0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

const char* kFew[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
                      "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* kOrdinals[] = {"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
                           "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth",
                           "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
const char* kDecades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"};
const char* kMagnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string words_lookup(double num, bool prev, bool ord) {
    std::string words;
    if (num <= 19) {
        auto n = static_cast<int>(num);
        words = std::string(prev ? " and " : "") + (ord ? kOrdinals[n] : kFew[n]);
    } else if (num < 100) {
        int tens = static_cast<int>(num / 10);
        int rem = static_cast<int>(std::fmod(num, 10));
        words = std::string(prev ? " and " : "") + kDecades[tens - 2];
        if (rem > 0) words += "-" + words_lookup(rem, false, ord);
        else if (ord) words = words.substr(0, words.size() - 1) + "ieth";
    } else if (num < 1000) {
        int hundreds = static_cast<int>(num / 100);
        double rem = std::fmod(num, 100);
        words = std::string(prev ? ", " : "") + kFew[hundreds] + " Hundred";
        if (rem > 0) words += words_lookup(rem, true, ord);
        else if (ord) words += "th";
    } else {
        int mag = static_cast<int>(std::floor(std::log10(num) / 3));
        if (mag > 4) mag = 4;
        double factor = std::pow(10, mag * 3);
        double mant = std::floor(num / factor);
        double rem = num - mant * factor;
        words = std::string(prev ? ", " : "") + words_lookup(mant, false, false) + " " + kMagnitudes[mag - 1];
        if (rem > 0) words += words_lookup(rem, true, ord);
        else if (ord) words += "th";
    }
    return words;
}

const std::map<std::string, double>& word_values() {
    static const std::map<std::string, double> values = [] {
        std::map<std::string, double> m;
        for (int i = 0; i < 20; ++i) {
            m[lower(kFew[i])] = i;
            m[lower(kOrdinals[i])] = i;
        }
        for (int i = 0; i < 9; ++i) {
            std::string w = lower(kDecades[i]);
            m[w] = (i + 2) * 10;
            m[w.substr(0, w.size() - 1) + "ieth"] = (i + 2) * 10;
        }
        m["hundred"] = 100;
        m["hundredth"] = 100;
        for (int i = 0; i < 4; ++i) {
            std::string w = lower(kMagnitudes[i]);
            m[w] = std::pow(10, (i + 1) * 3);
            m[w + "th"] = std::pow(10, (i + 1) * 3);
        }
        return m;
    }();
    return values;
}

}  // namespace

std::string number_to_words(double value, bool ordinal) { return words_lookup(value, false, ordinal); }

double words_to_number(const std::string& text) {
    // split on ", ", " and ", whitespace and '-'
    std::vector<std::string> parts;
    std::string cur;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, ", ") == 0) {
            parts.push_back(cur);
            cur.clear();
            ++i;
        } else if (text.compare(i, 5, " and ") == 0) {
            parts.push_back(cur);
            cur.clear();
            i += 4;
        } else if (text[i] == ' ' || text[i] == '-' || text[i] == '\t') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += text[i];
        }
    }
    parts.push_back(cur);
    std::vector<double> segs{0};
    for (const auto& p : parts) {
        auto it = word_values().find(p);
        double value = it == word_values().end() ? std::nan("") : it->second;
        if (value < 100) {
            double top = segs.back();
            segs.pop_back();
            if (top >= 1000) {
                segs.push_back(top);
                top = 0;
            }
            segs.push_back(top + value);
        } else {
            double top = segs.back();
            segs.pop_back();
            segs.push_back(top * value);
        }
    }
    return std::accumulate(segs.begin(), segs.end(), 0.0);
}

std::string to_roman(double value) {
    static const std::pair<int, const char*> numerals[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                           {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                           {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
    // Roman numerals have no digit for thousands, so a value writes value/1000 m's: past 1e9 (a million m's)
    // that is D1001 rather than an unbounded string (the reference recurses until its stack overflows).
    if (value > 1e9) fail("D1001", 0, {}, js_number_to_string(value));
    std::string out;
    auto v = static_cast<long long>(value);
    for (const auto& [n, s] : numerals)
        while (v >= n) {
            out += s;
            v -= n;
        }
    return out;
}

std::string to_letters(double value, char a) {
    // in doubles, as the reference computes, so values beyond 2^63 stay defined (1e300 gives 213 letters)
    std::string out;
    double v = std::floor(value);
    while (v > 0) {
        out.insert(out.begin(), static_cast<char>(static_cast<int>(std::fmod(v - 1, 26)) + a));
        v = std::floor((v - 1) / 26);
    }
    return out;
}

IntegerFormat analyse_integer_picture(const std::string& picture) {
    IntegerFormat f;
    f.token = picture;
    std::string primary = picture;
    auto semi = picture.rfind(';');
    if (semi != std::string::npos) {
        primary = picture.substr(0, semi);
        std::string modifier = picture.substr(semi + 1);
        if (!modifier.empty() && modifier[0] == 'o') f.ordinal = true;
    }
    if (primary == "A" || primary == "a") {
        f.primary = IntegerFormat::Primary::Letters;
        f.letter_case = primary == "A" ? IntegerFormat::Case::Upper : IntegerFormat::Case::Lower;
        return f;
    }
    if (primary == "I" || primary == "i") {
        f.primary = IntegerFormat::Primary::Roman;
        f.letter_case = primary == "I" ? IntegerFormat::Case::Upper : IntegerFormat::Case::Lower;
        return f;
    }
    if (primary == "W" || primary == "w" || primary == "Ww") {
        f.primary = IntegerFormat::Primary::Words;
        f.letter_case = primary == "W" ? IntegerFormat::Case::Upper : primary == "w" ? IntegerFormat::Case::Lower : IntegerFormat::Case::Title;
        return f;
    }
    std::u32string cps = to_u32(primary);
    std::reverse(cps.begin(), cps.end());
    bool have_zero = false;
    int position = 0;
    for (char32_t cp : cps) {
        bool digit = false;
        for (char32_t group : kDecimalGroups) {
            if (cp >= group && cp <= group + 9) {
                digit = true;
                ++f.mandatory_digits;
                ++position;
                if (!have_zero) {
                    f.zero = group;
                    have_zero = true;
                } else if (group != f.zero) {
                    fail("D3131", 0, "formatInteger");
                }
                break;
            }
        }
        if (digit) continue;
        if (cp == U'#') {
            ++position;
            ++f.optional_digits;
        } else {
            f.separators.push_back({position, std::u32string(1, cp)});
        }
    }
    if (f.mandatory_digits == 0) {
        f.primary = IntegerFormat::Primary::Sequence;
        return f;
    }
    f.primary = IntegerFormat::Primary::Decimal;
    if (!f.separators.empty()) {
        bool same = std::all_of(f.separators.begin(), f.separators.end(),
                                [&](const auto& s) { return s.character == f.separators[0].character; });
        int factor = 0;
        if (same) {
            for (const auto& s : f.separators) factor = std::gcd(factor, s.position);
            for (std::size_t i = 1; i <= f.separators.size(); ++i)
                if (std::none_of(f.separators.begin(), f.separators.end(),
                                 [&](const auto& s) { return s.position == static_cast<int>(i) * factor; }))
                    factor = 0;
        }
        if (factor > 0) {
            f.regular = true;
            f.separators = {{factor, f.separators[0].character}};
        }
    }
    return f;
}

std::string format_integer_with(double value, IntegerFormat f) {
    // Infinity and NaN have no digits (the callers report them first; this keeps the loops below finite)
    if (!std::isfinite(value)) fail("D1001", 0, {}, js_number_to_string(value));
    bool negative = value < 0;
    value = std::fabs(value);
    std::string out;
    switch (f.primary) {
    case IntegerFormat::Primary::Letters:
        out = to_letters(value, f.letter_case == IntegerFormat::Case::Upper ? 'A' : 'a');
        break;
    case IntegerFormat::Primary::Roman:
        out = to_roman(value);
        if (f.letter_case == IntegerFormat::Case::Upper) out = upper(out);
        break;
    case IntegerFormat::Primary::Words:
        out = number_to_words(value, f.ordinal);
        if (f.letter_case == IntegerFormat::Case::Upper) out = upper(out);
        else if (f.letter_case == IntegerFormat::Case::Lower) out = lower(out);
        break;
    case IntegerFormat::Primary::Decimal: {
        char buf[400];
        std::snprintf(buf, sizeof buf, "%.0f", value);
        std::u32string s = to_u32(buf);
        if (static_cast<int>(s.size()) < f.mandatory_digits) s.insert(0, static_cast<std::size_t>(f.mandatory_digits) - s.size(), U'0');
        if (f.zero != U'0')
            for (auto& c : s) c = c - U'0' + f.zero;
        if (f.regular) {
            const int step = f.separators[0].position;
            long n = (static_cast<long>(s.size()) - 1) / step;
            for (long i = n; i > 0; --i) {
                long pos = static_cast<long>(s.size()) - i * step;
                s.insert(static_cast<std::size_t>(pos), f.separators[0].character);
            }
        } else {
            std::reverse(f.separators.begin(), f.separators.end());
            for (const auto& sep : f.separators) {
                long pos = static_cast<long>(s.size()) - sep.position;
                if (pos >= 0) s.insert(static_cast<std::size_t>(pos), sep.character);
            }
        }
        out = from_u32(s);
        if (f.ordinal) {
            char last = out.empty() ? '0' : out.back();
            const char* suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
            if (out.size() > 1 && out[out.size() - 2] == '1') suffix = "th";
            out += suffix;
        }
        break;
    }
    case IntegerFormat::Primary::Sequence:
    case IntegerFormat::Primary::Name: fail("D3130", 0, "formatInteger", f.token);
    }
    return negative ? "-" + out : out;
}

std::optional<double> parse_integer_with(const std::string& text, const IntegerFormat& f) {
    switch (f.primary) {
    case IntegerFormat::Primary::Letters: {
        char a = f.letter_case == IntegerFormat::Case::Upper ? 'A' : 'a';
        double v = 0;
        for (std::size_t i = 0; i < text.size(); ++i)
            v += (text[text.size() - i - 1] - a + 1) * std::pow(26, static_cast<double>(i));
        return v;
    }
    case IntegerFormat::Primary::Roman: {
        static const std::map<char, int> values = {{'M', 1000}, {'D', 500}, {'C', 100}, {'L', 50}, {'X', 10}, {'V', 5}, {'I', 1}};
        std::string r = upper(text);
        double v = 0;
        int max = 1;
        for (std::size_t i = r.size(); i-- > 0;) {
            auto it = values.find(r[i]);
            if (it == values.end()) return std::nullopt;
            if (it->second < max) v -= it->second;
            else {
                max = it->second;
                v += it->second;
            }
        }
        return v;
    }
    case IntegerFormat::Primary::Words: return words_to_number(lower(text));
    case IntegerFormat::Primary::Decimal: {
        std::u32string digits = to_u32(text);
        if (f.ordinal && digits.size() >= 2) digits.resize(digits.size() - 2);
        std::u32string kept;
        for (char32_t c : digits) {
            bool sep = false;
            if (f.regular) sep = c == U',';
            else
                for (const auto& s : f.separators)
                    if (s.character.size() == 1 && s.character[0] == c) sep = true;
            if (!sep) kept += c;
        }
        std::string ascii;
        for (char32_t c : kept) {
            char32_t d = c - f.zero + U'0';
            if (d < U'0' || d > U'9') break;
            ascii += static_cast<char>(d);
        }
        if (ascii.empty()) return std::nullopt;
        return std::strtod(ascii.c_str(), nullptr);
    }
    default: fail("D3130", 0, "parseInteger", f.token);
    }
}

std::string format_integer(double value, const std::string& picture) {
    return format_integer_with(std::floor(value), analyse_integer_picture(picture));
}

std::optional<double> parse_integer(const std::string& value, const std::string& picture) {
    return parse_integer_with(value, analyse_integer_picture(picture));
}

}  // namespace sfn::jsonata::detail
