#include "sfn/builder/states.hpp"

#include "builder/detail_graph.hpp"

namespace sfn {

using builder::detail::fields_of;
using builder::detail::set_field;

Task::Task() : State({}, model::Task{}) {}
Task::Task(std::string_view id) : State(id, model::Task{}) {}

Task& Task::resource(std::string arn) { return set_field(*this, &model::Task::resource, std::move(arn)); }
Task& Task::arguments(model::Json payload) {
    builder::detail::check_expressions(payload, "state '" + id() + "', Arguments");
    return set_field(*this, &model::Task::arguments, std::move(payload));
}
Task& Task::timeout_seconds(std::int64_t seconds) { return set_field(*this, &model::Task::timeout_seconds, seconds); }
Task& Task::timeout_seconds(const Jsonata& expression) { return set_field(*this, &model::Task::timeout_seconds, expression.to_model()); }
Task& Task::timeout_seconds_path(const ReferencePath& path) { return set_field(*this, &model::Task::timeout_seconds_path, path.to_model()); }
Task& Task::heartbeat_seconds(std::int64_t seconds) { return set_field(*this, &model::Task::heartbeat_seconds, seconds); }
Task& Task::heartbeat_seconds(const Jsonata& expression) { return set_field(*this, &model::Task::heartbeat_seconds, expression.to_model()); }
Task& Task::heartbeat_seconds_path(const ReferencePath& path) { return set_field(*this, &model::Task::heartbeat_seconds_path, path.to_model()); }
Task& Task::credentials(model::Json value) { return set_field(*this, &model::Task::credentials, std::move(value)); }

Pass::Pass() : State({}, model::Pass{}) {}
Pass::Pass(std::string_view id) : State(id, model::Pass{}) {}

Pass& Pass::result(model::Json value) { return set_field(*this, &model::Pass::result, std::move(value)); }

Wait::Wait() : State({}, model::Wait{}) {}
Wait::Wait(std::string_view id) : State(id, model::Wait{}) {}

namespace {
// ASL: a Wait state has exactly one of Seconds, Timestamp, SecondsPath, TimestampPath, so each
// setter starts from a clean slate.
model::Wait& reset(Wait& wait) {
    auto& w = fields_of(wait);
    w.seconds.reset();
    w.timestamp.reset();
    w.seconds_path.reset();
    w.timestamp_path.reset();
    return w;
}
}  // namespace

Wait& Wait::seconds(std::int64_t seconds) {
    reset(*this).seconds = seconds;
    return *this;
}
Wait& Wait::seconds(const Jsonata& expression) {
    reset(*this).seconds = expression.to_model();
    return *this;
}
Wait& Wait::timestamp(std::string timestamp) {
    reset(*this).timestamp = std::move(timestamp);
    return *this;
}
Wait& Wait::timestamp(const Jsonata& expression) {
    reset(*this).timestamp = expression.str();
    return *this;
}
Wait& Wait::seconds_path(const ReferencePath& path) {
    reset(*this).seconds_path = path.to_model();
    return *this;
}
Wait& Wait::timestamp_path(const ReferencePath& path) {
    reset(*this).timestamp_path = path.to_model();
    return *this;
}

Succeed::Succeed() : State({}, model::Succeed{}) {}
Succeed::Succeed(std::string_view id) : State(id, model::Succeed{}) {}

Fail::Fail() : State({}, model::Fail{}) {}
Fail::Fail(std::string_view id) : State(id, model::Fail{}) {}

Fail& Fail::error(std::string name) {
    auto& f = fields_of(*this);
    f.error = std::move(name);
    f.error_path.reset();
    return *this;
}
Fail& Fail::error(const Jsonata& expression) { return error(expression.str()); }
Fail& Fail::error_path(const Path& path) {
    auto& f = fields_of(*this);
    f.error_path = path.to_model();
    f.error.reset();
    return *this;
}
Fail& Fail::cause(std::string text) {
    auto& f = fields_of(*this);
    f.cause = std::move(text);
    f.cause_path.reset();
    return *this;
}
Fail& Fail::cause(const Jsonata& expression) { return cause(expression.str()); }
Fail& Fail::cause_path(const Path& path) {
    auto& f = fields_of(*this);
    f.cause_path = path.to_model();
    f.cause.reset();
    return *this;
}

}  // namespace sfn
