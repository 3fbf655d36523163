#include "jsonpath/detail_text.hpp"

namespace sfn::jsonpath::detail {

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
