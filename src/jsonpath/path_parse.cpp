// JSONPath text -> compiled steps. Grammar as AWS (Jayway JsonPath) accepts it; see path.hpp.
#include <charconv>

#include "jsonpath/detail_text.hpp"
#include "jsonpath/detail_path.hpp"

namespace sfn::jsonpath::detail {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_name_start(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) noexcept { return is_name_start(c) || is_digit(c); }

// Jayway's merge case: a last step of several names, no length() after it. Fills `upstream` with the steps
// before it.
bool split_merged_leaf(const std::vector<Step>& steps, bool length, std::vector<Step>& upstream) {
    if (steps.empty() || steps.back().kind != Step::Kind::names || length) return false;
    upstream.assign(steps.begin(), steps.end() - 1);
    return true;
}

class PathParser {
public:
    explicit PathParser(std::string_view text) : text_(text) {}

    std::shared_ptr<const PathImpl> parse() {
        auto impl = std::make_shared<PathImpl>();
        impl->text = std::string(text_);
        // Jayway JsonPath, AWS's reference implementation, trims the path: `$$.Execution.Name ` deploys and runs.
        while (!text_.empty() && is_space(text_.back())) text_.remove_suffix(1);
        if (text_.empty()) fail("a path must start with '$'", 0);
        if (text_[0] != '$') fail("a path must start with '$'", 0);
        pos_ = 1;
        if (peek() == '$') {
            impl->root = PathRoot::context;
            ++pos_;
        } else if (pos_ < text_.size() && is_name_start(text_[pos_])) {
            impl->root = PathRoot::variable;
            std::size_t start = pos_;
            while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
            impl->variable = std::string(text_.substr(start, pos_ - start));
        }
        impl->length = steps(impl->steps, false);
        if (pos_ != text_.size()) fail(concat("unexpected character '", text_[pos_], "'"), pos_);
        classify(*impl);
        return impl;
    }

private:
    [[noreturn]] void fail(const std::string& reason, std::size_t at) const {
        throw PathError("sfn.jsonpath.E001",
                        "invalid JSONPath '" + std::string(text_) + "' at position " + std::to_string(at) + ": " + reason,
                        at);
    }

    char peek(std::size_t ahead = 0) const noexcept {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }
    bool at_end() const noexcept { return pos_ >= text_.size(); }
    void skip_space() noexcept {
        while (!at_end() && is_space(text_[pos_])) ++pos_;
    }

    // Parses steps until the text ends or (inside a filter) an operator/closing paren appears.
    // Returns true when the steps end with `.length()`.
    bool steps(std::vector<Step>& out, bool in_filter) {
        for (;;) {
            if (at_end()) return false;
            char c = text_[pos_];
            if (c == '.') {
                bool descent = peek(1) == '.';
                pos_ += descent ? 2 : 1;
                if (peek() == '[') {
                    // Jayway reads `.[` as the bracket alone: `$.[0]`, `$.a.[0].b`, `$.[?(@.x > 0)]` (deployed samples).
                    bracket(out, descent);
                    continue;
                }
                if (peek() == '*') {
                    ++pos_;
                    Step s;
                    s.kind = Step::Kind::wildcard;
                    s.descent = descent;
                    out.push_back(std::move(s));
                    continue;
                }
                std::size_t start = pos_;
                while (!at_end() && !is_space(text_[pos_]) && text_[pos_] != '.' && text_[pos_] != '[' &&
                       text_[pos_] != ']' && text_[pos_] != '(' && text_[pos_] != ')' && text_[pos_] != ',' &&
                       text_[pos_] != '\'' && text_[pos_] != '"' &&
                       !(in_filter && std::string_view("=!<>&|").find(text_[pos_]) != std::string_view::npos))
                    ++pos_;
                if (pos_ == start) fail("expected a name after '.'", pos_);
                std::string name(text_.substr(start, pos_ - start));
                if (peek() == '(') {
                    if ((name == "length" || name == "size") && peek(1) == ')' && !descent) {
                        pos_ += 2;
                        if (!at_end() && !(in_filter && (is_space(peek()) || std::string_view("=!<>&|)").find(peek()) != std::string_view::npos)))
                            fail("length() must be the last step", pos_);
                        return true;
                    }
                    fail("unsupported function '" + name + "()'", start);
                }
                Step s;
                s.kind = Step::Kind::name;
                s.descent = descent;
                s.name = std::move(name);
                out.push_back(std::move(s));
                continue;
            }
            if (c == '[') {
                bracket(out, false);
                continue;
            }
            if (in_filter) return false;
            fail(concat("unexpected character '", c, "'"), pos_);
        }
    }

