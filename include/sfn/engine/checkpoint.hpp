#pragma once
/// \file
/// Durable executions: where a STANDARD execution stands after one of its top-level transitions, handed out
/// with the history event that made it (ExecutionOptions::checkpoint_sink), and taken back to continue the
/// execution in another process (ExecutionOptions::resume).
///
/// A checkpoint is made at every top-level StateEntered and StateExited event. Storing it together with that
/// event (in one transaction) and resuming from the last one stored continues the execution from its last
/// committed transition: the events recorded after it (inside the state then running) are the caller's to
/// discard, and that state runs again from its entry, with its original entered time (a Wait keeps its due
/// time, `$$.State.EnteredTime` is unchanged) and its original event ids. A Task that was in flight is invoked
/// again (at-least-once); a `.waitForTaskToken` task gets the same token again (also inside Map iterations and
/// Parallel branches: a token depends only on where its task runs). The history
/// shows the re-invocation as the task's only attempt (its TaskScheduled/TaskStarted recorded again with the
/// same ids, no failure recorded, no Retrier counter used): see docs/durable-executions.md for why. The finished
/// iterations and branches of a top-level Map or Parallel state are handed out too (FinishedChild) and are not
/// run again when the execution resumes inside that state.
///
/// **Example**
/// @code
/// options.checkpoint_sink = [&](const HistoryEvent& e, const Checkpoint& c) { store(e, c); };  // 1st process
/// options.resume = last_stored_checkpoint;                                                  // 2nd process
/// @endcode

#include "sfn/core/value.hpp"
#include "sfn/engine/clock.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sfn::engine {

struct HistoryEvent;

struct Checkpoint {
    enum class Position : std::uint8_t {
        InState,        ///< `state` was entered (its StateEntered event is `entered_id`) and has not exited
        BetweenStates,  ///< a state exited (event `event_id`); `state` is the next one, "" when the execution ends
    };
    Position position = Position::InState;
    std::string state;
    /// InState: the state's input. BetweenStates: the next state's input (the execution's output at the end).
    Value input;
    std::int64_t event_id = 0;    ///< id of the last event recorded when the checkpoint was made (ids continue after it)
    std::int64_t entered_id = 0;  ///< InState: id of the state's StateEntered event
    TimePoint entered_time;       ///< InState: when the state was entered
    /// InState: the attempt to run next. 0 = the state runs from its entry; > 0 = a Retrier matched the failure of
    /// attempt - 1, and attempt `attempt` starts at `retry_at` with `retry_counts` retries used per Retrier.
    int attempt = 0;
    std::vector<int> retry_counts;
    TimePoint retry_at;
    Value variables;                ///< the top-level workflow variables (an object)
    std::uint64_t transitions = 0;  ///< states entered so far, including those inside Map/Parallel
    /// Task invocations so far per state name (the `invocation` numbers mocks and recorders see).
    std::vector<std::pair<std::string, int>> invocations;
};

/// A finished child of a top-level Map or Parallel state: a Map iteration or Parallel branch whose graph may
/// wait or block (a Task, Wait or Retry in it), handed out as it ends (ExecutionOptions::finished_child_sink)
/// so that an execution resumed inside that state takes its outcome and events back instead of running it
/// again (ExecutionOptions::resume_finished_children). Children that can neither wait nor block are not
/// handed out: they take microseconds and run again. Inline Map and Parallel only (a Distributed Map's
/// children are executions of their own).
struct FinishedChild {
    /// Which run of the state: the id of its MapStateStarted / ParallelStateStarted event. Resuming, 0 stands
    /// for the first run of the state named `state` in this execution (a redrive, which records new ids).
    std::int64_t started_id = 0;
    std::string state;      ///< the Map or Parallel state
    std::int64_t index = 0; ///< the item index or branch number
    bool succeeded = false;
    /// Its outcome, counters and events, written by the engine for the engine to read back (opaque).
    std::string record;
    /// Resuming: its events are in the history already (a redrive of the failed state): only its outcome is
    /// taken back, no event is recorded again.
    bool events_recorded = false;
};

/// Receives each finished child on the thread that ran it (several at once: thread-safe), after its last event
/// was recorded in the child's buffer and before the state ends.
using FinishedChildSink = std::function<void(const FinishedChild& child)>;

/// Receives each checkpoint on the execution's thread (valid during the call only: the engine refills the same
/// object for the next transition; copy or encode what you keep): with the top-level StateEntered/StateExited event it
/// completes (in place of ExecutionOptions::history_sink for those events), or with `event` null when a Retrier
/// decided to retry (the checkpoint follows the failure's events).
using CheckpointSink = std::function<void(const HistoryEvent* event, const Checkpoint& checkpoint)>;

}  // namespace sfn::engine
