// Task TimeoutSeconds / HeartbeatSeconds with synchronous handlers: the task fails with States.Timeout when
// its time passes, not when the handler returns; a command is killed with its whole process group; a callable
// sees the deadline through TaskRequest::cancelled(), and one that ignores it is waited for by the
// Execution's destructor only.
#include "engine_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <unistd.h>

using namespace sfn::engine;
using namespace sfn::engine::testing;
using sfn::Value;

namespace {

/// A registry whose "arn:aws:states:::my:loop" callable runs until the task is cancelled (it cannot heartbeat).
std::shared_ptr<HandlerRegistry> loop_until_cancelled() {
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::my:loop", [](const TaskRequest& r) {
        while (!r.cancelled()) r.stop_signal->wait_until(std::chrono::system_clock::now() + std::chrono::seconds(5));
        return TaskOutcome::result(Value::object());
    });
    return handlers;
}

std::string task_machine(const std::string& resource, const std::string& limits) {
    return R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" + resource + R"(",)" + limits +
           R"(,"End":true}}})";
}

/// True when no live process has this pid (already reaped, or a zombie waiting for its new parent).
bool process_dead(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return true;
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

/// process_dead(), allowing the kernel the moment it takes to finish the exit of a killed process (it has
/// closed its files, so the handler saw the end of its output, but may not be a zombie yet). A process that
/// was not killed would still be sleeping for half a minute, far beyond this bound.
bool process_gone(pid_t pid) {
    for (int i = 0; i < 500 && !process_dead(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return process_dead(pid);
}

}  // namespace

TEST(TaskTimeout, ACommandThatOverrunsIsKilledWithItsProcessGroupAndTheTaskTimesOut) {
    // GIVEN a command that starts a background sleep, records both pids and sleeps 30 s; TimeoutSeconds 1
    std::string dir_template = (std::filesystem::temp_directory_path() / "sfn-timeout-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir_template.data()), nullptr);
    const std::string pids = std::string(dir_template) + "/pids";
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add_command("arn:aws:states:::my:slow",
                          "echo $$ > " + pids + "; sleep 30 & echo $! >> " + pids + "; wait");
    auto options = virtual_options();
    options.handlers = handlers;
    const auto machine = compile(std::string_view(task_machine("arn:aws:states:::my:slow", R"("TimeoutSeconds":1)")));
    // WHEN it runs
    const auto begin = std::chrono::steady_clock::now();
    Execution exec(machine, Value::object(), options);
    const auto r = exec.run();
    const auto took = std::chrono::steady_clock::now() - begin;
    // THEN the task timed out (well before the 30 s the command wanted)
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Timeout");
    EXPECT_LT(took, std::chrono::seconds(20));
    // AND the TaskTimedOut event is stamped one (virtual) second after the task was scheduled
    std::optional<TimePoint> scheduled, timed_out;
    for (const auto& e : exec.history()) {
        if (e.type == EventType::TaskScheduled) scheduled = e.timestamp;
        if (e.type == EventType::TaskTimedOut) timed_out = e.timestamp;
    }
    ASSERT_TRUE(scheduled && timed_out);
    EXPECT_EQ(*timed_out - *scheduled, std::chrono::seconds(1));
    // AND neither the shell nor its background sleep is still alive
    std::ifstream in(pids);
    std::vector<pid_t> seen;
    for (pid_t pid; in >> pid;) seen.push_back(pid);
    ASSERT_EQ(seen.size(), 2u);
    for (pid_t pid : seen) EXPECT_TRUE(process_gone(pid)) << "pid " << pid;
    std::remove(pids.c_str());
    ::rmdir(dir_template.c_str());
}

TEST(TaskTimeout, ACallableSeesItsDeadlineAndReturnsWhenItPasses) {
    // GIVEN a callable that works until the request is cancelled; TimeoutSeconds 1
    std::atomic<bool> saw_cancel{false};
    std::atomic<bool> had_deadline{false};
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::my:loop", [&](const TaskRequest& r) {
        had_deadline = r.deadline != std::chrono::steady_clock::time_point::max() && r.stop_signal != nullptr;
        while (!r.cancelled()) r.stop_signal->wait_until(std::chrono::system_clock::now() + std::chrono::seconds(5));
        saw_cancel = true;
        return TaskOutcome::result(Value("late"));
    });
    auto options = virtual_options();
    options.handlers = handlers;
    // WHEN it runs, with a catcher for the timeout
    const auto r = run_text(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::my:loop",
        "TimeoutSeconds":1,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Caught"}],"End":true},
        "Caught":{"Type":"Pass","End":true}}})", "{}", options);
    // THEN the handler knew its deadline, saw the cancellation, and its late result was ignored
    EXPECT_TRUE(had_deadline);
    EXPECT_TRUE(saw_cancel);
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(r.output, Value::parse(R"({"Error":"States.Timeout"})"));
}

