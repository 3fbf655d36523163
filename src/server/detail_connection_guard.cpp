#include "server/detail_connection_guard.hpp"

#include <dirent.h>
#include <linux/tcp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <utility>
#include <vector>

// Why this exists: cpp-httplib 0.11 reads the request line and every header line into memory before any of
// our handlers can look at the request. It bounds the length of each line but not how many lines there are,
// and its read timeout only fires when the client goes quiet, so a client streaming header lines as fast as it
// can makes the server store all of them (gigabytes in seconds). The library is a compiled system library we
// cannot change, so the bound is enforced from outside: the kernel counts the bytes each socket has received
// (TCP_INFO tcpi_bytes_received), and a connection whose count since its last complete request passes the
// limit is shut down. httplib's pending read then returns, and it closes the socket as for any dropped client.

namespace sfn::server::detail {

namespace {

struct Seen {
    std::string peer;
    int fd = -1;
    std::uint64_t bytes_received = 0;
};

std::string peer_key(const std::string& address, int port) { return address + '|' + std::to_string(port); }

// The peer as httplib names it in Request::remote_addr (getnameinfo, numeric host) plus the port, when `fd` is
// a connected TCP socket whose local port is `port`.
std::optional<std::string> connection_peer(int fd, std::uint16_t port) {
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return std::nullopt;
    std::uint16_t local_port = 0;
    if (local.ss_family == AF_INET) {
        local_port = ntohs(reinterpret_cast<const sockaddr_in&>(local).sin_port);
    } else if (local.ss_family == AF_INET6) {
        local_port = ntohs(reinterpret_cast<const sockaddr_in6&>(local).sin6_port);
    } else {
        return std::nullopt;
    }
    if (local_port != port) return std::nullopt;
    sockaddr_storage remote{};
    length = sizeof remote;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &length) != 0) return std::nullopt;  // listening
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<const sockaddr*>(&remote), length, host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return std::nullopt;
    }
    return peer_key(host, std::atoi(service));
}

enum class Counter { available, missing, unreadable };

// tcpi_bytes_received arrived with Linux 4.1; older kernels fill a shorter struct tcp_info.
Counter bytes_received(int fd, std::uint64_t& bytes) {
    tcp_info info{};
    socklen_t length = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return Counter::unreadable;
    if (length < offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received) return Counter::missing;
    bytes = info.tcpi_bytes_received;
    return Counter::available;
}

}  // namespace

ConnectionGuard::ConnectionGuard(std::uint16_t port, std::uint64_t limit, std::chrono::milliseconds interval)
    : port_(port), limit_(limit), interval_(interval), thread_([this] { watch(); }) {}

ConnectionGuard::~ConnectionGuard() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

bool ConnectionGuard::enabled() const {
    const std::lock_guard lock(mutex_);
    return enabled_;
}

void ConnectionGuard::request_done(const std::string& address, int port) {
    const std::lock_guard lock(mutex_);
    if (!enabled_) return;
    // The next poll takes the connection's count as its new baseline. What arrives before that poll is
    // forgiven: at most one interval's worth, the same bound as the overshoot. A peer the watchdog has not
    // seen yet is remembered until the next complete poll, which must find its socket if it is still open.
    auto& connection = connections_[peer_key(address, port)];
    connection.reset_pending = true;
    if (connection.fd < 0) connection.generation = generation_;
}

void ConnectionGuard::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_ && enabled_) {
        lock.unlock();
        poll();
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

void ConnectionGuard::poll() {
    std::uint64_t generation = 0;
    {
        const std::lock_guard lock(mutex_);
        generation = ++generation_;
    }
    // The fds are listed without the lock: a few syscalls per open socket, none of them blocking.
    std::vector<Seen> seen;
    bool counter_missing = false;
    if (DIR* dir = opendir("/proc/self/fd")) {
        const int own = dirfd(dir);
        while (const dirent* entry = readdir(dir)) {
            char* end = nullptr;
            const long fd = std::strtol(entry->d_name, &end, 10);
            if (*end != '\0' || end == entry->d_name || fd == own) continue;
            auto peer = connection_peer(static_cast<int>(fd), port_);
            if (!peer) continue;
            Seen s{std::move(*peer), static_cast<int>(fd), 0};
            const auto counter = bytes_received(s.fd, s.bytes_received);
            if (counter == Counter::missing) {
                counter_missing = true;
                break;
            }
            if (counter == Counter::available) seen.push_back(std::move(s));
        }
        closedir(dir);
    }
    std::vector<Seen> over;
    {
        const std::lock_guard lock(mutex_);
        if (counter_missing) {
            enabled_ = false;
            connections_.clear();
        } else {
            for (auto& s : seen) {
                auto& connection = connections_[s.peer];
                if (connection.fd >= 0 && connection.fd != s.fd) connection = Connection{};
                connection.fd = s.fd;
                connection.generation = generation;
                if (connection.reset_pending) {
                    connection.baseline = s.bytes_received;
                    connection.reset_pending = false;
                }
                if (!connection.cut && s.bytes_received - connection.baseline > limit_) {
                    connection.cut = true;
                    over.push_back(std::move(s));
                }
            }
            std::erase_if(connections_, [generation](const auto& item) { return item.second.generation < generation; });
        }
    }
    if (counter_missing) {
        std::cerr << "sfn serve: this kernel's TCP_INFO has no tcpi_bytes_received (Linux 4.1+); the size of a "
                     "request's headers is bounded by the read timeout only\n";
        return;
    }
    for (const auto& s : over) {
        // The fd may have been closed and its number reused since the listing: cut it only if it is still the
        // same connection. shutdown() leaves the fd itself to its owner. A zero linger makes the owner's close()
        // reset the connection: a plain close leaves a client still sending stuck on a zero window for about
        // 100 s before it learns that nobody reads.
        if (connection_peer(s.fd, port_) != s.peer) continue;
        const linger abort{1, 0};
        setsockopt(s.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        shutdown(s.fd, SHUT_RDWR);
    }
}

}  // namespace sfn::server::detail
