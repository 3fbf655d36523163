#include "server/detail_store.hpp"

#include "sfn/core/error.hpp"

#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

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
        case Table::map_runs: return "map_runs";
    }
    return "machines";
}

constexpr const char* schema = R"SQL(
CREATE TABLE IF NOT EXISTS machines   (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions   (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases    (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tags       (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activities (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS map_runs   (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (key TEXT PRIMARY KEY, doc TEXT NOT NULL,
                                       machine TEXT, seq INTEGER, status TEXT);
-- checkpoint: a STANDARD execution's checkpoint (see engine/checkpoint.hpp) made with this event, in the same row
-- (or, for a Retry decision, set on the last event before it); the last one is where the execution resumes.
CREATE TABLE IF NOT EXISTS history (execution TEXT NOT NULL, id INTEGER NOT NULL, doc TEXT NOT NULL,
                                    checkpoint TEXT, PRIMARY KEY (execution, id)) WITHOUT ROWID;
-- The finished iterations and branches of a STANDARD execution's top-level Map/Parallel state (see
-- engine/checkpoint.hpp, FinishedChild): started is the id of that state's Started event, record the engine's.
CREATE TABLE IF NOT EXISTS finished_children (execution TEXT NOT NULL, started INTEGER NOT NULL,
                                              child INTEGER NOT NULL, state TEXT NOT NULL,
                                              succeeded INTEGER NOT NULL, record TEXT NOT NULL,
                                              PRIMARY KEY (execution, started, child)) WITHOUT ROWID;
)SQL";

// After migrate(): ListExecutions pages through one machine's executions, newest first; recovery finds the
// RUNNING ones and the last start order without reading the others.
constexpr const char* execution_indexes = R"SQL(
CREATE INDEX IF NOT EXISTS executions_by_machine ON executions (machine, seq);
CREATE INDEX IF NOT EXISTS executions_by_seq ON executions (seq);
CREATE INDEX IF NOT EXISTS executions_running ON executions (status) WHERE status = 'RUNNING';
)SQL";

// Resets a prepared statement whatever happens to the step.
struct Reset {
    sqlite3_stmt* stmt;
    ~Reset() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
};

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

/// A positive integer from the environment variable `name`, else 0.
std::uint64_t positive_env(const char* name) {
    const char* text = std::getenv(name);
    if (!text || !*text) return 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(text, &end, 10);
    return end && *end == '\0' ? n : 0;
}

std::string column_text(sqlite3_stmt* stmt, int index) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, index))) : std::string();
}

}  // namespace

