// Task states: handler lookup, the task history events (Task*, LambdaFunction* or Activity* by the resource),
// task timeouts, and the tasks answered later through TaskTokens: `.waitForTaskToken` callbacks and activities
// queued for a worker (the execution waits until TaskTokens answers or a timer fires).
#include "engine/detail_runtime.hpp"

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "sfn/core/error.hpp"
#include "sfn/engine/recorder.hpp"

namespace sfn::engine {

struct TaskTokens::Waiter {
    std::mutex mutex;
    std::condition_variable cv;
    enum class State : std::uint8_t { Waiting, Succeeded, Failed } state = State::Waiting;
    Value output;
    std::string error;
    std::string cause;
    std::uint64_t heartbeats = 0;
    // Activities: a worker took the task (TaskRequest::started), under this name.
    bool taken = false;
    std::string worker;
    bool abandoned = false;  // the engine no longer waits (timed out, stopped, answered): no worker takes it
};

namespace {

// Applies `answer` to the open task of `token` under its lock; the Waiting check makes every answer final.
template <typename Waiting, typename Apply>
TaskTokens::Answer answer_task(std::mutex& registry_mutex, const Waiting& waiting, const std::string& token,
                               Apply apply) {
    std::shared_ptr<TaskTokens::Waiter> w;
    {
        std::lock_guard lock(registry_mutex);
        auto it = waiting.find(token);
        if (it == waiting.end()) return TaskTokens::Answer::UnknownToken;
        w = it->second;
    }
    std::lock_guard lock(w->mutex);
    if (w->state != TaskTokens::Waiter::State::Waiting) return TaskTokens::Answer::AlreadyClosed;
    apply(*w);
    w->cv.notify_all();
    return TaskTokens::Answer::Accepted;
}

}  // namespace

TaskTokens::Answer TaskTokens::send_success(const std::string& token, Value output) {
    return answer_task(mutex_, waiting_, token, [&](Waiter& w) {
        w.state = Waiter::State::Succeeded;
        w.output = std::move(output);
    });
}

TaskTokens::Answer TaskTokens::send_failure(const std::string& token, std::string error, std::string cause) {
    return answer_task(mutex_, waiting_, token, [&](Waiter& w) {
        w.state = Waiter::State::Failed;
        w.error = std::move(error);
        w.cause = std::move(cause);
    });
}

TaskTokens::Answer TaskTokens::send_heartbeat(const std::string& token) {
    return answer_task(mutex_, waiting_, token, [](Waiter& w) { ++w.heartbeats; });
}

std::shared_ptr<TaskTokens::Waiter> TaskTokens::open(const std::string& token) {
    auto w = std::make_shared<Waiter>();
    std::lock_guard lock(mutex_);
    waiting_[token] = w;
    return w;
}

void TaskTokens::close(const std::string& token) {
    std::lock_guard lock(mutex_);
    waiting_.erase(token);
}

namespace detail {

namespace {

// TimeoutSeconds or HeartbeatSeconds passed. Both fail the task as States.Timeout, as AWS records it; a lapsed
// heartbeat is also matched by Retriers and Catchers naming States.HeartbeatTimeout.
Err timeout_error(bool task_timed_out) {
    return Err{.error = "States.Timeout",
               .cause = "",
               .has_error = true,
               .has_cause = false,
               .origin = task_timed_out ? ErrorOrigin::State : ErrorOrigin::Heartbeat};
}

// The event types of a task's history by its resource: a Lambda function ARN records LambdaFunction*, an
// activity ARN Activity*, every other resource Task*.
struct EventFamily {
    EventType scheduled, started, succeeded, failed, timed_out;
};
constexpr EventFamily task_events{EventType::TaskScheduled, EventType::TaskStarted, EventType::TaskSucceeded,
                                  EventType::TaskFailed, EventType::TaskTimedOut};
constexpr EventFamily lambda_events{EventType::LambdaFunctionScheduled, EventType::LambdaFunctionStarted,
                                    EventType::LambdaFunctionSucceeded, EventType::LambdaFunctionFailed,
                                    EventType::LambdaFunctionTimedOut};
constexpr EventFamily activity_events{EventType::ActivityScheduled, EventType::ActivityStarted,
                                      EventType::ActivitySucceeded, EventType::ActivityFailed,
                                      EventType::ActivityTimedOut};

struct TaskEvents {
    Runtime& rt;
    const TaskSpec& t;
    Frame& frame;
    const EventFamily& family = t.legacy_lambda ? lambda_events : t.activity ? activity_events : task_events;

