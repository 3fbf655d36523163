// The Step Functions API's answers in the corners of versions, aliases, tags, logging and EXPRESS executions,
// as AWS gives them (recorded AWS responses; see docs/errors.md).
#include "server/detail_api_model.hpp"
#include "service_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace sfn::server;
using namespace sfn::server::testing;
using json = nlohmann::json;

namespace {

ServiceOptions in_memory() {
    ServiceOptions o;
    o.clock = ClockMode::virtual_time;
    return o;
}

json route(const std::string& version, int weight) {
    return {{"stateMachineVersionArn", version}, {"weight", weight}};
}

}  // namespace

TEST(ApiCorners, LoggingNeedsExactlyOneDestinationUnlessOff) {
    Service service(in_memory());
    const json one = {{"cloudWatchLogsLogGroup", {{"logGroupArn", "arn:aws:logs:us-east-1:123456789012:log-group:g:*"}}}};
    const std::string message = "Invalid Logging Configuration: Must specify exactly one Log Destination.";
    for (const json& logging : {json{{"level", "ALL"}}, json{{"level", "ERROR"}, {"destinations", json::array()}},
                                json{{"level", "FATAL"}, {"destinations", {one, one}}}}) {
        const json request = {{"name", "Logged"}, {"definition", pass_definition}, {"roleArn", role},
                              {"loggingConfiguration", logging}};
        EXPECT_EQ(error_of(service, "CreateStateMachine", request), "InvalidLoggingConfiguration") << logging;
        EXPECT_EQ(message_of(service, "CreateStateMachine", request), message);
    }
    const auto arn = create(service, "Logged");
    EXPECT_EQ(error_of(service, "UpdateStateMachine",
                       {{"stateMachineArn", arn}, {"loggingConfiguration", {{"level", "ALL"}}}}),
              "InvalidLoggingConfiguration");
    service.call("UpdateStateMachine", {{"stateMachineArn", arn},
                                        {"loggingConfiguration", {{"level", "ALL"}, {"destinations", {one}}}}});
    EXPECT_EQ(service.call("DescribeStateMachine", {{"stateMachineArn", arn}})["loggingConfiguration"]["level"], "ALL");
}

TEST(ApiCorners, VersionDescriptionNeedsPublishAndAnUnchangedUpdatePublishesNothingNew) {
    Service service(in_memory());
    const json request = {{"name", "Described"}, {"definition", pass_definition}, {"roleArn", role},
                          {"versionDescription", "first"}};
    EXPECT_EQ(error_of(service, "CreateStateMachine", request), "ValidationException");
    EXPECT_EQ(message_of(service, "CreateStateMachine", request), "Version description can only be set when publish is true");
    const auto arn = create(service, "Described");
    EXPECT_EQ(error_of(service, "UpdateStateMachine",
                       {{"stateMachineArn", arn}, {"definition", fail_definition}, {"versionDescription", "x"}}),
              "ValidationException");
    const json publish = {{"stateMachineArn", arn}, {"definition", pass_definition}, {"publish", true}};
    EXPECT_EQ(service.call("UpdateStateMachine", publish)["stateMachineVersionArn"], arn + ":1");
    EXPECT_EQ(service.call("UpdateStateMachine", publish)["stateMachineVersionArn"], arn + ":1");
    EXPECT_EQ(service.call("ListStateMachineVersions", {{"stateMachineArn", arn}})["stateMachineVersions"].size(), 1u);
    const json changed = {{"stateMachineArn", arn}, {"definition", fail_definition}, {"publish", true}};
    EXPECT_EQ(service.call("UpdateStateMachine", changed)["stateMachineVersionArn"], arn + ":2");
}