    std::string quoted() {
        char quote = text_[pos_];
        std::size_t open = pos_;
        ++pos_;
        std::string out;
        for (;;) {
            if (at_end()) fail("unterminated quoted name", open);
            char c = text_[pos_];
            // Only an escaped quote is unescaped; other backslashes are literal (as AWS does).
            if (c == '\\' && peek(1) == quote) {
                out += quote;
                pos_ += 2;
                continue;
            }
            if (c == quote) {
                ++pos_;
                return out;
            }
            out += c;
            ++pos_;
        }
    }

    std::optional<std::int64_t> integer() {
        std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        while (!at_end() && is_digit(text_[pos_])) ++pos_;
        if (pos_ == start || (pos_ == start + 1 && text_[start] == '-')) {
            pos_ = start;
            return std::nullopt;
        }
        std::int64_t v = 0;
        auto [ptr, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, v);
        if (ec != std::errc()) fail("index out of range", start);
        return v;
    }

    void expect(char c) {
        skip_space();
        if (peek() != c) {
            if (at_end()) fail(concat("expected '", c, "' but the path ended"), pos_);
            fail(concat("expected '", c, "'"), pos_);
        }
        ++pos_;
    }

    void bracket(std::vector<Step>& out, bool descent) {
        std::size_t open = pos_;
        ++pos_;  // '['
        skip_space();
        Step s;
        s.descent = descent;
        char c = peek();
        if (c == '*') {
            ++pos_;
            s.kind = Step::Kind::wildcard;
        } else if (c == '\'' || c == '"') {
            std::vector<std::string> names;
            names.push_back(quoted());
            skip_space();
            while (peek() == ',') {
                ++pos_;
                skip_space();
                if (peek() != '\'' && peek() != '"') fail("expected a quoted name in the union", pos_);
                names.push_back(quoted());
                skip_space();
            }
            if (names.size() == 1) {
                s.kind = Step::Kind::name;
                s.name = std::move(names[0]);
            } else {
                s.kind = Step::Kind::names;
                s.names = std::move(names);
            }
        } else if (c == '?') {
            ++pos_;
            expect('(');
            s.kind = Step::Kind::filter;
            s.filter = filter_or();
            expect(')');
        } else if (c == ':' || c == '-' || is_digit(c)) {
            auto first = integer();
            skip_space();
            if (peek() == ':') {
                s.kind = Step::Kind::slice;
                s.start = first;
                ++pos_;
                skip_space();
                s.end = integer();
                skip_space();
                if (peek() == ':') {
                    ++pos_;
                    skip_space();
                    auto stride = integer();
                    if (stride) {
                        if (*stride <= 0) fail("slice step must be positive", pos_);
                        s.stride = *stride;
                    }
                }
            } else {
                if (!first) fail("expected an index", pos_);
                std::vector<std::int64_t> indexes{*first};
                while (peek() == ',') {
                    ++pos_;
                    skip_space();
                    auto next = integer();
                    if (!next) fail("expected an index in the union", pos_);
                    indexes.push_back(*next);
                    skip_space();
                }
                if (indexes.size() == 1) {
                    s.kind = Step::Kind::index;
                    s.index = indexes[0];
                } else {
                    s.kind = Step::Kind::indexes;
                    s.indexes = std::move(indexes);
                }
            }
        } else if (c == ']') {
            fail("empty brackets", open);
        } else {
            fail("expected a quoted name, index, slice, '*' or filter inside '[ ]'", pos_);
        }
        expect(']');
        out.push_back(std::move(s));
    }

    // filter := or ; or := and ('||' and)* ; and := unary ('&&' unary)* ;
    // unary := '!' unary | '(' or ')' | comparison ; comparison := operand (op operand)?
    std::shared_ptr<const Filter> filter_or() {
        return left_assoc('|', Filter::Op::or_, &PathParser::filter_and);
    }

    std::shared_ptr<const Filter> filter_and() {
        return left_assoc('&', Filter::Op::and_, &PathParser::filter_unary);
    }

    // operand (cc operand)*, where cc is `symbol` twice ("||" or "&&").
    std::shared_ptr<const Filter> left_assoc(char symbol, Filter::Op op, std::shared_ptr<const Filter> (PathParser::*operand)()) {
        auto lhs = (this->*operand)();
        for (;;) {
            skip_space();
            if (peek() != symbol || peek(1) != symbol) return lhs;
            pos_ += 2;
            auto node = std::make_shared<Filter>();
            node->op = op;
            node->lhs = lhs;
            node->rhs = (this->*operand)();
            lhs = node;
        }
    }

