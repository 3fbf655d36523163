// Tokenizer: JSONata's lexical rules. A '/' starts a regex literal only where an operand is expected.
#include "jsonata/detail_lexer.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_regex.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

constexpr std::string_view kOperatorChars = ".[]{}(),@#;:?+-*/%|=<>^&!~";
constexpr std::string_view kTwoCharOperators[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

Lexer::Lexer(std::string_view text) : text_(text) {}

Token Lexer::next(bool infix) {
    const std::size_t n = text_.size();
    for (;;) {
        while (pos_ < n && is_space(text_[pos_])) ++pos_;
        if (pos_ + 1 < n && text_[pos_] == '/' && text_[pos_ + 1] == '*') {
            auto end = text_.find("*/", pos_ + 2);
            if (end == std::string_view::npos) fail("S0106", pos_);
            pos_ = end + 2;
            continue;
        }
        break;
    }
    Token tok;
    if (pos_ >= n) {
        tok.kind = TokenKind::End;
        tok.position = n;
        return tok;
    }
    const char c = text_[pos_];
    if (!infix && c == '/') return scan_regex();
    for (auto op : kTwoCharOperators) {
        if (text_.substr(pos_, 2) == op) {
            pos_ += 2;
            tok.kind = TokenKind::Operator;
            tok.text = std::string(op);
            tok.position = pos_;
            return tok;
        }
    }
    if (kOperatorChars.find(c) != std::string_view::npos) {
        ++pos_;
        tok.kind = TokenKind::Operator;
        tok.text = std::string(1, c);
        tok.position = pos_;
        return tok;
    }
    if (c == '"' || c == '\'') return scan_string(c);
    if (c >= '0' && c <= '9') return scan_number();
    if (c == '`') {
        auto end = text_.find('`', pos_ + 1);
        if (end == std::string_view::npos) fail("S0105", n);
        tok.kind = TokenKind::Name;
        tok.text = std::string(text_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        tok.position = pos_;
        return tok;
    }
    std::size_t i = pos_;
    while (i < n && !is_space(text_[i]) && kOperatorChars.find(text_[i]) == std::string_view::npos) ++i;
    std::string_view word = text_.substr(pos_, i - pos_);
    pos_ = i;
    tok.position = pos_;
    if (word[0] == '$') {
        tok.kind = TokenKind::Variable;
        tok.text = std::string(word.substr(1));
    } else if (word == "and" || word == "or" || word == "in") {
        tok.kind = TokenKind::Operator;
        tok.text = std::string(word);
    } else if (word == "true" || word == "false") {
        tok.kind = TokenKind::Literal;
        tok.text = std::string(word);
        tok.literal = Value::boolean(word == "true");
    } else if (word == "null") {
        tok.kind = TokenKind::Literal;
        tok.text = "null";
        tok.literal = Value::null();
    } else {
        tok.kind = TokenKind::Name;
        tok.text = std::string(word);
    }
    return tok;
}

Token Lexer::scan_string(char quote) {
    const std::size_t n = text_.size();
    std::string out;
    std::size_t i = pos_ + 1;
    while (i < n) {
        char c = text_[i];
        if (c == '\\') {
            ++i;
            if (i >= n) break;
            char e = text_[i];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case '\'': out += '\''; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                auto read4 = [&](std::size_t at) -> long {
                    if (at + 4 > n) return -1;
                    long v = 0;
                    for (std::size_t k = 0; k < 4; ++k) {
                        int h = hex_value(text_[at + k]);
                        if (h < 0) return -1;
                        v = v * 16 + h;
                    }
                    return v;
                };
                long cp = read4(i + 1);
                if (cp < 0) fail("S0104", i);
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < n && text_[i + 1] == '\\' && text_[i + 2] == 'u') {
                    long lo = read4(i + 3);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                append_utf8(out, static_cast<char32_t>(cp));
                break;
            }
            default: fail("S0103", i, std::string(1, e));
            }
            ++i;
            continue;
        }
        if (c == quote) {
            pos_ = i + 1;
            Token tok;
            tok.kind = TokenKind::Literal;
            tok.text = out;
            tok.literal = Value::string(std::move(out));
            tok.position = pos_;
            return tok;
        }
        out += c;
        ++i;
    }
    fail("S0101", n);
}

Token Lexer::scan_number() {
    // JSON number grammar: 0|[1-9][0-9]*, optional fraction, optional exponent.
    const std::size_t n = text_.size();
    std::size_t i = pos_;
    if (text_[i] == '0') {
        ++i;
    } else {
        while (i < n && text_[i] >= '0' && text_[i] <= '9') ++i;
    }
    if (i + 1 < n && text_[i] == '.' && text_[i + 1] >= '0' && text_[i + 1] <= '9') {
        ++i;
        while (i < n && text_[i] >= '0' && text_[i] <= '9') ++i;
    }
    if (i < n && (text_[i] == 'e' || text_[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < n && (text_[j] == '+' || text_[j] == '-')) ++j;
        if (j < n && text_[j] >= '0' && text_[j] <= '9') {
            while (j < n && text_[j] >= '0' && text_[j] <= '9') ++j;
            i = j;
        }
    }
    std::string digits(text_.substr(pos_, i - pos_));
    double d = std::strtod(digits.c_str(), nullptr);
    pos_ = i;
    if (!std::isfinite(d)) fail("S0102", pos_, digits);
    Token tok;
    tok.kind = TokenKind::Literal;
    tok.text = digits;
    tok.literal = Value::number(d);
    tok.position = pos_;
    return tok;
}

Token Lexer::scan_regex() {
    const std::size_t n = text_.size();
    std::size_t start = pos_ + 1;
    std::size_t i = start;
    int depth = 0;
    while (i < n) {
        char c = text_[i];
        if (c == '/' && depth == 0) {
            std::size_t backslashes = 0;
            while (i - backslashes > start && text_[i - backslashes - 1] == '\\') ++backslashes;
            if (backslashes % 2 == 0) {
                std::string pattern(text_.substr(start, i - start));
                if (pattern.empty()) fail("S0301", i);
                ++i;
                std::string flags;
                while (i < n && (text_[i] == 'i' || text_[i] == 'm')) flags += text_[i++];
                pos_ = i;
                Token tok;
                tok.kind = TokenKind::Regex;
                tok.text = pattern;
                tok.regex = compile_regex(pattern, flags, start);
                tok.position = pos_;
                return tok;
            }
        }
        bool escaped = i > 0 && text_[i - 1] == '\\';
        if ((c == '(' || c == '[' || c == '{') && !escaped) ++depth;
        if ((c == ')' || c == ']' || c == '}') && !escaped) --depth;
        ++i;
    }
    fail("S0302", n);
}

}  // namespace sfn::jsonata::detail
