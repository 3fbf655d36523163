#pragma once
/// \file
/// Task handlers: what runs when a Task state invokes a resource. A handler is chosen by the resource ARN
/// (glob with `*` and `?`), and for `arn:aws:states:::lambda:invoke` also by the FunctionName parameter
/// (the glob is then matched against the function name or ARN). Three kinds: C++ callables, an external
/// command, and responses mocked from a Step Functions Local mock-config file.

#include "sfn/core/value.hpp"
#include "sfn/engine/clock.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::engine {

/// What a handler is asked to do.
struct TaskRequest {
    std::string_view resource;       ///< the Task's Resource ARN, e.g. "arn:aws:states:::lambda:invoke"
    std::string_view state_name;     ///< the Task state's name
    std::string_view function_name;  ///< Lambda function name or ARN ("" when not a Lambda task)
    /// The effective parameters (after InputPath/Parameters). For Lambda tasks `payload` is the event the
    /// function receives (the Payload parameter of lambda:invoke, the whole input for a plain Lambda ARN).
    Value parameters;
    Value payload;
    /// Set for `.waitForTaskToken` resources (the token in `$$.Task.Token`) and for activities (the token the
    /// worker answers with: SendTaskSuccess/Failure/Heartbeat through TaskTokens).
    std::optional<std::string> task_token;
    int attempt = 0;                 ///< 0 for the first try, n for the n-th retry
    int invocation = 0;              ///< how often this state was invoked before in this execution (retries count)
    std::string_view execution_arn;
    /// Names this invocation within the execution, and is the same when a resumed (durable) execution invokes
    /// the task in doubt again: a key for making the task's side effect idempotent. At the top level the state
    /// name and `invocation`; inside Map iterations and Parallel branches (whose invocations interleave in no
    /// fixed order) the path of enclosing states with iteration index or branch number, the state's position in
    /// its iteration and `attempt`, e.g. "Fan[2]/Each[17]/Notify@3#0".
    std::string invocation_key;

    /// When the task times out, on the steady clock: TimeoutSeconds (or *Path) after the call, or
    /// HeartbeatSeconds if sooner (a synchronous handler cannot send heartbeats). max() = no limit.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    /// Signalled when the engine no longer wants this task's result: its deadline passed, the execution was
    /// stopped, or a sibling Parallel branch / Map iteration failed. Set on every request the engine makes.
    std::shared_ptr<const Interrupt> stop_signal;

    /// For `.sync` integrations (and `.waitForTaskToken` ones): call with the service's answer to the request
    /// that started the job; the engine records it as the TaskSubmitted event before the task's outcome (also
    /// when the task then times out). Set on every request the engine makes; thread-safe; later calls are
    /// ignored. Without a call, `.waitForTaskToken` tasks record TaskSubmitted with an empty object.
    std::function<void(Value answer)> submitted;

    /// Activity resources (`arn:aws:states:REGION:ACCOUNT:activity:NAME`): call when a worker takes the task
    /// (GetActivityTask), with the name the worker gave ("" for none); the engine records ActivityStarted with
    /// it and, for a queued task, starts the HeartbeatSeconds clock. Returns false when the task no longer
    /// waits for a worker (it timed out, its execution stopped, or a worker took it already): hand it to no
    /// worker then. Set on every activity request; thread-safe; may be called after the handler returned.
    std::function<bool(std::string_view worker_name)> started;

    /// True once the handler should give up (deadline passed or stop_signal signalled). Long-running
    /// callables should poll it, or sleep with `stop_signal->wait_until(...)`, and return early; their
    /// outcome is then ignored.
    [[nodiscard]] bool cancelled() const noexcept {
        return (stop_signal && stop_signal->signalled()) || std::chrono::steady_clock::now() >= deadline;
    }
};

/// What a handler answers.
struct TaskOutcome {
    enum class Kind : std::uint8_t {
        Result,         ///< `value` is the integration's result (for Lambda resources: the function's return value)
        RawResult,      ///< `value` is the complete service response, used as is (no Lambda shaping)
        FunctionError,  ///< a Lambda function error: `error` = errorType, `cause` = the error JSON text
        Failure,        ///< the task failed with `error`/`cause` exactly as given
        Pending,        ///< `.waitForTaskToken` or a queued activity: the result arrives later through TaskTokens
        NotScheduled,   ///< the task could not be scheduled: the state fails with `error` (States.Runtime)
    };
    Kind kind = Kind::Result;
    Value value;
    std::string error;
    std::string cause;
    /// Optional: the response body exactly as the function produced it (for Lambda's Content-Length
    /// header). Command handlers set it to their stdout; when empty, the compact JSON of `value` is used.
    std::string body;

