// The interpreter loop: input/output processing in AWS's order, Retry and Catch, history recording, the
// context object, stop/timeout, and the public Execution API on top of detail::Runtime.
#include "engine/detail_hash.hpp"
#include "engine/detail_jsonata.hpp"
#include "engine/detail_runtime.hpp"
#include "engine/detail_worker_pool.hpp"
#include "sfn/core/text.hpp"
#include "sfn/engine/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <queue>

namespace sfn::engine {

namespace detail {

namespace {

constexpr std::size_t max_payload_bytes = 256 * 1024;

std::string account_arn_prefix(const ExecutionOptions& o) { return "arn:aws:states:" + o.region + ":123456789012:"; }

Err failure_of(const State& s, const Frame& f, jsonpath::Failure failure) {
    return state_failure(s, f, std::move(failure.error), failure.cause);
}

/// How AWS records a state stopped because a sibling branch or iteration failed.
std::optional<EventType> aborted_event(StateType type) {
    switch (type) {
        case StateType::Task: return EventType::TaskStateAborted;
        case StateType::Wait: return EventType::WaitStateAborted;
        case StateType::Map: return EventType::MapStateAborted;
        case StateType::Parallel: return EventType::ParallelStateAborted;
        default: return std::nullopt;
    }
}

bool is_abort_event(EventType type) {
    switch (type) {
        case EventType::TaskStateAborted:
        case EventType::WaitStateAborted:
        case EventType::MapStateAborted:
        case EventType::ParallelStateAborted:
        case EventType::MapIterationAborted: return true;
        default: return false;
    }
}

Value error_object(const Err& err) {
    std::vector<Member> members;
    if (err.has_error) members.emplace_back("Error", Value(err.error));
    if (err.has_cause) members.emplace_back("Cause", Value(err.cause));
    return Value::object(std::move(members));
}

/// Applies a ResultPath: the state's output before OutputPath.
bool apply_result_path(const ResultPath& rp, const Value& raw, Value result, Value& out, jsonpath::Failure& failure) {
    switch (rp.mode) {
        case ResultPath::Mode::Replace:
            out = std::move(result);
            return true;
        case ResultPath::Mode::Discard:
            out = raw;
            return true;
        case ResultPath::Mode::Assign: {
            auto r = rp.path.assign(raw, std::move(result));
            if (!r) {
                failure = r.failure();
                return false;
            }
            out = std::move(*r);
            return true;
        }
    }
    return false;
}

}  // namespace

std::uint64_t fresh_seed() {
    // std::random_device costs microseconds per execution; a clock reading mixed with a process-wide counter
    // (splitmix64) is unique per execution and cheap. Executions that need reproducibility pass random_seed.
    static std::atomic<std::uint64_t> counter{0};
    return splitmix64(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) +
                      (counter.fetch_add(1, std::memory_order_relaxed) + 1) * 0x9E3779B97F4A7C15ULL);
}

namespace {
constexpr std::string_view prefix_head = "An error occurred while executing the state '";
constexpr std::string_view prefix_id = "' (entered at the event id #";
}  // namespace

std::string state_error_prefix(const State& s, std::int64_t entered_id) {
    std::string out;
    out.reserve(prefix_head.size() + s.name.size() + prefix_id.size() + 24);
    out.append(prefix_head).append(s.name).append(prefix_id).append(std::to_string(entered_id)).append("). ");
    return out;
}

Err state_failure(const State& s, const Frame& frame, std::string error, std::string_view detail) {
    Err err{std::move(error), state_error_prefix(s, frame.entered), true, true};
    err.cause.append(detail);
    err.cause_state = s.name;
    return err;
}

bool renumber_state_cause(std::string& cause, std::string_view state,
                          const std::function<std::int64_t(std::int64_t)>& renumber) {
    const std::size_t digits = prefix_head.size() + state.size() + prefix_id.size();
    if (cause.size() <= digits || !cause.starts_with(prefix_head) ||
        cause.compare(prefix_head.size(), state.size(), state) != 0 ||
        cause.compare(prefix_head.size() + state.size(), prefix_id.size(), prefix_id) != 0)
        return false;
    std::int64_t local = 0;
    const char* first = cause.data() + digits;
    const auto [end, ec] = std::from_chars(first, cause.data() + cause.size(), local);
    if (ec != std::errc() || end == first || *end != ')' || local <= 0) return false;
    cause.replace(digits, static_cast<std::size_t>(end - first), std::to_string(renumber(local)));
    return true;
}

void put_failure(HistoryEvent& e, const Err& err) {
    HistoryEventDetail& d = e.detail_to_fill();
    d.error = err.error;
    d.cause = err.cause;
    d.has_error = err.has_error;
    d.has_cause = err.has_cause;
}

Err result_too_large(std::string_view who, ErrorOrigin origin) {
    return Err{"States.DataLimitExceeded",
               "The state/task '" + std::string(who) +
                   "' returned a result with a size exceeding the maximum number of bytes service limit.",
               true, true, origin};
}

// ---------------------------------------------------------------------------------------------------------

CancelNode::CancelNode(CancelNode* parent, Runtime* rt) : parent_(parent), rt_(rt) {
    if (!parent_) return;
    std::lock_guard lock(parent_->mutex_);
    if (parent_->cancelled()) {
        interrupt_.signal();
    } else {
        parent_->children_.push_back(this);
    }
}

CancelNode::~CancelNode() {
    if (!parent_) return;
    std::lock_guard lock(parent_->mutex_);
    auto& c = parent_->children_;
    c.erase(std::remove(c.begin(), c.end(), this), c.end());
}

void CancelNode::cancel() {
    cancel_subtree();
    if (rt_) rt_->wake_sleepers();
}

void CancelNode::cancel_subtree() {
    std::lock_guard lock(mutex_);
    interrupt_.signal();
    for (CancelNode* c : children_) c->cancel_subtree();
}

Runtime::Runtime(CompiledMachine machine, Value input, ExecutionOptions options)
    : machine_(std::move(machine)), input_(std::move(input)), options_(std::move(options)),
      random_(options_.random_seed != 0 ? options_.random_seed : fresh_seed()) {
    if (!options_.clock) options_.clock = std::make_shared<RealClock>();
    clock_ = options_.clock;
    if (options_.state_machine_arn.empty())
        options_.state_machine_arn = account_arn_prefix(options_) + "stateMachine:" + options_.state_machine_name;
    if (options_.execution_arn.empty()) {
        const char* kind = options_.type == ExecutionType::Express ? "express:" : "execution:";
        options_.execution_arn = account_arn_prefix(options_) + kind + options_.state_machine_name + ":" + options_.name;
    }
    if (!options_.task_tokens) options_.task_tokens = std::make_shared<TaskTokens>();
    max_events_ = options_.type == ExecutionType::Express ? 0 : options_.max_history_events;
    quota_ = max_events_;
    recording_ = options_.record_history || static_cast<bool>(options_.history_sink) ||
                 static_cast<bool>(options_.checkpoint_sink);
    free_workers_.store(options_.max_threads > 1 ? static_cast<int>(options_.max_threads) - 1 : 0);
    virtual_ = dynamic_cast<VirtualClock*>(clock_.get()) != nullptr;
    checkpoint_sink_ = static_cast<bool>(options_.checkpoint_sink) && options_.type == ExecutionType::Standard;
}

Runtime::~Runtime() {
    if (thread_.joinable()) {
        stop("", "");
        thread_.join();
    }
    std::lock_guard lock(stuck_mutex_);
    for (auto& t : stuck_handlers_) t.join();
}

void Runtime::keep_running(std::thread t) {
    std::lock_guard lock(stuck_mutex_);
    stuck_handlers_.push_back(std::move(t));
}

ExecutionResult Runtime::run() {
    if (started_.exchange(true)) throw UsageError("this execution was already started");
    result_ = execute();
    return result_;
}

void Runtime::start() {
    if (started_.exchange(true)) throw UsageError("this execution was already started");
    thread_ = std::thread([this] { result_ = execute(); });
}

ExecutionResult Runtime::wait() {
    if (!started_) throw UsageError("wait() on an execution that was never started");
    if (thread_.joinable()) thread_.join();
    return result_;
}

void Runtime::stop(std::string error, std::string cause) {
    {
        std::lock_guard lock(stop_mutex_);
        if (aborted_ || timed_out_) return;
        aborted_ = true;
        abort_err_ = Err{std::move(error), std::move(cause), true, true};
    }
    root_.cancel();
}

Err Runtime::stop_error() const {
    // Every state that notices the cancellation reports why the execution stopped, so a Map or Parallel
    // whose iterations hit the history limit fails with that error, not as aborted.
    if (history_overflow_) {
        // AWS's error and cause, e.g. "The execution reached the maximum number of history events (25000)."
        return Err{"States.Runtime",
                   "The execution reached the maximum number of history events (" + std::to_string(quota_) + ").",
                   true, true};
    }
    if (timed_out_) return Err{"States.Timeout", "", true, false};
    return Err{"States.Aborted", "", true, false};
}

bool Runtime::sleep_until(Frame& frame, TimePoint t) {
    if (frame.live) frame.live->show();
    const bool past_deadline = has_deadline_ && t >= deadline_;
    const TimePoint target = past_deadline ? deadline_ : t;
    const CancelNode& node = cancel_node(frame);
    bool slept = true;
    if (!virtual_) {
        slept = clock_->sleep_until(target, node.interrupt()) && !node.cancelled();
    } else {
        std::unique_lock lock(sched_mutex_);
        // Already stopped: no virtual time may pass for it (a sibling's failure came first).
        if (node.cancelled()) return false;
        const std::uint64_t ticket = ++tickets_;
        sleepers_.emplace(std::make_pair(target, ticket), &node);
        --running_;
        advance_locked();
        sched_cv_.wait(lock, [&] { return woken_.count(ticket) != 0 || node.cancelled(); });
        if (woken_.erase(ticket) == 0) {
            // Cancelled before its turn: leaves the queue and runs again (to record its abort) at the current time.
            sleepers_.erase(std::make_pair(target, ticket));
            ++running_;
        }
        slept = !node.cancelled();
    }
    if (!slept) return false;
    if (past_deadline) {
        {
            std::lock_guard lock(stop_mutex_);
            if (!aborted_) timed_out_ = true;
        }
        root_.cancel();
        return false;
    }
    return true;
}

void Runtime::advance_locked() {
    // Nobody runs: the earliest sleeper's deadline is the next thing that happens in virtual time.
    if (running_ > 0 || sleepers_.empty()) return;
    const auto [when, node] = *sleepers_.begin();
    sleepers_.erase(sleepers_.begin());
    // A sleeper whose branch was stopped runs again (to record its abort) without moving the clock.
    if (!node->cancelled()) clock_->sleep_until(when.first, Interrupt{});
    woken_.insert(when.second);
    ++running_;
    sched_cv_.notify_all();
}

void Runtime::park() {
    if (!virtual_) return;
    std::lock_guard lock(sched_mutex_);
    --running_;
    advance_locked();
}

void Runtime::unpark() {
    if (!virtual_) return;
    std::lock_guard lock(sched_mutex_);
    ++running_;
}

void Runtime::add_runners(unsigned extra) {
    if (!virtual_ || extra == 0) return;
    std::lock_guard lock(sched_mutex_);
    running_ += static_cast<int>(extra);
}

void Runtime::wake_sleepers() {
    if (!virtual_) return;
    std::lock_guard lock(sched_mutex_);
    sched_cv_.notify_all();
}

void Runtime::invocation_counts(std::vector<std::pair<std::string, int>>& out) {
    if (!any_invocation_.load(std::memory_order_acquire)) {  // no Task yet: no lock per checkpoint
        out.clear();
        return;
    }
    std::lock_guard lock(invocations_mutex_);
    out.resize(invocations_.size());  // existing elements keep their strings' capacity
    std::size_t i = 0;
    for (const auto& [state, count] : invocations_) {
        out[i].first.assign(state->name);
        out[i].second = count;
        ++i;
    }
}

void Runtime::retry_checkpoint(const Frame& frame, const State& s, const Value& raw, TimePoint entered, int attempt,
                               const std::vector<int>& counts, TimePoint at) {
    if (!checkpointing(frame)) return;
    Checkpoint c{.position = Checkpoint::Position::InState, .state = s.name, .input = raw, .event_id = frame.last,
                 .entered_id = frame.entered, .entered_time = entered, .attempt = attempt, .retry_counts = counts,
                 .retry_at = at, .variables = frame.vars->to_value(), .transitions = frame.transitions,
                 .invocations = {}};
    invocation_counts(c.invocations);
    options_.checkpoint_sink(nullptr, c);
}

int Runtime::next_invocation(const State& s) {
    std::lock_guard lock(invocations_mutex_);
    any_invocation_.store(true, std::memory_order_release);
    return invocations_[&s]++;
}

std::string Runtime::new_task_token(const Frame& frame, const State& s, int attempt) {
    // Tokens depend only on where the task runs, so the same task resumed in another process waits for the
    // same token (a SendTaskSuccess for it after the restart completes it); splitmix64 keeps them unlike one
    // another.
    std::uint64_t bits;
    std::uint64_t counter;
    if (frame.cancel == nullptr && frame.buffer == nullptr) {
        // The top level: the state's entry and the attempt.
        bits = splitmix64(static_cast<std::uint64_t>(frame.entered) * 0x9E3779B97F4A7C15ULL +
                          static_cast<std::uint64_t>(attempt) + 1);
        counter = static_cast<std::uint64_t>(frame.entered);
    } else {
        // Inside a Map iteration or Parallel branch: which run of the top-level state (its Started event) and
        // the task's place in it (TaskRequest::invocation_key: iteration and branch path, position, attempt).
        bits = splitmix64(fnv1a64(invocation_key(frame, s, 0, attempt)) ^
                          (static_cast<std::uint64_t>(frame.run_id) * 0x9E3779B97F4A7C15ULL));
        counter = static_cast<std::uint64_t>(frame.run_id) & 0xffffffffULL;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%016llx%08llx", static_cast<unsigned long long>(bits),
                  static_cast<unsigned long long>(counter));
    return options_.execution_arn + "#" + buf;
}

unsigned Runtime::try_claim_workers(unsigned wanted) {
    int have = free_workers_.load();
    while (have > 0) {
        const int take = std::min<int>(have, static_cast<int>(wanted));
        if (free_workers_.compare_exchange_weak(have, have - take)) return static_cast<unsigned>(take);
    }
    return 0;
}

void Runtime::release_workers(unsigned n) { free_workers_.fetch_add(static_cast<int>(n)); }

// --- history ---------------------------------------------------------------------------------------------

bool Runtime::within_quota() {
    // AWS keeps the last event of the quota (25,000) for the closing event: any other event that would take
    // its place is not recorded and the execution fails (the closing event is recorded with no quota). The
    // quota counts events whether or not anyone keeps them.
    if (max_events_ && event_count_.fetch_add(1, std::memory_order_relaxed) + 1 >= max_events_) {
        if (!history_overflow_.exchange(true)) root_.cancel();
        return false;
    }
    return true;
}

std::int64_t Runtime::record(Frame& frame, EventFields&& fields) {
    // A distributed Map's children are executions of their own: their events count against no quota here.
    if (frame.silent) return ++frame.last;
    if (!frame.own_history && !within_quota()) return frame.last;
    if (!recording_) return ++frame.last;
    const auto fill = [&](HistoryEvent& e) {
        e.type = fields.type;
        e.name = fields.name;
        e.index = fields.index;
        e.assigned = std::move(fields.assigned);
        e.timestamp = clock_->now();
        e.previous_event_id = frame.last;
    };
    const auto append = [&](History& h) -> HistoryEvent& {
        return fields.payload ? h.emplace_back_carrying(*fields.payload) : h.emplace_back();
    };
    if (frame.buffer) {
        HistoryEvent& e = append(*frame.buffer);
        fill(e);
        frame.last = static_cast<std::int64_t>(frame.buffer->size());
        e.id = frame.last;
        return frame.last;
    }
    if (!options_.record_history) {  // a sink alone: it sees the event, nobody keeps it
        HistoryEvent e;
        fill(e);
        if (fields.payload) e.payload = *fields.payload;
        e.id = ++top_events_;
        frame.last = e.id;
        emit(e, fields.checkpoint);
        return frame.last;
    }
    HistoryEvent& e = append(history_);
    fill(e);
    e.id = ++top_events_;
    frame.last = e.id;
    emit(e, fields.checkpoint);
    return frame.last;
}

void Runtime::emit(const HistoryEvent& e, Checkpoint* checkpoint) {
    if (checkpoint && checkpoint_sink_) {
        checkpoint->event_id = e.id;
        if (checkpoint->position == Checkpoint::Position::InState) checkpoint->entered_id = e.id;
        options_.checkpoint_sink(&e, *checkpoint);
    } else if (options_.history_sink) {
        options_.history_sink(e);
    }
}

std::int64_t Runtime::record(Frame& frame, HistoryEvent&& e, Checkpoint* checkpoint) {
    return record_event(frame, std::move(e), checkpoint, clock_->now());
}

std::int64_t Runtime::record_at(Frame& frame, HistoryEvent&& e, TimePoint at) {
    return record_event(frame, std::move(e), nullptr, at);
}

std::int64_t Runtime::record_event(Frame& frame, HistoryEvent&& e, Checkpoint* checkpoint, TimePoint at) {
    if (frame.silent) return ++frame.last;
    if (!frame.own_history && !within_quota()) return frame.last;
    if (!recording_) return ++frame.last;
    e.timestamp = at;
    e.previous_event_id = frame.last;
    if (frame.buffer) {
        frame.buffer->push_back(std::move(e));
        frame.last = static_cast<std::int64_t>(frame.buffer->size());
        frame.buffer->back().id = frame.last;
        return frame.last;
    }
    // Only the thread running the top-level frame appends here (worker threads record into buffers that
    // this thread merges), so no lock is needed.
    e.id = ++top_events_;
    frame.last = e.id;
    publish(std::move(e), checkpoint);
    return frame.last;
}

void Runtime::publish(HistoryEvent&& e, Checkpoint* checkpoint) {
    // Kept only when asked for; a sink alone sees each event without the execution keeping it.
    if (options_.record_history) {
        history_.push_back(std::move(e));
        emit(history_.back(), checkpoint);
    } else {
        emit(e, checkpoint);
    }
}

namespace {
/// A JSONata state's EvaluationFailed event carries the failure's cause, whose prefix names the state's entry
/// by the id it had in the child's buffer.
template <class Renumber>
void renumber_event_cause(HistoryEvent& e, Renumber&& renumber) {
    if (e.type != EventType::EvaluationFailed) return;
    renumber_state_cause(e.detail_to_fill().cause, e.name, renumber);
}

template <class Renumber>
void renumber_failures(std::span<const ChildFailure> failures, Renumber&& renumber) {
    for (const auto& f : failures)
        if (!f.err->cause_state.empty())
            renumber_state_cause(f.err->cause, f.err->cause_state,
                                 [&](std::int64_t local) { return renumber(f.child, local); });
}
}  // namespace

void Runtime::merge(Frame& frame, std::int64_t anchor, std::vector<ChildBuffer>& buffers, MergeOrder order,
                    unsigned helpers, std::span<const ChildFailure> failures) {
    if (!recording_ || frame.silent) return;
    std::vector<History*> children_ptrs;
    children_ptrs.reserve(buffers.size());
    for (auto& b : buffers) children_ptrs.push_back(&b.events);
    struct Children {  // children[c] is buffer c's history
        std::vector<History*>& p;
        History& operator[](std::size_t c) const { return *p[c]; }
        std::size_t size() const { return p.size(); }
    } children{children_ptrs};
    if (order == MergeOrder::Sequential) {
        // Ids follow one another: renumber in place (on the helpers too: every buffer's base is known in
        // advance) and take the blocks over (no event moves).
        std::vector<std::int64_t> bases(children_ptrs.size());
        std::int64_t next_base = frame.buffer ? static_cast<std::int64_t>(frame.buffer->size()) : top_events_;
        std::size_t total = 0;
        for (std::size_t c = 0; c < children_ptrs.size(); ++c) {
            bases[c] = next_base;
            next_base += static_cast<std::int64_t>(children_ptrs[c]->size());
            total += children_ptrs[c]->size();
        }
        std::atomic<std::size_t> next_child{0};
        const std::function<void(unsigned)> renumber = [&](unsigned) {
            for (;;) {
                const std::size_t c = next_child.fetch_add(1, std::memory_order_relaxed);
                if (c >= children_ptrs.size()) return;
                History& child = *children_ptrs[c];
                const std::int64_t base = bases[c];
                for (std::size_t i = 0; i < child.size(); ++i) {
                    HistoryEvent& e = child[i];
                    e.id += base;
                    e.previous_event_id = e.previous_event_id == 0 ? anchor : e.previous_event_id + base;
                    renumber_event_cause(e, [&](std::int64_t local) { return local + base; });
                }
            }
        };
        // Below a few thousand events waking a helper costs more than it saves.
        WorkerPool::instance().run(total >= 4096 ? helpers : 0, renumber);
        renumber_failures(failures, [&](std::size_t c, std::int64_t local) { return local + bases[c]; });
        for (History* child_ptr : children_ptrs) {
            History& child = *child_ptr;
            if (child.empty()) continue;
            const std::int64_t base = frame.buffer ? static_cast<std::int64_t>(frame.buffer->size()) : top_events_;
            const std::size_t count = child.size();
            frame.last = base + static_cast<std::int64_t>(count);
            if (frame.buffer) {
                frame.buffer->splice(std::move(child));
                continue;
            }
            top_events_ += static_cast<std::int64_t>(count);
            if (options_.record_history) {
                const std::size_t first = history_.size();
                history_.splice(std::move(child));
                if (options_.history_sink)
                    for (std::size_t i = first; i < history_.size(); ++i) options_.history_sink(history_[i]);
            } else {
                for (std::size_t i = 0; i < count; ++i) options_.history_sink(child[i]);
                child.clear();
            }
        }
        return;
    }
    if (order == MergeOrder::RoundRobin && options_.record_history) {
        merge_round_robin(frame, anchor, children_ptrs, helpers, failures);
        return;
    }
    // Local ids of each child map to ids in the parent; a child's first event links to `anchor`.
    std::vector<std::vector<std::int64_t>> ids(children.size());
    for (std::size_t c = 0; c < children.size(); ++c) ids[c].resize(children[c].size());
    const auto merged_id = [&](std::size_t c, std::int64_t local) {
        return local >= 1 && static_cast<std::size_t>(local) <= ids[c].size()
                   ? ids[c][static_cast<std::size_t>(local - 1)]
                   : local;
    };
    auto append = [&](std::size_t c, std::size_t i) {
        HistoryEvent& e = children[c][i];
        const auto prev = e.previous_event_id;
        e.previous_event_id = prev == 0 ? anchor : ids[c][static_cast<std::size_t>(prev - 1)];
        renumber_event_cause(e, [&](std::int64_t local) { return merged_id(c, local); });
        if (frame.buffer) {
            frame.buffer->push_back(std::move(e));
            frame.buffer->back().id = static_cast<std::int64_t>(frame.buffer->size());
            ids[c][i] = frame.buffer->back().id;
        } else {
            e.id = ++top_events_;
            ids[c][i] = e.id;
            publish(std::move(e));
        }
        frame.last = ids[c][i];
    };
    std::vector<std::size_t> pos(children.size(), 0);
    // Concurrent children are ordered by time; at equal times the events that record a stop caused by a
    // sibling's failure come after the others (the failure happened first).
    using Key = std::pair<TimePoint, bool>;
    auto key = [&](std::size_t c) {
        const HistoryEvent& e = children[c][pos[c]];
        return Key{e.timestamp, is_abort_event(e.type)};
    };
    if (order == MergeOrder::ByTimeIndex) {
        // Many children (Map iterations): a heap of (key of the next event, child).
        using Entry = std::pair<Key, std::size_t>;
        std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
        for (std::size_t c = 0; c < children.size(); ++c)
            if (!children[c].empty()) heap.emplace(key(c), c);
        while (!heap.empty()) {
            const std::size_t c = heap.top().second;
            heap.pop();
            append(c, pos[c]++);
            if (pos[c] < children[c].size()) heap.emplace(key(c), c);
        }
        renumber_failures(failures, merged_id);
        return;
    }
    // Step by step: the next child after the last one picked, among those whose next event is the earliest
    // (all of them for RoundRobin: branches that ran one after the other all happened "at once" on AWS).
    const bool by_time = order == MergeOrder::ByTimeRoundRobin;
    const std::size_t k = children.size();
    std::size_t left = 0;
    for (const History* c : children_ptrs) left += c->size();
    std::size_t cursor = 0;
    for (; left > 0; --left) {
        std::size_t pick = k;
        for (std::size_t step = 0; step < k; ++step) {
            const std::size_t c = (cursor + step) % k;
            if (pos[c] >= children[c].size()) continue;
            if (pick == k || (by_time && key(c) < key(pick))) pick = c;
            if (!by_time) break;
        }
        append(pick, pos[pick]++);
        cursor = (pick + 1) % k;
    }
    renumber_failures(failures, merged_id);
}

void Runtime::merge_round_robin(Frame& frame, std::int64_t anchor, const std::vector<History*>& children,
                                unsigned helpers, std::span<const ChildFailure> failures) {
    // Round r takes event r of every child that has more than r events, in child order. So where each event
    // goes is known in advance: event r of child c is round_start[r] + the number of children before c that
    // have more than r events. The children then move in at once, on the helpers too.
    const std::size_t k = children.size();
    std::size_t total = 0;
    std::size_t longest = 0;
    for (const History* c : children) {
        total += c->size();
        longest = std::max(longest, c->size());
    }
    if (total == 0) return;
    std::vector<std::size_t> round_start(longest + 1, 0);
    {
        std::vector<std::size_t> ending(longest + 1, 0);  // children with exactly that many events
        for (const History* c : children) ++ending[c->size()];
        std::size_t alive = k - ending[0];
        for (std::size_t r = 0; r < longest; ++r) {
            round_start[r + 1] = round_start[r] + alive;
            alive -= ending[r + 1];
        }
    }
    History& target = frame.buffer ? *frame.buffer : history_;
    const std::size_t first = target.size();
    const std::int64_t base_id = frame.buffer ? static_cast<std::int64_t>(first) : top_events_;
    // Where event r of child c goes: round_start[r] + the number of children before c with more than r events.
    // For a few children that count is made when needed (a handful of comparisons); for many, a table of every
    // event's place is made first.
    std::vector<std::size_t> sizes(k);
    for (std::size_t c = 0; c < k; ++c) sizes[c] = children[c]->size();
    constexpr std::size_t max_counted_children = 32;
    std::vector<std::vector<std::size_t>> table;
    if (k > max_counted_children) {
        table.resize(k);
        std::vector<std::size_t> before;  // sizes of the children before c, largest first
        for (std::size_t c = 0; c < k; ++c) {
            std::size_t rank = before.size();
            table[c].resize(sizes[c]);
            for (std::size_t r = 0; r < sizes[c]; ++r) {
                while (rank > 0 && before[rank - 1] <= r) --rank;
                table[c][r] = round_start[r] + rank;
            }
            before.insert(std::upper_bound(before.begin(), before.end(), sizes[c], std::greater<>()), sizes[c]);
        }
    }
    const auto position = [&](std::size_t c, std::size_t r) {
        if (!table.empty()) return table[c][r];
        std::size_t rank = 0;
        for (std::size_t b = 0; b < c; ++b) rank += sizes[b] > r ? 1 : 0;
        return round_start[r] + rank;
    };
    const auto merged_id = [&](std::size_t c, std::int64_t local) {
        return local >= 1 && static_cast<std::size_t>(local) <= sizes[c]
                   ? base_id + 1 + static_cast<std::int64_t>(position(c, static_cast<std::size_t>(local - 1)))
                   : local;
    };
    // The moves are split by place in the target (runs of whole rounds), so that threads write apart.
    constexpr std::size_t events_per_run = 256;
    std::vector<std::size_t> run_start{0};  // rounds where each run begins
    for (std::size_t r = 0; r < longest; ++r)
        if (round_start[r + 1] - round_start[run_start.back()] >= events_per_run) run_start.push_back(r + 1);
    if (run_start.back() != longest) run_start.push_back(longest);
    const std::size_t runs = run_start.size() - 1;
    std::atomic<std::size_t> next_run{0};
    target.append_relocated(total, [&](const History::Slots& slots) {
        const std::function<void(unsigned)> place = [&](unsigned) {
            for (;;) {
                const std::size_t run = next_run.fetch_add(1, std::memory_order_relaxed);
                if (run >= runs) return;
                // Most events link to their child's previous event: where each child's last one went.
                std::array<std::size_t, max_counted_children> last_place{};
                const std::size_t r0 = run_start[run];
                const bool tracked = table.empty();
                if (tracked && r0 > 0)
                    for (std::size_t c = 0; c < k; ++c)
                        if (sizes[c] >= r0) last_place[c] = position(c, r0 - 1);
                for (std::size_t r = r0; r < run_start[run + 1]; ++r) {
                    std::size_t place = round_start[r];  // round r's events are consecutive, in child order
                    for (std::size_t c = 0; c < k; ++c) {
                        if (sizes[c] <= r) continue;
                        // Only the new place is written: the source stays clean in its thread's cache.
                        HistoryEvent& e = slots.relocate(place, (*children[c])[r]);
                        const auto prev = e.previous_event_id;
                        if (prev == 0) {
                            e.previous_event_id = anchor;
                        } else {
                            const auto q = static_cast<std::size_t>(prev - 1);
                            const std::size_t linked = tracked && q + 1 == r ? last_place[c] : position(c, q);
                            e.previous_event_id = base_id + 1 + static_cast<std::int64_t>(linked);
                        }
                        e.id = base_id + 1 + static_cast<std::int64_t>(place);
                        renumber_event_cause(e, [&](std::int64_t local) { return merged_id(c, local); });
                        if (tracked) last_place[c] = place;
                        ++place;
                    }
                }
            }
        };
        // Below about a thousand events handing runs to a helper costs more than it saves.
        WorkerPool::instance().run(total >= 1024 ? helpers : 0, place);
    });
    for (History* c : children) c->abandon();
    renumber_failures(failures, merged_id);
    frame.last = base_id + static_cast<std::int64_t>(total);
    if (frame.buffer) return;
    top_events_ += static_cast<std::int64_t>(total);
    if (options_.history_sink)
        for (std::size_t i = first; i < history_.size(); ++i) options_.history_sink(history_[i]);
}

// --- context object --------------------------------------------------------------------------------------

namespace {
/// `over` laid over `base`: objects merge member by member, anything else replaces.
Value overlay(const Value& base, const Value& over) {
    if (!base.is_object() || !over.is_object()) return over;
    Value out = base;
    for (const auto& [key, value] : over.members()) {
        const Value* old = out.find(key);
        out = out.with_member(key, old ? overlay(*old, value) : value);
    }
    return out;
}
}  // namespace

Value Runtime::context(const State& s, const Frame&, TimePoint entered, int retry_count,
                       const std::string* task_token) const {
    std::vector<Member> state{{"Name", Value(s.name)}, {"EnteredTime", Value(format_timestamp(entered))}};
    if (s.type == StateType::Task || s.type == StateType::Parallel || s.type == StateType::Map)
        state.emplace_back("RetryCount", Value(retry_count));
    std::vector<Member> members{{"Execution", ctx_execution_},
                                {"StateMachine", ctx_state_machine_},
                                {"State", Value::object(std::move(state))}};
    if (task_token) members.emplace_back("Task", Value::object({{"Token", Value(*task_token)}}));
    Value ctx = Value::object(std::move(members));
    return options_.context.is_object() ? overlay(ctx, options_.context) : ctx;
}

// --- payload size ----------------------------------------------------------------------------------------

std::size_t Runtime::payload_size(const Value& v, std::size_t limit) {
    switch (v.kind()) {
        case Kind::null: return 4;
        case Kind::boolean: return v.as_bool() ? 4 : 5;
        case Kind::integer: {
            auto i = v.as_int();
            std::size_t n = i < 0 ? 2 : 1;
            for (auto u = i < 0 ? -(i / 10) : i / 10; u != 0; u /= 10) ++n;
            return n;
        }
        case Kind::real: {
            char text[text::max_json_number_chars];
            return text::format_json_number(v.as_double(), text);
        }
        case Kind::string: return text::json_string_size(v.as_string());
        case Kind::array:
        case Kind::object: break;
    }
    // Containers: big ones are cached by node identity (the cache keeps the node alive, so the address
    // cannot be reused), so a document that flows unchanged through many states is measured once.
    const bool is_array = v.is_array();
    const void* key = is_array ? static_cast<const void*>(v.elements().data())
                               : static_cast<const void*>(v.members().data());
    const bool cacheable = v.size() >= 16;
    if (cacheable) {
        std::lock_guard lock(size_mutex_);
        if (auto it = size_cache_.find(key); it != size_cache_.end()) return it->second.second;
    }
    // Brackets, and a comma between neighbours.
    std::size_t n = v.size() == 0 ? 2 : 1 + v.size();
    if (is_array) {
        for (const auto& e : v.elements()) {
            n += payload_size(e, limit);
            if (n > limit) return n;
        }
    } else {
        for (const auto& [k, e] : v.members()) {
            n += text::json_string_size(k) + 1 + payload_size(e, limit);
            if (n > limit) return n;
        }
    }
    if (cacheable) {
        std::lock_guard lock(size_mutex_);
        if (size_cache_.size() > 4096) size_cache_.clear();
        size_cache_.emplace(key, std::make_pair(v, n));
    }
    return n;
}

void Runtime::remember_payload_size(const Value& v, std::size_t size) {
    if (!v.is_container() || v.size() < 16) return;  // payload_size caches only these
    const void* key = v.is_array() ? static_cast<const void*>(v.elements().data())
                                   : static_cast<const void*>(v.members().data());
    std::lock_guard lock(size_mutex_);
    if (size_cache_.size() > 4096) size_cache_.clear();
    size_cache_.emplace(key, std::make_pair(v, size));
}

bool Runtime::exceeds_payload(const Value& v, std::size_t limit) {
    return v.dump_size_bound() > limit && payload_size(v, limit) > limit;
}

// --- the interpreter -------------------------------------------------------------------------------------

namespace {

struct StepOut {
    Value output;
    int next = -1;
    bool end = false;
    std::shared_ptr<const std::vector<std::pair<std::string, Value>>> assigned;
};

class StateRunner {
public:
    StateRunner(Runtime& rt, const State& s, Frame& f, TimePoint entered) : rt_(rt), s_(s), f_(f), entered_(entered) {}

