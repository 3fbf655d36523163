#pragma once
// Internal: the engine's persistent worker threads for CPU-bound Map iterations and Parallel branches.
// Created once per process (on first use) and shared by every execution, so a Map state costs no thread
// creation; each execution still limits itself to ExecutionOptions::max_threads.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sfn::engine::detail {

class WorkerPool {
public:
    /// The process-wide pool.
    static WorkerPool& instance();
    ~WorkerPool();

    /// Runs `work(0)` on the calling thread and `work(1..helpers)` on pool threads that are free to take
    /// them. Slots no pool thread picked up by the time `work(0)` returns are dropped, so `work` must be a
    /// loop that takes items from a shared counter (whoever is there drains the queue). Returns once every
    /// started slot finished.
    void run(unsigned helpers, const std::function<void(unsigned)>& work);

private:
    struct Job {
        const std::function<void(unsigned)>* work = nullptr;
        unsigned next_slot = 1;
        unsigned last_slot = 0;
        std::atomic<unsigned> active{0};  ///< slots running; changed under the mutex, read by the spinning caller
        std::condition_variable done;
    };
    void loop();
    void grow_locked(unsigned threads);
    void set_queued_locked() { queued_.store(static_cast<unsigned>(queue_.size()), std::memory_order_release); }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Job*> queue_;
    std::atomic<unsigned> queued_{0};  ///< queue_.size(), for threads that spin before they sleep
    std::vector<std::thread> threads_;
    bool stopping_ = false;
};

}  // namespace sfn::engine::detail
