#pragma once
// Internal: one execution's mutable state and the interpreter loop. Frames are the "threads" of an
// execution (the top level, each Parallel branch, each Map iteration); each has its own variable scope
// and its own event buffer, merged into the parent when the branch/iteration ends so that ids and
// previousEventId links come out the way AWS numbers them, whatever thread ran the frame.

#include "engine/detail_machine.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/jsonpath/scope.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace sfn::engine::detail {

/// A runtime error as a value (flows through Retry/Catch). `has_*` distinguish absent from empty.
struct Err {
    std::string error;
    std::string cause;
    bool has_error = true;
    bool has_cause = true;
    ErrorOrigin origin = ErrorOrigin::State;
    /// The state whose state_error_prefix begins `cause` (empty: none). Inside a Map iteration or Parallel
    /// branch the id the prefix names is the frame's own; the merge of its events renumbers it.
    std::string cause_state{};
};

/// Workflow variables of one frame; lookups fall back to the enclosing (read-only) scope.
class VarScope final : public jsonpath::VariableLookup {
public:
    explicit VarScope(const VarScope* parent = nullptr) : parent_(parent) {}
    const Value* lookup(std::string_view name) const override {
        for (const auto& [k, v] : vars_)
            if (k == name) return &v;
        return parent_ ? parent_->lookup(name) : nullptr;
    }
    void set(const std::string& name, Value v) {
        snapshot_ = Value();
        for (auto& [k, old] : vars_) {
            if (k == name) {
                old = std::move(v);
                return;
            }
        }
        vars_.emplace_back(name, std::move(v));
    }
    /// This scope's own variables as an object (a checkpoint's `variables`): built once after each change.
    const Value& to_value() const {
        if (vars_.empty()) {
            static const Value none = Value::object(std::vector<Member>{});  // shared: no allocation per checkpoint
            return none;
        }
        if (snapshot_.is_null()) {
            std::vector<Member> members(vars_.begin(), vars_.end());
            snapshot_ = Value::object(std::move(members));
        }
        return snapshot_;
    }

private:
    const VarScope* parent_;
    std::vector<std::pair<std::string, Value>> vars_;
    mutable Value snapshot_;  // to_value() since the last set() (null: none yet)
};

class Runtime;

/// How the buffers of a Map/Parallel state's children are merged into the parent's history.
enum class MergeOrder : std::uint8_t {
    Sequential,        ///< one child after the other (Map iterations that ran one at a time); no event moves
    RoundRobin,        ///< step by step (Parallel branches that ran one after the other, all "at once" on AWS)
    ByTimeRoundRobin,  ///< by timestamp, ties step by step (concurrent Parallel branches)
    ByTimeIndex,       ///< by timestamp, ties to the lower child (concurrent Map iterations)
};

/// The event buffer of one Map/Parallel child (or chunk of iterations), alone on its cache lines: children on
/// different threads append at the same time, and neighbours sharing a line would slow every append.
struct alignas(64) ChildBuffer {
    History events;
};

/// The failure a Map/Parallel child (child: index of its buffer) ends with, when its cause names an event id
/// of that buffer (Err::cause_state): the merge renumbers it to the id the event gets in the parent.
struct ChildFailure {
    std::size_t child;
    Err* err;
};

/// The error a branch or iteration ends with when a sibling's failure stopped it (never reported: the
/// sibling's own error is).
inline Err branch_stopped() { return Err{"States.BranchFailed", "A sibling branch or iteration failed.", true, true}; }
inline bool is_branch_stopped(const Err& e) { return e.error == "States.BranchFailed"; }

/// A node of the cancellation tree: the execution's root (stop, machine timeout) and one per running
/// Map/Parallel state (a failing branch or iteration stops its siblings, as AWS does). Cancelling a node
/// cancels its whole subtree and wakes every sleep waiting on it.
class CancelNode {
public:
    /// A child of `parent` (cancelled at once when the parent already is); the root has no parent.
    CancelNode(CancelNode* parent, Runtime* rt);
    ~CancelNode();
    CancelNode(const CancelNode&) = delete;
    CancelNode& operator=(const CancelNode&) = delete;

