#include "server/detail_store.hpp"

#include "sfn/core/error.hpp"

#include <sqlite3.h>

#include <cstdint>

namespace sfn::server::detail {
namespace {

const char* table_name(Table table) {
    switch (table) {
        case Table::machines: return "machines";
        case Table::versions: return "versions";
        case Table::aliases: return "aliases";
        case Table::tags: return "tags";
        case Table::activities: return "activities";
        case Table::executions: return "executions";
    }
    return "machines";
}

constexpr const char* schema = R"SQL(
CREATE TABLE IF NOT EXISTS machines   (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions   (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases    (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tags       (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activities (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (execution TEXT NOT NULL, id INTEGER NOT NULL, doc TEXT NOT NULL,
                                    PRIMARY KEY (execution, id)) WITHOUT ROWID;
)SQL";

// Resets a cached statement whatever happens to the step.
struct Reset {
    sqlite3_stmt* stmt;
    ~Reset() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
};

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* stmt, int index) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, index))) : std::string();
}

}  // namespace

Store::Store(const std::optional<std::filesystem::path>& path) : where_(path ? path->string() : ":memory:") {
    if (path && path->has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path->parent_path(), ec);
    }
    if (sqlite3_open_v2(where_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw sfn::Error("sfn.server.E001", "cannot open the database '" + where_ + "': " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
    // WAL + synchronous=NORMAL: a committed transaction survives the process being killed (it is in the
    // WAL file); only an operating-system crash could lose the last transactions.
    if (path) exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec(schema);
    flusher_ = std::thread([this] { flusher(); });
}

Store::~Store() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    pending_cv_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    try {
        std::lock_guard lock(mutex_);
        flush_locked();
    } catch (const sfn::Error&) {
        // Nothing left to report to.
    }
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
}

void Store::fail(const std::string& what) {
    throw sfn::Error("sfn.server.E001", "database '" + where_ + "': " + what + ": " + sqlite3_errmsg(db_));
}

void Store::exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw sfn::Error("sfn.server.E001", "database '" + where_ + "': " + message);
    }
}

sqlite3_stmt* Store::statement(const std::string& sql) {
    for (auto& [text, stmt] : cache_) {
        if (text == sql) return stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        fail("cannot prepare '" + sql + "'");
    }
    cache_.emplace_back(sql, stmt);
    return stmt;
}

void Store::insert_event(const std::string& execution_arn, std::int64_t id, const std::string& event_json) {
    auto* stmt = statement("INSERT OR REPLACE INTO history (execution, id, doc) VALUES (?, ?, ?)");
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    sqlite3_bind_int64(stmt, 2, id);
    bind_text(stmt, 3, event_json);
    if (sqlite3_step(stmt) != SQLITE_DONE) fail("cannot store event " + std::to_string(id) + " of " + execution_arn);
}

void Store::flush_locked() {
    if (pending_.empty()) return;
    try {
        exec("BEGIN");
        for (const auto& event : pending_) insert_event(event.execution, event.id, event.doc);
        exec("COMMIT");
    } catch (...) {
        // Keep the queue: the next operation retries it and reports the error if it persists.
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    pending_.clear();
}

void Store::flush() {
    std::lock_guard lock(mutex_);
    flush_locked();
}

void Store::flusher() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        pending_cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
        if (stopping_) break;
        // Let the batch grow for one interval, then commit it in one transaction.
        pending_cv_.wait_for(lock, flush_interval, [this] { return stopping_; });
        try {
            flush_locked();
        } catch (const sfn::Error&) {
            // The queue is kept; the next synchronous operation retries it and reports a lasting error.
        }
    }
}

void Store::put(Table table, const std::string& key, const nlohmann::json& doc) {
    const std::string text = doc.dump();
    std::lock_guard lock(mutex_);
    flush_locked();
    auto* stmt = statement(std::string("INSERT OR REPLACE INTO ") + table_name(table) + " (key, doc) VALUES (?, ?)");
    Reset reset{stmt};
    bind_text(stmt, 1, key);
    bind_text(stmt, 2, text);
    if (sqlite3_step(stmt) != SQLITE_DONE) fail("cannot store " + key);
}

void Store::remove(Table table, const std::string& key) {
    std::lock_guard lock(mutex_);
    flush_locked();
    auto* stmt = statement(std::string("DELETE FROM ") + table_name(table) + " WHERE key = ?");
    Reset reset{stmt};
    bind_text(stmt, 1, key);
    if (sqlite3_step(stmt) != SQLITE_DONE) fail("cannot delete " + key);
    if (table == Table::executions) {
        auto* history = statement("DELETE FROM history WHERE execution = ?");
        Reset reset_history{history};
        bind_text(history, 1, key);
        if (sqlite3_step(history) != SQLITE_DONE) fail("cannot delete the history of " + key);
    }
}

std::vector<nlohmann::json> Store::load(Table table) {
    std::lock_guard lock(mutex_);
    flush_locked();
    auto* stmt = statement(std::string("SELECT doc FROM ") + table_name(table));
    Reset reset{stmt};
    std::vector<nlohmann::json> out;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const std::string text = column_text(stmt, 0);
        auto doc = nlohmann::json::parse(text, nullptr, false);
        if (doc.is_discarded()) {
            throw sfn::Error("sfn.server.E001",
                             "database '" + where_ + "': a row of table " + table_name(table) + " is not JSON");
        }
        out.push_back(std::move(doc));
    }
    if (rc != SQLITE_DONE) fail(std::string("cannot read table ") + table_name(table));
    return out;
}

void Store::append_event(const std::string& execution_arn, std::int64_t id, const std::string& event_json) {
    {
        std::lock_guard lock(mutex_);
        pending_.push_back({execution_arn, id, event_json});
        if (pending_.size() > 1) return;  // the flusher is already waiting on this batch
    }
    pending_cv_.notify_one();
}

void Store::append_events(const std::string& execution_arn,
                          const std::vector<std::pair<std::int64_t, std::string>>& events) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, text] : events) pending_.push_back({execution_arn, id, text});
    flush_locked();
}

std::vector<std::string> Store::events(const std::string& execution_arn, std::int64_t cursor, std::size_t limit,
                                       bool reverse) {
    std::lock_guard lock(mutex_);
    flush_locked();
    auto* stmt = statement(reverse ? "SELECT doc FROM history WHERE execution = ? AND id < ? ORDER BY id DESC LIMIT ?"
                                   : "SELECT doc FROM history WHERE execution = ? AND id > ? ORDER BY id ASC LIMIT ?");
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    sqlite3_bind_int64(stmt, 2, reverse && cursor == 0 ? INT64_MAX : cursor);
    sqlite3_bind_int64(stmt, 3, static_cast<sqlite3_int64>(limit));
    std::vector<std::string> out;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) out.push_back(column_text(stmt, 0));
    if (rc != SQLITE_DONE) fail("cannot read the history of " + execution_arn);
    return out;
}

std::int64_t Store::last_event_id(const std::string& execution_arn) {
    std::lock_guard lock(mutex_);
    flush_locked();
    auto* stmt = statement("SELECT MAX(id) FROM history WHERE execution = ?");
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    if (sqlite3_step(stmt) != SQLITE_ROW) fail("cannot read the history of " + execution_arn);
    return sqlite3_column_int64(stmt, 0);
}

}  // namespace sfn::server::detail
