#pragma once
// One process per database file: each Service keeps the records in memory and writes them back, so two
// processes on one file would silently overwrite each other's changes. DatabaseLock holds an exclusive
// flock on `<db>.lock` (released by the kernel when the process ends, kill -9 included) and refuses a
// database file that cannot be written, before SQLite opens it (SQLite would open it read-only and fail
// every later write).

#include <filesystem>

namespace sfn::server::detail {

class DatabaseLock {
public:
    /// Locks `db` for this process. \throws sfn::Error (sfn.server.E001) when another process holds it
    /// (naming its pid), when the file exists but cannot be written, or when the lock file cannot be made.
    explicit DatabaseLock(const std::filesystem::path& db);
    ~DatabaseLock();
    DatabaseLock(const DatabaseLock&) = delete;
    DatabaseLock& operator=(const DatabaseLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace sfn::server::detail
