// The intrinsic functions of JSONPath mode (ASL spec, appendix B) and their parameter types.
#include <cmath>
#include <limits>

#include "jsonpath/detail_intrinsic.hpp"

namespace sfn::jsonpath::detail {
namespace {

constexpr std::size_t many = std::numeric_limits<std::size_t>::max();
using T = ArgType;

constexpr std::array<FunctionSpec, 18> functions{{
    {"States.Format", 1, many, {T::string, T::any, T::any}, T::any, eval_format},
    {"States.StringToJson", 1, 1, {T::string, T::any, T::any}, T::any, eval_string_to_json},
    {"States.JsonToString", 1, 1, {T::any, T::any, T::any}, T::any, eval_json_to_string},
    {"States.Array", 0, many, {T::any, T::any, T::any}, T::any, eval_array},
    {"States.ArrayPartition", 2, 2, {T::array, T::number, T::any}, T::any, eval_array_partition},
    {"States.ArrayContains", 2, 2, {T::array, T::any, T::any}, T::any, eval_array_contains},
    {"States.ArrayRange", 3, 3, {T::number, T::number, T::number}, T::any, eval_array_range},
    {"States.ArrayGetItem", 2, 2, {T::array, T::integer, T::any}, T::any, eval_array_get_item},
    {"States.ArrayLength", 1, 1, {T::array, T::any, T::any}, T::any, eval_array_length},
    {"States.ArrayUnique", 1, 1, {T::array, T::any, T::any}, T::any, eval_array_unique},
    {"States.Base64Encode", 1, 1, {T::string, T::any, T::any}, T::any, eval_base64_encode},
    {"States.Base64Decode", 1, 1, {T::string, T::any, T::any}, T::any, eval_base64_decode},
    {"States.Hash", 2, 2, {T::string, T::string, T::any}, T::any, eval_hash},
    {"States.JsonMerge", 3, 3, {T::object, T::object, T::boolean}, T::any, eval_json_merge},
    {"States.MathRandom", 2, 3, {T::number, T::number, T::integer}, T::any, eval_math_random},
    {"States.MathAdd", 2, 2, {T::number, T::number, T::any}, T::any, eval_math_add},
    {"States.StringSplit", 2, 2, {T::string, T::string, T::any}, T::any, eval_string_split},
    {"States.UUID", 0, 0, {T::any, T::any, T::any}, T::any, eval_uuid},
}};

}  // namespace

const FunctionSpec* find_function(std::string_view name) noexcept {
    for (const auto& f : functions)
        if (f.name == name) return &f;
    return nullptr;
}

bool accepts(ArgType type, const Value& v) noexcept {
    switch (type) {
        case ArgType::any: return true;
        case ArgType::string: return v.is_string();
        case ArgType::number: return v.is_number();
        case ArgType::integer: {
            if (v.is_integer()) return true;
            if (!v.is_real()) return false;
            double d = v.as_double();
            return std::trunc(d) == d && std::abs(d) < 9.2e18;
        }
        case ArgType::boolean: return v.is_bool();
        case ArgType::array: return v.is_array();
        case ArgType::object: return v.is_object();
    }
    return false;
}

std::string_view type_phrase(ArgType type) noexcept {
    switch (type) {
        case ArgType::any: return "any value";
        case ArgType::string: return "a string";
        case ArgType::number: return "a number";
        case ArgType::integer: return "an integer";
        case ArgType::boolean: return "a boolean";
        case ArgType::array: return "an array";
        case ArgType::object: return "an object";
    }
    return "a value";
}

Failure CallContext::fail(const std::string& detail) const {
    return Failure{std::string(errors::intrinsic_failure),
                   "The intrinsic function " + std::string(node.function->name) + " failed: " + detail};
}

}  // namespace sfn::jsonpath::detail