    /// `from`: a checkpoint taken when a retry was decided (the execution resumes with that retry).
    bool run(const Value& raw, StepOut& out, Err& err, const Checkpoint* from = nullptr) {
        if (s_.retry.empty()) {
            f_.attempt_started = entered_;
            return run_once(raw, 0, out, err);
        }
        std::vector<int> counts(s_.retry.size(), 0);
        int first = 0;
        f_.attempt_started = entered_;
        if (from && from->attempt > 0 && from->retry_counts.size() == counts.size()) {
            counts = from->retry_counts;
            first = from->attempt;
            f_.attempt_started = from->retry_at;
            if (!rt_.sleep_until(f_, from->retry_at)) {
                err = rt_.stop_error();
                return false;
            }
        }
        for (int attempt = first;; ++attempt) {
            if (run_once(raw, attempt, out, err)) return true;
            if (rt_.stopping()) return false;
            std::size_t i = 0;
            while (i < s_.retry.size() && !s_.retry[i].errors.matches(err.error, err.origin)) ++i;
            if (i == s_.retry.size()) return false;
            const Retrier& r = s_.retry[i];
            if (counts[i] >= r.max_attempts) return false;
            double delay = r.interval_seconds * std::pow(r.backoff_rate, counts[i]);
            if (r.max_delay_seconds) delay = std::min(delay, *r.max_delay_seconds);
            if (r.jitter_full) {
                std::lock_guard lock(rt_.random_mutex());
                delay = static_cast<double>(rt_.random().uniform(0, static_cast<std::int64_t>(delay * 1000))) / 1000.0;
            }
            ++counts[i];
            const auto wake = rt_.now() + std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(delay));
            rt_.retry_checkpoint(f_, s_, raw, entered_, attempt + 1, counts, wake);
            f_.attempt_started = wake;
            if (!rt_.sleep_until(f_, wake)) {
                err = rt_.stop_error();
                return false;
            }
        }
    }

private:
    bool fail(jsonpath::Failure failure, Err& err) {
        err = failure_of(s_, f_, std::move(failure));
        return false;
    }