TEST(TaskTimeout, AStuckCallableDoesNotHoldTheExecutionOnlyItsDestructor) {
    // GIVEN a callable that ignores cancellation and blocks until the test releases it; TimeoutSeconds 1
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> returned{false};
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::my:stuck", [&, released](const TaskRequest&) {
        released.wait();
        returned = true;
        return TaskOutcome::result(Value::object());
    });
    auto options = virtual_options();
    options.handlers = handlers;
    const auto machine = compile(std::string_view(task_machine("arn:aws:states:::my:stuck", R"("TimeoutSeconds":1)")));
    {
        Execution exec(machine, Value::object(), options);
        // WHEN it runs
        const auto r = exec.run();
        // THEN the execution ends with States.Timeout while the callable is still blocked
        EXPECT_EQ(r.status, ExecutionStatus::Failed);
        EXPECT_EQ(r.error, "States.Timeout");
        EXPECT_FALSE(returned);
        release.set_value();
        // AND destroying the execution waits for the callable
    }
    EXPECT_TRUE(returned);
}

TEST(TaskTimeout, HeartbeatSecondsBoundsASynchronousHandlerThatCannotHeartbeat) {
    // GIVEN a callable that runs until cancelled, HeartbeatSeconds 1 and TimeoutSeconds 60
    auto options = virtual_options();
    options.handlers = loop_until_cancelled();
    // WHEN it runs
    const auto r = run_text(task_machine("arn:aws:states:::my:loop", R"("TimeoutSeconds":60,"HeartbeatSeconds":1)"),
                            "{}", options);
    // THEN it fails with States.Timeout, the error AWS records for a lapsed heartbeat
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "States.Timeout");
}

TEST(TaskTimeout, StatesHeartbeatTimeoutCatchesALapsedHeartbeatButNotTheTaskTimeout) {
    // GIVEN a callable that runs until cancelled, behind Catchers for States.HeartbeatTimeout and States.Timeout
    auto options = virtual_options();
    options.handlers = loop_until_cancelled();
    const auto machine = [](const std::string& limits) {
        return R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::my:loop",)" + limits +
               R"(,"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Heartbeat"},
                            {"ErrorEquals":["States.Timeout"],"Next":"Timeout"}],"End":true},
               "Heartbeat":{"Type":"Pass","Result":"heartbeat","End":true},
               "Timeout":{"Type":"Pass","Result":"timeout","End":true}}})";
    };
    // WHEN the heartbeat lapses first, and WHEN the task's own timeout passes first
    const auto heartbeat = run_text(machine(R"("TimeoutSeconds":60,"HeartbeatSeconds":1)"), "{}", options);
    const auto timeout = run_text(machine(R"("TimeoutSeconds":1)"), "{}", options);
    // THEN States.HeartbeatTimeout catches only the lapsed heartbeat; the timeout goes to States.Timeout
    ASSERT_EQ(heartbeat.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(heartbeat.output_json(), R"("heartbeat")");
    ASSERT_EQ(timeout.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(timeout.output_json(), R"("timeout")");
}

TEST(TaskTimeout, AFailingBranchSignalsATaskRunningInASiblingBranch) {
    // GIVEN a branch whose task runs until cancelled, next to a branch that fails at once
    std::atomic<bool> saw_cancel{false};
    auto handlers = std::make_shared<HandlerRegistry>();
    handlers->add("arn:aws:states:::my:loop", [&](const TaskRequest& r) {
        while (!r.cancelled()) r.stop_signal->wait_until(std::chrono::system_clock::now() + std::chrono::seconds(5));
        saw_cancel = true;
        return TaskOutcome::result(Value::object());
    });
    auto options = virtual_options();
    options.handlers = handlers;
    // WHEN it runs
    Execution exec(compile(std::string_view(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
        "Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::my:loop","End":true}}},
                    {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Broken"}}}]}}})")),
                   Value::object(), options);
    const auto r = exec.run();
    // THEN the Parallel fails with the failing branch's error and the task was told to stop
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "Broken");
    EXPECT_TRUE(saw_cancel);
    bool aborted = false;
    for (const auto& e : exec.history()) aborted = aborted || e.type == EventType::TaskStateAborted;
    EXPECT_TRUE(aborted);
}
