#include "service_support.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <random>
#include <thread>

namespace sfn::server::testing {

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("sfn-server-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void run_sql(const std::filesystem::path& db, const std::string& sql) {
    sqlite3* connection = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &connection), SQLITE_OK);
    sqlite3_busy_timeout(connection, 10'000);
    char* error = nullptr;
    const int rc = sqlite3_exec(connection, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(connection);
    ASSERT_EQ(rc, SQLITE_OK) << message;
}

namespace {

// The AWS error name and message `operation` failed with (both empty when it succeeded).
std::pair<std::string, std::string> failure_of(Service& service, const std::string& operation,
                                               const nlohmann::json& request) {
    try {
        service.call(operation, request);
    } catch (const ApiError& e) {
        return {e.type(), e.message()};
    }
    return {};
}

}  // namespace

std::string error_of(Service& service, const std::string& operation, const nlohmann::json& request) {
    return failure_of(service, operation, request).first;
}

std::string message_of(Service& service, const std::string& operation, const nlohmann::json& request) {
    return failure_of(service, operation, request).second;
}

std::string create(Service& service, const std::string& name, const std::string& definition, const std::string& type) {
    return service
        .call("CreateStateMachine", {{"name", name}, {"definition", definition}, {"roleArn", role}, {"type", type}})
        .at("stateMachineArn");
}

nlohmann::json wait_done(Service& service, const std::string& execution_arn) {
    for (int i = 0; i < 2000; ++i) {
        auto d = service.call("DescribeExecution", {{"executionArn", execution_arn}});
        if (d["status"] != "RUNNING") return d;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return service.call("DescribeExecution", {{"executionArn", execution_arn}});
}

}  // namespace sfn::server::testing