    bool run_once(const Value& raw, int attempt, StepOut& out, Err& err) {
        Value ctx;
        std::string token;
        if (s_.type == StateType::Task && std::get<TaskSpec>(s_.spec).wait_for_token) {
            token = rt_.new_task_token(f_, s_, attempt);
            ctx = rt_.context(s_, f_, entered_, attempt, &token);
        } else if (s_.uses_context) {
            ctx = rt_.context(s_, f_, entered_, attempt, nullptr);
        }
        if (s_.jsonata) {
            JsonataStep step;
            if (!run_jsonata_state(rt_, s_, f_, entered_, raw, ctx, attempt, step, err)) return false;
            out.output = std::move(step.output);
            out.next = step.next;
            out.end = step.end;
            out.assigned = std::move(step.assigned);
            return true;
        }
        // InputPath (null: the effective input is {}). Without one the input is used as it is (no reference
        // taken: reference counts are atomic, and this runs for every state).
        Value selected;
        switch (s_.input_path.mode) {
            case SelectPath::Mode::Identity: break;
            case SelectPath::Mode::Discard: selected = Value::object(); break;
            case SelectPath::Mode::Select: {
                auto r = s_.input_path.path.evaluate(jsonpath::Scope(raw, ctx, f_.vars, f_.random));
                if (!r) return fail(std::move(r).failure(), err);
                selected = std::move(*r);
                break;
            }
        }
        const bool whole_input = s_.input_path.mode == SelectPath::Mode::Identity;
        const Value& effective = whole_input ? raw : selected;
        inspect(InspectionStage::AfterInputPath, effective);
        Value result;
        const jsonpath::Template* assign = s_.assign ? &*s_.assign : nullptr;
        bool has_result = true;
        switch (s_.type) {
            case StateType::Pass: {
                const auto& spec = std::get<PassSpec>(s_.spec);
                if (spec.result) {
                    result = *spec.result;
                } else if (!render_parameters(effective, ctx, result, err)) {
                    return false;
                } else if (s_.parameters) {
                    inspect(InspectionStage::AfterParameters, result);
                }
                inspect(InspectionStage::Result, result);
                break;
            }
            case StateType::Task: {
                Value params;
                if (!render_parameters(effective, ctx, params, err)) return false;
                inspect(InspectionStage::AfterParameters, params);
                if (!run_task(rt_, s_, params, f_, ctx, attempt, result, err)) return false;
                if (!select_result(result, ctx, err)) return false;
                break;
            }
            case StateType::Parallel: {
                Value params;
                if (!render_parameters(effective, ctx, params, err)) return false;
                inspect(InspectionStage::AfterParameters, params);
                if (!run_parallel(rt_, s_, params, f_, result, err)) return false;
                if (!select_result(result, ctx, err)) return false;
                break;
            }
            case StateType::Map: {
                if (!run_map(rt_, s_, effective, f_, ctx, result, err)) return false;
                if (!select_result(result, ctx, err)) return false;
                break;
            }
            case StateType::Choice: {
                has_result = false;
                const jsonpath::Template* rule_assign = nullptr;
                if (!run_choice(rt_, s_, effective, f_, ctx, out.next, rule_assign, err)) return false;
                if (rule_assign) assign = rule_assign;
                break;
            }
            case StateType::Wait:
                has_result = false;
                if (!run_wait(effective, err)) return false;
                break;
            case StateType::Succeed:
                has_result = false;
                break;
            case StateType::Fail:
                run_fail(raw, ctx, err);
                return false;
        }
        if (has_result && rt_.exceeds_payload(result, max_payload_bytes)) {
            err = result_too_large(s_.name);
            return false;
        }
        // Assign sees the result (or the effective input for Choice/Wait/Succeed) and the variables as
        // they were when the state was entered; the new values become visible after the state.
        Value assigned;
        if (assign) {
            auto r = assign->render(jsonpath::Scope(has_result ? result : effective, ctx, f_.vars, f_.random));
            if (!r) return fail(std::move(r).failure(), err);
            assigned = std::move(*r);
        }
        Value output;
        if (has_result) {
            jsonpath::Failure failure;
            if (!apply_result_path(s_.result_path, raw, std::move(result), output, failure))
                return fail(std::move(failure), err);
            inspect(InspectionStage::AfterResultPath, output);
        } else {
            output = whole_input ? raw : std::move(selected);
        }
        switch (s_.output_path.mode) {
            case SelectPath::Mode::Identity: break;
            case SelectPath::Mode::Discard: output = Value::object(); break;
            case SelectPath::Mode::Select: {
                auto r = s_.output_path.path.evaluate(jsonpath::Scope(output, ctx, f_.vars, f_.random));
                if (!r) return fail(std::move(r).failure(), err);
                output = std::move(*r);
                break;
            }
        }
        if (assign) commit(assigned, out);
        out.output = std::move(output);
        if (s_.type != StateType::Choice) {
            out.end = s_.end || s_.type == StateType::Succeed;
            out.next = s_.next;
        }
        return true;
    }