    std::shared_ptr<const Filter> filter_unary() {
        // Bounds the recursion of '!' and '(' so a hostile path cannot exhaust the stack.
        if (++nesting_ > max_nesting) fail("filter nested deeper than " + std::to_string(max_nesting) + " levels", pos_);
        struct Leave {
            int& n;
            ~Leave() { --n; }
        } leave{nesting_};
        skip_space();
        if (peek() == '!' && peek(1) != '=') {
            ++pos_;
            auto node = std::make_shared<Filter>();
            node->op = Filter::Op::not_;
            node->lhs = filter_unary();
            return node;
        }
        if (peek() == '(') {
            ++pos_;
            auto inner = filter_or();
            expect(')');
            return inner;
        }
        auto lhs = operand();
        skip_space();
        Filter::Op op;
        std::size_t len = 2;
        char a = peek();
        char b = peek(1);
        if (a == '=' && b == '=' && peek(2) == '=') {
            op = Filter::Op::same_eq, len = 3;
        } else if (a == '!' && b == '=' && peek(2) == '=') {
            op = Filter::Op::same_ne, len = 3;
        } else if (a == '=' && b == '=') {
            op = Filter::Op::eq;
        } else if (a == '!' && b == '=') {
            op = Filter::Op::ne;
        } else if (a == '<' && b == '=') {
            op = Filter::Op::le;
        } else if (a == '>' && b == '=') {
            op = Filter::Op::ge;
        } else if (a == '<') {
            op = Filter::Op::lt, len = 1;
        } else if (a == '>') {
            op = Filter::Op::gt, len = 1;
        } else if (a == '=' && b == '~') {
            pos_ += 2;
            return regex_match(lhs);
        } else if (auto named = named_relation()) {
            auto node = std::make_shared<Filter>();
            node->op = *named;
            node->lhs = lhs;
            node->rhs = operand();
            return node;
        } else {
            if (lhs->op == Filter::Op::literal) fail("a literal alone is not a condition", pos_);
            auto node = std::make_shared<Filter>();
            node->op = Filter::Op::exists;
            node->lhs = lhs;
            return node;
        }
        pos_ += len;
        auto node = std::make_shared<Filter>();
        node->op = op;
        node->lhs = lhs;
        node->rhs = operand();
        return node;
    }

    // Jayway's relations written as words (any case), e.g. `@.s in ['a','b']`; the word is consumed.
    std::optional<Filter::Op> named_relation() {
        std::size_t end = pos_;
        while (end < text_.size() && ((text_[end] >= 'a' && text_[end] <= 'z') || (text_[end] >= 'A' && text_[end] <= 'Z')))
            ++end;
        std::string word(text_.substr(pos_, end - pos_));
        for (auto& ch : word) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        static constexpr std::pair<std::string_view, Filter::Op> words[] = {
            {"in", Filter::Op::in},           {"nin", Filter::Op::nin},     {"subsetof", Filter::Op::subsetof},
            {"anyof", Filter::Op::anyof},     {"noneof", Filter::Op::noneof}, {"contains", Filter::Op::contains},
            {"size", Filter::Op::size},       {"empty", Filter::Op::empty},   {"all", Filter::Op::all},
            {"exists", Filter::Op::exists_is}};
        for (const auto& [w, op] : words) {
            if (word == w) {
                pos_ = end;
                return op;
            }
        }
        return std::nullopt;
    }

    // `=~ /pattern/flags` (the pattern runs to the next '/' not escaped by a backslash).
    std::shared_ptr<const Filter> regex_match(std::shared_ptr<const Filter> lhs) {
        skip_space();
        auto node = std::make_shared<Filter>();
        node->op = Filter::Op::regex;
        node->lhs = std::move(lhs);
        if (peek() != '/') {
            node->rhs = operand();  // Jayway accepts it; without a pattern nothing matches
            return node;
        }
        const std::size_t open = pos_++;
        while (!at_end() && peek() != '/') pos_ += peek() == '\\' && pos_ + 1 < text_.size() ? 2 : 1;
        if (at_end()) fail("the regex after '=~' is not closed with '/'", open);
        const std::string_view pattern = text_.substr(open + 1, pos_ - open - 1);
        ++pos_;
        const std::size_t flags_at = pos_;
        while (!at_end() && std::string_view("dixmsuU").find(peek()) != std::string_view::npos) ++pos_;
        std::string error;
        auto compiled = std::make_shared<FilterRegex>(pattern, text_.substr(flags_at, pos_ - flags_at), error);
        if (!compiled->ok()) fail("invalid regex after '=~': " + error, open);
        node->regex = std::move(compiled);
        return node;
    }

