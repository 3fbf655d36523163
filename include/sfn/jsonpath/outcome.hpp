#pragma once
/// \file
/// Runtime failures are values, not exceptions: an Outcome<T> holds either a T or a Failure with
/// the ASL error name and cause that the execution reports (and that Retry/Catch match on).

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sfn::jsonpath {

/// Well-known ASL error names this component produces.
namespace errors {
inline constexpr std::string_view runtime = "States.Runtime";
inline constexpr std::string_view intrinsic_failure = "States.IntrinsicFailure";
inline constexpr std::string_view result_path_match_failure = "States.ResultPathMatchFailure";
inline constexpr std::string_view parameter_path_failure = "States.ParameterPathFailure";
}  // namespace errors

/// An ASL runtime error: `error` is the name (e.g. "States.Runtime"), `cause` the human text.
struct Failure {
    std::string error;
    std::string cause;
    friend bool operator==(const Failure&, const Failure&) = default;
};

/// Either a value or a Failure.
///
/// **Example**
/// \code
///   Outcome<Value> r = path.evaluate(scope);
///   if (!r) return r.failure();          // propagate
///   use(*r);
/// \endcode
template <class T>
class [[nodiscard]] Outcome {
public:
    Outcome(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT
    Outcome(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    /// Precondition: ok().
    [[nodiscard]] T& value() & { return std::get<0>(state_); }
    [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
    [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// Precondition: !ok().
    [[nodiscard]] const Failure& failure() const& { return std::get<1>(state_); }
    [[nodiscard]] Failure&& failure() && { return std::get<1>(std::move(state_)); }

private:
    std::variant<T, Failure> state_;
};

}  // namespace sfn::jsonpath
