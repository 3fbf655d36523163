// A Distributed Map's run (detail_distributed_map.hpp): its children take their inputs from the MapFeed as
// they start, so the run holds only the items its children are working on. Each child runs silently in the
// parent (its events, if any, go to a history of its own: MapRun::run_child); the run keeps per child only
// what its result needs: the outputs when they are the state's result (until they are over the payload limit,
// which fails the state anyway), nothing with a ResultWriter (whose entries go to spill files as each child
// ends). Children that may block run on threads of their own, let through by the run's MaxConcurrency as it is
// now (UpdateMapRun changes it); CPU-only children run on the engine's worker threads.
#include "engine/detail_distributed_map.hpp"
#include "engine/detail_map_feed.hpp"
#include "engine/detail_run_group.hpp"

#include <limits>

namespace sfn::engine::detail {

namespace {

// A state's result may hold 256 KiB (execution.cpp checks it after the state; the run stops keeping outputs
// past it).
constexpr std::size_t max_result_bytes = 256 * 1024;

/// How the run ended besides its children's outcomes.
struct RunOutcome {
    bool result_too_large = false;  // the outputs were over max_result_bytes: the state fails as a whole
};

/// The children's outputs while they are the state's result: by child, measured as they come.
class KeptOutputs {
public:
    KeptOutputs(Runtime& rt, bool keep, bool may_drop) : rt_(rt), keep_(keep), may_drop_(may_drop) {}
    void put(std::size_t index, Value v) {
        if (!keep_) return;
        const std::size_t size = rt_.payload_size(v, std::size_t{1} << 40) + 1;
        std::lock_guard lock(mutex_);
        if (dropped_) return;
        bytes_ += size;
        if (may_drop_ && bytes_ > max_result_bytes) {
            // Over the limit: the state fails with States.DataLimitExceeded whatever the rest is.
            dropped_ = true;
            std::vector<Value>().swap(outputs_);
            return;
        }
        if (outputs_.size() <= index) outputs_.resize(std::max(index + 1, outputs_.size() * 2));
        outputs_[index] = std::move(v);
    }
    [[nodiscard]] bool dropped() const { return dropped_; }
    /// The result array of `total` children.
    Value take(std::size_t total) {
        outputs_.resize(total);
        Value result = Value::array(std::move(outputs_));
        rt_.remember_payload_size(result, total == 0 ? 2 : bytes_);
        return result;
    }

private:
    Runtime& rt_;
    const bool keep_, may_drop_;
    std::mutex mutex_;
    std::vector<Value> outputs_;
    std::size_t bytes_ = 1;  // as payload_size counts an array: '[', and each element with the ',' or ']' after it
    bool dropped_ = false;
};

bool run_children(Runtime& rt, const State& s, Frame& frame, MapFeed& feed, MapRun& run, const MapLimits& limits,
                  const std::function<bool(Err&)>& record_failure, Value& result, Err& err, RunOutcome& outcome) {
    const auto& spec = std::get<MapSpec>(s.spec);
    frame.container_started = true;
    record_map_started(rt, s, frame, feed.complete() ? feed.total() : 0);
    {
        HistoryEvent e;
        e.type = EventType::MapRunStarted;
        e.payload = Value(run.arn());
        if (run.redrive_count() > 0) {
            e.type = EventType::MapRunRedriven;
            e.index = run.redrive_count();
        }
        rt.record(frame, std::move(e));
    }
    const std::int64_t anchor = frame.last;
    // Durable executions: children that may wait or block are handed out as they end and, resuming, taken back
    // instead of run again (finished_children.cpp); only their outcome is kept (their events are their own).
    const bool reports = rt.reports_children(frame) && spec.processor->may_block;
    const auto finished = reports ? rt.finished_children(s, anchor, std::string::npos) : std::vector<const FinishedChild*>{};

    CancelNode group(&rt.cancel_node(frame), &rt);
    // The outputs are the state's result without a ResultWriter; past the payload limit they are dropped when
    // nothing could make the result smaller before the state's check (JSONPath without ResultSelector).
    KeptOutputs outputs(rt, !spec.writer, !s.jsonata && !s.result_selector);
    std::mutex failure_mutex;
    std::size_t first_failure = std::numeric_limits<std::size_t>::max();
    Err failure;
    std::atomic<std::size_t> failures{0};
    std::atomic<bool> exceeded{false}, undecided{false}, feed_failed{false};
    const auto judge = [&](std::size_t failed) {
        switch (run.tolerance(failed, feed.total(), feed.complete())) {
            case MapRun::Tolerance::Tolerated: return;
            case MapRun::Tolerance::Undecided: undecided = true; return;
            case MapRun::Tolerance::Exceeded:
                exceeded = true;
                group.cancel();
                return;
        }
    };
    // A percentage left undecided while the total was unknown is judged once the feed knows it.
    const auto judge_again = [&] {
        if (undecided.load(std::memory_order_relaxed) && feed.complete() && undecided.exchange(false))
            judge(failures.load());
    };

    // Until the feed knows better, a run is taken as large.
    const std::size_t expected = feed.complete() ? feed.total() : std::numeric_limits<std::size_t>::max();
    const bool gated = spec.processor->may_block && expected > 1;
    unsigned workers = 1;
    unsigned claimed = 0;
    if (gated) {
        workers = static_cast<unsigned>(std::min<std::size_t>(expected, 40));
    } else if (expected > 1) {
        unsigned wanted = static_cast<unsigned>(std::min<std::size_t>(expected, 64)) - 1;
        if (limits.max_concurrency > 0) wanted = std::min<unsigned>(wanted, static_cast<unsigned>(limits.max_concurrency) - 1);
        claimed = rt.try_claim_workers(wanted);
        workers += claimed;
    }
    std::vector<std::uint64_t> counts(workers, 0);

    const auto run_one = [&](const ChildInput& child, jsonpath::Random* random, std::uint64_t& count) {
        const std::size_t i = child.index;
        Value output;
        Err error;
        bool ok = false;
        TimePoint started{}, stopped{};
        History events;  // a silent child records nothing here; a restored one's events are not the parent's
        Runtime::ChildOutcome restored{.output = &output, .error = &error};
        if (i < finished.size() && finished[i] && rt.restore_child(s, anchor, *finished[i], events, restored)) {
            // Counted in the Map Run as when it ran; its execution is stored already.
            ok = restored.ok;
            count += restored.transitions;
            started = restored.started;
            stopped = restored.stopped;
            run.started(child.items);
        } else {
            VarScope vars(frame.vars);
            Frame c;
            c.vars = &vars;
            c.silent = true;
            c.random = random;
            c.cancel = &group;
            c.buffer = &events;
            enter_child(c, frame, s, i, anchor);
            InvocationTally tally;
            if (reports) c.tally = &tally;
            started = rt.now();
            run.started(child.items);
            ok = run.keeps_children() ? run.run_child(i, *spec.processor, child.input, c, output, error)
                                      : rt.run_graph(*spec.processor, child.input, c, output, error);
            stopped = rt.now();
            count += c.transitions;
            if (reports && !rt.stopping() && (ok || !is_branch_stopped(error))) {
                rt.report_child(s, anchor, i,
                                {.ok = ok, .output = &output, .error = &error, .transitions = c.transitions,
                                 .started = started, .stopped = stopped},
                                events, tally);
            }
        }
        if (!ok && is_branch_stopped(error)) {  // stopped with the run: never ended on its own account
            run.not_finished(child);
            return;
        }
        run.finished(child, ok, output, error, started, stopped);
        if (ok) {
            outputs.put(i, std::move(output));
            return;
        }
        outputs.put(i, Value::object({{"Error", Value(error.error)}, {"Cause", Value(error.cause)}}));
        {
            std::lock_guard lock(failure_mutex);
            if (i < first_failure) {
                first_failure = i;
                failure = error;
            }
        }
        judge(failures.fetch_add(1) + 1);
    };

    run_group(rt, frame, workers, gated, [&](unsigned slot, jsonpath::Random* random) {
        std::uint64_t count = 0;
        std::vector<ChildInput> taken;
        // CPU-only children are taken a few at a time (one lock for several); gated ones one by one.
        const std::size_t per_take = gated ? 1 : 16;
        for (;;) {
            if (gated && !run.admit(group)) break;
            taken.clear();
            if (group.cancelled() || feed.take(per_take, taken) == 0) {
                if (gated) run.leave();
                if (!group.cancelled() && feed.failure() && !feed_failed.exchange(true)) group.cancel();
                break;
            }
            for (const auto& child : taken) {
                if (group.cancelled()) {
                    run.not_finished(child);
                    continue;
                }
                run_one(child, random, count);
                judge_again();
            }
            if (gated) run.leave();  // a gated take is one child
        }
        counts[slot] = count;
    });
    for (auto c : counts) frame.transitions += c;
    rt.release_workers(claimed);

    if (rt.stopping()) {
        err = rt.stop_error();
        return false;
    }
    if (feed_failed) {
        // The reader (or ItemSelector) failed on an item read after the children started: the run fails with it.
        err = *feed.failure();
        record_failure(err);
        record_map_run_failed(rt, frame, err);
        return false;
    }
    // The last word on a percentage: against the final total.
    if (!group.cancelled() && failures.load() > 0 &&
        run.tolerance(failures.load(), feed.total(), true) == MapRun::Tolerance::Exceeded)
        exceeded = true;
    const bool own_failure = first_failure != std::numeric_limits<std::size_t>::max();
    if (group.cancelled() && !own_failure) {  // an enclosing branch or iteration was stopped
        err = branch_stopped();
        return false;
    }
    if (group.cancelled() || exceeded) {
        // The first child (by index) that failed on its own account decides the error.
        err = (limits.tolerated_count >= 0 || limits.tolerated_percentage >= 0 || run.has_threshold())
                  ? Err{"States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded",
                        true, true}
                  : failure;
        record_simple(rt, frame, EventType::MapRunFailed);
        return false;
    }
    record_simple(rt, frame, EventType::MapRunSucceeded);
    record_simple(rt, frame, EventType::MapStateSucceeded);
    if (outputs.dropped()) {
        outcome.result_too_large = true;
        result = Value::array({});
    } else if (!spec.writer) {
        result = outputs.take(feed.total());
    }
    return true;
}

}  // namespace

bool run_distributed_iterations(Runtime& rt, const State& s, Frame& frame, MapFeed& feed, MapLimits limits,
                                const std::function<bool(Value&, Err&)>& writer_parameters,
                                const std::function<bool(Err&)>& record_failure, Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    MapRun run(rt, s, frame, limits);
    feed.on_input([&run](std::int64_t items) { run.add_child(items); });
    run.report();
    RunOutcome outcome;
    bool ok = run_children(rt, s, frame, feed, run, limits, record_failure, result, err, outcome);
    if (ok && spec.writer) {
        Value params;
        if (!writer_parameters(params, err) || !run.finish(params, &feed, result, err)) ok = false;
    } else if (!ok && spec.writer && err.error == "States.ExceedToleratedFailureThreshold") {
        // A Map Run over its failure threshold still writes what its children did.
        Value params, ignored;
        Err writer_err;
        if (writer_parameters(params, writer_err)) (void)run.finish(params, &feed, ignored, writer_err);
    }
    feed.on_input(nullptr);
    run.ended(ok ? "SUCCEEDED" : (rt.stopping() ? "ABORTED" : "FAILED"), rt.now());
    if (ok && outcome.result_too_large) {
        // As the state's check after it reports it (the run itself succeeded).
        err = result_too_large(s.name);
        return false;
    }
    return ok;
}

}  // namespace sfn::engine::detail