    void cancel();
    [[nodiscard]] bool cancelled() const noexcept { return interrupt_.signalled(); }
    [[nodiscard]] const Interrupt& interrupt() const noexcept { return interrupt_; }

private:
    void cancel_subtree();
    CancelNode* parent_;
    Runtime* rt_;
    Interrupt interrupt_;
    std::mutex mutex_;
    std::vector<CancelNode*> children_;
};

/// Task invocations made inside one finished child of a top-level Map/Parallel (durable executions), by state
/// name: a resumed execution that takes the child back counts them as made (the `invocation` numbers mocks
/// see continue as in an uninterrupted run). Nested concurrent frames of the child share it.
class InvocationTally {
public:
    void add(const std::string& state, int invocations = 1) {
        std::lock_guard lock(mutex_);
        for (auto& [name, count] : counts_)
            if (name == state) {
                count += invocations;
                return;
            }
        counts_.emplace_back(state, invocations);
    }
    std::vector<std::pair<std::string, int>> counts() const {
        std::lock_guard lock(mutex_);
        return counts_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, int>> counts_;
};

/// A Distributed Map child shown while it runs: show() hands the events it recorded so far to the service.
/// Called by the child's own frame before it waits (a Wait, a Task), so that its history is there meanwhile.
struct LiveHistory {
    std::function<void()> show;
};

/// Where a frame's events go: straight into the execution history (top level) or into a buffer.
struct Frame {
    VarScope* vars = nullptr;
    History* buffer = nullptr;  // nullptr = top level
    std::int64_t last = 0;                        // id (top) or local id (buffer) of the frame's last event
    bool silent = false;                          // events not recorded (distributed Map children)
    bool own_history = false;                     // a Distributed Map child's own history: no quota here
    CancelNode* cancel = nullptr;                 // the enclosing Map/Parallel's node (nullptr at the top level)
    std::uint64_t transitions = 0;                // states entered by this frame and its finished children
    std::int64_t entered = 0;                     // id of the current state's Entered event
    jsonpath::Random* random = nullptr;           // per thread
    bool container_started = false;               // the current Map/Parallel state recorded its Started event
    // Map iterations and Parallel branches: the frame and state they belong to, and their index (for
    // TaskRequest::invocation_key).
    const Frame* parent = nullptr;
    const State* container = nullptr;
    std::int64_t child_index = -1;
    InvocationTally* tally = nullptr;  // inside a child of a top-level Map/Parallel that is reported when it ends
    std::int64_t run_id = 0;           // inside iterations/branches: the id of the top-level state's Started event
    const LiveHistory* live = nullptr; // a Distributed Map child's own frame, shown while it runs (not nested frames)
    TimePoint attempt_started{};       // when the current state's attempt began (its entry, or a retry's due time)
};

/// Starts a Map iteration's or Parallel branch's frame inside `parent` (state `container`, child `index`, its
/// Started event `started_id` in the parent).
inline void enter_child(Frame& child, const Frame& parent, const State& container, std::size_t index,
                        std::int64_t started_id) {
    child.parent = &parent;
    child.container = &container;
    child.child_index = static_cast<std::int64_t>(index);
    child.tally = parent.tally;
    child.run_id = parent.parent ? parent.run_id : started_id;
}

/// TaskRequest::invocation_key of the `invocation`-th invocation of `s` (attempt `attempt`) in `frame`.
std::string invocation_key(const Frame& frame, const State& s, int invocation, int attempt);

/// Where run_graph starts when an execution resumes (see checkpoint.hpp).
struct ResumeAt {
    int state = 0;
    bool entered = false;        // inside `state`: its StateEntered event is `entered_id`, not recorded again
    TimePoint entered_time;
    std::int64_t entered_id = 0;
    const Checkpoint* retry = nullptr;  // entered: the checkpoint, when it resumes a retry (attempt > 0)
};

class Runtime {
public:
    Runtime(CompiledMachine machine, Value input, ExecutionOptions options);
    ~Runtime();

