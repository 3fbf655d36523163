// The engine's persistent worker threads (see detail_worker_pool.hpp).
#include "engine/detail_worker_pool.hpp"

#include <algorithm>
#include <chrono>

namespace sfn::engine::detail {

namespace {
// More threads than this would only queue behind each other (Map caps its workers at 64 too).
constexpr unsigned max_pool_threads = 63;

// How long an idle pool thread, and a caller waiting for its helpers, keep checking before they sleep. Waking
// a sleeping thread takes tens of microseconds (more on a busy virtual machine), as long as a whole Parallel
// of small branches; executions that come one after another find their helpers still awake.
constexpr auto spin_limit = std::chrono::microseconds(200);

void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
}

// Checks `ready` until it holds or spin_limit passed; true when it holds.
template <class Ready>
bool spin_until(Ready&& ready) {
    const auto until = std::chrono::steady_clock::now() + spin_limit;
    for (unsigned round = 0;; ++round) {
        if (ready()) return true;
        relax();
        if (round % 64 == 63 && std::chrono::steady_clock::now() >= until) return false;
    }
}
}  // namespace

WorkerPool& WorkerPool::instance() {
    static WorkerPool pool;
    return pool;
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

void WorkerPool::grow_locked(unsigned threads) {
    threads = std::min(threads, max_pool_threads);
    while (threads_.size() < threads) threads_.emplace_back([this] { loop(); });
}

void WorkerPool::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (queue_.empty() && !stopping_) {
            lock.unlock();
            spin_until([this] { return queued_.load(std::memory_order_acquire) > 0; });
            lock.lock();
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        }
        if (stopping_) return;
        Job* job = queue_.front();
        const unsigned slot = job->next_slot++;
        if (job->next_slot > job->last_slot) {
            queue_.pop_front();
            set_queued_locked();
        }
        job->active.fetch_add(1, std::memory_order_relaxed);
        lock.unlock();
        (*job->work)(slot);
        lock.lock();
        if (job->active.fetch_sub(1, std::memory_order_acq_rel) == 1) job->done.notify_all();
    }
}

void WorkerPool::run(unsigned helpers, const std::function<void(unsigned)>& work) {
    if (helpers == 0) {
        work(0);
        return;
    }
    Job job;
    job.work = &work;
    job.last_slot = helpers;
    {
        std::lock_guard lock(mutex_);
        grow_locked(helpers);
        queue_.push_back(&job);
        set_queued_locked();
    }
    // Threads still spinning take the job without this; sleeping ones need it.
    if (helpers == 1) {
        cv_.notify_one();
    } else {
        cv_.notify_all();
    }
    work(0);
    {
        std::lock_guard lock(mutex_);
        // Slots not yet taken are dropped: the caller's slot already drained the work.
        if (auto it = std::find(queue_.begin(), queue_.end(), &job); it != queue_.end()) {
            queue_.erase(it);
            set_queued_locked();
        }
    }
    // The helpers are usually about to finish (they drained the same work): wait awake a little first.
    if (spin_until([&] { return job.active.load(std::memory_order_acquire) == 0; })) {
        // The last helper may still be inside notify_all (under the mutex): let it leave before `job` goes.
        std::lock_guard lock(mutex_);
        return;
    }
    std::unique_lock lock(mutex_);
    job.done.wait(lock, [&] { return job.active.load(std::memory_order_relaxed) == 0; });
}

}  // namespace sfn::engine::detail