Store::Store(const std::optional<std::filesystem::path>& path)
    : where_(path ? path->string() : ":memory:"), on_disk_(path.has_value()) {
    if (path && path->has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path->parent_path(), ec);
    }
    if (path) lock_.emplace(*path);
    constexpr int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(where_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw sfn::Error("sfn.server.E001", "cannot open the database '" + where_ + "': " + message);
    }
    try {
        sqlite3_busy_timeout(db_, 5000);
        // WAL + synchronous=NORMAL: a committed transaction survives the process being killed (it is in the
        // WAL file); only an operating-system crash could lose the last transactions.
        if (on_disk_) {
            exec("PRAGMA journal_mode=WAL");
            exec("PRAGMA journal_size_limit=67108864");
            sqlite3_wal_autocheckpoint(db_, 0);
            sqlite3_wal_hook(db_, &Store::on_wal_commit, this);
        }
        exec("PRAGMA synchronous=NORMAL");
        if (on_disk_) {
            exit_after_statements_ = positive_env("SFN_FAULT_EXIT_AFTER_STATEMENTS");
            if (const auto pages = positive_env("SFN_FAULT_MAX_PAGE_COUNT"))
                exec(("PRAGMA max_page_count=" + std::to_string(pages)).c_str());
        }
        exec(schema);
        migrate();
        exec(execution_indexes);
        for (std::size_t t = 0; t < table_count; ++t) {
            const std::string name = table_name(static_cast<Table>(t));
            sql_.put[t] = prepare(static_cast<Table>(t) == Table::executions
                                      ? "INSERT OR REPLACE INTO executions (key, doc, machine, seq, status) "
                                        "VALUES (?, ?, ?, ?, ?)"
                                      : "INSERT OR REPLACE INTO " + name + " (key, doc) VALUES (?, ?)");
            sql_.remove[t] = prepare("DELETE FROM " + name + " WHERE key = ?");
            sql_.load[t] = prepare("SELECT doc FROM " + name);
        }
        sql_.insert_event =
            prepare("INSERT OR REPLACE INTO history (execution, id, doc, checkpoint) VALUES (?, ?, ?, ?)");
        sql_.remove_history = prepare("DELETE FROM history WHERE execution = ?");
        sql_.events_ascending = prepare("SELECT doc FROM history WHERE execution = ? AND id > ? ORDER BY id ASC LIMIT ?");
        sql_.events_descending =
            prepare("SELECT doc FROM history WHERE execution = ? AND id < ? ORDER BY id DESC LIMIT ?");
        sql_.last_event_id = prepare("SELECT MAX(id) FROM history WHERE execution = ?");
        sql_.put_resume_point = prepare("UPDATE history SET checkpoint = ? WHERE execution = ? AND id = ?");
        sql_.remove_resume_point =
            prepare("UPDATE history SET checkpoint = NULL WHERE execution = ? AND checkpoint IS NOT NULL");
        sql_.resume_point = prepare("SELECT id, checkpoint FROM history WHERE execution = ? AND checkpoint IS NOT NULL "
                                    "ORDER BY id DESC LIMIT 1");
        sql_.event = prepare("SELECT doc FROM history WHERE execution = ? AND id = ?");
        sql_.discard_events = prepare("DELETE FROM history WHERE execution = ? AND id > ?");
        sql_.insert_child = prepare("INSERT OR REPLACE INTO finished_children (execution, started, child, state, "
                                    "succeeded, record) VALUES (?, ?, ?, ?, ?, ?)");
        sql_.remove_children = prepare("DELETE FROM finished_children WHERE execution = ?");
        sql_.children = prepare("SELECT started, child, state, succeeded, record FROM finished_children "
                                "WHERE execution = ? ORDER BY started, child");
        read_db_ = db_;
        if (on_disk_) {
            if (sqlite3_open_v2(where_.c_str(), &read_db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
                SQLITE_OK) {
                const std::string message = read_db_ ? sqlite3_errmsg(read_db_) : "out of memory";
                throw sfn::Error("sfn.server.E001",
                                 "database '" + where_ + "': cannot open a reading connection: " + message);
            }
            sqlite3_busy_timeout(read_db_, 5000);
        }
        for (std::size_t t = 0; t < table_count; ++t) {
            reads_.get[t] = prepare(std::string("SELECT doc FROM ") + table_name(static_cast<Table>(t)) +
                                        " WHERE key = ?",
                                    read_db_);
        }
        reads_.executions_of = prepare(
            "SELECT doc FROM executions WHERE machine = ?1 AND seq < ?2 AND (?4 = '' OR status = ?4) "
            "ORDER BY seq DESC LIMIT ?3",
            read_db_);
        reads_.running = prepare("SELECT doc FROM executions WHERE status = 'RUNNING'", read_db_);
        reads_.last_seq = prepare("SELECT MAX(seq) FROM executions", read_db_);
        if (on_disk_) {
            if (sqlite3_open_v2(where_.c_str(), &checkpoint_db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                nullptr) != SQLITE_OK) {
                const std::string message = checkpoint_db_ ? sqlite3_errmsg(checkpoint_db_) : "out of memory";
                throw sfn::Error("sfn.server.E001",
                                 "database '" + where_ + "': cannot open a checkpoint connection: " + message);
            }
            // The checkpointer syncs like the writer does (NORMAL: the WAL before, the database after).
            sqlite3_exec(checkpoint_db_, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
            checkpointer_ = std::thread([this] { checkpointer(); });
        }
    } catch (const sfn::Error&) {
        close();
        throw;
    }
    flusher_ = std::thread([this] { flusher(); });
}

Store::~Store() {
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
    }
    flusher_cv_.notify_all();
    flusher_.join();
    {
        std::lock_guard lock(checkpoint_mutex_);
        checkpoint_stopping_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    {
        // Whatever is still queued gets one last try; nobody is left to tell about a failure.
        std::unique_lock lock(queue_mutex_);
        if (!pending_.empty() && !committing_) commit_queue(lock);
    }
    close();
}

void Store::close() noexcept {
    for (auto* stmt : sql_.put) sqlite3_finalize(stmt);
    for (auto* stmt : sql_.remove) sqlite3_finalize(stmt);
    for (auto* stmt : sql_.load) sqlite3_finalize(stmt);
    for (auto* stmt : {sql_.insert_event, sql_.remove_history, sql_.events_ascending, sql_.events_descending,
                       sql_.last_event_id, sql_.put_resume_point, sql_.remove_resume_point, sql_.resume_point,
                       sql_.discard_events, sql_.event, sql_.insert_child, sql_.remove_children, sql_.children}) {
        sqlite3_finalize(stmt);
    }
    for (auto* stmt : reads_.get) sqlite3_finalize(stmt);
    for (auto* stmt : {reads_.executions_of, reads_.running, reads_.last_seq}) sqlite3_finalize(stmt);
    if (read_db_ != db_) sqlite3_close(read_db_);
    sqlite3_close(checkpoint_db_);
    sqlite3_close(db_);
}

void Store::fail(const std::string& what, sqlite3* db) {
    throw sfn::Error("sfn.server.E001",
                     "database '" + where_ + "': " + what + ": " + sqlite3_errmsg(db ? db : db_));
}

void Store::exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw sfn::Error("sfn.server.E001", "database '" + where_ + "': " + message);
    }
}

