// Calling a synchronous task handler under the task's deadline (the contract is documented on TaskHandler
// in handlers.hpp): without a time limit on the branch's thread, with one on a thread of its own that the
// execution stops waiting for when the time passes.
#include "engine/detail_runtime.hpp"

#include <exception>

namespace sfn::engine::detail {

namespace {

// How long a handler gets to return after it was told to stop (a killed command needs milliseconds).
constexpr auto stop_grace = std::chrono::seconds(2);
// How often the waiting branch looks for a stop or a failing sibling.
constexpr auto cancel_poll = std::chrono::milliseconds(20);

struct PendingCall {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    std::chrono::steady_clock::time_point finished;
    TaskOutcome outcome;
    std::exception_ptr exception;
};

}  // namespace

HandlerCall call_handler(Runtime& rt, const TaskHandler& handler, TaskRequest& request,
                         std::optional<std::int64_t> timeout, std::optional<std::int64_t> heartbeat,
                         const CancelNode& node) {
    HandlerCall call;
    std::optional<std::int64_t> limit = timeout;
    bool heartbeat_first = false;
    if (heartbeat && (!limit || *heartbeat < *limit)) {
        limit = heartbeat;
        heartbeat_first = true;
    }
    if (!limit) {
        // No time limit: run here. A stop or a failing sibling still reaches the handler through the signal
        // (non-owning: the node outlives this call).
        request.stop_signal = std::shared_ptr<const Interrupt>(std::shared_ptr<const Interrupt>(), &node.interrupt());
        call.outcome = handler(request);
        if (node.cancelled()) call.end = HandlerCall::End::Stopped;
        return call;
    }
    request.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*limit);
    auto stop = std::make_shared<Interrupt>();
    request.stop_signal = stop;
    auto pending = std::make_shared<PendingCall>();
    // The request's views point into the machine and the execution's options, which live until the
    // Runtime joins this thread (at the latest in its destructor).
    std::thread worker([pending, &handler, request] {
        TaskOutcome outcome;
        std::exception_ptr exception;
        try {
            outcome = handler(request);
        } catch (...) {
            // Re-thrown on the execution's thread when it still waits for this call.
            exception = std::current_exception();
        }
        std::lock_guard lock(pending->mutex);
        pending->outcome = std::move(outcome);
        pending->exception = exception;
        pending->finished = std::chrono::steady_clock::now();
        pending->done = true;
        pending->cv.notify_all();
    });
    std::unique_lock lock(pending->mutex);
    while (!pending->done) {
        const auto now = std::chrono::steady_clock::now();
        if (node.cancelled()) {
            call.end = HandlerCall::End::Stopped;
            break;
        }
        if (now >= request.deadline) {
            call.end = heartbeat_first ? HandlerCall::End::HeartbeatTimedOut : HandlerCall::End::TimedOut;
            break;
        }
        pending->cv.wait_until(lock, std::min(request.deadline, now + cancel_poll));
    }
    // A handler that returned only after its deadline (e.g. a command killed at that moment) timed out.
    if (call.end == HandlerCall::End::Returned && pending->finished >= request.deadline)
        call.end = heartbeat_first ? HandlerCall::End::HeartbeatTimedOut : HandlerCall::End::TimedOut;
    if (call.end != HandlerCall::End::Returned) {
        stop->signal();
        pending->cv.wait_for(lock, stop_grace, [&] { return pending->done; });
    }
    const bool finished = pending->done;
    lock.unlock();
    if (finished) {
        worker.join();
    } else {
        rt.keep_running(std::move(worker));
    }
    if (call.end == HandlerCall::End::Returned) {
        if (pending->exception) std::rethrow_exception(pending->exception);
        call.outcome = std::move(pending->outcome);
    }
    call.limit_seconds = *limit;
    return call;
}

}  // namespace sfn::engine::detail