    static TaskOutcome result(Value v, std::string body = {}) {
        return {Kind::Result, std::move(v), {}, {}, std::move(body)};
    }
    static TaskOutcome raw_result(Value v) { return {Kind::RawResult, std::move(v), {}, {}, {}}; }
    static TaskOutcome function_error(std::string error_type, std::string error_json) {
        return {Kind::FunctionError, Value(), std::move(error_type), std::move(error_json), {}};
    }
    static TaskOutcome failure(std::string error, std::string cause) {
        return {Kind::Failure, Value(), std::move(error), std::move(cause), {}};
    }
    static TaskOutcome pending() { return {Kind::Pending, Value(), {}, {}, {}}; }
    /// The task cannot be scheduled, e.g. its activity does not exist: the state fails with States.Runtime and
    /// `cause` after AWS's "An error occurred while executing the state 'S' (entered at the event id #N). ",
    /// without a task event of its own (AWS records none for a missing activity; an activity's
    /// ActivityScheduled is not recorded then). States.Runtime is caught only by a Catcher that names it.
    static TaskOutcome not_scheduled(std::string cause) {
        return {Kind::NotScheduled, Value(), "States.Runtime", std::move(cause), {}};
    }
};

/// A task handler. Must be thread-safe when registered for machines that run concurrently.
///
/// **Activities.** For an activity resource the history records the Activity* events (ActivityScheduled,
/// ActivityStarted, ActivitySucceeded/Failed/TimedOut). A handler either works the task itself (its outcome
/// follows ActivityScheduled and ActivityStarted, both timestamped at the call) or queues it for a worker: it
/// keeps `task_token` and `started`, answers pending() at once (ActivityScheduled is recorded then) and the
/// worker's answer arrives through TaskTokens; TimeoutSeconds counts from the scheduling, HeartbeatSeconds from
/// `started`. not_scheduled() refuses the task before anything is recorded (e.g. the activity does not exist).
///
/// **Timeouts.** Without TimeoutSeconds/HeartbeatSeconds the handler runs on the execution's (or branch's)
/// thread. With one, it runs on a thread of its own while the execution waits; when the deadline passes
/// the task fails with States.Timeout (States.HeartbeatTimeout when HeartbeatSeconds passed first) at that
/// moment, stop_signal is signalled and the engine gives the handler up to 2 s to return. Command handlers
/// kill their whole process group then. A callable that ignores the signal is left running: the execution
/// goes on without it (Retry/Catch apply), and the Execution object's destructor waits for it to return,
/// so the request's views stay valid for as long as the callable runs. An execution stop or a failing
/// sibling branch signals stop_signal the same way.
using TaskHandler = std::function<TaskOutcome(const TaskRequest&)>;

/// Handlers by resource glob, plus optional mocked responses. Immutable once shared with executions.
///
/// **Example**
/// @code
/// sfn::engine::HandlerRegistry handlers;
/// handlers.add("arn:aws:lambda:*:function:greet", [](const sfn::engine::TaskRequest& r) {
///     return sfn::engine::TaskOutcome::result(r.payload);
/// });
/// handlers.add_command("arn:aws:states:::lambda:invoke", "python3 handler.py");
/// @endcode
class HandlerRegistry {
public:
    HandlerRegistry();
    ~HandlerRegistry();
    HandlerRegistry(const HandlerRegistry&);
    HandlerRegistry& operator=(const HandlerRegistry&);
    HandlerRegistry(HandlerRegistry&&) noexcept;
    HandlerRegistry& operator=(HandlerRegistry&&) noexcept;

    /// Registers `handler` for resources (or Lambda function names) matching `glob`. Later registrations win.
    HandlerRegistry& add(std::string glob, TaskHandler handler);

    /// Registers an external command run through `/bin/sh -c`: the task payload as JSON on stdin, the result
    /// JSON on stdout. Exit status 1 with `{"errorType","errorMessage"}` on stdout is a function error;
    /// any other non-zero status fails the task with `States.TaskFailed`.
    HandlerRegistry& add_command(std::string glob, std::string command);

    /// Uses the mocked responses of `test_case` of `state_machine` in a Step Functions Local mock-config
    /// document (see shared/aws/MOCK-CONFIG.md). Mocked states take precedence over every glob.
    /// \throws sfn::engine::UsageError naming the missing machine/test case or the malformed entry.
    HandlerRegistry& use_mock_config(const nlohmann::json& config, const std::string& state_machine,
                                     const std::string& test_case);

    /// Like use_mock_config(), reading the file at `path`. \throws UsageError when it cannot be read/parsed.
    HandlerRegistry& use_mock_config_file(const std::string& path, const std::string& state_machine,
                                          const std::string& test_case);

    /// Registers the handler asked for every task that no mock and no glob covers: the service integrations
    /// (`sfn::integrations`, which call AWS or an emulator) sit here, so precedence is mock config > explicit
    /// handlers > integrations > the "no task handler" failure. The handler answers every resource; for one it
    /// does not know it fails the task itself, naming the resource. Replaces an earlier fallback.
    HandlerRegistry& set_fallback(TaskHandler handler);

    /// True when a fallback handler (the integrations) is registered.
    [[nodiscard]] bool has_fallback() const noexcept;

    /// The handler for a task, or nullptr. `function_name` is "" for non-Lambda resources.
    [[nodiscard]] const TaskHandler* find(std::string_view state_name, std::string_view resource,
                                          std::string_view function_name) const;

    /// True when a mock covers this state name.
    [[nodiscard]] bool is_mocked(std::string_view state_name) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// `*` matches any run of characters, `?` one character; everything else literally.
[[nodiscard]] bool glob_match(std::string_view glob, std::string_view text) noexcept;

}  // namespace sfn::engine