sqlite3_stmt* Store::prepare(const std::string& sql, sqlite3* db) {
    if (!db) db = db_;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK) {
        fail("cannot prepare '" + sql + "'", db);
    }
    return stmt;
}

void Store::migrate() {
    // Databases written before durable executions: their history rows get an (empty) checkpoint column.
    sqlite3_stmt* history = prepare("SELECT COUNT(*) FROM pragma_table_info('history') WHERE name = 'checkpoint'");
    const int found = sqlite3_step(history);
    const bool has_checkpoint = found == SQLITE_ROW && sqlite3_column_int(history, 0) > 0;
    sqlite3_finalize(history);
    if (found != SQLITE_ROW) fail("cannot read the columns of table history");
    if (!has_checkpoint) exec("ALTER TABLE history ADD COLUMN checkpoint TEXT");
    // Databases written before the execution columns existed: add them and fill them from the records.
    sqlite3_stmt* columns = prepare("SELECT COUNT(*) FROM pragma_table_info('executions') WHERE name = 'machine'");
    const int rc = sqlite3_step(columns);
    const bool has_columns = rc == SQLITE_ROW && sqlite3_column_int(columns, 0) > 0;
    sqlite3_finalize(columns);
    if (rc != SQLITE_ROW) fail("cannot read the columns of table executions");
    if (has_columns) return;
    exec("BEGIN");
    try {
        exec("ALTER TABLE executions ADD COLUMN machine TEXT");
        exec("ALTER TABLE executions ADD COLUMN seq INTEGER");
        exec("ALTER TABLE executions ADD COLUMN status TEXT");
        exec("UPDATE executions SET machine = json_extract(doc, '$.stateMachineArn'), "
             "seq = json_extract(doc, '$._seq'), status = json_extract(doc, '$.status')");
        exec("COMMIT");
    } catch (const sfn::Error&) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

// ---- the write queue and group commit ----

Store::Ticket Store::enqueue(Write write) {
    std::unique_lock lock(queue_mutex_);
    write.ticket = next_ticket_++;
    write.queued_at = Clock::now();
    const Ticket ticket = write.ticket;
    const bool wake = !write.waited && flusher_idle_;
    pending_.push_back(std::move(write));
    if (wake) flusher_idle_ = false;
    lock.unlock();
    if (wake) flusher_cv_.notify_one();
    return ticket;
}

void Store::wait(Ticket ticket) {
    std::unique_lock lock(queue_mutex_);
    while (tried_through_ < ticket) {
        // Our write is queued (waited writes are never re-queued), so a commit started now carries it.
        if (committing_) {
            committed_cv_.wait(lock);
        } else {
            commit_queue(lock);
        }
    }
    if (auto failed = failures_.find(ticket); failed != failures_.end()) {
        std::string message = std::move(failed->second);
        failures_.erase(failed);
        throw sfn::Error("sfn.server.E001", message);
    }
}

void Store::commit_queue(std::unique_lock<std::mutex>& lock) {
    committing_ = true;
    std::vector<Write> batch(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
    pending_.clear();
    lock.unlock();
    std::string failure;
    {
        std::lock_guard db(db_mutex_);
        failure = apply(batch);
    }
    lock.lock();
    tried_through_ = std::max(tried_through_, batch.back().ticket);
    if (failure.empty()) {
        durable_through_ = batch.back().ticket;
        failed_at_.reset();
    } else {
        failed_at_ = Clock::now();
        // Waited writes fail with the transaction and are dropped; the others go back to the front of the
        // queue, in order, so nothing queued after them can be committed before them.
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
            if (it->waited) {
                failures_[it->ticket] = "database '" + where_ + "': " + failure;
            } else {
                pending_.push_front(std::move(*it));
            }
        }
    }
    committing_ = false;
    const bool wake_flusher = !pending_.empty() && flusher_idle_;
    if (wake_flusher) flusher_idle_ = false;
    committed_cv_.notify_all();
    if (wake_flusher) flusher_cv_.notify_one();
}

std::string Store::apply(const std::vector<Write>& batch) {
    if (std::all_of(batch.begin(), batch.end(), [](const Write& w) { return w.kind == Kind::barrier; })) return {};
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::string("cannot begin a transaction: ") + sqlite3_errmsg(db_);
    }
    std::string failure;
    for (const auto& write : batch) {
        failure = apply_one(write);
        if (!failure.empty()) break;
    }
    if (failure.empty() && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        failure = std::string("cannot commit ") + std::to_string(batch.size()) + " writes: " + sqlite3_errmsg(db_);
    }
    // SQLite may already have rolled back (for example after SQLITE_FULL); otherwise we do.
    if (!failure.empty() && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
}

template <class What>
std::string Store::step(sqlite3_stmt* stmt, const What& what) {
    Reset reset{stmt};
    if (sqlite3_step(stmt) == SQLITE_DONE) {
        // Fault injection (tests): the process dies between two statements of a group commit, as kill -9 would.
        if (exit_after_statements_ && ++statements_ == exit_after_statements_) _exit(fault_exit_status);
        return {};
    }
    return what() + ": " + sqlite3_errmsg(db_);
}

std::string Store::insert_event(const std::string& execution_arn, const Event& event, const std::string& checkpoint) {
    bind_text(sql_.insert_event, 1, execution_arn);
    sqlite3_bind_int64(sql_.insert_event, 2, event.id);
    bind_text(sql_.insert_event, 3, event.text);
    if (checkpoint.empty()) {
        sqlite3_bind_null(sql_.insert_event, 4);
    } else {
        bind_text(sql_.insert_event, 4, checkpoint);
    }
    return step(sql_.insert_event, [&] { return "cannot store event " + std::to_string(event.id) + " of " + execution_arn; });
}

std::string Store::apply_one(const Write& write) {
    const auto t = static_cast<std::size_t>(write.table);
    switch (write.kind) {
        case Kind::put: {
            bind_text(sql_.put[t], 1, write.key);
            bind_text(sql_.put[t], 2, write.text);
            if (write.table == Table::executions) {
                bind_text(sql_.put[t], 3, write.machine);
                sqlite3_bind_int64(sql_.put[t], 4, write.seq);
                bind_text(sql_.put[t], 5, write.status);
            }
            auto failure = step(sql_.put[t], [&] { return "cannot store " + write.key; });
            if (!failure.empty() || !write.event) return failure;
            return insert_event(write.key, *write.event, {});
        }
        case Kind::remove: {
            bind_text(sql_.remove[t], 1, write.key);
            auto failure = step(sql_.remove[t], [&] { return "cannot delete " + write.key; });
            if (!failure.empty() || write.table != Table::executions) return failure;
            bind_text(sql_.remove_history, 1, write.key);
            failure = step(sql_.remove_history, [&] { return "cannot delete the history of " + write.key; });
            if (!failure.empty()) return failure;
            bind_text(sql_.remove_children, 1, write.key);
            return step(sql_.remove_children, [&] { return "cannot delete the finished children of " + write.key; });
        }
        case Kind::event: return insert_event(write.key, {write.id, write.text}, write.resume_point);
        case Kind::resume_point: {
            bind_text(sql_.put_resume_point, 1, write.resume_point);
            bind_text(sql_.put_resume_point, 2, write.key);
            sqlite3_bind_int64(sql_.put_resume_point, 3, write.id);
            return step(sql_.put_resume_point, [&] { return "cannot store the checkpoint of " + write.key; });
        }
        case Kind::forget: {
            bind_text(sql_.remove_resume_point, 1, write.key);
            return step(sql_.remove_resume_point, [&] { return "cannot delete the checkpoint of " + write.key; });
        }
        case Kind::discard: {
            bind_text(sql_.discard_events, 1, write.key);
            sqlite3_bind_int64(sql_.discard_events, 2, write.id);
            return step(sql_.discard_events, [&] { return "cannot discard events of " + write.key; });
        }
        case Kind::child: {
            const FinishedChild& c = *write.child;
            bind_text(sql_.insert_child, 1, write.key);
            sqlite3_bind_int64(sql_.insert_child, 2, c.started_id);
            sqlite3_bind_int64(sql_.insert_child, 3, c.index);
            bind_text(sql_.insert_child, 4, c.state);
            sqlite3_bind_int(sql_.insert_child, 5, c.succeeded ? 1 : 0);
            bind_text(sql_.insert_child, 6, c.record);
            return step(sql_.insert_child, [&] { return "cannot store a finished child of " + write.key; });
        }
        case Kind::forget_children: {
            bind_text(sql_.remove_children, 1, write.key);
            return step(sql_.remove_children, [&] { return "cannot delete the finished children of " + write.key; });
        }
        case Kind::barrier: return {};
    }
    return {};
}

void Store::flusher() {
    std::unique_lock lock(queue_mutex_);
    while (!stopping_) {
        if (pending_.empty()) {
            flusher_idle_ = true;
            flusher_cv_.wait(lock);
            flusher_idle_ = false;
            continue;
        }
        // Commit what nobody else committed within one interval (after a failure, retry less often).
        auto due = pending_.front().queued_at + flush_interval;
        if (failed_at_) due = std::max(due, *failed_at_ + retry_interval);
        if (Clock::now() < due) {
            flusher_cv_.wait_until(lock, due);
        } else if (committing_) {
            committed_cv_.wait(lock);
        } else {
            commit_queue(lock);
        }
    }
}

void Store::flush() {
    std::unique_lock lock(queue_mutex_);
    if (pending_.empty() && !committing_) return;
    lock.unlock();
    Write barrier;
    barrier.waited = true;
    wait(enqueue(std::move(barrier)));
}

Store::Ticket Store::durable_through() {
    std::lock_guard lock(queue_mutex_);
    return durable_through_;
}

// ---- checkpoints ----

int Store::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
    auto* store = static_cast<Store*>(self);
    bool wanted = false;
    {
        std::lock_guard lock(store->checkpoint_mutex_);
        if (pages < store->backfilled_) store->backfilled_ = 0;  // the WAL restarted from its beginning
        store->wal_pages_ = pages;
        wanted = pages >= store->backfilled_ + checkpoint_pages;
    }
    if (wanted) store->checkpoint_cv_.notify_one();
    return SQLITE_OK;
}

