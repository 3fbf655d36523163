#pragma once
// Helpers shared by the server tests: a service in memory or on a temp file, and small definitions.

#include "sfn/server/service.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace sfn::server::testing {

inline const std::string role = "arn:aws:iam::123456789012:role/test";
inline const std::string pass_definition =
    R"({"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":{"message":"Hello Alice"},"End":true}}})";
inline const std::string fail_definition =
    R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Fail","Error":"Boom","Cause":"bad"}}})";

/// A unique temporary directory, removed when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Calls `operation` and returns the AWS error name it threw ("" when it succeeded).
std::string error_of(Service& service, const std::string& operation, const nlohmann::json& request);
/// ... and the message.
std::string message_of(Service& service, const std::string& operation, const nlohmann::json& request);

/// Creates a state machine and returns its ARN.
std::string create(Service& service, const std::string& name, const std::string& definition = pass_definition,
                   const std::string& type = "STANDARD");

/// Runs `sql` on a connection of its own to the database file `db` (beside the service's); a failure fails the
/// test.
void run_sql(const std::filesystem::path& db, const std::string& sql);

/// Waits until the execution left RUNNING (tests run with the virtual clock).
nlohmann::json wait_done(Service& service, const std::string& execution_arn);

}  // namespace sfn::server::testing