    ExecutionResult run();
    void start();
    ExecutionResult wait();
    void stop(std::string error, std::string cause);

    ExecutionStatus status() const noexcept { return status_.load(std::memory_order_acquire); }
    const History& history() const { return history_; }
    const std::shared_ptr<TaskTokens>& task_tokens() const noexcept { return options_.task_tokens; }
    const std::string& execution_arn() const noexcept { return options_.execution_arn; }

    // --- used by the state implementations -----------------------------------------------------------
    /// Runs a graph from its start state to the end; the output, or the error that ended it.
    /// `resume` (top level only): continue from a checkpoint instead of the start state.
    bool run_graph(const Graph& g, Value input, Frame& frame, Value& output, Err& err,
                   const ResumeAt* resume = nullptr);

    /// Records an event in `frame`; returns its (local) id. `checkpoint` (top level only) goes to the
    /// checkpoint sink with the event, its event_id filled in.
    std::int64_t record(Frame& frame, HistoryEvent&& e, Checkpoint* checkpoint = nullptr);
    /// As record(), timestamped `at`: an event that is known only after the fact, e.g. an activity's
    /// ActivityScheduled once its handler has answered. Precondition: `at` is not before the frame's last event.
    std::int64_t record_at(Frame& frame, HistoryEvent&& e, TimePoint at);
    /// The fields of the frequent events (state entered/exited, Map iterations).
    struct EventFields {
        EventType type;
        std::string_view name{};
        const Value* payload = nullptr;
        std::int64_t index = -1;
        std::shared_ptr<const std::vector<std::pair<std::string, Value>>> assigned{};
        Checkpoint* checkpoint = nullptr;
    };
    /// As record(), building the event in place in the history or buffer (no temporary event to move).
    std::int64_t record(Frame& frame, EventFields&& fields);
    /// Appends child buffers to `frame` (a child's first event links to `anchor`) in the given order.
    /// `helpers`: pool threads the caller holds, which renumber Sequential buffers alongside it.
    void merge(Frame& frame, std::int64_t anchor, std::vector<ChildBuffer>& buffers, MergeOrder order,
               unsigned helpers = 0, std::span<const ChildFailure> failures = {});
    bool recording() const noexcept { return recording_; }
    /// merge() of RoundRobin children when the execution keeps its history: each event's place is computed
    /// first, then the children move in at once (on `helpers` too).
    void merge_round_robin(Frame& frame, std::int64_t anchor, const std::vector<History*>& children, unsigned helpers,
                           std::span<const ChildFailure> failures);

    /// The context object `$$` for a state entered at `entered`.
    Value context(const State& s, const Frame& frame, TimePoint entered, int retry_count,
                  const std::string* task_token) const;

    TimePoint now() const { return clock_->now(); }
    /// Sleeps until `t`. False when the execution stopped, the machine timed out, or the frame's Map/Parallel
    /// was cancelled first. With the virtual clock concurrent branches advance one shared virtual time in
    /// order: a sleeper wakes (and the clock jumps to its deadline) only once every other branch is asleep
    /// with a later deadline or finished, so timestamps are those of a truly concurrent run.
    bool sleep_until(Frame& frame, TimePoint t);
    /// Virtual time: the calling branch leaves (park) or rejoins (unpark) the set of running branches, e.g.
    /// while it waits for its children or for a task token. No-ops with the real clock.
    void park();
    void unpark();
    /// Virtual time: `extra` more branches run from now on (the caller keeps running).
    void add_runners(unsigned extra);
    /// A task handler thread that did not return when told to stop: joined by the destructor.
    void keep_running(std::thread t);
    /// Called by CancelNode: wakes virtual-time sleepers so they notice the cancellation.
    void wake_sleepers();
    bool stopping() const noexcept { return root_.cancelled(); }
    CancelNode& cancel_node(const Frame& f) noexcept { return f.cancel ? *f.cancel : root_; }
    /// The error to end a frame with when stopping() (abort or machine timeout).
    Err stop_error() const;

