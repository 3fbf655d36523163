#pragma once
/// \file
/// Small value types shared by every part of the ASL model: JSON payloads, paths as written,
/// JSONata expressions and the fields that accept either a literal or an expression.
///
/// The model holds what a definition *says*, even when it is wrong (a Next naming no state, a
/// malformed path): checking is asl::validate's job, so that it can report every problem with its
/// JSON pointer. Types that must be checked (paths, expressions) are still distinct types, never
/// bare strings, so code cannot mix them up.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace sfn::model {

/// Payload templates, Result, Assign, Output, ItemReader configs...: key order matters in ASL
/// output, so the model keeps JSON objects ordered as written.
using Json = nlohmann::ordered_json;

/// The two query languages of ASL (top-level and per-state `QueryLanguage`).
enum class QueryLanguage { JSONPath, JSONata };

/// A JSONPath or reference path exactly as written, e.g. `$.order.id`, `$$.Execution.Id`, `$var.x`.
/// Whether it is well-formed is checked by asl::validate (via sfn::jsonpath).
struct Path {
    std::string text{};
    bool operator==(const Path&) const = default;
};

/// InputPath, OutputPath and ResultPath may be JSON `null` (discard / use `{}`), distinct from absent:
/// `std::optional<NullablePath>` is absent (nullopt), null (`nullptr`) or a path.
using NullablePath = std::variant<std::nullptr_t, Path>;

/// A string value as written where ASL accepts a JSONata expression, e.g. `{% $states.input.n %}`.
/// Framing and syntax are checked by asl::validate.
struct Expression {
    std::string text{};
    bool operator==(const Expression&) const = default;
};

/// Fields such as Seconds, TimeoutSeconds, MaxConcurrency: an integer, or in JSONata states an
/// expression string.
using IntegerOrExpression = std::variant<std::int64_t, Expression>;

/// ToleratedFailurePercentage: a number (0-100, fractions allowed), or an expression string.
using NumberOrExpression = std::variant<double, Expression>;

/// A copyable, comparable owning pointer for recursive value types (a `Not` rule holds one rule).
/// Never empty once constructed from a value.
template <class T>
class Box {
public:
    Box() : ptr_(std::make_unique<T>()) {}
    Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit by design
    Box(const Box& other) : ptr_(std::make_unique<T>(*other.ptr_)) {}
    Box(Box&&) noexcept = default;
    Box& operator=(const Box& other) {
        if (this != &other) ptr_ = std::make_unique<T>(*other.ptr_);
        return *this;
    }
    Box& operator=(Box&&) noexcept = default;
    ~Box() = default;

    [[nodiscard]] const T& operator*() const { return *ptr_; }
    [[nodiscard]] T& operator*() { return *ptr_; }
    [[nodiscard]] const T* operator->() const { return ptr_.get(); }
    [[nodiscard]] T* operator->() { return ptr_.get(); }
    bool operator==(const Box& other) const { return *ptr_ == *other.ptr_; }

private:
    std::unique_ptr<T> ptr_{};
};

}  // namespace sfn::model