void Store::checkpointer() {
    std::unique_lock lock(checkpoint_mutex_);
    while (true) {
        checkpoint_cv_.wait(lock, [this] {
            return checkpoint_stopping_ || wal_pages_ >= backfilled_ + checkpoint_pages;
        });
        if (checkpoint_stopping_) return;
        const bool restart = wal_pages_ >= checkpoint_limit_pages;
        lock.unlock();
        int frames = 0;
        int copied = 0;
        // PASSIVE copies what it can without blocking anyone; commits go on meanwhile.
        int rc = sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
        if (rc == SQLITE_OK && restart) {
            // Copy the rest while no commit runs, so the next commit starts the WAL over.
            std::lock_guard db(db_mutex_);
            rc = sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
        }
        lock.lock();
        if (rc == SQLITE_OK) {
            backfilled_ = std::max(copied, 0);
        } else {
            // A failed checkpoint loses nothing (the WAL keeps every frame); try again a little later.
            checkpoint_cv_.wait_for(lock, retry_interval, [this] { return checkpoint_stopping_; });
        }
    }
}

// ---- the operations ----

Store::Write Store::record_write(Table table, const std::string& key, const nlohmann::json& doc) {
    Write write;
    write.kind = Kind::put;
    write.table = table;
    write.key = key;
    write.text = doc.dump();
    if (table == Table::executions) {
        write.machine = doc.value("stateMachineArn", "");
        write.seq = doc.value("_seq", std::int64_t{0});
        write.status = doc.value("status", "");
    }
    return write;
}

