#pragma once
// Function signatures such as "<s-n?:s>": argument validation and context substitution.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jsonata/detail_value.hpp"

namespace sfn::jsonata::detail {

struct Signature {
    struct Param {
        std::string accepts;  // type symbols this parameter accepts (b n s l a o f m)
        char type = 'x';
        char modifier = 0;    // 0, '?', '+'
        bool use_context = false;
        std::string subtype;  // for a<n>, f<...>
    };
    std::vector<Param> params;
    std::string text;

    /// Validates `args` (in place: may substitute the context, wrap singletons into arrays).
    /// \throws Error T0410/T0411/T0412 naming the argument.
    void validate(std::vector<Value>& args, const Value& context, std::size_t position, std::string_view fname) const;
};

std::shared_ptr<const Signature> parse_signature(std::string_view text, std::size_t position);

/// The signature symbol of a value: b n s l a o f m.
char type_symbol(const Value& v);

}  // namespace sfn::jsonata::detail
