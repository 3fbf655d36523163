#pragma once
/// \file
/// JSONata 2.x: compile an expression once, evaluate it many times.
///
/// **Example**
/// @code
///   auto expr = sfn::jsonata::Expression::compile("Account.Order.Product.Price ~> $sum()");
///   std::optional<nlohmann::ordered_json> total = expr.evaluate(input);   // nullopt = undefined
/// @endcode

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sfn/core/error.hpp"
#include "sfn/core/value.hpp"

namespace sfn::jsonata {

using Json = nlohmann::ordered_json;

namespace detail {
struct Program;
class Value;
}

/// A compile or evaluation failure. code() is the reference implementation's code ("S0201", "T2001", ...);
/// position() is the character offset in the expression text the reference implementation reports.
class Error : public sfn::Error {
public:
    Error(std::string code, std::size_t position, std::string token, const std::string& message)
        : sfn::Error(code, message + " (at position " + std::to_string(position) +
                               (token.empty() ? std::string() : ", token '" + token + "'") + ")"),
          position_(position), token_(std::move(token)), message_(message) {}

    [[nodiscard]] std::size_t position() const noexcept { return position_; }
    /// The reference implementation's message alone (no code, no position).
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    [[nodiscard]] const std::string& token() const noexcept { return token_; }

private:
    std::size_t position_;
    std::string token_;
    std::string message_;
};

/// An input document converted once to the evaluator's representation, for evaluating one or many
/// expressions against the same JSON without converting it each time. Immutable; share freely.
class Input {
public:
    explicit Input(const Json& json);
    /// The same from an sfn::Value (no JSON text or nlohmann tree in between).
    explicit Input(const sfn::Value& value);

    /// The converted value (for the library's own use).
    [[nodiscard]] const detail::Value& value() const noexcept { return *value_; }

private:
    std::shared_ptr<const detail::Value> value_;
};

/// A function the caller adds to the language, e.g. AWS's $partition or $uuid.
/// Arguments arrive already validated against `signature` (JSONata signature syntax such as "<s-n?:s>";
/// empty = accept anything). An absent (undefined) argument or result is std::nullopt.
/// The implementation reports bad input by throwing jsonata::Error.
struct NativeFunction {
    std::string signature;
    std::function<std::optional<Json>(const std::vector<std::optional<Json>>& args)> implementation;
};

/// Everything an evaluation may see besides its input. Build once, share between evaluations.
struct Environment {
    /// Variables visible as `$name` (name without the `$`).
    std::map<std::string, Json, std::less<>> bindings;
    /// Variables already converted (see Input): no per-evaluation conversion, e.g. for `$states`.
    /// A name here wins over the same name in `bindings`.
    std::map<std::string, Input, std::less<>> prepared_bindings;
    /// Extra functions visible as `$name`; they shadow built-ins of the same name. Bound when an expression
    /// first mentions them, so an environment with many functions costs nothing per evaluation.
    std::map<std::string, NativeFunction, std::less<>> functions;
    /// Another environment whose `functions`, `disabled_functions` and `hidden_functions` apply here too
    /// (after this one's); its bindings and limits do not. Lets a caller build its function table once and
    /// add per-evaluation bindings in a small environment. Must outlive every evaluation that uses it.
    const Environment* base = nullptr;
    /// Built-in names (without `$`) that must not be called: calling one throws Error code "D3201".
    std::set<std::string, std::less<>> disabled_functions;
    /// Built-in names (without `$`) that do not exist here at all: `$name` is undefined, so calling it throws
    /// "T1006" (Attempted to invoke a non-function), which is what AWS Step Functions answers for `$eval`.
    std::set<std::string, std::less<>> hidden_functions;
    /// Bound on the JSON data one evaluation builds, in bytes (a character counts 1, an array element 8);
    /// 0 = none. A string or array larger than this, or ranges (`[a..b]`) allocating more than 8 times this
    /// in total, throw "U1002" (Expression evaluation memory limit exceeded) before the memory is taken.
    /// Independently of it, a string longer than 2^29 - 24 bytes (JavaScript's string length limit, where
    /// the reference fails with a RangeError) throws "U1002" too.
    std::size_t memory_limit = 0;
    /// Maximum nesting of evaluation; exceeding throws Error code "U1001". Independently of this, evaluation
    /// stops with "U1001" before the native stack of the calling thread runs out.
    std::size_t max_depth = 10000;
    /// Wall-clock budget per evaluation; zero = none. Exceeding throws Error code "U1001".
    std::chrono::milliseconds time_limit{0};
};

/// A result and whether it was a function (a lambda, or a built-in named without being called), which
/// Expression::evaluate renders as "" and which is no JSON value at all.
struct Evaluation {
    std::optional<Json> value;  ///< std::nullopt when undefined
    bool function = false;      ///< the result was a function (`value` then holds "")
};

/// A compiled JSONata expression: immutable, cheap to copy, safe to evaluate from many threads at once.
class Expression {
public:
    /// Parses `text`. \throws Error with the reference's syntax code (S01xx/S02xx/S03xx/S04xx) and position.
    static Expression compile(std::string_view text);

    /// Evaluates against `input` (nullptr = no input, i.e. `$` is undefined).
    /// \returns std::nullopt when the result is undefined. Functions in the result render as "".
    /// \throws Error with the reference's code (T/D/U codes) and position.
    [[nodiscard]] std::optional<Json> evaluate(const Json* input, const Environment& env) const;
    [[nodiscard]] std::optional<Json> evaluate(const Json& input, const Environment& env) const {
        return evaluate(&input, env);
    }
    [[nodiscard]] std::optional<Json> evaluate(const Json& input) const;
    /// Evaluates against a pre-converted input (see Input); same results and errors as above.
    [[nodiscard]] std::optional<Json> evaluate(const Input& input, const Environment& env) const;

    /// Evaluates like evaluate(input, env) and tells a function result apart from "" (Step Functions rejects
    /// one: "returned an unsupported result type").
    [[nodiscard]] Evaluation evaluate_with_kind(const Json* input, const Environment& env) const;
    /// The expression text as compiled.
    [[nodiscard]] const std::string& text() const noexcept;

private:
    explicit Expression(std::shared_ptr<const detail::Program> program) : program_(std::move(program)) {}
    std::shared_ptr<const detail::Program> program_;
};

}  // namespace sfn::jsonata
