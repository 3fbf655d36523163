#pragma once
/// \file
/// Retry and Catch: the error-handling fields of Task, Parallel and Map states.

#include "sfn/model/common.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sfn::model {

/// Retrier `JitterStrategy`.
enum class JitterStrategy { FULL, NONE };

/// One element of `Retry`. Absent fields take the ASL defaults (IntervalSeconds 1, MaxAttempts 3,
/// BackoffRate 2.0) at run time; the model keeps them absent so serialization round-trips.
struct Retrier {
    std::vector<std::string> error_equals{};  ///< e.g. {"States.Timeout"}; "States.ALL" must be alone and last
    std::optional<std::int64_t> interval_seconds{};
    std::optional<std::int64_t> max_attempts{};
    std::optional<double> backoff_rate{};  ///< written as an integer when it is whole (`2`, not `2.0`)
    std::optional<std::int64_t> max_delay_seconds{};
    std::optional<JitterStrategy> jitter_strategy{};
    std::optional<std::string> comment{};
    bool operator==(const Retrier&) const = default;
};

/// One element of `Catch`.
struct Catcher {
    std::vector<std::string> error_equals{};
    std::string next{};                        ///< the fallback state; must exist in the same scope
    std::optional<NullablePath> result_path{};  ///< JSONPath states only
    std::optional<Json> output{};              ///< JSONata states only
    std::optional<Json> assign{};
    std::optional<std::string> comment{};
    bool operator==(const Catcher&) const = default;
};

/// `Retry` and `Catch` as written: absent (nullopt) or a list, an empty one included, so that a definition
/// serializes back to what it said (`"Retry": []` stays).
using RetryList = std::optional<std::vector<Retrier>>;
using CatchList = std::optional<std::vector<Catcher>>;

/// The elements of an optional list field; none when the field is absent.
/// **Example** `for (const auto& r : model::elements(task.retry)) ...`
template <class T>
[[nodiscard]] std::span<const T> elements(const std::optional<std::vector<T>>& list) noexcept {
    return list ? std::span<const T>(*list) : std::span<const T>();
}

/// The list of an optional list field, made present (empty) when it was absent.
/// **Example** `model::present(task.retry).push_back(Retrier{.error_equals = {"States.ALL"}});`
template <class T>
std::vector<T>& present(std::optional<std::vector<T>>& list) {
    return list ? *list : list.emplace();
}

}  // namespace sfn::model