    jsonpath::Random& random() { return random_; }
    std::mutex& random_mutex() { return random_mutex_; }
    const ExecutionOptions& options() const { return options_; }
    int next_invocation(const State& s);
    /// A `.waitForTaskToken` token. At the top level it depends only on the state's entry and the attempt,
    /// so a resumed execution hands out the same token again.
    std::string new_task_token(const Frame& frame, const State& s, int attempt);
    /// A checkpoint of `frame` inside state `s` (entered at `entered`, input `raw`), to which a retry returns:
    /// attempt `attempt` runs at `at` with `counts` retries used. No-op unless checkpointing(frame).
    void retry_checkpoint(const Frame& frame, const State& s, const Value& raw, TimePoint entered, int attempt,
                          const std::vector<int>& counts, TimePoint at);
    /// Resumed: the invocation counts of a checkpoint, back on the states they name.
    void restore_invocations(const Machine& m, const std::vector<std::pair<std::string, int>>& counts);
    /// Task invocations so far by state name (for checkpoints).
    void invocation_counts(std::vector<std::pair<std::string, int>>& out);  ///< refills `out`
    /// Checkpoints are made for `frame`'s transitions (the top level, with a checkpoint sink).
    bool checkpointing(const Frame& frame) const noexcept {
        return checkpoint_sink_ && frame.cancel == nullptr && frame.buffer == nullptr && !frame.silent;
    }

    // --- finished children of top-level Map/Parallel states (durable executions; finished_children.cpp) ---
    /// The children of `frame`'s Map/Parallel state are handed to ExecutionOptions::finished_child_sink.
    bool reports_children(const Frame& frame) const noexcept {
        return checkpointing(frame) && static_cast<bool>(options_.finished_child_sink);
    }
    /// Children of this run of `s` (its Started event `started_id`) that ended before the execution resumed,
    /// by index (null: run it) below `count` (std::string::npos: a Distributed Map's, as many as were stored);
    /// empty when there are none. Each run of a state takes its own once.
    std::vector<const FinishedChild*> finished_children(const State& s, std::int64_t started_id, std::size_t count);
    /// A child's outcome, as Map/Parallel keep it.
    struct ChildOutcome {
        bool ok = false;
        Value* output = nullptr;
        Err* error = nullptr;
        std::uint64_t transitions = 0;
        TimePoint started{}, stopped{};  ///< a Distributed Map's child: when it ran (its ResultWriter entry)
    };
    /// Hands finished child `index` of this run of `s` to the sink: its outcome, its events (`events`, its
    /// buffer) and the task invocations it made.
    void report_child(const State& s, std::int64_t started_id, std::size_t index, const ChildOutcome& outcome,
                      const History& events, const InvocationTally& tally);
    /// Takes `child` back: its events into `events` (unless already recorded), its outcome into `outcome`, its
    /// invocations counted; hands it out again under `started_id` when that differs. False when it cannot be
    /// read: it runs again.
    bool restore_child(const State& s, std::int64_t started_id, const FinishedChild& child, History& events,
                       ChildOutcome& outcome);
    /// Redriving: the Map Run the first top-level run of Distributed Map `s` continues (taken once), if any.
    std::optional<RedrivenMapRun> take_redriven_map_run(const State& s, const Frame& frame) {
        if (!options_.redriven_map_run || redriven_map_run_taken_ || frame.parent || frame.cancel ||
            options_.redriven_map_run->state != s.name)
            return std::nullopt;
        redriven_map_run_taken_ = true;
        return options_.redriven_map_run;
    }
    /// Counts task invocations as made (by state name).
    void add_invocations(const std::vector<std::pair<std::string, int>>& counts);