    void commit(const Value& assigned, StepOut& out) {
        auto list = std::make_shared<std::vector<std::pair<std::string, Value>>>();
        for (const auto& [k, v] : assigned.members()) {
            f_.vars->set(k, v);
            list->emplace_back(k, v);
        }
        out.assigned = std::move(list);
    }

    bool render_parameters(const Value& effective, const Value& ctx, Value& out, Err& err) {
        if (!s_.parameters) {
            out = effective;
            return true;
        }
        auto r = s_.parameters->render(jsonpath::Scope(effective, ctx, f_.vars, f_.random));
        if (!r) return fail(std::move(r).failure(), err);
        out = std::move(*r);
        return true;
    }

    void inspect(InspectionStage stage, const Value& value) const {
        if (rt_.options().inspect && f_.cancel == nullptr) rt_.options().inspect(s_.name, stage, value);
    }

    bool select_result(Value& result, const Value& ctx, Err& err) {
        inspect(InspectionStage::Result, result);
        const auto done = [&] {
            inspect(InspectionStage::AfterResultSelector, result);
            return true;
        };
        if (!s_.result_selector) return done();
        auto r = s_.result_selector->render(jsonpath::Scope(result, ctx, f_.vars, f_.random));
        if (!r) return fail(std::move(r).failure(), err);
        result = std::move(*r);
        return done();
    }

