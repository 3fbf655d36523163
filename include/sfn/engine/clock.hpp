#pragma once
/// \file
/// Time for executions: a real clock, or a virtual one that skips Wait states and retry intervals instantly
/// while keeping every timestamp consistent (monotonic, and advanced by exactly the time skipped).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sfn::engine {

using TimePoint = std::chrono::system_clock::time_point;

/// A one-shot signal that interrupts sleeps (used to stop an execution from another thread).
class Interrupt {
public:
    /// Wakes every current and future sleeper. Thread-safe; idempotent.
    void signal();
    [[nodiscard]] bool signalled() const noexcept { return flag_.load(std::memory_order_acquire); }
    /// Sleeps on the real system clock until `deadline`; returns false when interrupted first.
    bool wait_until(TimePoint deadline) const;

private:
    std::atomic<bool> flag_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
};

/// Where an execution reads the time from and how it waits. Implementations must be thread-safe:
/// Parallel branches and Map iterations may run on several threads.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint now() = 0;
    /// Waits until `deadline`. Returns false when `interrupt` was signalled before the deadline.
    virtual bool sleep_until(TimePoint deadline, const Interrupt& interrupt) = 0;
};

/// The system clock; sleeps really sleep (interruptibly).
class RealClock final : public Clock {
public:
    TimePoint now() override { return std::chrono::system_clock::now(); }
    bool sleep_until(TimePoint deadline, const Interrupt& interrupt) override {
        return interrupt.wait_until(deadline);
    }
};

/// A clock that starts at `start` (default: the real time when created) and only moves when someone sleeps:
/// `sleep_until(t)` returns at once and sets the time to `t` (never backwards).
/// **Example**: a Wait of 3600 s takes no real time, but the WaitStateExited event is stamped one hour later.
class VirtualClock final : public Clock {
public:
    VirtualClock();
    explicit VirtualClock(TimePoint start);
    TimePoint now() override;
    bool sleep_until(TimePoint deadline, const Interrupt& interrupt) override;
    /// Moves the clock forward by `d` (never backwards).
    void advance(std::chrono::nanoseconds d);

private:
    std::atomic<std::int64_t> now_ns_;
};

}  // namespace sfn::engine
