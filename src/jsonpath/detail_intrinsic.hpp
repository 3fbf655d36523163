#pragma once
// Private: the compiled form of an intrinsic call and the table of functions.

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sfn/core/value.hpp"
#include "sfn/jsonpath/outcome.hpp"
#include "sfn/jsonpath/path.hpp"
#include "sfn/jsonpath/scope.hpp"

namespace sfn::jsonpath::detail {

/// What a parameter accepts. `integer` also takes reals with an integral value.
enum class ArgType : std::uint8_t { any, string, number, integer, boolean, array, object };

struct CallNode;

struct Arg {
    enum class Kind : std::uint8_t { literal, path, call };
    Kind kind = Kind::literal;
    Value literal;
    std::string raw;  // a string literal's text between the quotes, escapes kept (States.Format)
    Path path;
    std::shared_ptr<const CallNode> call;
};

struct FunctionSpec;

/// One piece of a States.Format template: literal text, or a `{}` placeholder.
struct FormatPiece {
    std::string text;
    bool placeholder = false;
};

struct CallNode {
    const FunctionSpec* function = nullptr;
    std::vector<Arg> args;
    std::vector<FormatPiece> format;  // States.Format with a literal template: split at parse time
    bool has_format = false;
};

/// What an evaluator sees: the evaluated arguments (already type-checked against the spec).
/// A call's evaluated arguments. Each is borrowed where it already existed (a literal of the call, a node
/// of the input or of a variable) and owned by the call otherwise: copying a Value takes an atomic
/// reference, and intrinsics run for every state that uses them.
class Args {
public:
    explicit Args(std::span<const Value* const> items) noexcept : items_(items) {}
    [[nodiscard]] const Value& operator[](std::size_t i) const noexcept { return *items_[i]; }
    [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }

private:
    std::span<const Value* const> items_;
};

struct CallContext {
    const CallNode& node;
    Args args;
    const Scope& scope;
    /// Failure States.IntrinsicFailure "The intrinsic function <name> failed: <detail>".
    [[nodiscard]] Failure fail(const std::string& detail) const;
};

using Evaluator = Outcome<Value> (*)(const CallContext&);

struct FunctionSpec {
    std::string_view name;
    std::size_t min_args;
    std::size_t max_args;
    std::array<ArgType, 3> types;  // for arguments 1..3
    ArgType rest;                  // for arguments 4..
    Evaluator evaluate;

    [[nodiscard]] ArgType type_of(std::size_t index) const noexcept { return index < 3 ? types[index] : rest; }
};

/// nullptr when `name` (e.g. "States.Format") is not an intrinsic function.
const FunctionSpec* find_function(std::string_view name) noexcept;

/// True for the algorithm names States.Hash accepts (MD5, SHA-1, SHA-256, SHA-384, SHA-512).
bool is_hash_algorithm(std::string_view name) noexcept;

/// A number rounded to the nearest integer as the service rounds intrinsic arguments (Java Math.round, half up:
/// 1.5 -> 2, -1.5 -> -1, -2.5 -> -2). False when it does not fit a 64-bit integer.
inline bool round_half_up(const Value& v, std::int64_t& out) noexcept {
    if (v.is_integer()) {
        out = v.as_int();
        return true;
    }
    const double r = std::floor(v.as_double() + 0.5);
    if (!(r >= -9.2e18 && r <= 9.2e18)) return false;
    out = static_cast<std::int64_t>(r);
    return true;
}

/// True when `v` is acceptable for `type`.
bool accepts(ArgType type, const Value& v) noexcept;
/// "a string", "an integer", ...
std::string_view type_phrase(ArgType type) noexcept;

/// Splits a States.Format template. `escaped` is true for a literal's raw text (\{ \} \' \\ are
/// escapes); false for a template that came from a path (no escapes). Empty optional + `error`
/// set when a brace is unbalanced.
std::vector<FormatPiece> split_format(std::string_view text, bool escaped, std::string& error);

// Evaluators, grouped by file.
Outcome<Value> eval_format(const CallContext&);
Outcome<Value> eval_string_to_json(const CallContext&);
Outcome<Value> eval_json_to_string(const CallContext&);
Outcome<Value> eval_array(const CallContext&);
Outcome<Value> eval_array_partition(const CallContext&);
Outcome<Value> eval_array_contains(const CallContext&);
Outcome<Value> eval_array_range(const CallContext&);
Outcome<Value> eval_array_get_item(const CallContext&);
Outcome<Value> eval_array_length(const CallContext&);
Outcome<Value> eval_array_unique(const CallContext&);
Outcome<Value> eval_base64_encode(const CallContext&);
Outcome<Value> eval_base64_decode(const CallContext&);
Outcome<Value> eval_hash(const CallContext&);
Outcome<Value> eval_json_merge(const CallContext&);
Outcome<Value> eval_math_random(const CallContext&);
Outcome<Value> eval_math_add(const CallContext&);
Outcome<Value> eval_string_split(const CallContext&);
Outcome<Value> eval_uuid(const CallContext&);

}  // namespace sfn::jsonpath::detail
