#include "jsonpath/detail_text.hpp"

namespace sfn::jsonpath::detail {

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
