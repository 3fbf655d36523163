// Parsing and evaluating intrinsic calls (`States.Name(arg, ...)`).
#include "sfn/jsonpath/intrinsic.hpp"

#include "jsonpath/detail_intrinsic.hpp"
#include "jsonpath/detail_text.hpp"

namespace sfn::jsonpath {
namespace detail {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class CallParser {
public:
    explicit CallParser(std::string_view text) : text_(text) {}

    std::shared_ptr<const CallNode> parse() {
        skip_space();
        auto call = parse_call();
        skip_space();
        if (pos_ != text_.size()) fail("unexpected text after the closing ')'");
        return call;
    }

private:
    [[noreturn]] void fail(const std::string& reason) const { fail_at(reason, pos_); }
    [[noreturn]] void fail_at(const std::string& reason, std::size_t at) const {
        throw PathError("sfn.jsonpath.E003", "invalid intrinsic function call '" + std::string(text_) +
                                                 "' at position " + std::to_string(at) + ": " + reason,
                        at);
    }

    char peek() const noexcept { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    void skip_space() noexcept {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }

    std::shared_ptr<const CallNode> parse_call() {
        std::size_t start = pos_;
        // Bounds the recursion of nested calls so a hostile definition cannot exhaust the stack.
        if (++nesting_ > max_nesting)
            fail("intrinsic calls nested deeper than " + std::to_string(max_nesting) + " levels");
        struct Leave {
            int& n;
            ~Leave() { --n; }
        } leave{nesting_};
        if (text_.substr(pos_, 7) != "States.") fail("expected a function name starting with 'States.'");
        pos_ += 7;
        while (pos_ < text_.size() && ((text_[pos_] >= 'a' && text_[pos_] <= 'z') ||
                                       (text_[pos_] >= 'A' && text_[pos_] <= 'Z') ||
                                       (text_[pos_] >= '0' && text_[pos_] <= '9')))
            ++pos_;
        std::string name(text_.substr(start, pos_ - start));
        auto node = std::make_shared<CallNode>();
        node->function = find_function(name);
        if (!node->function)
            throw PathError("sfn.jsonpath.E004", "unknown intrinsic function '" + name + "' in '" + std::string(text_) + "'",
                            start);
        skip_space();
        if (peek() != '(') fail("expected '(' after " + name);
        ++pos_;
        skip_space();
        if (peek() == ')') {
            ++pos_;
        } else {
            for (;;) {
                node->args.push_back(parse_arg());
                skip_space();
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                if (peek() == ')') {
                    ++pos_;
                    break;
                }
                if (pos_ >= text_.size()) fail("missing ')' to close " + name);
                fail("expected ',' or ')' after an argument of " + name);
            }
        }
        check(*node, start);
        return node;
    }

    void check(CallNode& node, std::size_t start) const {
        const auto& f = *node.function;
        std::size_t n = node.args.size();
        if (n < f.min_args || n > f.max_args) {
            std::string expected = f.min_args == f.max_args ? std::to_string(f.min_args)
                                   : f.max_args == static_cast<std::size_t>(-1)
                                       ? "at least " + std::to_string(f.min_args)
                                       : std::to_string(f.min_args) + " to " + std::to_string(f.max_args);
            throw PathError("sfn.jsonpath.E005",
                            std::string(f.name) + " takes " + expected + (f.min_args == 1 && (f.max_args == 1 || f.max_args == static_cast<std::size_t>(-1)) ? " argument" : " arguments") +
                                ", got " + std::to_string(n) + " in '" + std::string(text_) + "'",
                            start);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const Arg& a = node.args[i];
            if (a.kind == Arg::Kind::literal && !accepts(f.type_of(i), a.literal))
                throw PathError("sfn.jsonpath.E005", std::string(f.name) + " argument " + std::to_string(i + 1) +
                                                         " must be " + std::string(type_phrase(f.type_of(i))) +
                                                         ", got " + describe(a.literal) + " in '" +
                                                         std::string(text_) + "'",
                                start);
        }
        // Literal values the service would reject at run time are definition errors here.
        auto literal_error = [&](const std::string& detail) {
            throw PathError("sfn.jsonpath.E005", std::string(f.name) + " " + detail + " in '" + std::string(text_) + "'",
                            start);
        };
        if (f.name == "States.Hash" && node.args[1].kind == Arg::Kind::literal &&
            !is_hash_algorithm(node.args[1].literal.as_string()))
            literal_error("algorithm " + node.args[1].literal.dump() +
                          " is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
        if (f.name == "States.JsonMerge" && node.args[2].kind == Arg::Kind::literal && node.args[2].literal.as_bool())
            literal_error("supports only the shallow merge: argument 3 must be false");
        if (f.name == "States.Format" && node.args[0].kind == Arg::Kind::literal) {
            std::string error;
            node.format = split_format(node.args[0].raw, true, error);
            if (!error.empty())
                throw PathError("sfn.jsonpath.E005", "States.Format template " + error + " in '" + std::string(text_) + "'",
                                start);
            node.has_format = true;
            std::size_t placeholders = 0;
            for (const auto& p : node.format) placeholders += p.placeholder ? 1 : 0;
            if (placeholders != n - 1)
                throw PathError("sfn.jsonpath.E005", "States.Format template has " + std::to_string(placeholders) +
                                                         " placeholder(s) but " + std::to_string(n - 1) +
                                                         " argument(s) follow it in '" + std::string(text_) + "'",
                                start);
        }
    }

    Arg parse_arg() {
        skip_space();
        Arg arg;
        char c = peek();
        if (c == '\'') {
            arg.kind = Arg::Kind::literal;
            arg.literal = Value(string_literal(arg.raw));
            return arg;
        }
        if (c == '$') {
            arg.kind = Arg::Kind::path;
            std::size_t start = pos_;
            scan_path();
            std::size_t end = pos_;
            while (end > start && is_space(text_[end - 1])) --end;
            arg.path = Path::parse(text_.substr(start, end - start));
            return arg;
        }
        if (text_.substr(pos_, 7) == "States.") {
            arg.kind = Arg::Kind::call;
            arg.call = parse_call();
            return arg;
        }
        arg.kind = Arg::Kind::literal;
        if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t start = pos_;
            ++pos_;
            while (pos_ < text_.size() && ((text_[pos_] >= '0' && text_[pos_] <= '9') || text_[pos_] == '.' ||
                                           text_[pos_] == 'e' || text_[pos_] == 'E' ||
                                           ((text_[pos_] == '+' || text_[pos_] == '-') &&
                                            (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E'))))
                ++pos_;
            try {
                arg.literal = Value::parse(text_.substr(start, pos_ - start));
            } catch (const sfn::Error&) {
                fail_at("invalid number '" + std::string(text_.substr(start, pos_ - start)) + "'", start);
            }
            return arg;
        }
        for (std::string_view word : {"true", "false", "null"}) {
            if (text_.substr(pos_, word.size()) == word) {
                pos_ += word.size();
                arg.literal = word == "true" ? Value(true) : word == "false" ? Value(false) : Value();
                return arg;
            }
        }
        if (pos_ >= text_.size()) fail("expected an argument but the text ended");
        fail("expected an argument: a 'string', a number, true, false, null, a path or a States.* call");
    }

    // A path argument runs to the next ',' or ')' outside brackets, parentheses and quotes.
    void scan_path() {
        int depth = 0;
        char quote = 0;
        for (; pos_ < text_.size(); ++pos_) {
            char c = text_[pos_];
            if (quote) {
                if (c == '\\' && pos_ + 1 < text_.size()) {
                    ++pos_;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                ++depth;
            } else if (c == ']' || (c == ')' && depth > 0)) {
                --depth;
            } else if ((c == ',' || c == ')') && depth == 0) {
                return;
            }
        }
    }

    // 'text' with \' \{ \} \\ and \n \t \r escapes (AWS reserves ' { } \ in literals).
    std::string string_literal(std::string& raw) {
        std::size_t open = pos_;
        ++pos_;
        std::string out;
        for (;;) {
            if (pos_ >= text_.size()) fail_at("unterminated string literal", open);
            char c = text_[pos_];
            if (c == '\'') {
                raw = std::string(text_.substr(open + 1, pos_ - open - 1));
                ++pos_;
                return out;
            }
            if (c == '\\') {
                if (pos_ + 1 >= text_.size()) fail_at("unterminated string literal", open);
                char e = text_[pos_ + 1];
                switch (e) {
                    case '\'':
                    case '{':
                    case '}':
                    case '\\': out += e; break;
                    case 'n': out += '\n'; break;
                    case 't': out += '\t'; break;
                    case 'r': out += '\r'; break;
                    default: fail(concat("invalid escape '\\", e, "' in string literal"));
                }
                pos_ += 2;
                continue;
            }
            out += c;
            ++pos_;
        }
    }

    static constexpr int max_nesting = 32;
    std::string_view text_;
    std::size_t pos_ = 0;
    int nesting_ = 0;
};

Outcome<Value> evaluate_call(const CallNode& node, const Scope& scope);

Failure argument_not_found(const Arg& arg, const Scope& scope) {
    std::string where = arg.path.root() == PathRoot::variable ? "the variables" : "the input '" + scope.input().dump() + "'";
    return Failure{std::string(errors::runtime),
                   "The JSONPath '" + arg.path.text() + "' specified for the intrinsic function argument could not be found in " + where};
}

/// Evaluates `arg`: a pointer to its value, which is `owned` (set here) unless it could be borrowed.
Outcome<const Value*> evaluate_arg(const Arg& arg, const Scope& scope, Value& owned) {
    switch (arg.kind) {
        case Arg::Kind::literal: return &arg.literal;
        case Arg::Kind::call: {
            auto v = evaluate_call(*arg.call, scope);
            if (!v) return std::move(v).failure();
            owned = std::move(*v);
            return &owned;
        }
        case Arg::Kind::path: {
            std::optional<Value> built;
            auto v = arg.path.lookup(scope, built);
            if (!v) return std::move(v).failure();
            if (!*v) return argument_not_found(arg, scope);
            if (!built) return *v;  // a node of the input or of a variable
            owned = std::move(*built);
            return &owned;
        }
    }
    return &owned;
}

Outcome<Value> evaluate_call(const CallNode& node, const Scope& scope) {
    const auto& f = *node.function;
    // Most calls take at most three arguments: keep them off the heap.
    constexpr std::size_t inline_args = 3;
    std::array<const Value*, inline_args> small_args;
    std::array<Value, inline_args> small_owned;
    std::vector<const Value*> large_args;
    std::vector<Value> large_owned;
    std::span<const Value*> args;
    std::span<Value> owned;
    if (node.args.size() <= inline_args) {
        args = std::span<const Value*>(small_args.data(), node.args.size());
        owned = std::span<Value>(small_owned.data(), node.args.size());
    } else {
        large_args.resize(node.args.size());
        large_owned.resize(node.args.size());
        args = large_args;
        owned = large_owned;
    }
    CallContext ctx{node, Args(args), scope};
    for (std::size_t i = 0; i < node.args.size(); ++i) {
        auto v = evaluate_arg(node.args[i], scope, owned[i]);
        if (!v) return std::move(v).failure();
        const Value& arg = **v;
        if (!accepts(f.type_of(i), arg))
            return ctx.fail("argument " + std::to_string(i + 1) + " must be " + std::string(type_phrase(f.type_of(i))) +
                            ", but was " + describe(arg));
        args[i] = &arg;
    }
    return f.evaluate(ctx);
}

}  // namespace
}  // namespace detail

Intrinsic::Intrinsic(std::shared_ptr<const detail::CallNode> call, std::string text)
    : call_(std::move(call)), text_(std::move(text)), function_(call_->function->name) {}

Intrinsic Intrinsic::parse(std::string_view text) {
    return Intrinsic(detail::CallParser(text).parse(), std::string(text));
}

const std::string& Intrinsic::text() const noexcept { return text_; }

const std::string& Intrinsic::function() const noexcept { return function_; }

Outcome<Value> Intrinsic::evaluate(const Scope& scope) const { return detail::evaluate_call(*call_, scope); }

bool looks_like_intrinsic(std::string_view text) noexcept {
    while (!text.empty() && detail::is_space(text.front())) text.remove_prefix(1);
    return text.starts_with("States.");
}

std::optional<std::string> check_intrinsic(std::string_view text) {
    try {
        (void)Intrinsic::parse(text);
    } catch (const PathError& e) {
        return e.detail();
    }
    return std::nullopt;
}

}  // namespace sfn::jsonpath
