// Parallel and inline Map. Both run their sub-graphs in child frames with their own variable scopes (outer
// variables are visible read-only) under a CancelNode of their own: the first branch or iteration that fails
// (beyond the tolerated failures) cancels the others, as AWS stops them.
//
// How the children run depends on what they can do:
// - a sub-graph that may sleep or block (Wait, Task, Retry) runs concurrently: every Parallel branch, and up to
//   MaxConcurrency (AWS: at most 40) Map iterations at a time, on threads of their own; with the virtual clock
//   they share one virtual time advanced in order (Runtime::sleep_until), so timestamps are those of a
//   concurrent run. Their buffers are merged by timestamp.
// - a CPU-only sub-graph runs on the execution's thread, plus the engine's persistent worker threads when
//   ExecutionOptions::max_threads allows. Map iterations then record into per-chunk buffers that are spliced
//   into the history in item order (no event is copied); single-threaded they write into the parent directly.
#include "engine/detail_distributed_map.hpp"
#include "engine/detail_hash.hpp"
#include "engine/detail_map_feed.hpp"
#include "engine/detail_run_group.hpp"
#include "engine/detail_runtime.hpp"

#include <cmath>
#include <cstdlib>

namespace sfn::engine::detail {

namespace {

Err runtime_error(const State& s, const Frame& f, const std::string& message) {
    return state_failure(s, f, "States.Runtime", message);
}

/// A copy of `v` whose objects, arrays and strings down to `levels` are new nodes (deeper ones are shared).
Value private_copy(const Value& v, int levels) {
    if (v.is_string()) return Value(v.as_string());
    if (levels == 0) return v;
    if (v.is_object()) {
        std::vector<Member> members;
        members.reserve(v.size());
        for (const auto& [k, m] : v.members()) members.emplace_back(k, private_copy(m, levels - 1));
        return Value::object_distinct(std::move(members));
    }
    if (v.is_array()) {
        std::vector<Value> elements;
        elements.reserve(v.size());
        for (const auto& e : v.elements()) elements.push_back(private_copy(e, levels - 1));
        return Value::array(std::move(elements));
    }
    return v;
}

/// Renders ItemSelector (or legacy Parameters) for every item, with `$$.Map.Item` set, on the engine's worker
/// threads when the execution has spare ones. As on one thread, the first failing item (by index) decides
/// the error and no iteration starts.
bool select_items(Runtime& rt, const State& s, const Frame& frame, const Value& effective, const Value& ctx,
                  const Value& items, std::vector<Value>& inputs, Err& err) {
    const std::size_t n = items.size();
    if (!s.parameters) {
        inputs.assign(items.elements().begin(), items.elements().end());
        return true;
    }
    inputs.assign(n, Value());
    constexpr std::size_t chunk = 256;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    const unsigned claimed =
        chunks > 1 ? rt.try_claim_workers(static_cast<unsigned>(std::min<std::size_t>(chunks, 64)) - 1) : 0;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> first_failure{n};
    std::mutex failure_mutex;
    jsonpath::Failure failure;
    const bool has_ctx = ctx.is_object();
    run_group(rt, frame, claimed + 1, false, [&](unsigned, jsonpath::Random* random) {
        // Each item's `$$` is the context with Map.Item set (built only for a path that needs more than
        // Map.Item.Index or Map.Item.Value): from a private copy of the top two levels, so that threads do
        // not bump the same reference counts for every item.
        const Value base = has_ctx ? private_copy(ctx, 2) : Value();
        // Likewise the input's top-level members (an ItemSelector often copies the same `$.x` into every item).
        const Value input = private_copy(effective, 1);
        for (;;) {
            const std::size_t c = next.fetch_add(1);
            if (c >= chunks) return;
            for (std::size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
                if (i > first_failure.load(std::memory_order_relaxed)) return;
                const jsonpath::MapItem item{.index = static_cast<std::int64_t>(i), .value = &items[i]};
                auto r = has_ctx ? s.parameters->render(jsonpath::Scope(input, base, item, frame.vars, random))
                                 : s.parameters->render(jsonpath::Scope(input, base, frame.vars, random));
                if (r) {
                    inputs[i] = std::move(*r);
                    continue;
                }
                std::lock_guard lock(failure_mutex);
                if (i < first_failure.load()) {
                    first_failure.store(i);
                    failure = r.failure();
                }
                return;
            }
        }
    });
    rt.release_workers(claimed);
    if (first_failure.load() == n) return true;
    err = state_failure(s, frame, failure.error, failure.cause);
    return false;
}

/// The failure that decides a Map's or Parallel's error (the first child, by index, that failed on its own
/// account), as the merge of the children's buffers (`per_buffer` children each) is to renumber it.
std::vector<ChildFailure> deciding_failure(std::size_t n, const std::vector<char>& ran, const std::vector<char>& ok,
                                           std::vector<Err>& errors, std::size_t per_buffer) {
    for (std::size_t i = 0; i < n; ++i)
        if (ran[i] && !ok[i] && !is_branch_stopped(errors[i])) return {ChildFailure{i / per_buffer, &errors[i]}};
    return {};
}

bool integer_from(const Value& v, std::int64_t& out) {
    if (v.is_integer()) {
        out = v.as_int();
        return true;
    }
    if (v.is_real() && std::floor(v.as_double()) == v.as_double() && std::abs(v.as_double()) < 9e18) {
        out = static_cast<std::int64_t>(v.as_double());
        return true;
    }
    if (v.is_string()) {
        // Numeric strings are accepted (AWS parses the referenced value as a number).
        const auto& s = v.as_string();
        if (s.empty()) return false;
        std::size_t used = 0;
        try {
            out = std::stoll(s, &used);
        } catch (const std::logic_error&) {
            return false;
        }
        return used == s.size();
    }
    return false;
}

}  // namespace

bool run_parallel(Runtime& rt, const State& s, const Value& input, Frame& frame, Value& result, Err& err) {
    const auto& spec = std::get<ParallelSpec>(s.spec);
    const std::int64_t anchor = [&] {
        HistoryEvent e;
        e.type = EventType::ParallelStateStarted;
        frame.container_started = true;
        return rt.record(frame, std::move(e));
    }();
    const std::size_t n = spec.branches.size();
    const bool blocking = std::any_of(spec.branches.begin(), spec.branches.end(), [](const auto& b) { return b->may_block; });
    std::vector<ChildBuffer> buffers(n);
    std::vector<Value> outputs(n);
    std::vector<Err> errors(n);
    std::vector<char> ok(n, 0), ran(n, 0);
    std::vector<std::uint64_t> counts(n, 0);
    CancelNode group(&rt.cancel_node(frame), &rt);
    // Durable executions: branches that may wait or block are handed out as they end and, resuming, taken
    // back instead of run again (finished_children.cpp).
    const bool reports = rt.reports_children(frame);
    const auto finished = reports ? rt.finished_children(s, anchor, n) : std::vector<const FinishedChild*>{};
    const unsigned claimed = blocking ? 0 : rt.try_claim_workers(static_cast<unsigned>(n - 1));
    const unsigned workers = blocking ? static_cast<unsigned>(n) : claimed + 1;
    std::atomic<std::size_t> next{0};
    run_group(rt, frame, workers, blocking, [&](unsigned slot, jsonpath::Random* random) {
        for (;;) {
            // Concurrent branches all start (slot i runs branch i); CPU-only ones queue behind each other and
            // are not started once a sibling failed.
            const std::size_t i = blocking ? slot : next.fetch_add(1);
            if (i >= n || (!blocking && group.cancelled())) return;
            Runtime::ChildOutcome outcome{.output = &outputs[i], .error = &errors[i]};
            if (!finished.empty() && finished[i] && rt.restore_child(s, anchor, *finished[i], buffers[i].events, outcome)) {
                ran[i] = 1;
                ok[i] = outcome.ok ? 1 : 0;
                counts[i] = outcome.transitions;
                if (!ok[i]) group.cancel();
                if (blocking) return;
                continue;
            }
            VarScope vars(frame.vars);
            Frame child;
            child.vars = &vars;
            child.buffer = &buffers[i].events;
            child.silent = frame.silent;
            child.cancel = &group;
            child.random = random;
            enter_child(child, frame, s, i, anchor);
            InvocationTally tally;
            const bool report = reports && spec.branches[i]->may_block;
            if (report) child.tally = &tally;
            ran[i] = 1;
            ok[i] = rt.run_graph(*spec.branches[i], input, child, outputs[i], errors[i]) ? 1 : 0;
            counts[i] = child.transitions;
            if (report && !rt.stopping() && (ok[i] || !is_branch_stopped(errors[i]))) {
                rt.report_child(s, anchor, i, {.ok = ok[i] != 0, .output = &outputs[i], .error = &errors[i],
                                              .transitions = child.transitions}, buffers[i].events, tally);
            }
            if (!ok[i] && !is_branch_stopped(errors[i])) group.cancel();
            if (blocking) return;
        }
    });
    for (auto c : counts) frame.transitions += c;
    rt.merge(frame, anchor, buffers, blocking ? MergeOrder::ByTimeRoundRobin : MergeOrder::RoundRobin, claimed,
             deciding_failure(n, ran, ok, errors, 1));
    rt.release_workers(claimed);
    for (std::size_t i = 0; i < n; ++i) {
        // The first branch (in definition order) that failed on its own account decides the error.
        if (ran[i] && !ok[i] && !is_branch_stopped(errors[i])) {
            err = errors[i];
            return false;
        }
    }
    if (rt.stopping()) {
        err = rt.stop_error();
        return false;
    }
    if (group.cancelled()) {  // an enclosing branch or iteration was stopped
        err = branch_stopped();
        return false;
    }
    result = Value::array(std::move(outputs));
    return true;
}

bool run_map(Runtime& rt, const State& s, const Value& effective, Frame& frame, const Value& ctx, Value& result,
             Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    const jsonpath::Scope scope(effective, ctx, frame.vars, frame.random);

    // Items: an ItemReader's are read as the children need them (after a read-ahead, whose failures fail the
    // state before its children start); ItemsPath does not apply to them.
    Value items;
    std::unique_ptr<MapFeed> feed;
    if (spec.reader) {
        auto stream = open_items_jsonpath(rt, s, frame, scope, err);
        if (!stream) return fail_in_map_run(rt, s, frame, err);
        feed = std::make_unique<MapFeed>(rt, std::move(stream));
        if (!feed->read_ahead(err)) return fail_in_map_run(rt, s, frame, err);
        items = Value::array({});
    } else if (spec.items) {
        auto r = spec.items->render(scope);
        if (!r) {
            err = state_failure(s, frame, r.failure().error, r.failure().cause);
            return false;
        }
        items = std::move(*r);
    } else if (spec.items_path) {
        auto r = spec.items_path->evaluate(scope);
        if (!r) {
            err = state_failure(s, frame, r.failure().error, r.failure().cause);
            return false;
        }
        items = std::move(*r);
    } else {
        items = effective;
    }
    if (!items.is_array()) {
        err = runtime_error(s, frame, "Map state input must be an array but was: " + items.dump());
        return false;
    }

    // Numbers that may come from paths. A path over the evaluation budget fails with its own cause, not as
    // an absent value.
    auto select_number = [&](const jsonpath::Path& path, std::optional<Value>& v) {
        auto selected = path.try_select(scope);
        if (selected) {
            v = std::move(*selected);
            return true;
        }
        err = state_failure(s, frame, selected.failure().error, selected.failure().cause);
        return false;
    };
    // AWS shows the referenced value inside double quotes; a string as its text (`value "NoNumber"`), anything
    // else as JSON (`value "{}"`).
    auto quoted = [](const std::optional<Value>& v) {
        return "\"" + (!v ? std::string("null") : v->is_string() ? v->as_string() : v->dump()) + "\"";
    };
    // `if_negative`: the cause for a negative integer (AWS's own sentence where recorded), or none to report it
    // as not a valid integer.
    auto number_from_path = [&](const std::optional<jsonpath::Path>& path, const char* field, std::int64_t& out,
                                const char* if_negative) {
        if (!path) return true;
        std::optional<Value> v;
        if (!select_number(*path, v)) return false;
        const bool valid = v && integer_from(*v, out);
        if (valid && out < 0 && if_negative) {
            err = runtime_error(s, frame, if_negative);
            return false;
        }
        if (!valid || out < 0) {
            err = runtime_error(s, frame, std::string("The ") + field + " field refers to value " + quoted(v) +
                                              " which is not a valid integer: " + path->text());
            return false;
        }
        return true;
    };
    std::int64_t max_concurrency = spec.max_concurrency;
    if (!number_from_path(spec.max_concurrency_path, "MaxConcurrencyPath", max_concurrency, nullptr)) return false;
    // AWS evaluates the tolerated failures after MapStateStarted; a failure there records no MapStateFailed.
    const auto tolerance_failed = [&] {
        record_map_started_before_tolerance(rt, s, frame, items.size());
        return false;
    };
    std::int64_t tolerated_count = spec.tolerated_failure_count.value_or(-1);
    if (!number_from_path(spec.tolerated_failure_count_path, "ToleratedFailureCountPath", tolerated_count,
                          "ToleratedFailureCount cannot be negative."))
        return tolerance_failed();
    double tolerated_percentage = spec.tolerated_failure_percentage.value_or(-1);
    if (spec.tolerated_failure_percentage_path) {
        std::optional<Value> v;
        if (!select_number(*spec.tolerated_failure_percentage_path, v)) return tolerance_failed();
        if (v && v->is_string()) {
            // A numeric string counts as its number (AWS parses the referenced value as a float).
            const std::string& text = v->as_string();
            char* end = nullptr;
            const double parsed = text.empty() ? 0 : std::strtod(text.c_str(), &end);
            if (end && *end == '\0' && std::isfinite(parsed)) v = Value(parsed);
        }
        if (!v || !v->is_number()) {
            err = runtime_error(s, frame, "The ToleratedFailurePercentagePath field refers to value " + quoted(v) +
                                              " which is not a valid float: " +
                                              spec.tolerated_failure_percentage_path->text());
            return tolerance_failed();
        }
        if (v->as_double() < 0 || v->as_double() > 100) {
            err = runtime_error(s, frame, "ToleratedFailurePercentage must be between 0 and 100.");
            return tolerance_failed();
        }
        tolerated_percentage = v->as_double();
    }

    const MapLimits limits{max_concurrency, tolerated_count, tolerated_percentage};
    // Iteration inputs: ItemSelector (with $$.Map.Item) per item, then (Distributed Map) ItemBatcher.
    std::vector<Value> inputs;
    if (!feed) {
        if (!select_items(rt, s, frame, effective, ctx, items, inputs, err)) return false;
        if (!spec.distributed) return run_map_iterations(rt, s, frame, std::move(inputs), limits, result, err);
        feed = std::make_unique<MapFeed>(rt, Value::array(std::move(inputs)));
    }
    // Items read later are selected on the thread that takes them, with a generator of their own (seeded by
    // where the state runs: the execution's own sequence is not drawn from).
    jsonpath::Random select_random(splitmix64(fnv1a64(rt.execution_arn() + '\n' + s.name) ^
                                              static_cast<std::uint64_t>(frame.entered)));
    MapFeed::Select select;
    if (spec.reader && s.parameters) {
        select = [&](std::size_t index, const Value& item, Value& out, Err& e) {
            const jsonpath::MapItem map_item{.index = static_cast<std::int64_t>(index), .value = &item};
            const Value none;
            auto r = ctx.is_object()
                         ? s.parameters->render(jsonpath::Scope(effective, ctx, map_item, frame.vars, &select_random))
                         : s.parameters->render(jsonpath::Scope(effective, none, frame.vars, &select_random));
            if (!r) {
                e = state_failure(s, frame, r.failure().error, r.failure().cause);
                return false;
            }
            out = std::move(*r);
            return true;
        };
    }
    if (!feed->select_ahead(std::move(select), err)) return false;
    if (spec.batching) {
        MapFeed::Batching batching;
        batching.per_batch = spec.max_items_per_batch.value_or(0);
        if (!number_from_path(spec.max_items_per_batch_path, "MaxItemsPerBatchPath", batching.per_batch, nullptr))
            return false;
        batching.max_bytes = spec.max_input_bytes_per_batch.value_or(0);
        if (!number_from_path(spec.max_input_bytes_per_batch_path, "MaxInputBytesPerBatchPath", batching.max_bytes, nullptr))
            return false;
        if (spec.batch_input) {
            auto r = spec.batch_input->render(scope);
            if (!r) {
                err = state_failure(s, frame, r.failure().error, r.failure().cause);
                return false;
            }
            batching.batch_input = std::move(*r);
        }
        feed->batch(std::move(batching));
    }

    const auto writer_parameters = [&](Value& params, Err& e) {
        if (!spec.writer->parameters) return true;
        auto r = spec.writer->parameters->render(scope);
        if (!r) {
            e = state_failure(s, frame, r.failure().error, r.failure().cause);
            return false;
        }
        params = std::move(*r);
        return true;
    };
    const auto feed_failed = [](Err&) { return false; };
    return run_distributed_iterations(rt, s, frame, *feed, limits, writer_parameters, feed_failed, result, err);
}

bool run_map_iterations(Runtime& rt, const State& s, Frame& frame, std::vector<Value> inputs, const MapLimits& limits,
                        Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    const std::int64_t max_concurrency = limits.max_concurrency;
    const std::int64_t tolerated_count = limits.tolerated_count;
    const double tolerated_percentage = limits.tolerated_percentage;
    const std::size_t n = inputs.size();
    frame.container_started = true;
    record_map_started(rt, s, frame, n);
    const std::int64_t anchor = frame.last;
    // Durable executions: iterations that may wait or block are handed out as they end and, resuming, taken
    // back instead of run again (finished_children.cpp). Each then records into a buffer of its own.
    const bool reports = rt.reports_children(frame) && spec.processor->may_block;
    const auto finished = reports ? rt.finished_children(s, anchor, n) : std::vector<const FinishedChild*>{};

    std::vector<Value> outputs(n);
    std::vector<Err> errors(n);
    std::vector<char> ok(n, 0), ran(n, 0);
    CancelNode group(&rt.cancel_node(frame), &rt);
    std::atomic<std::size_t> failures{0};
    // Within both thresholds that are set (exceeding either fails the Map, as on AWS); none set: no failure.
    const auto tolerated = [&](std::size_t failed) {
        if (tolerated_count < 0 && tolerated_percentage < 0) return false;
        if (tolerated_count >= 0 && static_cast<std::int64_t>(failed) > tolerated_count) return false;
        if (tolerated_percentage >= 0 &&
            (n == 0 || static_cast<double>(failed) * 100.0 / static_cast<double>(n) > tolerated_percentage))
            return false;
        return true;
    };
    const bool silent = frame.silent;
    // Concurrent iterations: AWS runs up to 40 inline iterations at a time (fewer with MaxConcurrency).
    const bool blocking = spec.processor->may_block && n > 1 && max_concurrency != 1;
    unsigned workers = 1;
    unsigned claimed = 0;
    if (blocking) {
        const std::int64_t most = max_concurrency <= 0 ? 40 : max_concurrency;
        workers = static_cast<unsigned>(std::min<std::int64_t>(most, static_cast<std::int64_t>(std::min<std::size_t>(n, 40))));
    } else if (n > 1) {
        unsigned wanted = static_cast<unsigned>(std::min<std::size_t>(n, 64)) - 1;
        if (max_concurrency > 0) wanted = std::min<unsigned>(wanted, static_cast<unsigned>(max_concurrency) - 1);
        claimed = rt.try_claim_workers(wanted);
        workers += claimed;
    }
    // Where iterations record: one buffer per iteration when concurrent (merged by time), per chunk of items
    // with pool helpers (spliced in item order), else straight into the parent.
    constexpr std::size_t chunk = 64;
    const std::size_t per_job = blocking || reports ? 1 : (workers > 1 ? chunk : std::max<std::size_t>(n, 1));
    const std::size_t jobs = (n + per_job - 1) / per_job;
    const bool buffered = workers > 1 || reports;
    std::vector<ChildBuffer> buffers(buffered ? jobs : 0);
    std::vector<std::uint64_t> counts(workers, 0);
    // With helpers, each thread also measures the outputs it produced, so that the size check of the
    // result array does not measure all of them again on one thread.
    const bool measure = workers > 1 && !blocking;
    std::vector<std::size_t> output_bytes(workers, 0);
    std::atomic<std::size_t> next{0};
    run_group(rt, frame, workers, blocking, [&](unsigned slot, jsonpath::Random* random) {
        std::uint64_t count = 0;
        std::size_t bytes = 0;
        for (;;) {
            const std::size_t job = next.fetch_add(1);
            if (job >= jobs || group.cancelled()) break;
            for (std::size_t i = job * per_job; i < std::min(n, (job + 1) * per_job); ++i) {
                if (group.cancelled()) break;
                Runtime::ChildOutcome outcome{.output = &outputs[i], .error = &errors[i]};
                if (!finished.empty() && finished[i] &&
                    rt.restore_child(s, anchor, *finished[i], buffers[job].events, outcome)) {
                    ran[i] = 1;
                    ok[i] = outcome.ok ? 1 : 0;
                    count += outcome.transitions;
                    if (!ok[i] && !tolerated(failures.fetch_add(1) + 1)) group.cancel();
                    continue;
                }
                VarScope vars(frame.vars);
                Frame child;
                child.vars = &vars;
                child.silent = silent;
                child.random = random;
                child.cancel = &group;
                enter_child(child, frame, s, i, anchor);
                InvocationTally tally;
                if (reports) child.tally = &tally;
                if (buffered) {
                    child.buffer = &buffers[job].events;  // each iteration's first event links to MapStateStarted (local 0)
                } else {
                    child.buffer = frame.buffer;
                    child.last = anchor;
                }
                record_simple(rt, child, EventType::MapIterationStarted, s.name, static_cast<std::int64_t>(i));
                ran[i] = 1;
                ok[i] = rt.run_graph(*spec.processor, inputs[i], child, outputs[i], errors[i]) ? 1 : 0;
                count += child.transitions;
                if (ok[i] && measure) bytes += rt.payload_size(outputs[i], std::size_t{1} << 40) + 1;
                if (ok[i]) {
                    record_simple(rt, child, EventType::MapIterationSucceeded, s.name, static_cast<std::int64_t>(i));
                } else if (!is_branch_stopped(errors[i])) {
                    record_simple(rt, child, rt.stopping() ? EventType::MapIterationAborted : EventType::MapIterationFailed,
                                  s.name, static_cast<std::int64_t>(i));
                    if (!tolerated(failures.fetch_add(1) + 1)) group.cancel();
                } else {
                    record_simple(rt, child, EventType::MapIterationAborted, s.name, static_cast<std::int64_t>(i));
                }
                if (reports && !rt.stopping() && (ok[i] || !is_branch_stopped(errors[i]))) {
                    rt.report_child(s, anchor, i,
                                    {.ok = ok[i] != 0, .output = &outputs[i], .error = &errors[i],
                                     .transitions = child.transitions},
                                    buffers[job].events, tally);
                }
                if (!buffered) frame.last = child.last;
            }
        }
        counts[slot] = count;
        output_bytes[slot] = bytes;
    });
    for (auto c : counts) frame.transitions += c;
    if (buffered)
        rt.merge(frame, anchor, buffers, blocking ? MergeOrder::ByTimeIndex : MergeOrder::Sequential, claimed,
                 deciding_failure(n, ran, ok, errors, per_job));
    rt.release_workers(claimed);

    if (rt.stopping()) {
        err = rt.stop_error();
        return false;
    }
    bool own_failure = false;
    for (std::size_t i = 0; i < n && !own_failure; ++i) own_failure = ran[i] && !ok[i] && !is_branch_stopped(errors[i]);
    if (group.cancelled() && !own_failure) {  // an enclosing branch or iteration was stopped
        err = branch_stopped();
        return false;
    }
    if (group.cancelled()) {
        // The first iteration (by index) that failed on its own account decides the error.
        for (std::size_t i = 0; i < n; ++i) {
            if (ran[i] && !ok[i] && !is_branch_stopped(errors[i])) {
                err = (tolerated_count >= 0 || tolerated_percentage >= 0)
                          ? Err{"States.ExceedToleratedFailureThreshold",
                                "The specified tolerated failure threshold was exceeded", true, true}
                          : errors[i];
                break;
            }
        }
        return false;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!ok[i]) {
            std::vector<Member> m{{"Error", Value(errors[i].error)}, {"Cause", Value(errors[i].cause)}};
            outputs[i] = Value::object(std::move(m));
        }
    }
    record_simple(rt, frame, EventType::MapStateSucceeded);
    const bool all_ok = std::all_of(ok.begin(), ok.end(), [](char c) { return c != 0; });
    result = Value::array(std::move(outputs));
    if (measure && all_ok) {
        // As payload_size counts an array: '[', and each element with the ',' or ']' after it.
        std::size_t total = 1;
        for (auto b : output_bytes) total += b;
        if (result.size() == 0) total = 2;
        rt.remember_payload_size(result, total);
    }
    return true;
}

}  // namespace sfn::engine::detail