    /// Worker threads still available for Map/Parallel (claimed with try_claim_workers).
    unsigned try_claim_workers(unsigned wanted);
    void release_workers(unsigned n);

    /// Serialized size of a value, counting at most up to `limit` (returns > limit when exceeded).
    std::size_t payload_size(const Value& v, std::size_t limit);
    /// payload_size(v, limit) > limit, mostly in O(1) (Value::dump_size_bound decides first).
    bool exceeds_payload(const Value& v, std::size_t limit);
    /// Records the payload size of a container measured elsewhere (e.g. summed by the threads that built
    /// its elements), so that payload_size finds it without measuring again.
    void remember_payload_size(const Value& v, std::size_t size);

private:
    ExecutionResult execute();
    void finish(ExecutionResult& r);

    CompiledMachine machine_;
    Value input_;
    ExecutionOptions options_;
    std::shared_ptr<Clock> clock_;
    CancelNode root_{nullptr, this};
    // Virtual time (see sleep_until): branches running, sleepers by (deadline, ticket), tickets woken.
    bool virtual_ = false;
    std::mutex sched_mutex_;
    std::condition_variable sched_cv_;
    int running_ = 1;
    std::uint64_t tickets_ = 0;
    std::map<std::pair<TimePoint, std::uint64_t>, const CancelNode*> sleepers_;
    std::set<std::uint64_t> woken_;
    void advance_locked();
    std::mutex stuck_mutex_;
    std::vector<std::thread> stuck_handlers_;
    std::atomic<ExecutionStatus> status_{ExecutionStatus::Running};
    std::atomic<bool> started_{false};
    std::thread thread_;
    ExecutionResult result_;

    std::mutex stop_mutex_;
    std::atomic<bool> aborted_{false};  // written under stop_mutex_, read by any branch
    std::atomic<bool> timed_out_{false};
    Err abort_err_;
    TimePoint deadline_;
    bool has_deadline_ = false;

    History history_;
    std::int64_t top_events_ = 0;  // ids handed out at the top level
    std::int64_t record_event(Frame& frame, HistoryEvent&& e, Checkpoint* checkpoint, TimePoint at);
    void publish(HistoryEvent&& e, Checkpoint* checkpoint = nullptr);
    /// Hands a top-level event to the checkpoint sink (with `checkpoint`) or the history sink. Inline (defined
    /// in execution.cpp, its only user): it runs for every event, like within_quota().
    inline void emit(const HistoryEvent& e, Checkpoint* checkpoint);
    bool checkpoint_sink_ = false;
    /// Counts an event against the quota; false when it may not be recorded (the execution then fails).
    inline bool within_quota();
    std::mutex history_mutex_;
    std::atomic<std::size_t> event_count_{0};
    std::atomic<bool> history_overflow_{false};
    std::size_t max_events_ = 0;  // 0 once the closing event is being recorded
    std::size_t quota_ = 0;
    bool recording_ = true;

    Value ctx_execution_;
    Value ctx_state_machine_;
    TimePoint start_time_;

