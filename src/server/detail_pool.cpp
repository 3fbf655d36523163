#include "server/detail_pool.hpp"

namespace sfn::server::detail {

WorkerPool::WorkerPool(unsigned initial, std::size_t max_threads) : max_threads_(max_threads) {
    std::lock_guard lock(mutex_);
    for (unsigned i = 0; i < initial; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    // Threads are only added under the mutex and never after stopping_, so this list is final.
    for (auto& thread : threads_) thread.join();
}

void WorkerPool::submit(std::function<void()> job) {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
    if (idle_ < jobs_.size() && threads_.size() < max_threads_) {
        threads_.emplace_back([this] { work(); });
    } else {
        cv_.notify_one();
    }
}

void WorkerPool::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        ++idle_;
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping and drained
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();
        lock.lock();
    }
}

}  // namespace sfn::server::detail
