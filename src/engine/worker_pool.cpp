// The engine's persistent worker threads (see detail_worker_pool.hpp).
#include "engine/detail_worker_pool.hpp"

#include <algorithm>

namespace sfn::engine::detail {

namespace {
// More threads than this would only queue behind each other (Map caps its workers at 64 too).
constexpr unsigned max_pool_threads = 63;
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
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        Job* job = queue_.front();
        const unsigned slot = job->next_slot++;
        if (job->next_slot > job->last_slot) queue_.pop_front();
        ++job->active;
        lock.unlock();
        (*job->work)(slot);
        lock.lock();
        if (--job->active == 0) job->done.notify_all();
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
    }
    if (helpers == 1) {
        cv_.notify_one();
    } else {
        cv_.notify_all();
    }
    work(0);
    std::unique_lock lock(mutex_);
    // Slots not yet taken are dropped: the caller's slot already drained the work.
    if (auto it = std::find(queue_.begin(), queue_.end(), &job); it != queue_.end()) queue_.erase(it);
    job.done.wait(lock, [&] { return job.active == 0; });
}

}  // namespace sfn::engine::detail
