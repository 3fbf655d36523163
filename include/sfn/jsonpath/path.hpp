#pragma once
/// \file
/// jsonpath::Path: a JSONPath compiled once (at definition compile time) and evaluated many times.
///
/// Roots: `$` (state input), `$$` (context object), `$name` (workflow variable, optionally followed
/// by steps: `$order.items[0]`). Steps: `.name`, `['name']` / `["name"]`, `.*` / `[*]`, `[3]`,
/// `[-1]`, `[1:3]` / `[::2]`, unions `[0,2]` / `['a','b']`, filters `[?(@.price < 10 && @.tag)]`
/// (==, !=, <, <=, >, >=, &&, ||, !, parentheses; Jayway's `in`, `nin`, `subsetof`, `anyof`, `noneof`,
/// `contains`, `size`, `empty` and `=~ /regex/flags` (a whole-string match); literals: numbers,
/// 'strings', "strings", true, false, null, lists `['a', 1]`; operands `@...`, `$...`; nesting
/// limited to 64), recursive descent `..name` /
/// `..*` / `..[0]`, and a trailing `.length()` or `.size()` (size of an array or object, UTF-16
/// length of a string). Inside quotes only `\<quote>` is an escape; other backslashes are literal
/// (AWS reads `$['a\"b']` as the key `a\"b`).
///
/// A path is *definite* when it can match at most one node (no wildcard, slice, union, filter or
/// descent). A *reference path* (ResultPath, ItemsPath, ...) uses only names and indexes. As in
/// Jayway, a last step of several names (`$.a['x','y']`, `$[*]['x','y']`) selects one object of those
/// members per object reached; `$.a['x','y']` gives that object itself, not an array.
///
/// **Example**
/// \code
///   auto p = jsonpath::Path::parse("$.order.items[0].sku");
///   if (auto v = p.select(input)) use(*v);                   // std::nullopt: not found
///   auto out = jsonpath::Path::parse_reference("$.result").assign(input, result);
/// \endcode

#include <cstdint>
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
struct PathImpl;
}

/// Which document a path starts from.
enum class PathRoot : std::uint8_t { input, context, variable };

/// The most work units one evaluation of one path may spend: nodes visited by recursive descent,
/// candidate nodes reached by a step (results included) and filter conditions tested, counted
/// across nested filter evaluations (a filter measuring or comparing a long string or a large
/// container pays one unit more per 64 bytes or per element). For scale: `$..name` over a 256 KiB
/// input needs at most about 131,000 units, a filter over 100,000 array items about 350,000;
/// filters nested inside `..` grow as (input size)^(nesting depth) and reach the limit within
/// tens of milliseconds.
inline constexpr std::uint64_t max_evaluation_steps = 5'000'000;

/// What a field accepts, for check_path().
enum class PathKind : std::uint8_t {
    path,            ///< any JSONPath (InputPath, OutputPath, `.$` values)
    reference_path,  ///< names and indexes only (ResultPath, ItemsPath, *Path comparisons)
};

class Path {
public:
    /// The path `$`.
    Path();

    /// Compiles `text`. Leading/trailing whitespace is not allowed.
    /// \throws PathError sfn.jsonpath.E001 "invalid JSONPath '<text>' at position N: <reason>"
    [[nodiscard]] static Path parse(std::string_view text);
    /// Compiles `text` and requires a reference path.
    /// \throws PathError E001 as parse(), or E002 "'<text>' is not a reference path: <reason>"
    [[nodiscard]] static Path parse_reference(std::string_view text);

    /// The source text, as given.
    [[nodiscard]] const std::string& text() const noexcept;
    [[nodiscard]] PathRoot root() const noexcept;
    /// The variable name (without `$`) when root() == PathRoot::variable; empty otherwise.
    [[nodiscard]] const std::string& variable() const noexcept;
    /// True for `$`, `$$` or `$name` with no steps.
    [[nodiscard]] bool is_root_only() const noexcept;
    [[nodiscard]] bool is_definite() const noexcept;
    [[nodiscard]] bool is_reference_path() const noexcept;
    /// Jayway-style normalized form, e.g. `$['order']['items'][0]` (used in AWS causes).
    [[nodiscard]] std::string normalized() const;

    /// Evaluates the steps against `root` (the root document is chosen by the caller).
    /// Definite path: the node, or std::nullopt when absent. Indefinite path: an array of every
    /// match in document order (possibly empty); a trailing length() gives a number. Fails with
    /// States.Runtime "Invalid path '<text>' : needs more than 5,000,000 evaluation steps (the
    /// limit), simplify the path or the input" when the evaluation passes max_evaluation_steps.
    /// Never throws.
    [[nodiscard]] Outcome<std::optional<Value>> try_select(const Value& root) const;
    /// As try_select(root) with the root picked from the scope by root(); nullopt for an undefined variable.
    [[nodiscard]] Outcome<std::optional<Value>> try_select(const Scope& scope) const;

    /// As try_select(scope), without copying what it selects when it can: a definite path without a trailing
    /// length() gives the node of the scope's document itself (valid while that lives); any other path builds
    /// its selection into `built` and points to it. nullptr when nothing was selected.
    [[nodiscard]] Outcome<const Value*> lookup(const Scope& scope, std::optional<Value>& built) const;

    /// As try_select(), but std::nullopt also when the evaluation passes max_evaluation_steps
    /// (an indefinite path otherwise never gives std::nullopt). Never throws.
    [[nodiscard]] std::optional<Value> select(const Value& root) const;
    /// As select(root) with the root picked from the scope by root(); nullopt for an undefined variable.
    [[nodiscard]] std::optional<Value> select(const Scope& scope) const;

    /// InputPath / OutputPath / ItemsPath semantics: the selection, or Failure States.Runtime
    /// "Invalid path '<text>' : No results for path: <normalized>", or the Failure of try_select()
    /// when the evaluation passes max_evaluation_steps.
    [[nodiscard]] Outcome<Value> evaluate(const Scope& scope) const;

    /// ResultPath semantics: a new `root` with `value` placed at this path; intermediate objects
    /// that are missing are created; every untouched child is shared with `root`. `$` returns
    /// `value`. Fails with States.ResultPathMatchFailure when a step meets a non-object (for a
    /// name) or a non-array / out-of-range index. Precondition: is_reference_path() and
    /// root() == PathRoot::input.
    [[nodiscard]] Outcome<Value> assign(const Value& root, Value value) const;

    /// Same text.
    friend bool operator==(const Path& a, const Path& b) noexcept { return a.text() == b.text(); }

private:
    explicit Path(std::shared_ptr<const detail::PathImpl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<const detail::PathImpl> impl_;
};

/// Syntax check for the validator: an empty optional when `text` is valid for `kind`, else the
/// PathError detail (without code). Never throws.
[[nodiscard]] std::optional<std::string> check_path(std::string_view text, PathKind kind);

}  // namespace sfn::jsonpath