TEST(ApiCorners, VersionsAndAliasesAreNeitherUpdatedNorTagged) {
    Service service(in_memory());
    const auto created = service.call("CreateStateMachine", {{"name", "V"}, {"definition", pass_definition},
                                                             {"roleArn", role}, {"publish", true}});
    const std::string arn = created["stateMachineArn"];
    const std::string v1 = created["stateMachineVersionArn"];
    const std::string alias = service.call("CreateStateMachineAlias", {{"name", "prod"}, {"routingConfiguration", {route(v1, 100)}}})
                                  ["stateMachineAliasArn"];
    for (const auto& qualified : {v1, alias}) {
        EXPECT_EQ(error_of(service, "UpdateStateMachine", {{"stateMachineArn", qualified}, {"definition", fail_definition}}),
                  "StateMachineDoesNotExist");
        EXPECT_EQ(message_of(service, "UpdateStateMachine", {{"stateMachineArn", qualified}, {"definition", fail_definition}}),
                  "State Machine Does Not Exist: '" + qualified + "'");
        EXPECT_EQ(error_of(service, "TagResource", {{"resourceArn", qualified}, {"tags", {{{"key", "a"}, {"value", "b"}}}}}),
                  "ResourceNotFound");
        EXPECT_EQ(error_of(service, "ListTagsForResource", {{"resourceArn", qualified}}), "ResourceNotFound");
    }
    // Deleting an alias twice (or one never made) is not an error.
    service.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", alias}});
    EXPECT_EQ(service.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", alias}}), json::object());
    EXPECT_EQ(error_of(service, "DeleteStateMachineAlias", {{"stateMachineAliasArn", arn}}), "InvalidArn");
}

TEST(ApiCorners, AliasNamesAndRoutesAreCheckedAsAwsWordsIt) {
    Service service(in_memory());
    const auto created = service.call("CreateStateMachine", {{"name", "R"}, {"definition", pass_definition},
                                                             {"roleArn", role}, {"publish", true}});
    const std::string arn = created["stateMachineArn"];
    const std::string v1 = created["stateMachineVersionArn"];
    const std::string v2 = service.call("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", fail_definition},
                                                               {"publish", true}})["stateMachineVersionArn"];
    for (const char* name : {"123", "a b"}) {
        const json request = {{"name", name}, {"routingConfiguration", {route(v1, 100)}}};
        EXPECT_EQ(error_of(service, "CreateStateMachineAlias", request), "ValidationException") << name;
        EXPECT_EQ(message_of(service, "CreateStateMachineAlias", request),
                  "1 validation error detected: Value '" + std::string(name) +
                      "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                      "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
    }
    EXPECT_EQ(service.call("CreateStateMachineAlias", {{"name", "v1.0-beta_2"}, {"routingConfiguration", {route(v1, 100)}}})
                  ["stateMachineAliasArn"],
              arn + ":v1.0-beta_2");
    EXPECT_EQ(message_of(service, "CreateStateMachineAlias", {{"name", "x"}, {"routingConfiguration", {route(arn, 100)}}}),
              "Routing configuration must contain state machine version ARNs. Received: [" + arn + "]");
    EXPECT_EQ(message_of(service, "CreateStateMachineAlias",
                         {{"name", "x"}, {"routingConfiguration", {route(v1, 50), route(v1, 50)}}}),
              "Routing configuration must contain distinct state machine version ARNs. Received: [" + v1 + ", " + v1 + "]");
    EXPECT_EQ(message_of(service, "CreateStateMachineAlias",
                         {{"name", "x"}, {"routingConfiguration", {route(v1, 70), route(v2, 29)}}}),
              "Sum of routing configuration weights must equal 100. Received: [70, 29]");
    EXPECT_EQ(message_of(service, "DeleteStateMachineVersion", {{"stateMachineVersionArn", v1}}),
              "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this "
              "version: [v1.0-beta_2]");
}

