#pragma once
/// \file
/// ConnectionGuard: bounds the bytes a client may send for one request on the HTTP server's connections,
/// watching them from outside the HTTP library (Linux: /proc/self/fd and TCP_INFO).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace sfn::server::detail {

/// Watches every accepted TCP connection to one local port and shuts down (never closes) a connection that
/// has received more than `limit` bytes since its last request was read. The owner of the socket then sees
/// its read end and closes it.
///
/// One watchdog thread polls every `interval`, so a connection may overshoot the limit by what arrives within
/// one interval. On a kernel whose TCP_INFO lacks `tcpi_bytes_received` (before Linux 4.1) the guard turns
/// itself off after the first look and prints one note on stderr.
///
/// **Example**
/// @code
/// ConnectionGuard guard(port, 9 * 1024 * 1024);  // starts the watchdog; the destructor stops it
/// guard.request_done(req.remote_addr, req.remote_port);  // each time a request has been read
/// @endcode
class ConnectionGuard {
public:
    /// Starts the watchdog. \pre `port` is the bound port of a listening socket of this process.
    ConnectionGuard(std::uint16_t port, std::uint64_t limit,
                    std::chrono::milliseconds interval = std::chrono::milliseconds(50));
    /// Stops and joins the watchdog.
    ~ConnectionGuard();
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

    /// A request from this peer (numeric address as getnameinfo prints it, port) has been read in full:
    /// the bytes it received so far no longer count (from the next poll on). Cheap: one map lookup, no syscall.
    void request_done(const std::string& address, int port);

    /// False once the kernel turned out to have no byte counter.
    [[nodiscard]] bool enabled() const;

private:
    struct Connection {
        int fd = -1;
        std::uint64_t baseline = 0;    ///< bytes_received when its last request was done
        std::uint64_t generation = 0;  ///< the last poll that saw it
        bool reset_pending = false;    ///< a request was done since the last poll
        bool cut = false;
    };

    void watch();
    void poll();

    std::uint16_t port_;
    std::uint64_t limit_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool enabled_ = true;
    std::uint64_t generation_ = 0;
    /// Keyed by "address|port" of the peer: a new connection on a reused fd number has another peer and so
    /// starts from 0. Requests done before the watchdog first saw their connection are kept with fd -1.
    std::map<std::string, Connection> connections_;
    std::thread thread_;
};

}  // namespace sfn::server::detail