void Store::put(Table table, const std::string& key, const nlohmann::json& doc, std::optional<Event> event) {
    Write write = record_write(table, key, doc);
    write.event = std::move(event);
    write.waited = true;
    wait(enqueue(std::move(write)));
}

Store::Ticket Store::put_later(Table table, const std::string& key, const nlohmann::json& doc) {
    return enqueue(record_write(table, key, doc));
}

void Store::remove(Table table, const std::string& key) {
    Write write;
    write.kind = Kind::remove;
    write.table = table;
    write.key = key;
    write.waited = true;
    wait(enqueue(std::move(write)));
}

Store::Write Store::execution_write(Kind kind, const std::string& execution_arn, std::int64_t id) {
    Write write;
    write.kind = kind;
    write.key = execution_arn;
    write.id = id;
    return write;
}

void Store::append_event(const std::string& execution_arn, std::int64_t id, std::string event_json,
                         std::string resume_point) {
    Write write = execution_write(Kind::event, execution_arn, id);
    write.text = std::move(event_json);
    write.resume_point = std::move(resume_point);
    enqueue(std::move(write));
}

void Store::put_resume_point(const std::string& execution_arn, std::int64_t id, std::string resume_point) {
    Write write = execution_write(Kind::resume_point, execution_arn, id);
    write.resume_point = std::move(resume_point);
    enqueue(std::move(write));
}

