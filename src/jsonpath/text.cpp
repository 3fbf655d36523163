#include "jsonpath/detail_text.hpp"

namespace sfn::jsonpath::detail {

std::size_t utf16_length(std::string_view utf8) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        auto c = static_cast<unsigned char>(utf8[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        n += len == 4 ? 2 : 1;  // code points above U+FFFF take a surrogate pair
        i += len;
    }
    return n;
}

std::string_view json_type(const Value& v) noexcept {
    switch (v.kind()) {
        case Kind::null: return "null";
        case Kind::boolean: return "boolean";
        case Kind::integer:
        case Kind::real: return "number";
        case Kind::string: return "string";
        case Kind::array: return "array";
        case Kind::object: return "object";
    }
    return "unknown";
}

std::string describe(const Value& v) {
    switch (v.kind()) {
        case Kind::null: return "null";
        case Kind::array: return "an array";
        case Kind::object: return "an object";
        case Kind::integer:
        case Kind::real: return "the number " + v.dump();
        case Kind::boolean: return "the boolean " + v.dump();
        case Kind::string: return "the string " + v.dump();
    }
    return "unknown";
}

}  // namespace sfn::jsonpath::detail
