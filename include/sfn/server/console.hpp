#pragma once
/// \file
/// Finding the web console that serves a store: `sfn serve` and `sfn console` leave a notice next to an SQLite
/// file while they run (`<db>.console`), so sessions on the embedded service can print links into it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace sfn::server {

/// The port `sfn console` listens on unless told otherwise.
inline constexpr std::uint16_t default_console_port = 8084;

/// Announces `base_url` (`http://127.0.0.1:8084/`) as the console of the store `db` while it lives.
class ConsoleNotice {
public:
    /// Writes the notice; a store that cannot take one (read-only directory) simply has none.
    ConsoleNotice(std::filesystem::path db, const std::string& base_url);
    ~ConsoleNotice();
    ConsoleNotice(const ConsoleNotice&) = delete;
    ConsoleNotice& operator=(const ConsoleNotice&) = delete;

private:
    std::filesystem::path file_;
    std::string content_;
};

/// The base URL of the console serving `db` now (its process is alive), if any.
[[nodiscard]] std::optional<std::string> find_console(const std::filesystem::path& db);

}  // namespace sfn::server
