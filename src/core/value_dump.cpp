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

void Value::dump_to(std::string& out) const {
    switch (kind_) {
        case Kind::null: out += "null"; return;
        case Kind::boolean: out += data_.b ? "true" : "false"; return;
        case Kind::integer: append_integer(out, data_.i); return;
        case Kind::real: text::append_json_number(out, data_.d); return;
        case Kind::string: text::append_json_string(out, ValueAccess::string(*this).text); return;
        case Kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : elements()) {
                if (!first) out += ',';
                first = false;
                e.dump_to(out);
            }
            out += ']';
            return;
        }
        case Kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [k, v] : members()) {
                if (!first) out += ',';
                first = false;
                text::append_json_string(out, k);
                out += ':';
                v.dump_to(out);
            }
            out += '}';
            return;
        }
    }
}

std::string Value::dump() const {
    std::string out;
    if (is_container()) out.reserve(64);
    dump_to(out);
    return out;
}

}  // namespace sfn
