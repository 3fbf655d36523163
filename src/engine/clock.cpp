// Real and virtual clocks, and the interrupt that wakes sleepers when an execution is stopped.
#include "sfn/engine/clock.hpp"

#include <algorithm>

namespace sfn::engine {

namespace {
std::int64_t to_ns(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
TimePoint from_ns(std::int64_t ns) {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(ns)));
}
}  // namespace

void Interrupt::signal() {
    {
        std::lock_guard lock(mutex_);
        flag_.store(true, std::memory_order_release);
    }
    cv_.notify_all();
}

bool Interrupt::wait_until(TimePoint deadline) const {
    std::unique_lock lock(mutex_);
    return !cv_.wait_until(lock, deadline, [this] { return flag_.load(std::memory_order_acquire); });
}

VirtualClock::VirtualClock() : VirtualClock(std::chrono::system_clock::now()) {}

VirtualClock::VirtualClock(TimePoint start) : now_ns_(to_ns(start)) {}

TimePoint VirtualClock::now() { return from_ns(now_ns_.load(std::memory_order_relaxed)); }

bool VirtualClock::sleep_until(TimePoint deadline, const Interrupt& interrupt) {
    if (interrupt.signalled()) return false;
    const std::int64_t target = to_ns(deadline);
    std::int64_t current = now_ns_.load(std::memory_order_relaxed);
    // Never move backwards: concurrent branches that sleep to earlier deadlines keep the later time.
    while (current < target && !now_ns_.compare_exchange_weak(current, target, std::memory_order_relaxed)) {
    }
    return true;
}

void VirtualClock::advance(std::chrono::nanoseconds d) {
    if (d.count() > 0) now_ns_.fetch_add(d.count(), std::memory_order_relaxed);
}

}  // namespace sfn::engine
