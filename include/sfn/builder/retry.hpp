#pragma once
/// \file
/// Retry and Catch builders for Task, Parallel and Map.
///
/// **Example**
/// \code
///   task.add_retry(sfn::Retry{{"Lambda.ServiceException", "Lambda.SdkClientException"}}
///                      .interval_seconds(2).backoff_rate(2).max_attempts(3))
///       .add_catch(sfn::Catch{{sfn::errors::ALL}, handler}.result_path("$.error"));
/// \endcode

#include "sfn/builder/errors.hpp"
#include "sfn/builder/state.hpp"
#include "sfn/model/error_handling.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sfn {

/// One retrier. Unset fields are left out of the ASL (the service applies its defaults).
class Retry {
public:
    /// The errors it retries. (add_retry checks them: not empty, States.ALL alone.)
    explicit Retry(std::vector<std::string> errors);
    /// One error name, e.g. `Retry{sfn::errors::TIMEOUT}`.
    explicit Retry(const char* error) : Retry(std::vector<std::string>{error}) {}

    Retry& interval_seconds(std::int64_t seconds);
    Retry& max_attempts(std::int64_t attempts);
    Retry& backoff_rate(double rate);
    Retry& max_delay_seconds(std::int64_t seconds);
    Retry& jitter_strategy(model::JitterStrategy strategy);
    Retry& comment(std::string text);

    [[nodiscard]] const model::Retrier& to_model() const noexcept { return value_; }

private:
    model::Retrier value_;
};

/// One catcher: the errors it handles and the state it goes to.
class Catch {
public:
    /// The errors it handles and the state it goes to. (add_catch checks the errors.)
    Catch(std::vector<std::string> errors, State next);

    /// Where the error output goes in the input (`$.error`), JSONPath states.
    Catch& result_path(const ReferencePath& path);
    /// `ResultPath: null`.
    Catch& result_path(std::nullptr_t);
    /// JSONata `Output`.
    Catch& output(model::Json value);
    Catch& assign(model::Json variables);
    Catch& comment(std::string text);

    /// The catcher without its `Next` (filled in when the definition is snapshotted).
    [[nodiscard]] const model::Catcher& to_model() const noexcept { return value_; }
    [[nodiscard]] const State& next() const noexcept { return next_; }

private:
    model::Catcher value_;
    State next_;
};

}  // namespace sfn
