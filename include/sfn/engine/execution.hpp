#pragma once
/// \file
/// Running a compiled machine: options, the execution object (blocking or on its own thread, stoppable
/// from another thread), its result, its history, and the task-token API for `.waitForTaskToken` tasks.

#include "sfn/core/value.hpp"
#include "sfn/engine/checkpoint.hpp"
#include "sfn/engine/clock.hpp"
#include "sfn/engine/handlers.hpp"
#include "sfn/engine/history.hpp"
#include "sfn/engine/machine.hpp"
#include "sfn/engine/map_run.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sfn::engine {

enum class ExecutionType : std::uint8_t { Standard, Express };
enum class ExecutionStatus : std::uint8_t { Running, Succeeded, Failed, TimedOut, Aborted };

/// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED".
[[nodiscard]] std::string_view to_string(ExecutionStatus status) noexcept;

class TaskTokens;
class TaskRecorder;
class ObjectStore;

/// A step of a state's data processing, as TestState's inspection data names it.
enum class InspectionStage : std::uint8_t {
    AfterInputPath,       ///< the effective input (JSONPath)
    AfterParameters,      ///< after Parameters (JSONPath Task, Parallel; Pass with Parameters)
    AfterArguments,       ///< after Arguments (JSONata Task, Parallel)
    Result,               ///< the state's raw result (Task, Parallel, Map; Pass Result)
    AfterResultSelector,  ///< after ResultSelector (JSONPath)
    AfterResultPath,      ///< the result merged into the input by ResultPath (JSONPath)
    Error,                ///< the state failed (after its retries), before Catch: {"Error", "Cause"}
};

/// Receives the data-processing steps of the states of the top-level graph, as they happen.
using InspectHook = std::function<void(std::string_view state_name, InspectionStage stage, const Value& value)>;

/// Everything an execution needs besides the machine and its input. All fields have usable defaults.
struct ExecutionOptions {
    std::string name = "execution";
    std::string execution_arn;        ///< default: derived from state_machine_arn and name
    std::string state_machine_name = "StateMachine";
    std::string state_machine_arn;    ///< default: arn:aws:states:us-east-1:123456789012:stateMachine:<name>
    std::string role_arn = "arn:aws:iam::123456789012:role/StepFunctionsRole";
    std::string region = "us-east-1";
    std::optional<TimePoint> start_time;  ///< default: clock->now()
    int redrive_count = 0;
    ExecutionType type = ExecutionType::Standard;
    std::shared_ptr<Clock> clock;                     ///< default: RealClock
    std::shared_ptr<const HandlerRegistry> handlers;  ///< default: none (Tasks fail naming the resource)
    HistorySink history_sink;                         ///< optional; receives each event as it happens
    bool record_history = true;                       ///< keep events in Execution::history()
    /// AWS fails a STANDARD execution whose history would exceed 25,000 events (0 = no limit). EXPRESS
    /// executions have no such limit; this field is ignored for them.
    std::size_t max_history_events = 25'000;
    std::uint64_t random_seed = 0;   ///< seeds JitterStrategy FULL, States.MathRandom and States.UUID
    /// Where `.waitForTaskToken` tasks wait for SendTaskSuccess/Failure/Heartbeat. Default: a private one
    /// (reachable through Execution::task_tokens()).
    std::shared_ptr<TaskTokens> task_tokens;
    /// Threads for CPU-only Map iterations and Parallel branches: the execution's own plus up to
    /// max_threads - 1 of the engine's persistent worker pool (1 = all on the execution's thread). Branches and
    /// iterations that can wait or block (Wait, Task, Retry) always run concurrently, each Parallel branch and
    /// up to MaxConcurrency (at most 40) Map iterations on a thread of its own, whatever this says.
    unsigned max_threads = 1;
    /// Workflow variables defined before the first state runs (an object; null = none).
    Value variables;
    /// Members laid over the context object `$$` of every state (an object; null = none): objects merge
    /// member by member, anything else replaces the member.
    Value context;
    /// Optional: called with each data-processing step of the top-level graph's states (not those of Map
    /// iterations or Parallel branches), on the execution's thread.
    InspectHook inspect;
    /// Record and replay: when set, every Task state's outcome is recorded here (see recorder.hpp).
    std::shared_ptr<TaskRecorder> task_recorder;
    /// Where Distributed Map ItemReaders read and ResultWriters write (objects.hpp); none = they fail.
    std::shared_ptr<const ObjectStore> objects;
    /// Optional: told of each Distributed Map run (DescribeMapRun's data) and given its live settings.
    MapRunSink map_run_sink;
    /// Optional: told of each STANDARD child execution of a Distributed Map as it ends (one that may block
    /// also as it starts), with its history (see MapRunChild).
    MapRunChildSink map_run_child_sink;
    /// Durable executions (see checkpoint.hpp): receives the top-level StateEntered/StateExited events with
    /// their checkpoints instead of history_sink.
    CheckpointSink checkpoint_sink;
    /// Continue from this checkpoint instead of starting: ExecutionStarted and the events up to
    /// `resume->event_id` are not recorded again; ids continue after it. `start_time` should be the original
    /// start. \throws UsageError from run() when the checkpoint names a state the machine does not have.
    std::optional<Checkpoint> resume;
    /// Durable executions: receives each finished child of a top-level Map or Parallel state (see
    /// FinishedChild), when checkpoint_sink is set too.
    FinishedChildSink finished_child_sink;
    /// Resuming: children of the Map or Parallel state being resumed (or redriven) that ended before: they are
    /// not run again. One that cannot be read back runs again.
    std::vector<FinishedChild> resume_finished_children;
    /// Redriving: the Map Run the restart state's Distributed Map continues (see RedrivenMapRun).
    std::optional<RedrivenMapRun> redriven_map_run;
};

