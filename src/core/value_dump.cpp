// sfn::Value -> compact JSON text, printed the way JSON.stringify does.
//
// The printer writes into the output string's own buffer: room is made once per scalar, string or bracket
// (the most a scalar can take, a string's exact length) rather than checked for every character, and the
// buffer is sized from the value's dump_size_bound() up front so that an ordinary document never grows.
#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/detail_value.hpp"
#include "sfn/core/text.hpp"

namespace sfn {
namespace {

/// A number, boolean or null into `out` (room for text::max_json_number_chars); returns the length.
std::size_t format_scalar(const Value& v, char* out) noexcept {
    switch (v.kind()) {
        case Kind::null: std::memcpy(out, "null", 4); return 4;
        case Kind::boolean:
            if (ValueAccess::boolean(v)) {
                std::memcpy(out, "true", 4);
                return 4;
            }
            std::memcpy(out, "false", 5);
            return 5;
        case Kind::integer:
            return static_cast<std::size_t>(std::to_chars(out, out + 24, ValueAccess::integer(v)).ptr - out);
        case Kind::real: return text::format_json_number(ValueAccess::real(v), out);
        default: return 0;
    }
}

class Printer {
public:
    Printer(std::string& out, std::size_t expected) : out_(out) {
        const std::size_t used = out_.size();
        out_.resize(used + expected);
        p_ = out_.data() + used;
    }
    ~Printer() { out_.resize(static_cast<std::size_t>(p_ - out_.data())); }
    Printer(const Printer&) = delete;
    Printer& operator=(const Printer&) = delete;

    void value(const Value& v, int depth) {
        switch (v.kind()) {
            case Kind::array: array(v, depth); return;
            case Kind::object: object(v, depth); return;
            default: scalar(v); return;
        }
    }

private:
    // The printer recurses (fast for ordinary documents) and hands anything nested deeper than this to
    // deep() (values built by an execution can nest without bound).
    static constexpr int max_recursive_depth = 128;

    void room(std::size_t n) {
        if (static_cast<std::size_t>(out_.data() + out_.size() - p_) >= n) return;
        const auto at = static_cast<std::size_t>(p_ - out_.data());
        out_.resize(std::max(out_.size() * 2, at + n));
        p_ = out_.data() + at;
    }
    void put(char c) {
        room(1);
        *p_++ = c;
    }

    void scalar(const Value& v) {
        if (v.kind() == Kind::string) return string(ValueAccess::string(v).text);
        room(text::max_json_number_chars);
        p_ += format_scalar(v, p_);
    }

    void string(std::string_view s) {
        room(text::json_string_size(s));
        p_ = text::write_json_string(s, p_);
    }

    void array(const Value& v, int depth) {
        if (depth >= max_recursive_depth) return deep(v);
        put('[');
        bool first = true;
        for (const auto& e : v.elements()) {
            if (!first) put(',');
            first = false;
            value(e, depth + 1);
        }
        put(']');
    }

    void object(const Value& v, int depth) {
        if (depth >= max_recursive_depth) return deep(v);
        put('{');
        bool first = true;
        for (const auto& [k, m] : v.members()) {
            if (!first) put(',');
            first = false;
            string(k);
            put(':');
            value(m, depth + 1);
        }
        put('}');
    }

    // Iterative printing: one explicit frame per open container instead of one stack frame.
    void deep(const Value& root) {
        struct Frame {
            const Value* container;
            std::size_t next;
        };
        std::vector<Frame> stack;
        const auto open = [&](const Value& v) {
            if (!v.is_container()) {
                scalar(v);
                return;
            }
            put(v.is_array() ? '[' : '{');
            stack.push_back({&v, 0});
        };
        open(root);
        while (!stack.empty()) {
            Frame& top = stack.back();
            const Value& c = *top.container;
            if (top.next == c.size()) {
                put(c.is_array() ? ']' : '}');
                stack.pop_back();
                continue;
            }
            if (top.next > 0) put(',');
            const std::size_t i = top.next++;
            if (c.is_array()) {
                open(c.elements()[i]);
            } else {
                const auto& [key, value] = c.members()[i];
                string(key);
                put(':');
                open(value);
            }
        }
    }

    std::string& out_;
    char* p_ = nullptr;
};

// The first buffer: the bound itself for ordinary documents (it is rarely more than a few times the text),
// at most this much for large ones, which then grow by doubling.
constexpr std::size_t max_initial_buffer = std::size_t{1} << 20;

}  // namespace

void Value::dump_to(std::string& out) const {
    switch (kind()) {
        case Kind::array:
        case Kind::object: Printer(out, std::min(dump_size_bound(), max_initial_buffer)).value(*this, 0); return;
        case Kind::string: text::append_json_string(out, ValueAccess::string(*this).text); return;
        default: {  // a number or literal, e.g. a States.Format argument: no buffer to set up
            char buf[text::max_json_number_chars];
            out.append(buf, format_scalar(*this, buf));
            return;
        }
    }
}

std::string Value::dump() const {
    // Small documents are printed into a buffer the thread keeps and copied out at their exact size (a short
    // text then fits the string itself); larger ones into the string returned.
    static constexpr std::size_t scratch_bound = 4096;
    if (dump_size_bound() > scratch_bound) {
        std::string out;
        dump_to(out);
        return out;
    }
    thread_local std::string scratch;
    scratch.clear();
    dump_to(scratch);
    return scratch;
}

}  // namespace sfn
