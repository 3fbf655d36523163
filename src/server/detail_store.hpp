#pragma once
// The SQLite store (WAL): every record is a JSON document keyed by its ARN; history events are rows
// keyed by (execution ARN, event id). Execution records also carry their state machine, start order and
// status in indexed columns, so the service keeps no finished execution in memory: it reads them back
// (get, executions_of) when asked. Thread-safe.
//
// Writes are group-committed. Every write joins one queue, in order; whoever needs a write committed and
// finds no commit running takes the whole queue and commits it in one transaction (the "leader"); the
// others wait for that transaction, so N concurrent requests cost one commit instead of N.
//   - put/remove return only after the transaction carrying them committed, and throw when it failed
//     (the write is then not stored): a client is acknowledged only for what is durable.
//   - put_later/append_event only queue: a later leader, or the background flusher at the latest
//     `flush_interval` after the write was queued, commits them. When their transaction fails they stay
//     queued, in order, and are retried with the next one, so what is committed is always a prefix of
//     what was queued (a history never has a gap).
//   - reads (load, events, last_event_id) commit the queue first, so they see everything written before;
//     get, executions_of and running_executions read only what is committed, on a connection of their own
//     (on disk), so they neither wait for nor force a commit.
// Checkpoints (copying the WAL into the database file, with an fsync) run on their own thread and
// connection, never inside a request's commit.

#include "server/detail_database_lock.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sfn::server::detail {

enum class Table { machines, versions, aliases, tags, activities, executions, map_runs };
inline constexpr std::size_t table_count = 7;

class Store {
public:
    /// Identifies a queued write; see durable_through().
    using Ticket = std::uint64_t;

    /// Opens or creates the database at `path` (nullopt = in memory), in WAL mode.
    /// \throws sfn::Error (sfn.server.E001) naming the file and SQLite's message.
    explicit Store(const std::optional<std::filesystem::path>& path);
    ~Store();  ///< commits what is still queued (errors can no longer be reported)
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// A history event: its id and its GetExecutionHistory JSON text.
    struct Event {
        std::int64_t id = 0;
        std::string text;
    };

    /// Stores `doc` under `key` (and `event` in the history of `key`, in the same transaction) and returns
    /// once it is committed.
    /// \throws sfn::Error (sfn.server.E001) when the transaction carrying it failed; nothing was stored.
    void put(Table table, const std::string& key, const nlohmann::json& doc, std::optional<Event> event = {});
    /// Deletes `key` (an execution's history with it) and returns once that is committed. \throws as put().
    void remove(Table table, const std::string& key);
    /// Queues `doc` under `key` without waiting and returns its ticket (see durable_through()).
    Ticket put_later(Table table, const std::string& key, const nlohmann::json& doc);
    /// Every put_later/append_event write up to this ticket is committed.
    [[nodiscard]] Ticket durable_through();

    [[nodiscard]] std::vector<nlohmann::json> load(Table table);
    /// The committed record under `key`, if any.
    [[nodiscard]] std::optional<nlohmann::json> get(Table table, const std::string& key);

    /// Committed execution records of state machine `machine_arn` started before `before_seq` (their `_seq`),
    /// newest first, at most `limit`; only those whose status is `status` unless it is "".
    [[nodiscard]] std::vector<nlohmann::json> executions_of(const std::string& machine_arn, std::int64_t before_seq,
                                                            std::size_t limit, const std::string& status);
    /// Committed execution records whose status is RUNNING.
    [[nodiscard]] std::vector<nlohmann::json> running_executions();
    /// The largest `_seq` of any execution record (0 when there is none).
    [[nodiscard]] std::int64_t last_execution_seq();

