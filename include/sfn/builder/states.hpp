#pragma once
/// \file
/// The simple authoring states: Task, Pass, Wait, Succeed, Fail. Choice, Parallel and Map have
/// their own headers. Every setter returns the handle, so calls chain:
///
/// **Example**
/// \code
///   auto hello = sfn::Pass("Input Argument Handling").result({{"message", "Hello Alice"}});
///   auto call = sfn::Task("Call").resource("arn:aws:states:::lambda:invoke").timeout_seconds(30);
/// \endcode

#include "sfn/builder/state.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sfn {

/// A Task state.
class Task : public State,
             public builder::detail::Described<Task>,
             public builder::detail::Filtered<Task>,
             public builder::detail::Nextable<Task>,
             public builder::detail::Resulting<Task>,
             public builder::detail::Recovering<Task> {
public:
    using model_type = model::Task;

    /// A Task with a generated id (`Task-<7 hex>`).
    Task();
    /// \throws builder::BuildError E001 for a name longer than 80 characters.
    explicit Task(std::string_view id);

    Task& resource(std::string arn);
    /// JSONata `Arguments`: a template whose strings may be expressions, or one expression.
    /// \throws builder::BuildError E011 when a `{% %}` string in it does not parse.
    Task& arguments(model::Json payload);
    Task& timeout_seconds(std::int64_t seconds);
    /// JSONata states: the timeout computed by an expression, e.g. `"$states.input.timeout"_jsonata`.
    Task& timeout_seconds(const Jsonata& expression);
    Task& timeout_seconds_path(const ReferencePath& path);
    Task& heartbeat_seconds(std::int64_t seconds);
    Task& heartbeat_seconds(const Jsonata& expression);
    Task& heartbeat_seconds_path(const ReferencePath& path);
    /// `Credentials`, e.g. `{{"RoleArn", "arn:aws:iam::111122223333:role/X"}}`.
    Task& credentials(model::Json value);
};

/// A Pass state.
class Pass : public State,
             public builder::detail::Described<Pass>,
             public builder::detail::Filtered<Pass>,
             public builder::detail::Nextable<Pass>,
             public builder::detail::Resulting<Pass> {
public:
    using model_type = model::Pass;

    Pass();
    explicit Pass(std::string_view id);
    /// The fixed `Result`. Changing it later shows in the next serialize().
    Pass& result(model::Json value);
};

/// A Wait state. Exactly one of Seconds, Timestamp, SecondsPath, TimestampPath is kept: each
/// setter replaces whichever was set before.
class Wait : public State,
             public builder::detail::Described<Wait>,
             public builder::detail::Filtered<Wait>,
             public builder::detail::Nextable<Wait> {
public:
    using model_type = model::Wait;

    Wait();
    explicit Wait(std::string_view id);
    Wait& seconds(std::int64_t seconds);
    Wait& seconds(const Jsonata& expression);
    /// An RFC 3339 timestamp such as `2026-01-01T00:00:00Z`.
    Wait& timestamp(std::string timestamp);
    /// JSONata states: the timestamp computed by an expression.
    Wait& timestamp(const Jsonata& expression);
    Wait& seconds_path(const ReferencePath& path);
    Wait& timestamp_path(const ReferencePath& path);
};

/// A Succeed state (terminal).
class Succeed : public State,
                public builder::detail::Described<Succeed>,
                public builder::detail::Filtered<Succeed> {
public:
    using model_type = model::Succeed;

    Succeed();
    explicit Succeed(std::string_view id);
};

/// A Fail state (terminal).
class Fail : public State, public builder::detail::Described<Fail> {
public:
    using model_type = model::Fail;

    Fail();
    explicit Fail(std::string_view id);
    Fail& error(std::string name);
    /// JSONata states: the error name computed by an expression.
    Fail& error(const Jsonata& expression);
    Fail& error_path(const Path& path);
    Fail& cause(std::string text);
    /// JSONata states: the cause computed by an expression.
    Fail& cause(const Jsonata& expression);
    Fail& cause_path(const Path& path);
};

}  // namespace sfn