TEST(ApiCorners, AnExecutionOfAVersionIsDescribedWithTheMachinesArnAndTheVersionsRevision) {
    Service service(in_memory());
    const auto created = service.call("CreateStateMachine", {{"name", "D"}, {"definition", pass_definition},
                                                             {"roleArn", role}, {"publish", true}});
    const std::string arn = created["stateMachineArn"];
    const std::string v1 = created["stateMachineVersionArn"];
    const std::string v1_revision = service.call("DescribeStateMachine", {{"stateMachineArn", v1}})["revisionId"];
    service.call("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", fail_definition}});
    const std::string alias = service.call("CreateStateMachineAlias", {{"name", "a"}, {"routingConfiguration", {route(v1, 100)}}})
                                  ["stateMachineAliasArn"];
    for (const auto& target : {v1, alias}) {
        const std::string e = service.call("StartExecution", {{"stateMachineArn", target}})["executionArn"];
        wait_done(service, e);
        const auto d = service.call("DescribeStateMachineForExecution", {{"executionArn", e}});
        EXPECT_EQ(d["stateMachineArn"], arn) << target;
        EXPECT_EQ(d["definition"], pass_definition);
        EXPECT_EQ(d["revisionId"], v1_revision);
    }
}

TEST(ApiCorners, ExpressExecutionArnsAreNotValidForTheExecutionApis) {
    Service service(in_memory());
    const auto arn = create(service, "Fast", pass_definition, "EXPRESS");
    const std::string e = service.call("StartExecution", {{"stateMachineArn", arn}})["executionArn"];
    for (const char* operation : {"DescribeExecution", "StopExecution", "GetExecutionHistory", "RedriveExecution",
                                  "DescribeStateMachineForExecution"}) {
        EXPECT_EQ(error_of(service, operation, {{"executionArn", e}}), "InvalidArn") << operation;
        EXPECT_EQ(message_of(service, operation, {{"executionArn", e}}),
                  "Invalid Arn: 'Resource type not valid in this context: express'");
    }
    EXPECT_EQ(message_of(service, "ListExecutions", {{"stateMachineArn", arn}}),
              "This operation is not supported by this type of state machine");
    EXPECT_EQ(message_of(service, "StartSyncExecution", {{"stateMachineArn", create(service, "Slow")}}),
              "This operation is not supported by this type of state machine");
}

TEST(ApiCorners, ExecutionApisWordTheirErrorsAsAws) {
    Service service(in_memory());
    const auto arn = create(service, "Worded");
    // Recorded on AWS (test_sfn_api: *_invalid_arn): a text that is no ARN at all names the prefix
    const std::string prefix = "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'";
    EXPECT_EQ(message_of(service, "DescribeExecution", {{"executionArn", "invalid_state_machine_arn"}}), prefix);
    EXPECT_EQ(message_of(service, "GetExecutionHistory", {{"executionArn", "invalid_state_machine_arn"}}), prefix);
    EXPECT_EQ(message_of(service, "ListExecutions", {{"stateMachineArn", "invalid_state_machine_arn"}}), prefix);
    // ... and an empty input is "Invalid execution input." (start_res_empty)
    EXPECT_EQ(message_of(service, "StartExecution", {{"stateMachineArn", arn}, {"input", ""}}),
              "Invalid State Machine Execution Input: 'Invalid execution input.'");
}

TEST(ApiCorners, AStoppedExecutionsAbortedEventLinksToNoEvent) {
    ServiceOptions options = in_memory();
    options.clock = ClockMode::real;  // the Wait really waits
    Service service(options);
    const auto arn =
        create(service, "Stopped", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}})");
    const std::string execution = service.call("StartExecution", {{"stateMachineArn", arn}})["executionArn"];
    json events;
    for (int i = 0; i < 1000 && events.size() < 2; ++i) {  // until the Wait is entered
        events = service.call("GetExecutionHistory", {{"executionArn", execution}})["events"];
        if (events.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(events.size(), 2u);
    service.call("StopExecution", {{"executionArn", execution}});
    wait_done(service, execution);
    // Recorded on AWS (test_sfn_api::test_stop_execution): ExecutionAborted, id 3, previousEventId 0, no details
    events = service.call("GetExecutionHistory", {{"executionArn", execution}})["events"];
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2]["type"], "ExecutionAborted");
    EXPECT_EQ(events[2]["id"], 3);
    EXPECT_EQ(events[2]["previousEventId"], 0);
    EXPECT_EQ(events[2]["executionAbortedEventDetails"], json::object());
}

