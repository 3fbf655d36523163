#include "server/detail_database_lock.hpp"

#include "sfn/core/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sfn::server::detail {
namespace {

[[noreturn]] void refuse(const std::filesystem::path& db, const std::string& why) {
    throw sfn::Error("sfn.server.E001", "cannot open the database '" + db.string() + "' for writing: " + why);
}

}  // namespace

DatabaseLock::DatabaseLock(const std::filesystem::path& db) {
    if (db.has_parent_path()) {
        std::error_code ignored;  // a missing folder is reported by the open below
        std::filesystem::create_directories(db.parent_path(), ignored);
    }
    if (::access(db.c_str(), F_OK) == 0 && ::access(db.c_str(), W_OK) != 0) {
        refuse(db, std::string("the file is read-only (") + std::strerror(errno) + ")");
    }
    const std::string name = db.string() + ".lock";
    fd_ = ::open(name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) refuse(db, "cannot create its lock file '" + name + "': " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        char pid[32] = {};
        const auto n = ::pread(fd_, pid, sizeof pid - 1, 0);
        ::close(fd_);
        fd_ = -1;
        if (error != EWOULDBLOCK) refuse(db, "cannot lock '" + name + "': " + std::strerror(error));
        const std::string holder = n > 0 ? " (pid " + std::string(pid, static_cast<std::size_t>(n)) + ")" : "";
        throw sfn::Error("sfn.server.E001", "the database '" + db.string() + "' is in use by another sfn process" +
                                                holder + "; stop it or use another database file");
    }
    // Name the holder for whoever is refused next.
    const std::string pid = std::to_string(::getpid());
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        refuse(db, "cannot write its lock file '" + name + "': " + std::strerror(error));
    }
}

DatabaseLock::~DatabaseLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace sfn::server::detail
