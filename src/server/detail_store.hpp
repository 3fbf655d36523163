#pragma once
// The SQLite store (WAL): every record is a JSON document keyed by its ARN; history events are rows
// keyed by (execution ARN, event id). Thread-safe (one connection behind a mutex).
// History events are group-committed: append_event queues the row and a flusher thread commits everything
// queued in one transaction every `flush_interval`; every other operation (put, remove, load, events,
// last_event_id) first commits the queue in its own transaction, so whatever a client has been shown
// (a history page, a final execution record) is durable, and the committed history is always a prefix.

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <thread>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sfn::server::detail {

enum class Table { machines, versions, aliases, tags, activities, executions };

class Store {
public:
    /// Opens or creates the database at `path` (nullopt = in memory), in WAL mode.
    /// \throws sfn::Error (sfn.server.E001) naming the file and SQLite's message.
    explicit Store(const std::optional<std::filesystem::path>& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    void put(Table table, const std::string& key, const nlohmann::json& doc);
    void remove(Table table, const std::string& key);
    [[nodiscard]] std::vector<nlohmann::json> load(Table table);

    /// Queues one history event (its GetExecutionHistory JSON text) for the next group commit.
    void append_event(const std::string& execution_arn, std::int64_t id, const std::string& event_json);
    /// Several events in one transaction.
    void append_events(const std::string& execution_arn,
                       const std::vector<std::pair<std::int64_t, std::string>>& events);
    /// Up to `limit` events after `cursor` (ascending: id > cursor; reverse: id < cursor, 0 = from the end).
    [[nodiscard]] std::vector<std::string> events(const std::string& execution_arn, std::int64_t cursor,
                                                  std::size_t limit, bool reverse);
    [[nodiscard]] std::int64_t last_event_id(const std::string& execution_arn);

    /// Commits the queued history events now.
    void flush();

private:
    void exec(const char* sql);
    void flush_locked();  // mutex_ held
    void flusher();
    void insert_event(const std::string& execution_arn, std::int64_t id, const std::string& event_json);

    [[noreturn]] void fail(const std::string& what);
    sqlite3_stmt* statement(const std::string& sql);

    std::mutex mutex_;
    sqlite3* db_ = nullptr;
    std::string where_;
    std::vector<std::pair<std::string, sqlite3_stmt*>> cache_;

    struct Pending {
        std::string execution;
        std::int64_t id;
        std::string doc;
    };
    static constexpr auto flush_interval = std::chrono::milliseconds(2);
    std::vector<Pending> pending_;
    std::condition_variable pending_cv_;
    bool stopping_ = false;
    std::thread flusher_;
};

}  // namespace sfn::server::detail