void Store::forget_resume_point(const std::string& execution_arn) {
    enqueue(execution_write(Kind::forget, execution_arn, 0));
}

void Store::put_finished_child(const std::string& execution_arn, FinishedChild child) {
    Write write = execution_write(Kind::child, execution_arn, child.started_id);
    write.child = std::move(child);
    enqueue(std::move(write));
}

void Store::forget_events(const std::string& execution_arn) {
    enqueue(execution_write(Kind::discard, execution_arn, 0));  // the events after id 0: all of them
}

void Store::forget_finished_children(const std::string& execution_arn) {
    enqueue(execution_write(Kind::forget_children, execution_arn, 0));
}

std::vector<Store::FinishedChild> Store::finished_children(const std::string& execution_arn) {
    flush();
    std::lock_guard db(db_mutex_);
    auto* stmt = sql_.children;
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    std::vector<FinishedChild> out;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        out.push_back(FinishedChild{.started_id = sqlite3_column_int64(stmt, 0),
                                    .index = sqlite3_column_int64(stmt, 1),
                                    .state = column_text(stmt, 2),
                                    .succeeded = sqlite3_column_int(stmt, 3) != 0,
                                    .record = column_text(stmt, 4)});
    }
    if (rc != SQLITE_DONE) fail("cannot read the finished children of " + execution_arn);
    return out;
}

