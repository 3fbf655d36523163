// Parallel and inline Map. Both run their sub-graphs in child frames with their own variable scopes (outer
// variables are visible read-only). Single-threaded, Map iterations write straight into the parent's history;
// with worker threads, and always for Parallel (whose branch events interleave on AWS), each child records
// into its own buffer and the buffers are merged when the state ends.
#include "engine/detail_runtime.hpp"

#include <cmath>

namespace sfn::engine::detail {

namespace {

Err runtime_error(const State& s, const Frame& f, const std::string& message) {
    return Err{"States.Runtime", state_error_prefix(s, f.entered) + message, true, true};
}

void record_simple(Runtime& rt, Frame& frame, EventType type, std::string_view name = {}, std::int64_t index = -1) {
    HistoryEvent e;
    e.type = type;
    e.name = name;
    e.index = index;
    rt.record(frame, std::move(e));
}

/// Runs `count` jobs, on up to `threads` threads (the caller's included). Job i gets a Random of its own
/// thread. Stops handing out jobs once `cancel` is set.
template <class Job>
void run_jobs(Runtime& rt, std::size_t count, unsigned threads, std::atomic<bool>& cancel, jsonpath::Random* caller_random,
              Job&& job) {
    if (threads <= 1 || count <= 1) {
        for (std::size_t i = 0; i < count && !cancel.load(std::memory_order_relaxed); ++i) job(i, caller_random);
        return;
    }
    std::atomic<std::size_t> next{0};
    auto worker = [&](jsonpath::Random* random) {
        for (;;) {
            if (cancel.load(std::memory_order_relaxed)) return;
            const std::size_t i = next.fetch_add(1);
            if (i >= count) return;
            job(i, random);
        }
    };
    std::vector<std::thread> pool;
    std::vector<std::unique_ptr<jsonpath::Random>> randoms;
    for (unsigned t = 1; t < threads; ++t) {
        std::uint64_t seed;
        {
            std::lock_guard lock(rt.random_mutex());
            seed = rt.random().bits();
        }
        randoms.push_back(std::make_unique<jsonpath::Random>(seed));
        pool.emplace_back(worker, randoms.back().get());
    }
    worker(caller_random);
    for (auto& th : pool) th.join();
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
    std::vector<History> buffers(n);
    std::vector<Value> outputs(n);
    std::vector<Err> errors(n);
    std::vector<char> ok(n, 0), ran(n, 0);
    std::atomic<bool> cancel{false};
    const unsigned extra = rt.try_claim_workers(static_cast<unsigned>(n - 1));
    run_jobs(rt, n, extra + 1, cancel, frame.random, [&](std::size_t i, jsonpath::Random* random) {
        VarScope vars(frame.vars);
        Frame child;
        child.vars = &vars;
        child.buffer = &buffers[i];
        child.silent = frame.silent;
        child.cancel = &cancel;
        child.random = random;
        ran[i] = 1;
        ok[i] = rt.run_graph(*spec.branches[i], input, child, outputs[i], errors[i]) ? 1 : 0;
        if (!ok[i]) cancel.store(true);
    });
    rt.release_workers(extra);
    rt.merge(frame, anchor, buffers, true);
    for (std::size_t i = 0; i < n; ++i) {
        // The first branch (in definition order) that failed on its own account decides the error.
        if (ran[i] && !ok[i] && errors[i].error != "States.BranchFailed") {
            err = errors[i];
            return false;
        }
    }
    if (rt.stopping()) {
        err = rt.stop_error();
        return false;
    }
    result = Value::array(std::move(outputs));
    return true;
}

bool run_map(Runtime& rt, const State& s, const Value& effective, Frame& frame, const Value& ctx, Value& result,
             Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    const jsonpath::Scope scope(effective, ctx, frame.vars, frame.random);

    // Items.
    Value items;
    if (spec.items) {
        auto r = spec.items->render(scope);
        if (!r) {
            err = Err{r.failure().error, state_error_prefix(s, frame.entered) + r.failure().cause, true, true};
            return false;
        }
        items = std::move(*r);
    } else if (spec.items_path) {
        auto r = spec.items_path->evaluate(scope);
        if (!r) {
            err = Err{r.failure().error, state_error_prefix(s, frame.entered) + r.failure().cause, true, true};
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

    // Numbers that may come from paths.
    auto number_from_path = [&](const std::optional<jsonpath::Path>& path, const char* field, std::int64_t& out) {
        if (!path) return true;
        auto v = path->select(scope);
        if (!v || !integer_from(*v, out) || out < 0) {
            err = runtime_error(s, frame, std::string("The ") + field + " field refers to value \"" +
                                              (v ? v->dump() : std::string("null")) + "\" which is not a valid integer: " +
                                              path->text());
            return false;
        }
        return true;
    };
    std::int64_t max_concurrency = spec.max_concurrency;
    if (!number_from_path(spec.max_concurrency_path, "MaxConcurrencyPath", max_concurrency)) return false;
    std::int64_t tolerated_count = spec.tolerated_failure_count.value_or(-1);
    if (!number_from_path(spec.tolerated_failure_count_path, "ToleratedFailureCountPath", tolerated_count)) return false;
    double tolerated_percentage = spec.tolerated_failure_percentage.value_or(-1);
    if (spec.tolerated_failure_percentage_path) {
        auto v = spec.tolerated_failure_percentage_path->select(scope);
        if (!v || !v->is_number() || v->as_double() < 0 || v->as_double() > 100) {
            err = runtime_error(s, frame, "The ToleratedFailurePercentagePath field refers to value \"" +
                                              (v ? v->dump() : std::string("null")) +
                                              "\" which is not a valid percentage: " +
                                              spec.tolerated_failure_percentage_path->text());
            return false;
        }
        tolerated_percentage = v->as_double();
    }

    // Iteration inputs: ItemSelector (with $$.Map.Item) per item, then optional batching.
    const std::size_t item_count = items.size();
    std::vector<Value> inputs;
    inputs.reserve(item_count);
    const bool has_ctx = ctx.is_object();
    for (std::size_t i = 0; i < item_count; ++i) {
        const Value& item = items[i];
        if (!s.parameters) {
            inputs.push_back(item);
            continue;
        }
        Value item_ctx;
        if (has_ctx)
            item_ctx = ctx.with_member(
                "Map", Value::object({{"Item", Value::object({{"Index", Value(i)}, {"Value", item}})}}));
        auto r = s.parameters->render(jsonpath::Scope(effective, item_ctx, frame.vars, frame.random));
        if (!r) {
            err = Err{r.failure().error, state_error_prefix(s, frame.entered) + r.failure().cause, true, true};
            return false;
        }
        inputs.push_back(std::move(*r));
    }
    if (spec.batching) {
        std::int64_t per_batch = spec.max_items_per_batch.value_or(0);
        if (!number_from_path(spec.max_items_per_batch_path, "MaxItemsPerBatchPath", per_batch)) return false;
        std::int64_t max_bytes = spec.max_input_bytes_per_batch.value_or(0);
        if (!number_from_path(spec.max_input_bytes_per_batch_path, "MaxInputBytesPerBatchPath", max_bytes)) return false;
        Value batch_input;
        bool has_batch_input = false;
        if (spec.batch_input) {
            auto r = spec.batch_input->render(scope);
            if (!r) {
                err = Err{r.failure().error, state_error_prefix(s, frame.entered) + r.failure().cause, true, true};
                return false;
            }
            batch_input = std::move(*r);
            has_batch_input = true;
        }
        std::vector<Value> batches;
        std::vector<Value> current;
        std::size_t bytes = 0;
        auto flush = [&] {
            if (current.empty()) return;
            std::vector<Member> m;
            if (has_batch_input) m.emplace_back("BatchInput", batch_input);
            m.emplace_back("Items", Value::array(std::move(current)));
            batches.push_back(Value::object(std::move(m)));
            current.clear();
            bytes = 0;
        };
        for (auto& in : inputs) {
            const std::size_t size = max_bytes > 0 ? rt.payload_size(in, 1u << 30) : 0;
            if (!current.empty() && ((per_batch > 0 && static_cast<std::int64_t>(current.size()) >= per_batch) ||
                                     (max_bytes > 0 && static_cast<std::int64_t>(bytes + size) > max_bytes)))
                flush();
            current.push_back(std::move(in));
            bytes += size;
        }
        flush();
        inputs = std::move(batches);
    }

    return run_map_iterations(rt, s, frame, std::move(inputs),
                              MapLimits{max_concurrency, tolerated_count, tolerated_percentage}, result, err);
}

bool run_map_iterations(Runtime& rt, const State& s, Frame& frame, std::vector<Value> inputs, const MapLimits& limits,
                        Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    const std::int64_t max_concurrency = limits.max_concurrency;
    const std::int64_t tolerated_count = limits.tolerated_count;
    const double tolerated_percentage = limits.tolerated_percentage;
    const std::size_t n = inputs.size();
    {
        HistoryEvent e;
        e.type = EventType::MapStateStarted;
        e.index = static_cast<std::int64_t>(n);
        frame.container_started = true;
        rt.record(frame, std::move(e));
    }
    if (spec.distributed) record_simple(rt, frame, EventType::MapRunStarted);
    const std::int64_t anchor = frame.last;

    std::vector<Value> outputs(n);
    std::vector<Err> errors(n);
    std::vector<char> ok(n, 0), ran(n, 0);
    std::atomic<bool> cancel{false};
    std::atomic<std::size_t> failures{0};
    const auto tolerated = [&](std::size_t failed) {
        if (tolerated_count >= 0 && static_cast<std::int64_t>(failed) <= tolerated_count) return true;
        if (tolerated_percentage >= 0 && n > 0 &&
            static_cast<double>(failed) * 100.0 / static_cast<double>(n) <= tolerated_percentage)
            return true;
        return false;
    };
    unsigned threads = 1;
    if (n > 1) {
        unsigned wanted = static_cast<unsigned>(std::min<std::size_t>(n, 64)) - 1;
        if (max_concurrency > 0) wanted = std::min<unsigned>(wanted, static_cast<unsigned>(max_concurrency) - 1);
        threads += rt.try_claim_workers(wanted);
    }
    const bool buffered = threads > 1;
    // Worker threads take items in chunks; each chunk records into one buffer (item order inside), and the
    // buffers are merged in chunk order, so the history is the same as on one thread.
    constexpr std::size_t chunk = 64;
    const std::size_t chunks = buffered ? (n + chunk - 1) / chunk : (n ? 1 : 0);
    const std::size_t per_job = buffered ? chunk : n;
    std::vector<History> buffers(buffered ? chunks : 0);
    const bool silent = frame.silent || spec.distributed;
    run_jobs(rt, chunks, threads, cancel, frame.random, [&](std::size_t job, jsonpath::Random* random) {
        for (std::size_t i = job * per_job; i < std::min(n, (job + 1) * per_job); ++i) {
            if (cancel.load(std::memory_order_relaxed)) return;
            VarScope vars(frame.vars);
            Frame child;
            child.vars = &vars;
            child.silent = silent;
            child.random = random;
            child.cancel = &cancel;
            if (buffered) {
                child.buffer = &buffers[job];  // each iteration's first event links to MapStateStarted (local 0)
            } else {
                child.buffer = frame.buffer;
                child.last = anchor;
            }
            record_simple(rt, child, EventType::MapIterationStarted, s.name, static_cast<std::int64_t>(i));
            ran[i] = 1;
            ok[i] = rt.run_graph(*spec.processor, inputs[i], child, outputs[i], errors[i]) ? 1 : 0;
            if (ok[i]) {
                record_simple(rt, child, EventType::MapIterationSucceeded, s.name, static_cast<std::int64_t>(i));
            } else if (errors[i].error != "States.BranchFailed") {
                record_simple(rt, child, rt.stopping() ? EventType::MapIterationAborted : EventType::MapIterationFailed,
                              s.name, static_cast<std::int64_t>(i));
                if (!tolerated(failures.fetch_add(1) + 1)) cancel.store(true);
            }
            if (!buffered) frame.last = child.last;
        }
    });
    rt.release_workers(threads - 1);
    if (buffered) rt.merge(frame, anchor, buffers, false);

    if (rt.stopping()) {
        err = rt.stop_error();
        return false;
    }
    if (cancel.load()) {
        // The first iteration (by index) that failed on its own account decides the error.
        for (std::size_t i = 0; i < n; ++i) {
            if (ran[i] && !ok[i] && errors[i].error != "States.BranchFailed") {
                err = (tolerated_count >= 0 || tolerated_percentage >= 0)
                          ? Err{"States.ExceedToleratedFailureThreshold",
                                "The specified tolerated failure threshold was exceeded", true, true}
                          : errors[i];
                break;
            }
        }
        if (spec.distributed) record_simple(rt, frame, EventType::MapRunFailed);
        return false;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!ok[i]) {
            std::vector<Member> m{{"Error", Value(errors[i].error)}, {"Cause", Value(errors[i].cause)}};
            outputs[i] = Value::object(std::move(m));
        }
    }
    if (spec.distributed) record_simple(rt, frame, EventType::MapRunSucceeded);
    record_simple(rt, frame, EventType::MapStateSucceeded);
    result = Value::array(std::move(outputs));
    return true;
}

}  // namespace sfn::engine::detail
