#pragma once
// Starts ${SFN_SHARED_DIR}/aws/moto_server_fixed.py (or another loopback server process) on a free 127.0.0.1
// port for the lifetime of the object (header-only so tests/session can include it as "aws/moto_support.hpp").

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sfn::testing {

inline int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot bind a loopback port");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

inline bool port_accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

/// A child process that serves HTTP on a loopback port, started in the constructor (waits until the port
/// accepts connections, at most 60 s) and stopped with SIGTERM in the destructor.
class LoopbackProcess {
public:
    LoopbackProcess(std::vector<std::string> argv, int port, std::string what) : port_(port), what_(std::move(what)) {
        // Everything the child needs is prepared before fork: only async-signal-safe calls after it.
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        const bool keep_stderr = std::getenv("SFN_TEST_CHILD_STDERR") != nullptr;
        pid_ = ::fork();
        if (pid_ == 0) {
            int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            if (!keep_stderr) ::dup2(null, 2);
            ::execvp(args[0], args.data());
            ::_exit(127);
        }
        if (pid_ < 0) throw std::runtime_error("fork failed");
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!port_accepts(port_)) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error(what_ + " exited during startup");
            }
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(what_ + " did not start");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ~LoopbackProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    LoopbackProcess(const LoopbackProcess&) = delete;
    LoopbackProcess& operator=(const LoopbackProcess&) = delete;

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    int port_;
    std::string what_;
    pid_t pid_ = -1;
};

/// moto_server (${SFN_SHARED_DIR}/aws/moto_server_fixed.py) on a free loopback port.
class MotoServer {
public:
    MotoServer() : MotoServer(free_loopback_port()) {}
    explicit MotoServer(int port)
        : process_({"python3", std::string(SFN_SHARED_DIR) + "/aws/moto_server_fixed.py", std::to_string(port)}, port,
                   "moto_server (" + std::string(SFN_SHARED_DIR) + "/aws/moto_server_fixed.py)") {}

    [[nodiscard]] int port() const { return process_.port(); }
    [[nodiscard]] std::string endpoint() const { return process_.endpoint(); }

private:
    LoopbackProcess process_;
};

}  // namespace sfn::testing
