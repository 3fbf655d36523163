// JSON text -> sfn::Value, straight into shared nodes (no intermediate tree).
#include <charconv>
#include <cstdio>
#include <cstring>

#include "core/detail_value.hpp"
#include "sfn/core/error.hpp"
#include "sfn/core/text.hpp"

namespace sfn {
namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text), p_(text.data()), end_(text.data() + text.size()) {}

    Value document() {
        const Clear clear{stacks_};
        skip_space();
        Value v = value(0);
        skip_space();
        if (p_ != end_) fail("unexpected character after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(std::string_view reason) const { fail_at(p_, reason); }

    [[noreturn]] void fail_at(const char* where, std::string_view reason) const {
        std::size_t line = 1;
        std::size_t column = 1;
        for (const char* c = text_.data(); c < where && c < end_; ++c) {
            if (*c == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw Error("sfn.core.E001", "invalid JSON at line " + std::to_string(line) + ", column " +
                                         std::to_string(column) + ": " + std::string(reason));
    }

    void skip_space() noexcept {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    Value value(int depth) {
        if (p_ == end_) fail("unexpected end of input, expected a value");
        switch (*p_) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return Value(string());
            case 't': literal("true"); return Value(true);
            case 'f': literal("false"); return Value(false);
            case 'n': literal("null"); return Value();
            default:
                if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number();
                fail(std::string("unexpected character '") + printable(*p_) + "'");
        }
    }

    static std::string printable(char c) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
            return buf;
        }
        return std::string(1, c);
    }

    void literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
            fail("invalid literal, expected '" + std::string(word) + "'");
        p_ += word.size();
    }

    void check_depth(int depth) const {
        if (depth > Value::max_depth)
            fail("nesting deeper than " + std::to_string(Value::max_depth) + " levels");
    }

    // The elements of the containers being parsed, innermost last, live on one stack per parser; a finished
    // container moves its own off into a node of the exact size (one allocation per container).
    Value take_array(std::size_t mark) {
        auto* node = detail::ArrayNode::moving(std::span<Value>(items_).subspan(mark));
        items_.resize(mark);
        return ValueAccess::adopt(Kind::array, node);
    }
    Value take_object(std::size_t mark) {
        auto* node = detail::ObjectNode::moving(std::span<Member>(members_).subspan(mark));
        members_.resize(mark);
        return ValueAccess::adopt(Kind::object, node);
    }

    [[gnu::noinline]] Value array(int depth) {
        check_depth(depth);
        ++p_;
        skip_space();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            return Value::array();
        }
        const std::size_t mark = items_.size();
        for (;;) {
            skip_space();
            items_.push_back(value(depth));
            skip_space();
            if (p_ == end_) fail("unexpected end of input, expected ',' or ']'");
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == ']') {
                ++p_;
                return take_array(mark);
            }
            fail("expected ',' or ']' in array");
        }
    }

    [[gnu::noinline]] Value object(int depth) {
        check_depth(depth);
        ++p_;
        skip_space();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            return Value::object();
        }
        const std::size_t mark = members_.size();
        for (;;) {
            skip_space();
            if (p_ == end_ || *p_ != '"') fail("expected a string key in object");
            // The key goes straight into its member; the value is parsed after it (which may add members of
            // its own, so the member is found again by position).
            const std::size_t slot = members_.size();
            members_.emplace_back(string(), Value());
            skip_space();
            if (p_ == end_ || *p_ != ':') fail("expected ':' after object key");
            ++p_;
            skip_space();
            Value member = value(depth);
            members_[slot].second = std::move(member);
            skip_space();
            if (p_ == end_) fail("unexpected end of input, expected ',' or '}'");
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ == '}') {
                ++p_;
                return take_object(mark);
            }
            fail("expected ',' or '}' in object");
        }
    }

    Value number() {
        const char* start = p_;
        bool integral = true;
        const bool negative = *p_ == '-';
        if (negative) ++p_;
        if (p_ == end_) fail("invalid number");
        if (*p_ == '0') {
            ++p_;
        } else if (*p_ >= '1' && *p_ <= '9') {
            // Up to 18 digits cannot overflow: an ordinary integer is read as it is scanned.
            const char* digits = p_;
            std::uint64_t n = 0;  // wraps harmlessly past 18 digits, where it is not used
            while (p_ != end_ && *p_ >= '0' && *p_ <= '9') n = n * 10 + static_cast<unsigned>(*p_++ - '0');
            if (p_ - digits <= 18 && (p_ == end_ || (*p_ != '.' && *p_ != 'e' && *p_ != 'E'))) {
                const auto i = static_cast<std::int64_t>(n);
                return Value(negative ? -i : i);
            }
        } else {
            fail("invalid number");
        }
        if (p_ != end_ && *p_ == '.') {
            integral = false;
            ++p_;
            if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) fail("expected a digit after the decimal point");
            while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            integral = false;
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) fail("expected a digit in the exponent");
            while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        }
        if (integral) {
            std::int64_t i = 0;
            auto [ptr, ec] = std::from_chars(start, p_, i);
            if (ec == std::errc() && ptr == p_) return Value(i);
            // Too large for int64: fall through to double, as JavaScript would.
        }
        double d = 0;
        auto [ptr, ec] = std::from_chars(start, p_, d);
        if (ec == std::errc::result_out_of_range) {
            // Underflow to zero is harmless; overflow has no JSON representation.
            bool tiny = false;
            for (const char* c = start; c < p_; ++c)
                if (*c == 'e' || *c == 'E') tiny = c[1] == '-';
            if (!tiny) fail_at(start, "number out of range");
            return Value(0.0);
        }
        if (ec != std::errc() || ptr != p_) fail_at(start, "invalid number");
        return Value(d);
    }

    static int hex(char c) noexcept {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    unsigned read_hex4() {
        if (end_ - p_ < 4) fail("truncated \\u escape");
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
            int h = hex(p_[i]);
            if (h < 0) fail("invalid \\u escape");
            cp = cp * 16 + static_cast<unsigned>(h);
        }
        p_ += 4;
        return cp;
    }

    // Validates one multi-byte UTF-8 sequence starting at p_ and advances past it.
    void utf8_sequence() {
        auto b0 = static_cast<unsigned char>(*p_);
        int len = 0;
        unsigned min = 0;
        unsigned cp = 0;
        if ((b0 & 0xE0) == 0xC0) {
            len = 2, min = 0x80, cp = b0 & 0x1F;
        } else if ((b0 & 0xF0) == 0xE0) {
            len = 3, min = 0x800, cp = b0 & 0x0F;
        } else if ((b0 & 0xF8) == 0xF0) {
            len = 4, min = 0x10000, cp = b0 & 0x07;
        } else {
            fail("invalid UTF-8 in string");
        }
        if (end_ - p_ < len) fail("invalid UTF-8 in string");
        for (int i = 1; i < len; ++i) {
            auto b = static_cast<unsigned char>(p_[i]);
            if ((b & 0xC0) != 0x80) fail("invalid UTF-8 in string");
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail("invalid UTF-8 in string");
        p_ += len;
    }

    std::string string() {
        const char* run = ++p_;  // past the opening quote
        // Most strings are plain ASCII without escapes: one scan, one copy.
        while (p_ != end_) {
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                std::string out(run, p_);
                ++p_;
                return out;
            }
            if (c < 0x20 || c == '\\' || c >= 0x80) break;
            ++p_;
        }
        return string_rest(run);
    }

    // The rest of a string from p_ (within it, after the plain characters from `run`).
    [[gnu::noinline]] std::string string_rest(const char* run) {
        std::string out;
        for (;;) {
            if (p_ == end_) fail("unterminated string");
            auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                out.append(run, p_);
                ++p_;
                return out;
            }
            if (c < 0x20) fail("control character in string must be escaped");
            if (c >= 0x80) {
                utf8_sequence();
                continue;
            }
            if (c != '\\') {
                ++p_;
                continue;
            }
            out.append(run, p_);
            ++p_;
            if (p_ == end_) fail("unterminated escape");
            switch (*p_++) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = read_hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') fail("unpaired surrogate in \\u escape");
                        p_ += 2;
                        unsigned lo = read_hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) fail("unpaired surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("unpaired surrogate in \\u escape");
                    }
                    text::append_utf8(out, cp);
                    break;
                }
                default: --p_; fail("invalid escape sequence");
            }
            run = p_;
        }
    }

    std::string_view text_;
    const char* p_;
    const char* end_;
    // Per thread, so that their capacity outlives one parse; a parse leaves them as it found them (empty).
    struct Stacks {
        std::vector<Value> items;
        std::vector<Member> members;
    };
    static Stacks& stacks() noexcept {
        thread_local Stacks s;
        return s;
    }
    struct Clear {
        Stacks& s;
        ~Clear() {
            s.items.clear();
            s.members.clear();
            // A huge document's stacks are not kept for the life of the thread.
            if (s.items.capacity() > 4096) std::vector<Value>().swap(s.items);
            if (s.members.capacity() > 4096) std::vector<Member>().swap(s.members);
        }
    };
    Stacks& stacks_ = stacks();
    std::vector<Value>& items_ = stacks_.items;
    std::vector<Member>& members_ = stacks_.members;
};

}  // namespace

Value Value::parse(std::string_view text) { return Parser(text).document(); }

}  // namespace sfn
