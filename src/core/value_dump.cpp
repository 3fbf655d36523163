// sfn::Value -> compact JSON text, printed the way JSON.stringify does.
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/detail_value.hpp"
#include "sfn/core/text.hpp"

namespace sfn {
namespace {

void append_integer(std::string& out, std::int64_t i) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, res.ptr);
}

}  // namespace

namespace {

void append_scalar(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Kind::null: out += "null"; return;
        case Kind::boolean: out += ValueAccess::boolean(v) ? "true" : "false"; return;
        case Kind::integer: append_integer(out, ValueAccess::integer(v)); return;
        case Kind::real: text::append_json_number(out, ValueAccess::real(v)); return;
        case Kind::string: text::append_json_string(out, ValueAccess::string(v).text); return;
        default: return;
    }
}

// Iterative printing for values nested deeper than the recursive printer goes: one explicit frame per
// open container instead of one stack frame (values built by an execution can nest without bound).
void dump_deep(const Value& root, std::string& out) {
    struct Frame {
        const Value* container;
        std::size_t next;
    };
    std::vector<Frame> stack;
    const auto open = [&](const Value& v) {
        if (!v.is_container()) {
            append_scalar(out, v);
            return;
        }
        out += v.is_array() ? '[' : '{';
        stack.push_back({&v, 0});
    };
    open(root);
    while (!stack.empty()) {
        Frame& top = stack.back();
        const Value& c = *top.container;
        if (top.next == c.size()) {
            out += c.is_array() ? ']' : '}';
            stack.pop_back();
            continue;
        }
        if (top.next > 0) out += ',';
        const std::size_t i = top.next++;
        if (c.is_array()) {
            open(c.elements()[i]);
        } else {
            const auto& [key, value] = c.members()[i];
            text::append_json_string(out, key);
            out += ':';
            open(value);
        }
    }
}

// The usual printer recurses (fast for ordinary documents) and hands anything deeper than this to dump_deep.
constexpr int max_recursive_dump_depth = 128;

void dump_recursive(const Value& v, std::string& out, int depth) {
    if (!v.is_container()) {
        append_scalar(out, v);
        return;
    }
    if (depth >= max_recursive_dump_depth) {
        dump_deep(v, out);
        return;
    }
    if (v.is_array()) {
        out += '[';
        bool first = true;
        for (const auto& e : v.elements()) {
            if (!first) out += ',';
            first = false;
            dump_recursive(e, out, depth + 1);
        }
        out += ']';
        return;
    }
    out += '{';
    bool first = true;
    for (const auto& [k, m] : v.members()) {
        if (!first) out += ',';
        first = false;
        text::append_json_string(out, k);
        out += ':';
        dump_recursive(m, out, depth + 1);
    }
    out += '}';
}

}  // namespace

void Value::dump_to(std::string& out) const { dump_recursive(*this, out, 0); }

std::string Value::dump() const {
    std::string out;
    if (is_container()) out.reserve(64);
    dump_to(out);
    return out;
}

}  // namespace sfn