    /// Queues one history event (its GetExecutionHistory JSON text) without waiting; a non-empty
    /// `resume_point` is the checkpoint made with it, stored in the same row.
    void append_event(const std::string& execution_arn, std::int64_t id, std::string event_json,
                      std::string resume_point = {});
    /// The execution's last checkpoint: the id of the last event before it, and its text.
    struct ResumePoint {
        std::int64_t id = 0;
        std::string doc;
    };
    [[nodiscard]] std::optional<ResumePoint> resume_point(const std::string& execution_arn);
    /// One committed history event's text.
    [[nodiscard]] std::optional<std::string> event(const std::string& execution_arn, std::int64_t id);
    /// Queues a checkpoint made without an event of its own (after event `id`) without waiting.
    void put_resume_point(const std::string& execution_arn, std::int64_t id, std::string resume_point);
    /// Queues the removal of the execution's checkpoints (it starts over: a redrive) without waiting.
    void forget_resume_point(const std::string& execution_arn);
    /// A finished Map iteration or Parallel branch of an execution's top-level Map/Parallel state (durable
    /// executions: engine::FinishedChild), `started_id` the stored id of that state's Started event.
    struct FinishedChild {
        std::int64_t started_id = 0;
        std::int64_t index = 0;
        std::string state;
        bool succeeded = false;
        std::string record;
    };
    /// Queues the removal of an execution's whole history without waiting (its record stays).
    void forget_events(const std::string& execution_arn);
    /// Queues a finished child (replacing one of the same run and index) without waiting.
    void put_finished_child(const std::string& execution_arn, FinishedChild child);
    /// Queues the removal of the execution's finished children without waiting.
    void forget_finished_children(const std::string& execution_arn);
    /// The execution's finished children (everything queued before is committed first), by run and index.
    [[nodiscard]] std::vector<FinishedChild> finished_children(const std::string& execution_arn);
    /// Deletes the events after `id` of an execution and returns once that is committed. \throws as put().
    void discard_events_after(const std::string& execution_arn, std::int64_t id);
    /// Up to `limit` events after `cursor` (ascending: id > cursor; reverse: id < cursor, 0 = from the end).
    [[nodiscard]] std::vector<std::string> events(const std::string& execution_arn, std::int64_t cursor,
                                                  std::size_t limit, bool reverse);
    [[nodiscard]] std::int64_t last_event_id(const std::string& execution_arn);

    /// Commits everything queued so far. \throws sfn::Error when that transaction fails.
    void flush();

private:
    /// Held while the file is open: one process per database file (see detail_database_lock.hpp).
    std::optional<DatabaseLock> lock_;
    enum class Kind { put, remove, event, resume_point, discard, forget, child, forget_children, barrier };
    using Clock = std::chrono::steady_clock;
    struct Write {
        Kind kind = Kind::barrier;
        Table table = Table::machines;
        std::string key;   // the record's key, or the execution ARN of an event
        std::int64_t id = 0;  // event id
        std::string text;  // the document or event JSON
        std::string resume_point;  // event: the checkpoint stored with it ("" = none)
        std::optional<Event> event;  // put: an event stored with the record
        // put of an execution record: its indexed columns
        std::string machine;
        std::int64_t seq = 0;
        std::string status;
        std::optional<FinishedChild> child;  // child: the finished child
        bool waited = false;  // put/remove/barrier: a caller waits and is told about a failure
        Ticket ticket = 0;
        Clock::time_point queued_at;
    };
    struct Statements {
        std::array<sqlite3_stmt*, table_count> put{};
        std::array<sqlite3_stmt*, table_count> remove{};
        std::array<sqlite3_stmt*, table_count> load{};
        sqlite3_stmt* insert_event = nullptr;
        sqlite3_stmt* remove_history = nullptr;
        sqlite3_stmt* events_ascending = nullptr;
        sqlite3_stmt* events_descending = nullptr;
        sqlite3_stmt* last_event_id = nullptr;
        sqlite3_stmt* put_resume_point = nullptr;
        sqlite3_stmt* remove_resume_point = nullptr;
        sqlite3_stmt* resume_point = nullptr;
        sqlite3_stmt* discard_events = nullptr;
        sqlite3_stmt* event = nullptr;
        sqlite3_stmt* insert_child = nullptr;
        sqlite3_stmt* remove_children = nullptr;
        sqlite3_stmt* children = nullptr;
    };
    /// Statements of the reading connection (see get()).
    struct Reads {
        std::array<sqlite3_stmt*, table_count> get{};
        sqlite3_stmt* executions_of = nullptr;
        sqlite3_stmt* running = nullptr;
        sqlite3_stmt* last_seq = nullptr;
    };

