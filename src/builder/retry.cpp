#include "sfn/builder/retry.hpp"

#include "builder/detail_graph.hpp"

namespace sfn {

Retry::Retry(std::vector<std::string> errors) { value_.error_equals = std::move(errors); }

Retry& Retry::interval_seconds(std::int64_t seconds) {
    value_.interval_seconds = seconds;
    return *this;
}
Retry& Retry::max_attempts(std::int64_t attempts) {
    value_.max_attempts = attempts;
    return *this;
}
Retry& Retry::backoff_rate(double rate) {
    value_.backoff_rate = rate;
    return *this;
}
Retry& Retry::max_delay_seconds(std::int64_t seconds) {
    value_.max_delay_seconds = seconds;
    return *this;
}
Retry& Retry::jitter_strategy(model::JitterStrategy strategy) {
    value_.jitter_strategy = strategy;
    return *this;
}
Retry& Retry::comment(std::string text) {
    value_.comment = std::move(text);
    return *this;
}

Catch::Catch(std::vector<std::string> errors, State next) : next_(std::move(next)) {
    value_.error_equals = std::move(errors);
}

Catch& Catch::result_path(const ReferencePath& path) {
    value_.result_path = path.to_model();
    return *this;
}
Catch& Catch::result_path(std::nullptr_t) {
    value_.result_path = nullptr;
    return *this;
}
Catch& Catch::output(model::Json value) {
    builder::detail::check_expressions(value, "Catch -> '" + next_.id() + "', Output");
    value_.output = std::move(value);
    return *this;
}
Catch& Catch::assign(model::Json variables) {
    builder::detail::check_expressions(variables, "Catch -> '" + next_.id() + "', Assign");
    value_.assign = std::move(variables);
    return *this;
}
Catch& Catch::comment(std::string text) {
    value_.comment = std::move(text);
    return *this;
}

}  // namespace sfn