    jsonpath::Random random_;
    std::mutex random_mutex_;
    std::mutex invocations_mutex_;
    std::atomic<bool> any_invocation_{false};  // invocations_ has an entry
    std::unordered_map<const State*, int> invocations_;
    std::atomic<int> free_workers_{0};
    bool redriven_map_run_taken_ = false;
    std::set<std::string> first_runs_taken_;  // states whose first-run finished children (started_id 0) were taken
    std::mutex kept_mutex_;
    std::set<std::string, std::less<>> kept_;  // strings of restored events (HistoryEvent's views point here)
    std::mutex size_mutex_;
    std::unordered_map<const void*, std::pair<Value, std::size_t>> size_cache_;
};

// State implementations (one file each where they grow).
bool run_choice(Runtime& rt, const State& s, const Value& input, Frame& frame, const Value& ctx, int& next,
                const jsonpath::Template*& assign, Err& err);
/// Task timeouts already evaluated (JSONata states evaluate TimeoutSeconds/HeartbeatSeconds themselves).
struct TaskTimeouts {
    std::optional<std::int64_t> timeout;
    std::optional<std::int64_t> heartbeat;
};
bool run_task(Runtime& rt, const State& s, const Value& params, Frame& frame, const Value& ctx, int attempt,
              Value& result, Err& err, const TaskTimeouts* resolved = nullptr);
/// A lambda:invoke result: the function's `payload` in Lambda's Invoke response (lambda_shape.cpp); `body` is
/// the response text when the handler gave one (for Content-Length).
Value lambda_invoke_shape(Value payload, const std::string& body, Runtime& rt);
/// How a synchronous handler call ended (see TaskHandler in handlers.hpp for the contract).
struct HandlerCall {
    enum class End : std::uint8_t { Returned, TimedOut, HeartbeatTimedOut, Stopped } end = End::Returned;
    TaskOutcome outcome;          ///< Returned only
    std::int64_t limit_seconds = 0;  ///< the time limit that applied (0 = none)
};
/// Calls `handler` with the request's deadline and stop signal set; waits at most the time limit
/// (the smaller of `timeout` and `heartbeat`) or until `node` is cancelled.
HandlerCall call_handler(Runtime& rt, const TaskHandler& handler, TaskRequest& request,
                         std::optional<std::int64_t> timeout, std::optional<std::int64_t> heartbeat,
                         const CancelNode& node);
bool run_parallel(Runtime& rt, const State& s, const Value& input, Frame& frame, Value& result, Err& err);
bool run_map(Runtime& rt, const State& s, const Value& input, Frame& frame, const Value& ctx, Value& result,
             Err& err);
class MapRun;
/// Limits of one Map run; negative tolerated values = not set.
struct MapLimits {
    std::int64_t max_concurrency = 0;
    std::int64_t tolerated_count = -1;
    double tolerated_percentage = -1;
};
/// Runs the Map iterations over already selected iteration inputs (records MapStateStarted onwards).
bool run_map_iterations(Runtime& rt, const State& s, Frame& frame, std::vector<Value> inputs, const MapLimits& limits,
                        Value& result, Err& err);

/// RFC 3339 / ISO-8601 extended offset date-time → time point; false when malformed.
bool parse_timestamp(std::string_view text, TimePoint& out);
/// "2024-01-02T03:04:05.678Z"
std::string format_timestamp(TimePoint t);
/// A cheap, per-execution distinct seed for executions without ExecutionOptions::random_seed.
std::uint64_t fresh_seed();
/// "An error occurred while executing the state 'X' (entered at the event id #N). "
std::string state_error_prefix(const State& s, std::int64_t entered_id);
/// The failure of state `s` in `frame`: state_error_prefix (naming the frame's event id), then `detail`.
Err state_failure(const State& s, const Frame& frame, std::string error, std::string_view detail);
/// When `cause` begins with state_error_prefix of the state named `state`: replaces the id it names with
/// renumber(id) and returns true.
bool renumber_state_cause(std::string& cause, std::string_view state,
                          const std::function<std::int64_t(std::int64_t)>& renumber);
/// Puts `err`'s error and cause (as present or absent as they are there) on the event.
void put_failure(HistoryEvent& e, const Err& err);
/// States.DataLimitExceeded for a result over the payload quota; `who` is what AWS names in the cause (the
/// state, or for a Task result the integration or the Lambda function ARN).
Err result_too_large(std::string_view who, ErrorOrigin origin = ErrorOrigin::State);

}  // namespace sfn::engine::detail