/// How an execution ended.
struct ExecutionResult {
    ExecutionStatus status = ExecutionStatus::Running;
    Value output;               ///< SUCCEEDED only
    std::optional<std::string> error;
    std::optional<std::string> cause;
    TimePoint start_time;
    TimePoint stop_time;
    std::uint64_t transitions = 0;  ///< states entered, including those inside Map/Parallel

    /// SUCCEEDED: the output as compact JSON text, printed on each call (run() does not print it: a caller
    /// that keeps the Value pays nothing for text it never reads). "" otherwise.
    [[nodiscard]] std::string output_json() const;
    /// {"status", "output" | "error", "cause"} as `sfn run --json` prints it.
    [[nodiscard]] nlohmann::json to_json() const;
};

namespace detail {
class Runtime;
}

/// One execution of a machine.
///
/// **Example**
/// @code
/// auto machine = sfn::engine::compile(definition);
/// sfn::engine::Execution exec(machine, sfn::Value::parse(R"({"n":1})"), {});
/// auto result = exec.run();   // blocks until SUCCEEDED/FAILED/TIMED_OUT/ABORTED
/// @endcode
class Execution {
public:
    Execution(CompiledMachine machine, Value input, ExecutionOptions options = {});
    ~Execution();  ///< stops a still-running background execution and joins its thread
    Execution(const Execution&) = delete;
    Execution& operator=(const Execution&) = delete;

    /// Runs to completion on the calling thread. \throws UsageError if already started.
    ExecutionResult run();
    /// Runs on a new thread. \throws UsageError if already started.
    void start();
    /// Waits for a started execution to finish.
    ExecutionResult wait();
    /// Why an execution is stopped (StopExecution's error and cause; both may be empty).
    struct StopReason {
        std::string error;
        std::string cause;
    };
    /// Aborts the execution from any thread (status ABORTED), e.g. `stop({.error = "Halt", .cause = "by hand"})`.
    void stop(StopReason reason = {});

    [[nodiscard]] ExecutionStatus status() const noexcept;
    /// The recorded history. Only stable once the execution finished (or through the sink while running).
    [[nodiscard]] const History& history() const;
    [[nodiscard]] const std::shared_ptr<TaskTokens>& task_tokens() const noexcept;
    [[nodiscard]] const std::string& execution_arn() const noexcept;

private:
    std::unique_ptr<detail::Runtime> runtime_;
};

/// Blocks until the execution ends; shorthand for `Execution(machine, input, options).run()`.
ExecutionResult run(const CompiledMachine& machine, const Value& input, ExecutionOptions options = {});

/// Task tokens of `.waitForTaskToken` and activity tasks that are waiting for an answer. Thread-safe. Share one
/// between executions (ExecutionOptions::task_tokens) so a service can route SendTask* calls by token.
class TaskTokens {
public:
    enum class Answer : std::uint8_t { Accepted, UnknownToken, AlreadyClosed };

    /// SendTaskSuccess: `output` becomes the task's result.
    Answer send_success(const std::string& token, Value output);
    /// SendTaskFailure: the task fails with `error`/`cause`.
    Answer send_failure(const std::string& token, std::string error, std::string cause);
    /// SendTaskHeartbeat: restarts the task's HeartbeatSeconds timer.
    Answer send_heartbeat(const std::string& token);

    struct Waiter;  ///< internal
    /// Internal: registers a waiter for `token`; the engine calls this before handing the token out.
    std::shared_ptr<Waiter> open(const std::string& token);
    /// Internal: forgets `token`.
    void close(const std::string& token);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<Waiter>> waiting_;
};

}  // namespace sfn::engine
