#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "jsonata/detail_value.hpp"

namespace sfn::jsonata::detail {

struct Regex;

enum class TokenKind : std::uint8_t { End, Name, Variable, Operator, Literal, Regex };

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;      // operator text, name, variable name (without '$'), literal source
    Value literal;         // string / number / true / false / null
    std::shared_ptr<const Regex> regex;
    std::size_t position = 0;  // offset just past the token, as the reference reports it
};

class Lexer {
public:
    explicit Lexer(std::string_view text);
    /// \param infix true when an operator is expected (so '/' divides rather than starting a regex)
    Token next(bool infix);

private:
    Token scan_string(char quote);
    Token scan_number();
    Token scan_regex();
    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace sfn::jsonata::detail
