#pragma once
// An elastic worker pool for STANDARD executions: jobs never wait behind a blocked execution (a Wait
// state on the real clock, a task token), because a new thread is started whenever no worker is idle.
// The HTTP server uses it too (one job per connection), with a cap on the number of threads.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sfn::server::detail {

class WorkerPool {
public:
    /// Starts `initial` threads; more start while no thread is idle, up to `max_threads` (then jobs queue).
    explicit WorkerPool(unsigned initial, std::size_t max_threads = SIZE_MAX);
    ~WorkerPool();  ///< runs the queued jobs, then joins every thread
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(std::function<void()> job);

private:
    void work();

    const std::size_t max_threads_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace sfn::server::detail