    static Write record_write(Table table, const std::string& key, const nlohmann::json& doc);  // a put
    static Write execution_write(Kind kind, const std::string& execution_arn, std::int64_t id);  // history, checkpoint
    Ticket enqueue(Write write);  // queue_mutex_ not held
    /// Waits until the waited write `ticket` was tried, leading a commit when none runs; throws its failure.
    void wait(Ticket ticket);
    /// Takes the queue and commits it; called and returns with `lock` (on queue_mutex_) held.
    void commit_queue(std::unique_lock<std::mutex>& lock);
    /// Runs `batch` in one transaction (db_mutex_ held); "" on success, else what failed.
    std::string apply(const std::vector<Write>& batch);
    std::string apply_one(const Write& write);  // "" or what failed
    std::string insert_event(const std::string& execution_arn, const Event& event, const std::string& checkpoint);
    /// Steps a bound statement and resets it; "" or `what()` with SQLite's message.
    template <class What>
    std::string step(sqlite3_stmt* stmt, const What& what);
    void close() noexcept;  // finalizes the statements, closes the connections
    void flusher();
    void checkpointer();
    static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);

    void exec(const char* sql);
    void migrate();  // adds the execution columns to a database written before they existed
    [[noreturn]] void fail(const std::string& what, sqlite3* db = nullptr);
    sqlite3_stmt* prepare(const std::string& sql, sqlite3* db = nullptr);
    /// Steps a bound read statement to its end, parsing column 0 of each row as a record of `table`.
    std::vector<nlohmann::json> read_docs(sqlite3_stmt* stmt, Table table);

    std::string where_;
    bool on_disk_ = false;
    // Fault injection for tests, read from the environment when an on-disk database opens:
    // SFN_FAULT_EXIT_AFTER_STATEMENTS=N ends the process (_exit(fault_exit_status)) right after the Nth statement
    // of the group commits, before the transaction commits; SFN_FAULT_MAX_PAGE_COUNT=P caps the file at P pages
    // (PRAGMA max_page_count), so that writes beyond it fail with SQLITE_FULL as on a full disk.
    std::uint64_t exit_after_statements_ = 0;
    std::uint64_t statements_ = 0;  // statements stepped by group commits (db_mutex_)

    std::mutex db_mutex_;  // the connection and its statements
    sqlite3* db_ = nullptr;
    Statements sql_;

    // The reading connection: its own on disk (WAL readers see the last commit and never block the
    // writer); the writing connection, under db_mutex_, for an in-memory database.
    std::mutex read_mutex_;
    sqlite3* read_db_ = nullptr;
    Reads reads_;
    std::mutex& read_lock() { return on_disk_ ? read_mutex_ : db_mutex_; }

    std::mutex queue_mutex_;  // everything below up to the flusher
    std::condition_variable committed_cv_;  // a commit finished
    std::condition_variable flusher_cv_;
    std::deque<Write> pending_;
    Ticket next_ticket_ = 1;
    Ticket tried_through_ = 0;    // every write up to here was in a transaction that finished
    Ticket durable_through_ = 0;  // every put_later/event up to here is committed
    std::unordered_map<Ticket, std::string> failures_;  // waited writes whose transaction failed
    bool committing_ = false;
    bool flusher_idle_ = false;
    std::optional<Clock::time_point> failed_at_;  // the last commit failed: the flusher backs off
    bool stopping_ = false;
    std::thread flusher_;

    static constexpr auto flush_interval = std::chrono::milliseconds(2);
    static constexpr auto retry_interval = std::chrono::milliseconds(200);
    // SQLite's own auto-checkpoint size, taken off the request path. Under steady writes a checkpoint
    // running beside them never finds the WAL fully copied, so the WAL cannot restart from its beginning;
    // past `checkpoint_limit_pages` the checkpointer holds commits back for one pass to let it restart.
    static constexpr int fault_exit_status = 86;  // of SFN_FAULT_EXIT_AFTER_STATEMENTS
    static constexpr int checkpoint_pages = 1000;
    static constexpr int checkpoint_limit_pages = 16000;

    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_cv_;
    int wal_pages_ = 0;   // the WAL's size after the last commit
    int backfilled_ = 0;  // of which the last checkpoint copied this many
    bool checkpoint_stopping_ = false;
    sqlite3* checkpoint_db_ = nullptr;
    std::thread checkpointer_;
};

}  // namespace sfn::server::detail