TEST(ApiCorners, TraceHeadersAndClientTokensAreCheckedAgainstTheModelsPatterns) {
    Service service(in_memory());
    const auto arn = create(service, "Patterned");
    // The model's TraceHeader pattern \p{ASCII}*: a non-ASCII trace header is a ValidationException
    const json start = {{"stateMachineArn", arn}, {"traceHeader", "caf\u00e9"}};
    EXPECT_EQ(error_of(service, "StartExecution", start), "ValidationException");
    EXPECT_EQ(message_of(service, "StartExecution", start),
              "1 validation error detected: Value 'caf\u00e9' at 'traceHeader' failed to satisfy constraint: Member "
              "must satisfy regular expression pattern: \\p{ASCII}*");
    EXPECT_TRUE(service.call("StartExecution", {{"stateMachineArn", arn}, {"traceHeader", "Root=1-abc"}})
                    .contains("executionArn"));
    // ClientToken [!-~]+: no spaces
    EXPECT_EQ(error_of(service, "RedriveExecution",
                       {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:Patterned:x"},
                        {"clientToken", "a b"}}),
              "ValidationException");
}

TEST(ApiCorners, EveryPatternOfTheModelIsOneSfnChecks) {
    std::string text;
    for (const char* const* part = sfn::server::detail::api_model_json_parts; *part != nullptr; ++part) text += *part;
    std::vector<std::string> patterns;
    const std::function<void(const json&)> collect = [&](const json& j) {
        if (j.is_object()) {
            if (auto p = j.find("pattern"); p != j.end() && p->is_string()) patterns.push_back(*p);
            for (const auto& [k, v] : j.items()) collect(v);
        }
    };
    collect(json::parse(text));
    ASSERT_FALSE(patterns.empty());
    for (const auto& p : patterns) EXPECT_TRUE(sfn::server::detail::satisfies_model_pattern(p, "x").has_value()) << p;
}

TEST(ApiCorners, AnExecutionThatStoppedMoreThan14DaysAgoIsNotRedrivable) {
    // GIVEN a failed execution, then the same one as if it had stopped 15 days ago
    TempDir dir;
    ServiceOptions options = in_memory();
    options.db_path = dir.path() / "store.db";
    std::string recent;
    std::string old;
    {
        Service service(options);
        const auto arn = create(service, "Redriven", fail_definition);
        recent = service.call("StartExecution", {{"stateMachineArn", arn}, {"name", "recent"}})["executionArn"];
        old = service.call("StartExecution", {{"stateMachineArn", arn}, {"name", "old"}})["executionArn"];
        service.drain();
    }
    run_sql(*options.db_path,
            "UPDATE executions SET doc = json_set(doc, '$.stopDate', json_extract(doc, "
            "'$.stopDate') - 15 * 86400) WHERE key = '" +
                old + "';");
    Service service(options);
    // THEN the recent one is REDRIVABLE and the old one NOT_REDRIVABLE with AWS's reason, and RedriveExecution
    // refuses it
    EXPECT_EQ(service.call("DescribeExecution", {{"executionArn", recent}})["redriveStatus"], "REDRIVABLE");
    const auto described = service.call("DescribeExecution", {{"executionArn", old}});
    EXPECT_EQ(described["status"], "FAILED");
    EXPECT_EQ(described["redriveStatus"], "NOT_REDRIVABLE");
    EXPECT_EQ(described["redriveStatusReason"], "Execution redrivable period exceeded.");
    EXPECT_EQ(error_of(service, "RedriveExecution", {{"executionArn", old}}), "ExecutionNotRedrivable");
}
