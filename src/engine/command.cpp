// External command handlers: fork/exec /bin/sh -c, feed stdin from a writer thread so a command that
// writes a lot before reading cannot deadlock us.
#include "engine/detail_command.hpp"
#include "sfn/core/error.hpp"

#include <cerrno>
#include <cstring>
#include <thread>

#include <fcntl.h>
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

std::string read_all(int fd) {
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
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
        ::dup2(in.fd[0], 0);
        ::dup2(out.fd[1], 1);
        ::dup2(err.fd[1], 2);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
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
    std::string output = read_all(out.fd[0]);
    writer.join();
    err_reader.join();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
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