    bool runtime_error(const std::string& message, Err& err) {
        err = state_failure(s_, f_, "States.Runtime", message);
        return false;
    }

    bool run_wait(const Value& effective, Err& err) {
        const auto& w = std::get<WaitSpec>(s_.spec);
        TimePoint until;
        if (w.seconds) {
            until = entered_ + std::chrono::seconds(*w.seconds);
        } else if (w.timestamp) {
            if (!parse_timestamp(*w.timestamp, until))
                return runtime_error("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                                     "format string: " + *w.timestamp, err);
        } else if (w.seconds_path) {
            auto selected = w.seconds_path->try_select(jsonpath::Scope(effective, Value(), f_.vars, f_.random));
            if (!selected) return fail(std::move(selected).failure(), err);
            const std::optional<Value>& v = *selected;
            if (!v) return runtime_error("Invalid path '" + w.seconds_path->text() + "' : No results for path: " +
                                             w.seconds_path->normalized(), err);
            if (!v->is_integer() && !(v->is_real() && std::floor(v->as_double()) == v->as_double() &&
                                      std::abs(v->as_double()) < 9.2e18))
                return runtime_error("The SecondsPath parameter cannot be parsed as a long value: " +
                                         w.seconds_path->text() + " == " + v->dump(), err);
            const auto secs = v->as_int();
            if (secs < 0)
                return runtime_error("The SecondsPath parameter references a negative value: " +
                                         w.seconds_path->text() + " == " + v->dump(), err);
            until = entered_ + std::chrono::seconds(secs);
        } else {
            auto selected = w.timestamp_path->try_select(jsonpath::Scope(effective, Value(), f_.vars, f_.random));
            if (!selected) return fail(std::move(selected).failure(), err);
            const std::optional<Value>& v = *selected;
            if (!v) return runtime_error("Invalid path '" + w.timestamp_path->text() + "' : No results for path: " +
                                             w.timestamp_path->normalized(), err);
            if (!v->is_string() || !parse_timestamp(v->as_string(), until))
                return runtime_error("The TimestampPath parameter does not reference a valid ISO-8601 extended "
                                     "offset date-time format string: " + w.timestamp_path->text() + " == " +
                                         (v->is_string() ? v->as_string() : v->dump()), err);
        }
        // A timestamp counts to the second: AWS truncates its milliseconds (Wait state documentation).
        if (w.timestamp || w.timestamp_path) until = std::chrono::floor<std::chrono::seconds>(until);
        // AWS rejects delays that do not fit a signed 32-bit number of seconds (about 68 years).
        if (until - entered_ > std::chrono::seconds(2147483647))
            return runtime_error("Wait state delay is too long.", err);
        if (until > rt_.now() && !rt_.sleep_until(f_, until)) {
            err = rt_.stop_error();
            return false;
        }
        return true;
    }

    void run_fail(const Value& raw, const Value& ctx, Err& err) {
        const auto& f = std::get<FailSpec>(s_.spec);
        err = Err{"", "", false, false};
        const jsonpath::Scope scope(raw, ctx, f_.vars, f_.random);
        auto eval = [&](const std::optional<jsonpath::Expression>& path, const std::optional<std::string>& literal,
                        const char* field, std::string& out, bool& has) -> bool {
            if (path) {
                auto r = path->evaluate(scope, field);
                if (!r) {
                    err = failure_of(s_, f_, std::move(r).failure());
                    return false;
                }
                out = r->is_string() ? r->as_string() : r->dump();
                has = true;
            } else if (literal) {
                out = *literal;
                has = true;
            }
            return true;
        };
        if (!eval(f.error_path, f.error, "ErrorPath", err.error, err.has_error)) return;
        eval(f.cause_path, f.cause, "CausePath", err.cause, err.has_cause);
    }

    Runtime& rt_;
    const State& s_;
    Frame& f_;
    TimePoint entered_;
};

}  // namespace

bool Runtime::run_graph(const Graph& g, Value input, Frame& frame, Value& output, Err& err, const ResumeAt* resume) {
    int current = resume ? resume->state : g.start;
    Value raw = std::move(input);
    const bool checkpoints = checkpointing(frame);
    // Only made for the top level of a durable execution: one object refilled for every transition (its
    // strings and vectors keep their capacity), as each is handed out and done with before the next.
    std::optional<Checkpoint> checkpoint;
    const auto fill = [&](Checkpoint::Position position, const std::string& state, const Value& state_input,
                          TimePoint entered_time) -> Checkpoint* {
        if (!checkpoint) checkpoint.emplace();
        Checkpoint& c = *checkpoint;
        c.position = position;
        c.state.assign(state);
        // The same value is often handed on (a StateExited checkpoint's next input is the next StateEntered
        // one's): no reference count to bump then.
        if (!c.input.same_node(state_input)) c.input = state_input;
        c.event_id = 0;
        c.entered_id = 0;
        c.entered_time = entered_time;
        c.attempt = 0;
        c.retry_counts.clear();
        c.retry_at = TimePoint{};
        if (const Value& vars = frame.vars->to_value(); !c.variables.same_node(vars)) c.variables = vars;
        c.transitions = frame.transitions;
        invocation_counts(c.invocations);
        return &c;
    };
    // The checkpoint of a StateExited event: `next` (-1 = the end) is entered next with `next_input`.
    const auto exited = [&](int next, const Value& next_input) -> Checkpoint* {
        if (!checkpoints) return nullptr;
        static const std::string end;
        return fill(Checkpoint::Position::BetweenStates,
                    next < 0 ? end : g.states[static_cast<std::size_t>(next)].name, next_input, TimePoint{});
    };
    for (;;) {
        if (root_.cancelled()) {
            err = stop_error();
            return false;
        }
        // A branch always enters its first state (AWS starts every branch at once); after that a failed
        // sibling stops it.
        if (frame.cancel && frame.transitions > 0 && frame.cancel->cancelled()) {
            err = branch_stopped();
            return false;
        }
        if (has_deadline_ && clock_->now() >= deadline_) {
            sleep_until(frame, deadline_);
            err = stop_error();
            return false;
        }
        const State& s = g.states[static_cast<std::size_t>(current)];
        TimePoint entered;
        const Checkpoint* retry = nullptr;
        if (resume && resume->entered) {
            // Resumed inside this state: it was entered (and counted) before; it runs again from its entry, or
            // from the retry that was decided.
            entered = resume->entered_time;
            frame.entered = resume->entered_id;
            retry = resume->retry;
        } else {
            ++frame.transitions;
            entered = clock_->now();
            Checkpoint* cp = nullptr;
            if (checkpoints) cp = fill(Checkpoint::Position::InState, s.name, raw, entered);
            frame.entered = record(frame, EventFields{.type = entered_event(s.type), .name = s.name, .payload = &raw,
                                                      .checkpoint = cp});
        }
        resume = nullptr;
        StepOut step;
        StateRunner runner(*this, s, frame, entered);
        frame.container_started = false;
        if (!runner.run(raw, step, err, retry)) {
            if (root_.cancelled()) return false;
            if (frame.cancel && frame.cancel->cancelled()) {
                // A sibling branch/iteration failed while this state was waiting or working: AWS stops it.
                if (const auto aborted = aborted_event(s.type)) {
                    HistoryEvent e;
                    e.type = *aborted;
                    if (s.type == StateType::Task) e.name = s.name;
                    record(frame, std::move(e));
                }
                err = branch_stopped();
                return false;
            }
            if (options_.inspect && frame.cancel == nullptr) options_.inspect(s.name, InspectionStage::Error, error_object(err));
            const Catcher* catcher = nullptr;
            for (const auto& c : s.catchers) {
                if (c.errors.matches(err.error, err.origin)) {
                    catcher = &c;
                    break;
                }
            }
            // A Map/Parallel that started its children reports the failure once, after the last retry. AWS
            // records no ParallelStateFailed when a catcher handles it (ParallelStateExited follows instead).
            if (frame.container_started && (s.type == StateType::Map || !catcher)) {
                HistoryEvent e;
                e.type = s.type == StateType::Map ? EventType::MapStateFailed : EventType::ParallelStateFailed;
                record(frame, std::move(e));
            }
            // A Task whose failure ends its branch/iteration is recorded as aborted (AWS: TaskStateAborted).
            if (!catcher && frame.cancel && s.type == StateType::Task) {
                HistoryEvent e;
                e.type = EventType::TaskStateAborted;
                e.name = s.name;
                record(frame, std::move(e));
            }
            if (!catcher) return false;
            const Value error_output = error_object(err);
            Value next_input;
            jsonpath::Failure failure;
            std::shared_ptr<const std::vector<std::pair<std::string, Value>>> assigned;
            if (s.jsonata) {
                const auto index = static_cast<std::size_t>(catcher - s.catchers.data());
                if (!catch_jsonata(*this, s, frame, index, raw, error_output, next_input, assigned, err)) return false;
            } else if (!apply_result_path(catcher->result_path, raw, error_output, next_input, failure)) {
                err = failure_of(s, frame, std::move(failure));
                return false;
            }
            if (catcher->assign) {
                auto r = catcher->assign->render(jsonpath::Scope(error_output, Value(), frame.vars, frame.random));
                if (!r) {
                    err = failure_of(s, frame, std::move(r).failure());
                    return false;
                }
                auto list = std::make_shared<std::vector<std::pair<std::string, Value>>>();
                for (const auto& [k, v] : r->members()) {
                    frame.vars->set(k, v);
                    list->emplace_back(k, v);
                }
                assigned = std::move(list);
            }
            HistoryEvent e;
            e.type = exited_event(s.type);
            e.name = s.name;
            if (recording_) e.payload = next_input;
            e.assigned = std::move(assigned);
            record(frame, std::move(e), exited(catcher->next, next_input));
            current = catcher->next;
            raw = std::move(next_input);
            continue;
        }
        if (s.type != StateType::Fail)
            record(frame, EventFields{.type = exited_event(s.type), .name = s.name, .payload = &step.output,
                                      .assigned = std::move(step.assigned),
                                      .checkpoint = exited(step.end ? -1 : step.next, step.output)});
        if (step.end) {
            output = std::move(step.output);
            return true;
        }
        current = step.next;
        raw = std::move(step.output);
    }
}

namespace {
/// Every state of `g` and of the graphs nested in it, by name.
void index_states(const Graph& g, std::unordered_map<std::string_view, const State*>& out) {
    for (const auto& s : g.states) {
        out.emplace(s.name, &s);
        if (const auto* p = std::get_if<ParallelSpec>(&s.spec)) {
            for (const auto& b : p->branches) index_states(*b, out);
        } else if (const auto* m = std::get_if<MapSpec>(&s.spec); m && m->processor) {
            index_states(*m->processor, out);
        }
    }
}
}  // namespace

void Runtime::restore_invocations(const Machine& m, const std::vector<std::pair<std::string, int>>& counts) {
    if (counts.empty()) return;
    std::unordered_map<std::string_view, const State*> states;
    index_states(m.top, states);
    std::lock_guard lock(invocations_mutex_);
    for (const auto& [name, count] : counts)
        if (auto it = states.find(name); it != states.end()) invocations_[it->second] = count;
    any_invocation_.store(!invocations_.empty(), std::memory_order_release);
}

void Runtime::add_invocations(const std::vector<std::pair<std::string, int>>& counts) {
    if (counts.empty()) return;
    std::unordered_map<std::string_view, const State*> states;
    index_states(machine_.impl().top, states);
    std::lock_guard lock(invocations_mutex_);
    for (const auto& [name, count] : counts)
        if (auto it = states.find(name); it != states.end()) invocations_[it->second] += count;
    any_invocation_.store(!invocations_.empty(), std::memory_order_release);
}

ExecutionResult Runtime::execute() {
    start_time_ = options_.start_time ? *options_.start_time : clock_->now();
    const Machine& m = machine_.impl();
    std::int64_t timeout = m.timeout_seconds;
    if (options_.type == ExecutionType::Express && (timeout == 0 || timeout > 300)) timeout = 300;
    if (timeout > 0) {
        has_deadline_ = true;
        deadline_ = start_time_ + std::chrono::seconds(timeout);
    }
    std::vector<Member> execution{{"Id", Value(options_.execution_arn)},
                                  {"Input", input_},
                                  {"StartTime", Value(format_timestamp(start_time_))},
                                  {"Name", Value(options_.name)},
                                  {"RoleArn", Value(options_.role_arn)}};
    // EXPRESS executions cannot be redriven: their context object has no RedriveCount.
    if (options_.type == ExecutionType::Standard) execution.emplace_back("RedriveCount", Value(options_.redrive_count));
    ctx_execution_ = Value::object(std::move(execution));
    ctx_state_machine_ = Value::object(
        {{"Id", Value(options_.state_machine_arn)}, {"Name", Value(options_.state_machine_name)}});

    VarScope vars;
    const Checkpoint* resume = options_.resume ? &*options_.resume : nullptr;
    const Value& initial_vars = resume ? resume->variables : options_.variables;
    if (initial_vars.is_object()) {
        for (const auto& [name, value] : initial_vars.members()) vars.set(name, value);
    }
    Frame top;
    top.vars = &vars;
    top.random = &random_;
    ResumeAt at;
    if (resume) {
        // Everything up to the checkpoint's event is recorded already: ids and the quota continue after it.
        top_events_ = resume->event_id;
        top.last = resume->event_id;
        top.transitions = resume->transitions;
        event_count_.store(static_cast<std::size_t>(resume->event_id), std::memory_order_relaxed);
        at.state = -1;
        for (std::size_t i = 0; i < m.top.states.size(); ++i)
            if (m.top.states[i].name == resume->state) at.state = static_cast<int>(i);
        if (at.state < 0 && !resume->state.empty())
            throw UsageError("the checkpoint names the state '" + resume->state +
                             "', which the state machine's top level does not have");
        at.entered = resume->position == Checkpoint::Position::InState;
        at.entered_time = resume->entered_time;
        at.entered_id = resume->entered_id;
        if (resume->attempt > 0) at.retry = resume;
        restore_invocations(m, resume->invocations);
        if (at.entered && at.state < 0) throw UsageError("the checkpoint is inside no state");
    } else {
        HistoryEvent e;
        e.type = EventType::ExecutionStarted;
        e.payload = input_;
        e.detail_to_fill().role_arn = options_.role_arn;
        record(top, std::move(e));
        // AWS links the first state's Entered event to nothing (previousEventId 0).
        top.last = 0;
    }
    ExecutionResult r;
    r.start_time = start_time_;
    Value output;
    Err err;
    bool ok = true;
    if (!resume) {
        ok = run_graph(m.top, input_, top, output, err);
    } else if (at.state < 0) {
        output = resume->input;  // the last state had exited: only the execution's end is left to record
    } else {
        ok = run_graph(m.top, resume->input, top, output, err, &at);
    }
    HistoryEvent e;
    {
        std::lock_guard lock(stop_mutex_);
        if (ok) {
            r.status = ExecutionStatus::Succeeded;
        } else if (aborted_) {
            r.status = ExecutionStatus::Aborted;
            err = abort_err_;
            err.has_error = !err.error.empty();
            err.has_cause = !err.cause.empty();
        } else if (timed_out_) {
            r.status = ExecutionStatus::TimedOut;
            err = Err{"States.Timeout", "", true, false};
        } else {
            r.status = ExecutionStatus::Failed;
        }
    }
    if (r.status == ExecutionStatus::Succeeded &&
        exceeds_payload(output, max_payload_bytes)) {
        r.status = ExecutionStatus::Failed;
        err = Err{"States.DataLimitExceeded",
                  "The state/task returned a result with a size exceeding the maximum number of bytes service limit.",
                  true, true};
    }
    switch (r.status) {
        case ExecutionStatus::Succeeded:
            e.type = EventType::ExecutionSucceeded;
            e.payload = output;
            r.output = output;
            break;
        case ExecutionStatus::Aborted: e.type = EventType::ExecutionAborted; break;
        case ExecutionStatus::TimedOut: e.type = EventType::ExecutionTimedOut; break;
        default: e.type = EventType::ExecutionFailed; break;
    }
    if (r.status != ExecutionStatus::Succeeded) {
        put_failure(e, err);
        if (err.has_error) r.error = err.error;
        if (err.has_cause) r.cause = err.cause;
    }
    // The closing event is recorded whatever the quota says. An execution stopped from outside links its
    // ExecutionAborted to no event (as AWS records it).
    max_events_ = 0;
    if (r.status == ExecutionStatus::Aborted) top.last = 0;
    record(top, std::move(e));
    r.stop_time = clock_->now();
    r.transitions = top.transitions;
    status_.store(r.status, std::memory_order_release);
    return r;
}

}  // namespace detail

