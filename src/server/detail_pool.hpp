#pragma once
// An elastic worker pool for STANDARD executions: jobs never wait behind a blocked execution (a Wait
// state on the real clock, a task token), because a new thread is started whenever no worker is idle.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sfn::server::detail {

class WorkerPool {
public:
    explicit WorkerPool(unsigned initial);
    ~WorkerPool();  ///< runs the queued jobs, then joins every thread
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(std::function<void()> job);

private:
    void work();

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace sfn::server::detail