    // `[literal, ...]`: the list of in, nin, subsetof, anyof and noneof.
    Value list_literal() {
        ++pos_;  // '['
        std::vector<Value> items;
        skip_space();
        if (peek() == ']') {
            ++pos_;
            return Value::array(std::move(items));
        }
        for (;;) {
            auto item = operand();
            if (item->op != Filter::Op::literal) fail("a list in a filter holds literals only", pos_);
            items.push_back(item->literal);
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect(']');
            return Value::array(std::move(items));
        }
    }

    std::shared_ptr<const Filter> operand() {
        skip_space();
        auto node = std::make_shared<Filter>();
        char c = peek();
        if (c == '[') {
            node->op = Filter::Op::literal;
            node->literal = list_literal();
            return node;
        }
        if (c == '@' || c == '$') {
            node->op = c == '@' ? Filter::Op::current : Filter::Op::root;
            ++pos_;
            node->length = steps(node->steps, true);
            node->merged_leaf = split_merged_leaf(node->steps, node->length, node->upstream);
            return node;
        }
        node->op = Filter::Op::literal;
        if (c == '\'' || c == '"') {
            node->literal = Value(quoted());
            return node;
        }
        std::size_t start = pos_;
        if (c == '-' || is_digit(c)) {
            ++pos_;
            while (!at_end() && (is_digit(peek()) || peek() == '.' || peek() == 'e' || peek() == 'E' ||
                                 ((peek() == '+' || peek() == '-') && (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E'))))
                ++pos_;
            try {
                node->literal = Value::parse(text_.substr(start, pos_ - start));
            } catch (const sfn::Error&) {
                fail("invalid number in filter", start);
            }
            return node;
        }
        for (std::string_view word : {"true", "false", "null"}) {
            if (text_.substr(pos_, word.size()) == word) {
                pos_ += word.size();
                node->literal = word == "true" ? Value(true) : word == "false" ? Value(false) : Value();
                return node;
            }
        }
        if (at_end()) fail("expected an operand but the path ended", pos_);
        fail("expected '@', '$', a number, a quoted string, true, false or null in the filter", pos_);
    }

    static void classify(PathImpl& impl) {
        for (const auto& s : impl.steps) {
            if (s.descent) {
                impl.definite = false;
                impl.reference = false;
                impl.not_reference_reason = "'..' selects many nodes";
                continue;
            }
            switch (s.kind) {
                case Step::Kind::name:
                case Step::Kind::index: break;
                case Step::Kind::wildcard:
                    impl.definite = false;
                    impl.reference = false;
                    impl.not_reference_reason = "'*' selects many nodes";
                    break;
                case Step::Kind::slice:
                    impl.definite = false;
                    impl.reference = false;
                    impl.not_reference_reason = "':' (slice) selects many nodes";
                    break;
                case Step::Kind::names:
                case Step::Kind::indexes:
                    impl.definite = false;
                    impl.reference = false;
                    impl.not_reference_reason = "',' (union) selects many nodes";
                    break;
                case Step::Kind::filter:
                    impl.definite = false;
                    impl.reference = false;
                    impl.not_reference_reason = "'?' (filter) selects many nodes";
                    break;
            }
        }
        impl.merged_leaf = split_merged_leaf(impl.steps, impl.length, impl.upstream);
        if (impl.merged_leaf) {
            impl.merged_result = !impl.steps.back().descent;
            for (const auto& s : impl.upstream)
                if (s.descent || (s.kind != Step::Kind::name && s.kind != Step::Kind::index)) impl.merged_result = false;
        }
        if (impl.length && impl.reference) {
            impl.reference = false;
            impl.not_reference_reason = "length() is a function, not a node";
        }
    }

    static constexpr int max_nesting = 64;
    std::string_view text_;
    std::size_t pos_ = 0;
    int nesting_ = 0;
};

}  // namespace

std::shared_ptr<const PathImpl> parse_path(std::string_view text) { return PathParser(text).parse(); }

}  // namespace sfn::jsonpath::detail