// --- public API ----------------------------------------------------------------------------------------------

std::string_view to_string(ExecutionStatus status) noexcept {
    switch (status) {
        case ExecutionStatus::Running: return "RUNNING";
        case ExecutionStatus::Succeeded: return "SUCCEEDED";
        case ExecutionStatus::Failed: return "FAILED";
        case ExecutionStatus::TimedOut: return "TIMED_OUT";
        case ExecutionStatus::Aborted: return "ABORTED";
    }
    return "RUNNING";
}

std::string ExecutionResult::output_json() const {
    return status == ExecutionStatus::Succeeded ? output.dump() : std::string();
}

nlohmann::json ExecutionResult::to_json() const {
    nlohmann::json j = {{"status", std::string(engine::to_string(status))}};
    if (status == ExecutionStatus::Succeeded) {
        j["output"] = nlohmann::json::parse(output.dump());
    } else {
        j["error"] = error ? nlohmann::json(*error) : nlohmann::json(nullptr);
        j["cause"] = cause ? nlohmann::json(*cause) : nlohmann::json(nullptr);
    }
    return j;
}

Execution::Execution(CompiledMachine machine, Value input, ExecutionOptions options)
    : runtime_(std::make_unique<detail::Runtime>(std::move(machine), std::move(input), std::move(options))) {}
Execution::~Execution() = default;
ExecutionResult Execution::run() { return runtime_->run(); }
void Execution::start() { runtime_->start(); }
ExecutionResult Execution::wait() { return runtime_->wait(); }
void Execution::stop(StopReason reason) { runtime_->stop(std::move(reason.error), std::move(reason.cause)); }
ExecutionStatus Execution::status() const noexcept { return runtime_->status(); }
const History& Execution::history() const { return runtime_->history(); }
const std::shared_ptr<TaskTokens>& Execution::task_tokens() const noexcept { return runtime_->task_tokens(); }
const std::string& Execution::execution_arn() const noexcept { return runtime_->execution_arn(); }

ExecutionResult run(const CompiledMachine& machine, const Value& input, ExecutionOptions options) {
    return Execution(machine, input, std::move(options)).run();
}

}  // namespace sfn::engine
