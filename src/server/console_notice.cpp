// The console notice next to a store (sfn/server/console.hpp): `{"url": ..., "pid": ...}` in `<db>.console`.
#include "sfn/server/console.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fstream>
#include <sstream>

#include <signal.h>
#include <unistd.h>

namespace sfn::server {
namespace {

std::filesystem::path notice_file(const std::filesystem::path& db) {
    auto file = db;
    file += ".console";
    return file;
}

std::string read_all(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

ConsoleNotice::ConsoleNotice(std::filesystem::path db, const std::string& base_url) : file_(notice_file(db)) {
    content_ = nlohmann::json{{"url", base_url}, {"pid", static_cast<long>(::getpid())}}.dump();
    std::ofstream out(file_, std::ios::trunc);
    out << content_;
    if (!out) file_.clear();
}

ConsoleNotice::~ConsoleNotice() {
    // Another server may have taken the store over since: remove only our own notice.
    if (file_.empty() || read_all(file_) != content_) return;
    std::error_code ignored;  // a notice already gone is what we wanted
    std::filesystem::remove(file_, ignored);
}

std::optional<std::string> find_console(const std::filesystem::path& db) {
    const auto notice = nlohmann::json::parse(read_all(notice_file(db)), nullptr, false);
    if (!notice.is_object() || !notice.contains("url") || !notice["url"].is_string() ||
        !notice.contains("pid") || !notice["pid"].is_number_integer()) {
        return std::nullopt;
    }
    const auto pid = static_cast<pid_t>(notice["pid"].get<long>());
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return std::nullopt;  // left by a process that died
    return notice["url"].get<std::string>();
}

}  // namespace sfn::server
