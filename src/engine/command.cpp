// External command handlers: fork/exec /bin/sh -c in a process group of its own, feed stdin from a writer
// thread so a command that writes a lot before reading cannot deadlock us, and kill the whole group when the
// task's deadline passes or the engine stops waiting (TaskRequest::cancelled).
#include "engine/detail_command.hpp"
#include "sfn/core/error.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sfn::engine::detail {

namespace {

struct Pipe {
    int fd[2] = {-1, -1};
    ~Pipe() {
        for (int f : fd)
            if (f >= 0) ::close(f);
    }
    void close_end(int i) {
        if (fd[i] >= 0) ::close(fd[i]);
        fd[i] = -1;
    }
};

/// Appends what one read() returns; false at the end of the stream (or on an error).
bool read_some(int fd, std::string& out) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
}

// What a handler command may print: far more than any task result (256 KiB), far less than memory.
constexpr std::size_t max_stdout_bytes = 8 << 20;
constexpr std::size_t max_stderr_bytes = 64 << 10;  // kept for the cause; the rest is read and dropped

std::string read_all(int fd) {
    std::string out;
    std::string drop;
    while (read_some(fd, out.size() < max_stderr_bytes ? out : drop)) drop.clear();
    if (out.size() > max_stderr_bytes) out.resize(max_stderr_bytes);
    return out;
}

/// Reads `fd` to its end; kills the process group `pid` once `request` is cancelled or it printed more than
/// max_stdout_bytes (the pipe then closes when the last process of the group is gone). Sets `killed` when it
/// did, and `overflowed` for the second reason.
std::string read_until_done(int fd, pid_t pid, const TaskRequest& request, bool& killed, bool& overflowed) {
    std::string out;
    for (;;) {
        if (!killed && out.size() > max_stdout_bytes) {
            ::kill(-pid, SIGKILL);
            killed = overflowed = true;
        }
        if (!killed && request.cancelled()) {
            ::kill(-pid, SIGKILL);
            killed = true;
        }
        pollfd p{fd, POLLIN, 0};
        // Wake up at least every 20 ms to notice a stop signal; at the deadline at the latest.
        int wait_ms = 20;
        if (request.deadline != std::chrono::steady_clock::time_point::max()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                request.deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<int>(std::clamp<std::int64_t>(left.count() + 1, 0, 20));
        }
        const int ready = ::poll(&p, 1, killed ? -1 : wait_ms);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        if (overflowed) {
            std::string drop;
            if (!read_some(fd, drop)) break;
            continue;
        }
        if (!read_some(fd, out)) break;
    }
    return out;
}

TaskOutcome command_failure(const std::string& command, const std::string& what) {
    return TaskOutcome::failure("States.TaskFailed", "The handler command '" + command + "' " + what);
}

}  // namespace

TaskOutcome run_command_handler(const std::string& command, const TaskRequest& request) {
    Pipe in, out, err;
    if (::pipe2(in.fd, O_CLOEXEC) != 0 || ::pipe2(out.fd, O_CLOEXEC) != 0 || ::pipe2(err.fd, O_CLOEXEC) != 0)
        return command_failure(command, std::string("could not be started: ") + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) return command_failure(command, std::string("could not be started: ") + std::strerror(errno));
    if (pid == 0) {
        ::setpgid(0, 0);  // its own group: a timeout kills the command and everything it started
        ::dup2(in.fd[0], 0);
        ::dup2(out.fd[1], 1);
        ::dup2(err.fd[1], 2);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here, so the group exists before we might kill it
    in.close_end(0);
    out.close_end(1);
    err.close_end(1);
    const std::string payload = request.payload.dump();
    const int write_fd = in.fd[1];
    in.fd[1] = -1;
    std::thread writer([write_fd, &payload] {
        // A command that exits without reading closes the pipe. Writing then raises SIGPIPE in this thread,
        // which would kill the whole process: block it here, treat EPIPE as "done", and drop the pending signal.
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
        std::size_t done = 0;
        while (done < payload.size()) {
            const ssize_t n = ::write(write_fd, payload.data() + done, payload.size() - done);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                break;
            }
        }
        ::close(write_fd);
        const timespec no_wait{0, 0};
        while (sigtimedwait(&pipe_set, nullptr, &no_wait) == SIGPIPE) {
        }
    });
    std::string error_text;
    std::thread err_reader([&] { error_text = read_all(err.fd[0]); });
    bool killed = false;
    bool overflowed = false;
    std::string output = read_until_done(out.fd[0], pid, request, killed, overflowed);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (killed) ::kill(-pid, SIGKILL);  // whatever of the group still holds stderr
    writer.join();
    err_reader.join();
    if (overflowed)
        return command_failure(command, "printed more than " + std::to_string(max_stdout_bytes >> 20) +
                                            " MiB on stdout and was killed (a task result is at most 256 KiB)");
    if (killed) return command_failure(command, "was killed (process group " + std::to_string(pid) +
                                                    ") because the task timed out or was stopped");
    if (WIFSIGNALED(status))
        return command_failure(command, "was killed by signal " + std::to_string(WTERMSIG(status)));
    const int code = WEXITSTATUS(status);
    if (code == 0) {
        try {
            return TaskOutcome::result(Value::parse(output), output);
        } catch (const sfn::Error& e) {
            return command_failure(command, std::string("printed a result that is not JSON: ") + e.what());
        }
    }
    if (code == 1) {
        try {
            Value error = Value::parse(output);
            const Value* type = error.find("errorType");
            if (type && type->is_string()) return TaskOutcome::function_error(type->as_string(), error.dump());
        } catch (const sfn::Error&) {
            // Not a function error document: reported below as a plain command failure.
        }
    }
    std::string what = "exited with status " + std::to_string(code);
    if (!error_text.empty()) what += ": " + error_text.substr(0, 2000);
    return command_failure(command, what);
}

}  // namespace sfn::engine::detail