void Store::discard_events_after(const std::string& execution_arn, std::int64_t id) {
    Write write = execution_write(Kind::discard, execution_arn, id);
    write.waited = true;
    wait(enqueue(std::move(write)));
}

std::optional<Store::ResumePoint> Store::resume_point(const std::string& execution_arn) {
    flush();
    std::lock_guard db(db_mutex_);
    auto* stmt = sql_.resume_point;
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) fail("cannot read the checkpoint of " + execution_arn);
    return ResumePoint{sqlite3_column_int64(stmt, 0), column_text(stmt, 1)};
}

std::optional<std::string> Store::event(const std::string& execution_arn, std::int64_t id) {
    flush();
    std::lock_guard db(db_mutex_);
    auto* stmt = sql_.event;
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    sqlite3_bind_int64(stmt, 2, id);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) fail("cannot read the history of " + execution_arn);
    return column_text(stmt, 0);
}

std::vector<nlohmann::json> Store::read_docs(sqlite3_stmt* stmt, Table table) {
    Reset reset{stmt};
    std::vector<nlohmann::json> out;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        auto doc = nlohmann::json::parse(column_text(stmt, 0), nullptr, false);
        if (doc.is_discarded()) {
            throw sfn::Error("sfn.server.E001",
                             "database '" + where_ + "': a row of table " + table_name(table) + " is not JSON");
        }
        out.push_back(std::move(doc));
    }
    if (rc != SQLITE_DONE) fail(std::string("cannot read table ") + table_name(table), sqlite3_db_handle(stmt));
    return out;
}

std::vector<nlohmann::json> Store::load(Table table) {
    flush();
    std::lock_guard db(db_mutex_);
    return read_docs(sql_.load[static_cast<std::size_t>(table)], table);
}

std::optional<nlohmann::json> Store::get(Table table, const std::string& key) {
    std::lock_guard db(read_lock());
    auto* stmt = reads_.get[static_cast<std::size_t>(table)];
    bind_text(stmt, 1, key);
    auto docs = read_docs(stmt, table);
    if (docs.empty()) return std::nullopt;
    return std::move(docs.front());
}

std::vector<nlohmann::json> Store::executions_of(const std::string& machine_arn, std::int64_t before_seq,
                                                 std::size_t limit, const std::string& status) {
    std::lock_guard db(read_lock());
    auto* stmt = reads_.executions_of;
    bind_text(stmt, 1, machine_arn);
    sqlite3_bind_int64(stmt, 2, before_seq);
    sqlite3_bind_int64(stmt, 3, static_cast<sqlite3_int64>(limit));
    bind_text(stmt, 4, status);
    return read_docs(stmt, Table::executions);
}

std::vector<nlohmann::json> Store::running_executions() {
    std::lock_guard db(read_lock());
    return read_docs(reads_.running, Table::executions);
}

std::int64_t Store::last_execution_seq() {
    std::lock_guard db(read_lock());
    auto* stmt = reads_.last_seq;
    Reset reset{stmt};
    if (sqlite3_step(stmt) != SQLITE_ROW) fail("cannot read table executions", read_db_);
    return sqlite3_column_int64(stmt, 0);
}

std::vector<std::string> Store::events(const std::string& execution_arn, std::int64_t cursor, std::size_t limit,
                                       bool reverse) {
    flush();
    std::lock_guard db(db_mutex_);
    auto* stmt = reverse ? sql_.events_descending : sql_.events_ascending;
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
    flush();
    std::lock_guard db(db_mutex_);
    auto* stmt = sql_.last_event_id;
    Reset reset{stmt};
    bind_text(stmt, 1, execution_arn);
    if (sqlite3_step(stmt) != SQLITE_ROW) fail("cannot read the history of " + execution_arn);
    return sqlite3_column_int64(stmt, 0);
}

}  // namespace sfn::server::detail
