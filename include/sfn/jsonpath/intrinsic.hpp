#pragma once
/// \file
/// jsonpath::Intrinsic: a compiled intrinsic function call such as
/// `States.Format('Hello {}', $.name)` (JSONPath mode, Parameters / ResultSelector / ItemSelector /
/// Assign `.$` fields and Fail ErrorPath/CausePath).
///
/// Arguments: 'string literals' (escapes \' \{ \} \\ and \n \t \r), numbers, true, false,
/// null, paths (`$.x`, `$$.x`, `$var.x`, `$`) and nested calls. Functions: States.Format,
/// StringToJson, JsonToString, Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
/// ArrayLength, ArrayUnique, Base64Encode, Base64Decode, Hash (MD5, SHA-1, SHA-256, SHA-384,
/// SHA-512), JsonMerge, MathRandom, MathAdd, StringSplit, UUID.
///
/// Argument count, the type of literal arguments, a literal States.Format template, a literal
/// States.Hash algorithm and a literal JsonMerge deep flag are checked at parse time (PathError);
/// the values of path and nested-call arguments are checked at evaluation (Failure
/// States.IntrinsicFailure "The intrinsic function <name> failed: <detail>").
/// Nesting is limited to 32 calls.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sfn/core/value.hpp"
#include "sfn/jsonpath/error.hpp"
#include "sfn/jsonpath/outcome.hpp"
#include "sfn/jsonpath/scope.hpp"

namespace sfn::jsonpath {

namespace detail {
struct CallNode;
}

class Intrinsic {
public:
    /// \throws PathError E003 (syntax, with position), E004 (unknown function), E005 (arity or
    ///         literal argument type), E001 (a malformed path argument).
    [[nodiscard]] static Intrinsic parse(std::string_view text);

    [[nodiscard]] const std::string& text() const noexcept;
    /// Name of the outermost function, e.g. "States.Format".
    [[nodiscard]] const std::string& function() const noexcept;

    /// Evaluates the call. Failures:
    ///  - States.IntrinsicFailure for bad argument values (wrong type, out of range, bad JSON, ...)
    ///  - States.Runtime when a path argument matches nothing:
    ///    "The JSONPath '<path>' specified for the intrinsic function argument could not be found
    ///    in the input '<input>'" (variables: "... in the variables")
    [[nodiscard]] Outcome<Value> evaluate(const Scope& scope) const;

private:
    Intrinsic(std::shared_ptr<const detail::CallNode> call, std::string text);
    std::shared_ptr<const detail::CallNode> call_;
    std::string text_;
    std::string function_;
};

/// True when `text` is meant as an intrinsic call (starts with "States." ), i.e. not a path.
[[nodiscard]] bool looks_like_intrinsic(std::string_view text) noexcept;

/// Syntax check for the validator: empty when valid, else the PathError detail. Never throws.
[[nodiscard]] std::optional<std::string> check_intrinsic(std::string_view text);

}  // namespace sfn::jsonpath
