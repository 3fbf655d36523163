#pragma once
// Internal: one execution's mutable state and the interpreter loop. Frames are the "threads" of an
// execution (the top level, each Parallel branch, each Map iteration); each has its own variable scope
// and its own event buffer, merged into the parent when the branch/iteration ends so that ids and
// previousEventId links come out the way AWS numbers them, whatever thread ran the frame.

#include "engine/detail_machine.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/jsonpath/scope.hpp"

#include <atomic>
#include <mutex>
#include <string>
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
        for (auto& [k, old] : vars_) {
            if (k == name) {
                old = std::move(v);
                return;
            }
        }
        vars_.emplace_back(name, std::move(v));
    }

private:
    const VarScope* parent_;
    std::vector<std::pair<std::string, Value>> vars_;
};

/// Where a frame's events go: straight into the execution history (top level) or into a buffer.
struct Frame {
    VarScope* vars = nullptr;
    History* buffer = nullptr;  // nullptr = top level
    std::int64_t last = 0;                        // id (top) or local id (buffer) of the frame's last event
    bool silent = false;                          // events not recorded (distributed Map children)
    const std::atomic<bool>* cancel = nullptr;    // set when a sibling branch/iteration failed
    std::int64_t entered = 0;                     // id of the current state's Entered event
    jsonpath::Random* random = nullptr;           // per thread
    bool container_started = false;               // the current Map/Parallel state recorded its Started event
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
    bool run_graph(const Graph& g, Value input, Frame& frame, Value& output, Err& err);

    /// Records an event in `frame`; returns its (local) id.
    std::int64_t record(Frame& frame, HistoryEvent&& e);
    /// Appends child buffers to `frame`, interleaved round-robin (Parallel) or one after the other (Map).
    void merge(Frame& frame, std::int64_t anchor, std::vector<History>& children,
               bool interleave);
    bool recording() const noexcept { return recording_; }

    /// The context object `$$` for a state entered at `entered`.
    Value context(const State& s, const Frame& frame, TimePoint entered, int retry_count,
                  const std::string* task_token) const;

    TimePoint now() const { return clock_->now(); }
    /// Sleeps until `t` (virtual clock: instantly). False when stopped or the machine timed out first.
    bool sleep_until(TimePoint t);
    bool stopping() const noexcept { return interrupt_.signalled(); }
    /// The error to end a frame with when stopping() (abort or machine timeout).
    Err stop_error() const;

    jsonpath::Random& random() { return random_; }
    std::mutex& random_mutex() { return random_mutex_; }
    const ExecutionOptions& options() const { return options_; }
    int next_invocation(const State& s);
    std::string new_task_token();

    /// Worker threads still available for Map/Parallel (claimed with try_claim_workers).
    unsigned try_claim_workers(unsigned wanted);
    void release_workers(unsigned n);
    std::atomic<std::uint64_t> transitions{0};

    /// Serialized size of a value, counting at most up to `limit` (returns > limit when exceeded).
    std::size_t payload_size(const Value& v, std::size_t limit);

private:
    ExecutionResult execute();
    void finish(ExecutionResult& r);

    CompiledMachine machine_;
    Value input_;
    ExecutionOptions options_;
    std::shared_ptr<Clock> clock_;
    Interrupt interrupt_;
    std::atomic<ExecutionStatus> status_{ExecutionStatus::Running};
    std::atomic<bool> started_{false};
    std::thread thread_;
    ExecutionResult result_;

    std::mutex stop_mutex_;
    bool aborted_ = false;
    bool timed_out_ = false;
    Err abort_err_;
    TimePoint deadline_;
    bool has_deadline_ = false;

    History history_;
    std::int64_t top_events_ = 0;  // ids handed out at the top level
    void publish(HistoryEvent&& e);
    std::mutex history_mutex_;
    std::atomic<std::size_t> event_count_{0};
    std::atomic<bool> history_overflow_{false};
    std::size_t max_events_ = 0;
    bool recording_ = true;

    Value ctx_execution_;
    Value ctx_state_machine_;
    TimePoint start_time_;

    jsonpath::Random random_;
    std::mutex random_mutex_;
    std::mutex invocations_mutex_;
    std::unordered_map<const State*, int> invocations_;
    std::atomic<std::uint64_t> token_counter_{0};
    std::atomic<int> free_workers_{0};
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
bool run_parallel(Runtime& rt, const State& s, const Value& input, Frame& frame, Value& result, Err& err);
bool run_map(Runtime& rt, const State& s, const Value& input, Frame& frame, const Value& ctx, Value& result,
             Err& err);
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

}  // namespace sfn::engine::detail
