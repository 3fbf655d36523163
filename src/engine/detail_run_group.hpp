#pragma once
// Internal: running a Map's or Parallel's children at once, on threads of their own or the engine's worker pool.

#include "engine/detail_runtime.hpp"
#include "engine/detail_worker_pool.hpp"

#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace sfn::engine::detail {

inline void record_simple(Runtime& rt, Frame& frame, EventType type, std::string_view name = {}, std::int64_t index = -1) {
    rt.record(frame, Runtime::EventFields{.type = type, .name = name, .index = index});
}

/// Runs `work(slot, random)` for slots 0..workers-1 at once: slot 0 on the calling thread, the others on
/// threads of their own (`blocking`: they may sleep, so they do not count against max_threads) or on the
/// engine's worker pool (CPU-only; `workers - 1` helpers must have been claimed). Each slot gets a Random
/// of its own (slot 0: the frame's).
template <class Work>
inline void run_group(Runtime& rt, const Frame& frame, unsigned workers, bool blocking, Work&& work) {
    if (workers <= 1) {
        work(0u, frame.random);
        return;
    }
    // Each slot's generator is seeded up front (the same seeds whichever slots run) and made by the thread
    // that runs the slot, when it does.
    std::vector<std::uint64_t> seeds(workers);
    {
        std::lock_guard lock(rt.random_mutex());
        for (unsigned i = 1; i < workers; ++i) seeds[i] = rt.random().bits();
    }
    const auto run_slot = [&](unsigned slot) {
        if (slot == 0) {
            work(0u, frame.random);
            return;
        }
        jsonpath::Random random(seeds[slot]);
        work(slot, &random);
    };
    if (!blocking) {
        const std::function<void(unsigned)> fn = run_slot;
        WorkerPool::instance().run(workers - 1, fn);
        return;
    }
    // Virtual time: the new threads run from now on; each leaves the running set when done, and so does the
    // caller while it waits for them.
    rt.add_runners(workers - 1);
    std::vector<std::thread> threads;
    threads.reserve(workers - 1);
    for (unsigned slot = 1; slot < workers; ++slot)
        threads.emplace_back([&, slot] {
            run_slot(slot);
            rt.park();
        });
    run_slot(0);
    rt.park();
    for (auto& t : threads) t.join();
    rt.unpark();
}

}  // namespace sfn::engine::detail
