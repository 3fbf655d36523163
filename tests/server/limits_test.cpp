// Limits of the service: one process per database file (each keeps the records in memory and would
// overwrite the other's changes), hostile JSON nesting and the 1 MiB definition quota. The HTTP-level
// limits are in limits_test.py (they need the real server).
#include "service_support.hpp"

#include "sfn/core/error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace sfn::server;
using namespace sfn::server::testing;

TEST(StoreLock, ASecondServiceOnTheSameFileIsRefusedUntilTheFirstCloses) {
    // GIVEN a service open on a file
    TempDir dir;
    ServiceOptions options;
    options.db_path = dir.path() / "one.db";
    std::string arn;
    {
        Service first(options);
        arn = create(first, "Kept");
        // WHEN a second one opens the same file THEN it is refused, naming the file and the holder
        try {
            Service second(options);
            FAIL() << "a second service opened the database";
        } catch (const sfn::Error& e) {
            EXPECT_EQ(std::string(e.what()), "[sfn.server.E001] the database '" + options.db_path->string() +
                                                 "' is in use by another sfn process (pid " +
                                                 std::to_string(::getpid()) + "); stop it or use another database file");
        }
        // AND the first one carries on
        EXPECT_EQ(first.call("DescribeStateMachine", {{"stateMachineArn", arn}})["name"], "Kept");
    }
    // THEN once it is closed the file opens again, with everything in it
    Service reopened(options);
    EXPECT_EQ(reopened.call("DescribeStateMachine", {{"stateMachineArn", arn}})["name"], "Kept");
}

TEST(Limits, DeepOrOversizedRequestsGetAwsErrors) {
    Service service(ServiceOptions{});
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    const auto answer = service.handle("AWSStepFunctions.ListStateMachines", deep);
    EXPECT_EQ(answer.status, 400);
    EXPECT_EQ(answer.error_type, "SerializationException");
    EXPECT_EQ(nlohmann::json::parse(answer.body)["message"],
              "The request body is not valid JSON: nesting deeper than 512 levels at line 1, column 513");
    const std::string deep_definition = std::string(500'000, '[') + std::string(500'000, ']');  // within 1 MiB
    EXPECT_EQ(message_of(service, "CreateStateMachine",
                         {{"name", "deep"}, {"definition", deep_definition}, {"roleArn", role}}),
              "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition is not valid JSON: nesting "
              "deeper than 512 levels at line 1, column 513 at /'");
    const std::string big = R"({"Comment":")" + std::string(1'048'576, 'x') + R"(","StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
    EXPECT_EQ(message_of(service, "CreateStateMachine", {{"name", "big"}, {"definition", big}, {"roleArn", role}}),
              "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length "
              "less than or equal to 1048576");
}