    void add(EventType type, std::optional<Value> payload, const Err* err = nullptr,
             std::optional<std::int64_t> timeout = std::nullopt, std::optional<std::int64_t> heartbeat = std::nullopt,
             std::optional<TimePoint> at = std::nullopt) {
        HistoryEvent e;
        e.type = type;
        HistoryEventDetail& d = e.detail_to_fill();
        d.resource_type = t.resource_type;
        d.resource = t.resource_name;
        if (rt.recording()) e.payload = std::move(payload);
        if (err) put_failure(e, *err);
        d.timeout_seconds = timeout ? static_cast<std::int32_t>(std::min<std::int64_t>(*timeout, INT32_MAX)) : 0;
        d.heartbeat_seconds = heartbeat ? static_cast<std::int32_t>(std::min<std::int64_t>(*heartbeat, INT32_MAX)) : 0;
        if (e.type == EventType::TaskScheduled) d.region = rt.options().region;
        if (at) {
            rt.record_at(frame, std::move(e), *at);
        } else {
            rt.record(frame, std::move(e));
        }
    }
    void scheduled(const Value& input, std::optional<std::int64_t> timeout, std::optional<std::int64_t> heartbeat,
                   std::optional<TimePoint> at = std::nullopt) {
        // A Lambda function's scheduled event has no heartbeatInSeconds.
        add(family.scheduled, input, nullptr, timeout, t.legacy_lambda ? std::nullopt : heartbeat, at);
    }
    /// `worker`: the name an activity worker gave (ActivityStarted's workerName).
    void started(std::optional<Value> worker = std::nullopt, std::optional<TimePoint> at = std::nullopt) {
        add(family.started, std::move(worker), nullptr, std::nullopt, std::nullopt, at);
    }
    void succeeded(const Value& output) { add(family.succeeded, output); }
    void failed(const Err& err) { add(family.failed, std::nullopt, &err); }
    void timed_out(const Err& err) { add(family.timed_out, std::nullopt, &err); }
    /// Only Task* has a submitted event (`.sync` and `.waitForTaskToken` are service integrations).
    void submitted(Value answer) {
        if (&family == &task_events) add(EventType::TaskSubmitted, std::move(answer));
    }
};

/// False when the path does not give a positive integer; the path's own Failure when its evaluation fails
/// (over the evaluation budget), so that is reported instead of a misleading "not a positive integer".
jsonpath::Outcome<bool> resolve_seconds(const std::optional<std::int64_t>& fixed,
                                        const std::optional<jsonpath::Path>& path, const Value& input,
                                        const Frame& frame, std::optional<std::int64_t>& out) {
    if (fixed) {
        out = fixed;
        return true;
    }
    if (!path) return true;
    // A path that selects nothing fails as InputPath does (AWS, recorded: "Invalid path '$.x' : No results ...").
    auto selected = path->evaluate(jsonpath::Scope(input, Value(), frame.vars, frame.random));
    if (!selected) return std::move(selected).failure();
    const Value& v = *selected;
    if (!v.is_integer() || v.as_int() < 1) return false;
    out = v.as_int();
    return true;
}

}  // namespace

std::string invocation_key(const Frame& frame, const State& s, int invocation, int attempt) {
    if (!frame.parent) return s.name + '\n' + std::to_string(invocation);
    // Inside an iteration or branch: its path from the top, then where the state stands in it (states entered
    // so far, deterministic in a frame that runs sequentially) and the attempt.
    std::vector<const Frame*> chain;
    for (const Frame* f = &frame; f->parent; f = f->parent) chain.push_back(f);
    std::string key;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        key += (*it)->container->name + '[' + std::to_string((*it)->child_index) + "]/";
    }
    return key + s.name + '@' + std::to_string(frame.transitions) + '#' + std::to_string(attempt);
}

bool run_task(Runtime& rt, const State& s, const Value& params, Frame& frame, const Value& ctx, int attempt,
              Value& result, Err& err, const TaskTimeouts* resolved) {
    const auto& t = std::get<TaskSpec>(s.spec);
    TaskEvents events{rt, t, frame};
    std::optional<std::int64_t> timeout, heartbeat;
    if (resolved) {
        timeout = resolved->timeout;
        heartbeat = resolved->heartbeat;
    } else {
        auto valid = resolve_seconds(t.timeout_seconds, t.timeout_path, params, frame, timeout);
        if (valid && *valid) valid = resolve_seconds(t.heartbeat_seconds, t.heartbeat_path, params, frame, heartbeat);
        if (!valid) {
            err = state_failure(s, frame, valid.failure().error, valid.failure().cause);
            return false;
        }
        if (!*valid) {
            err = state_failure(s, frame, "States.Runtime",
                                "The TimeoutSecondsPath or HeartbeatSecondsPath field does not reference a positive "
                                "integer.");
            return false;
        }
    }

    TaskRequest request;
    request.resource = t.resource;
    request.state_name = s.name;
    request.parameters = params;
    request.payload = params;
    request.attempt = attempt;
    request.execution_arn = rt.execution_arn();
    std::string function_name;
    if (t.legacy_lambda) {
        function_name = t.resource;
    } else if (t.lambda_invoke) {
        const Value* fn = params.find("FunctionName");
        if (fn && fn->is_string()) function_name = fn->as_string();
        // Invoke sends a string Payload as the request body itself, so a string holding JSON reaches the
        // function as that JSON value.
        const Value* payload = params.find("Payload");
        request.payload = payload ? *payload : Value::object();
        if (request.payload.is_string()) {
            try {
                request.payload = Value::parse(request.payload.as_string());
            } catch (const sfn::Error&) {
                // Not JSON text: the function receives the string itself.
            }
        }
    }
    request.function_name = function_name;
    if (t.wait_for_token) {
        const Value* token = ctx.is_object() ? ctx.find("Task") : nullptr;
        if (token) token = token->find("Token");
        if (token && token->is_string()) request.task_token = token->as_string();
    } else if (t.activity) {
        // The worker's token (not in `$$`, which has Task.Token for callbacks only); it depends on where the
        // task runs, as a callback's does, so a resumed execution waits for the same token.
        request.task_token = rt.new_task_token(frame, s, attempt);
    }

    // AWS looks at an activity before it schedules it (a missing one fails the state without an activity
    // event), so an activity's ActivityScheduled follows the handler's answer, timestamped at the call.
    if (!t.activity) {
        events.scheduled(params, timeout, heartbeat);
        events.started();
    }

    const HandlerRegistry* registry = rt.options().handlers.get();
    const TaskHandler* handler = registry ? registry->find(s.name, t.resource, function_name) : nullptr;
    if (!handler) {
        std::string what = "resource '" + t.resource + "'";
        if (!function_name.empty() && !t.legacy_lambda) what += " (FunctionName '" + function_name + "')";
        // A Lambda function nothing answers for fails as on AWS when the function does not exist.
        const bool lambda = t.legacy_lambda || t.lambda_invoke;
        err = Err{lambda ? "Lambda.ResourceNotFoundException" : "States.TaskFailed",
                  (lambda ? "Function not found: " + (function_name.empty() ? t.resource : function_name) + ". " : "") +
                      "No task handler for " + what + " in state '" + s.name +
                      "'. Register one with HandlerRegistry::add(glob, callable) or add_command(glob, command), "
                      "pass --handler 'GLOB=COMMAND' to `sfn run`, mock the state with --mock-config, or call AWS (or an "
                      "emulator) with --integrations aws.",
                  true, true};
        // An activity nobody works cannot be scheduled.
        if (t.activity) {
            events.add(EventType::ActivityScheduleFailed, std::nullopt, &err);
        } else {
            events.failed(err);
        }
        return false;
    }
    request.invocation = rt.next_invocation(s);
    if (frame.tally) frame.tally->add(s.name);
    request.invocation_key = invocation_key(frame, s, request.invocation, attempt);
    TaskRecorder* recorder = rt.options().task_recorder.get();
    const auto record = [&](const Err& e) {
        if (recorder) recorder->record_failure(s.name, request.invocation, e.error, e.cause);
    };

    std::shared_ptr<TaskTokens::Waiter> waiter;
    if (request.task_token) waiter = rt.options().task_tokens->open(*request.task_token);
    // The engine stops waiting: the token is forgotten and a worker asking for the task later gets none.
    const auto close_token = [&] {
        if (!waiter) return;
        {
            const std::lock_guard lock(waiter->mutex);
            waiter->abandoned = true;
        }
        rt.options().task_tokens->close(*request.task_token);
    };
    if (t.activity) {
        request.started = [waiter](std::string_view worker) {
            const std::lock_guard lock(waiter->mutex);
            if (waiter->state != TaskTokens::Waiter::State::Waiting || waiter->abandoned || waiter->taken) return false;
            waiter->taken = true;
            waiter->worker = std::string(worker);
            waiter->cv.notify_all();
            return true;
        };
    }
    // What a `.sync`/`.waitForTaskToken` handler reports as submitted; recorded once, in this thread.
    struct Submission {
        std::mutex mutex;
        std::optional<Value> answer;
        bool recorded = false;
    };
    auto submission = std::make_shared<Submission>();
    request.submitted = [submission](Value answer) {
        const std::lock_guard lock(submission->mutex);
        if (!submission->answer) submission->answer = std::move(answer);
    };
    const auto record_submitted = [&](bool always) {
        std::optional<Value> answer;
        {
            const std::lock_guard lock(submission->mutex);
            if (submission->recorded) return;
            submission->recorded = true;
            answer = submission->answer;
        }
        if (answer || always) events.submitted(answer ? *answer : Value::object());
    };
    // TimeoutSeconds counts from when the attempt began: an execution resumed after a restart keeps the time
    // its task had left (a task whose time passed during the outage times out at once). A heartbeat is
    // awaited afresh from the call.
    const TimePoint called = rt.now();
    const TimePoint started =
        frame.attempt_started != TimePoint{} && frame.attempt_started < called ? frame.attempt_started : called;
    std::optional<std::int64_t> time_left = timeout;
    if (timeout) {
        const auto spent = std::chrono::duration_cast<std::chrono::seconds>(called - started).count();
        time_left = *timeout - spent;
    }
    // An activity's ActivityScheduled (at the call), then its ActivityStarted once a worker took it, or at
    // `worked_at` when nobody reported one (the handler worked the task itself, or an answer came with the
    // token); each recorded once, on this thread.
    bool activity_scheduled = false, activity_started = false;
    const auto activity_progress = [&](std::optional<TimePoint> worked_at) {
        if (!t.activity) return;
        if (!activity_scheduled) {
            events.scheduled(params, timeout, heartbeat, called);
            activity_scheduled = true;
        }
        if (activity_started) return;
        std::optional<Value> worker;
        bool taken = false;
        {
            const std::lock_guard lock(waiter->mutex);
            taken = waiter->taken;
            if (taken && !waiter->worker.empty()) worker = Value(waiter->worker);
        }
        if (!taken && !worked_at) return;
        events.started(std::move(worker), taken ? std::nullopt : worked_at);
        activity_started = true;
    };
    const CancelNode& node = rt.cancel_node(frame);
    if (frame.live) frame.live->show();  // a Distributed Map child: its events so far, while the task runs
    // A `.waitForTaskToken` handler only hands the token out; its timeouts apply to the wait below. An activity's
    // handler may also work the task itself, under the timeouts.
    const bool callback = waiter && !t.activity;
    HandlerCall call;
    const bool expired = !callback && time_left && *time_left <= 0;  // its time passed while the service was down
    if (expired) {
        call.end = HandlerCall::End::TimedOut;
    } else {
        call = call_handler(rt, *handler, request, callback ? std::nullopt : time_left,
                            callback ? std::nullopt : heartbeat, node);
    }
    if (call.end != HandlerCall::End::Returned) {
        close_token();
        if (expired) {
            if (t.activity) events.scheduled(params, timeout, heartbeat, called);  // scheduled, never handed out
        } else {
            activity_progress(called);  // the handler had the task, and did not answer
        }
        if (call.end == HandlerCall::End::Stopped) {
            err = rt.stop_error();  // a failing sibling: run_graph records the abort instead
            return false;
        }
        record_submitted(false);
        // Timestamped when the time passed (the virtual clock moves there).
        rt.sleep_until(frame, call.end == HandlerCall::End::TimedOut ? started + std::chrono::seconds(*timeout)
                                                                      : called + std::chrono::seconds(*heartbeat));
        err = timeout_error(call.end == HandlerCall::End::TimedOut);
        record(err);
        events.timed_out(err);
        return false;
    }
    TaskOutcome outcome = std::move(call.outcome);
    if (outcome.kind == TaskOutcome::Kind::NotScheduled) {
        close_token();
        err = state_failure(s, frame, std::move(outcome.error), outcome.cause);
        return false;
    }
    activity_progress(outcome.kind == TaskOutcome::Kind::Pending ? std::nullopt : std::optional<TimePoint>(called));

    if (outcome.kind == TaskOutcome::Kind::Pending) {
        if (!waiter) {
            err = Err{"States.TaskFailed",
                      "The handler for resource '" + t.resource + "' answered 'pending' but the resource is not a "
                      ".waitForTaskToken integration or an activity.", true, true};
            events.failed(err);
            return false;
        }
        record_submitted(true);
        if (frame.live) frame.live->show();  // a Distributed Map child: its events up to the wait
        // Wait for SendTaskSuccess/Failure, a heartbeat timeout, the task timeout, or a stop. In virtual time
        // the branch does not hold the others back while it waits for an answer from outside.
        rt.park();
        struct Unpark {
            Runtime& rt;
            ~Unpark() { rt.unpark(); }
        } unpark{rt};
        std::unique_lock lock(waiter->mutex);
        auto last_beat = rt.now();
        std::uint64_t beats = 0;
        for (;;) {
            if (t.activity && !activity_started && waiter->taken) {
                // A worker took the activity: its HeartbeatSeconds clock starts (only it has the token).
                lock.unlock();
                activity_progress(std::nullopt);
                if (frame.live) frame.live->show();
                lock.lock();
                last_beat = rt.now();
            }
            if (waiter->state != TaskTokens::Waiter::State::Waiting) break;
            const auto now = rt.now();
            if (waiter->heartbeats != beats) {
                beats = waiter->heartbeats;
                last_beat = now;
            }
            const bool timed_out = timeout && now - started >= std::chrono::seconds(*timeout);
            const bool beat_missed = heartbeat && (!t.activity || activity_started) &&
                                     now - last_beat >= std::chrono::seconds(*heartbeat);
            if (timed_out || beat_missed || node.cancelled()) {
                lock.unlock();
                close_token();
                if (node.cancelled()) {
                    err = rt.stop_error();
                    return false;
                }
                err = timeout_error(timed_out);
                record(err);
                events.timed_out(err);
                return false;
            }
            waiter->cv.wait_for(lock, std::chrono::milliseconds(20));
        }
        const bool ok = waiter->state == TaskTokens::Waiter::State::Succeeded;
        outcome = ok ? TaskOutcome::raw_result(waiter->output) : TaskOutcome::failure(waiter->error, waiter->cause);
        lock.unlock();
        close_token();
        activity_progress(rt.now());  // answered by whoever had the token, though no worker was reported
    } else {
        close_token();
    }

    record_submitted(false);
    if (outcome.kind == TaskOutcome::Kind::FunctionError || outcome.kind == TaskOutcome::Kind::Failure) {
        if (recorder) recorder->record_failure(s.name, request.invocation, outcome.error, outcome.cause);
    }
    switch (outcome.kind) {
        case TaskOutcome::Kind::Result:
            result = t.lambda_invoke ? lambda_invoke_shape(std::move(outcome.value), outcome.body, rt) : std::move(outcome.value);
            break;
        case TaskOutcome::Kind::RawResult:
        case TaskOutcome::Kind::Pending:
        case TaskOutcome::Kind::NotScheduled:
            result = std::move(outcome.value);
            break;
        case TaskOutcome::Kind::FunctionError:
        case TaskOutcome::Kind::Failure:
            err = Err{std::move(outcome.error), std::move(outcome.cause), true, true};
            events.failed(err);
            return false;
    }
    // What the state received, Lambda's Invoke shape included, so a replay hands the state the same value.
    if (recorder) recorder->record_result(s.name, request.invocation, result);
    constexpr std::size_t limit = 256 * 1024;
    if (rt.exceeds_payload(result, limit)) {
        // AWS names the function ARN for a Lambda resource, else the integration ('lambda' for lambda:invoke).
        err = result_too_large(t.legacy_lambda ? t.resource : t.resource_type, ErrorOrigin::TaskResult);
        events.failed(err);
        return false;
    }
    events.succeeded(result);
    return true;
}

}  // namespace detail
}  // namespace sfn::engine
