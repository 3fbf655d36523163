// Service: the Step Functions API in-process (state machines, executions, history, errors).
#include "service_support.hpp"

#include <gtest/gtest.h>

using nlohmann::json;
using namespace sfn::server;
using namespace sfn::server::testing;

namespace {

ServiceOptions in_memory() {
    ServiceOptions o;
    o.clock = ClockMode::virtual_time;
    return o;
}

}  // namespace

TEST(Service, CreateDescribeAndListStateMachines) {
    // GIVEN an empty service
    Service service(in_memory());
    // WHEN a machine is created
    const auto arn = create(service, "Hello");
    // THEN it is described with the AWS shape and listed
    EXPECT_EQ(arn, "arn:aws:states:us-east-1:123456789012:stateMachine:Hello");
    const auto d = service.call("DescribeStateMachine", {{"stateMachineArn", arn}});
    EXPECT_EQ(d["name"], "Hello");
    EXPECT_EQ(d["status"], "ACTIVE");
    EXPECT_EQ(d["type"], "STANDARD");
    EXPECT_EQ(d["definition"], pass_definition);
    EXPECT_EQ(d["roleArn"], role);
    EXPECT_TRUE(d["creationDate"].is_number());
    EXPECT_FALSE(d.contains("_nextVersion"));
    const auto list = service.call("ListStateMachines", json::object());
    ASSERT_EQ(list["stateMachines"].size(), 1u);
    EXPECT_EQ(list["stateMachines"][0]["stateMachineArn"], arn);
}

TEST(Service, CreateIsIdempotentOnlyWhenIdentical) {
    Service service(in_memory());
    const auto arn = create(service, "Same");
    EXPECT_EQ(create(service, "Same"), arn);
    EXPECT_EQ(error_of(service, "CreateStateMachine",
                       {{"name", "Same"}, {"definition", fail_definition}, {"roleArn", role}}),
              "StateMachineAlreadyExists");
    EXPECT_EQ(message_of(service, "CreateStateMachine",
                         {{"name", "Same"}, {"definition", fail_definition}, {"roleArn", role}}),
              "State Machine Already Exists: '" + arn + "'");
}

TEST(Service, RejectsBadNamesDefinitionsAndMissingMembers) {
    Service service(in_memory());
    EXPECT_EQ(error_of(service, "CreateStateMachine", {{"name", "a b"}, {"definition", pass_definition}, {"roleArn", role}}),
              "InvalidName");
    EXPECT_EQ(error_of(service, "CreateStateMachine", {{"name", "x"}, {"definition", "{"}, {"roleArn", role}}),
              "InvalidDefinition");
    EXPECT_EQ(error_of(service, "CreateStateMachine",
                       {{"name", "x"}, {"definition", R"({"StartAt":"Nope","States":{}})"}, {"roleArn", role}}),
              "InvalidDefinition");
    EXPECT_EQ(message_of(service, "CreateStateMachine", {{"name", "x"}, {"definition", pass_definition}}),
              "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be "
              "null");
    EXPECT_EQ(message_of(service, "CreateStateMachine",
                         {{"name", "x"}, {"definition", pass_definition}, {"roleArn", role}, {"type", "FAST"}}),
              "1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: Member must satisfy "
              "enum value set: [STANDARD, EXPRESS]");
    EXPECT_EQ(error_of(service, "CreateStateMachine", {{"name", 7}, {"definition", pass_definition}, {"roleArn", role}}),
              "SerializationException");
    EXPECT_EQ(error_of(service, "DescribeStateMachine", {{"stateMachineArn", "not-an-arn"}}), "InvalidArn");
    EXPECT_EQ(message_of(service, "DescribeStateMachine",
                         {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:Nope"}}),
              "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope'");
    EXPECT_EQ(error_of(service, "Frobnicate", json::object()), "UnknownOperationException");
}

TEST(Service, WireRequestsGetAwsErrorShapes) {
    Service service(in_memory());
    auto r = service.handle("AWSStepFunctions.DescribeStateMachine", "{\"stateMachineArn\": \"bad\"}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body),
              (json{{"__type", "InvalidArn"}, {"message", "Invalid Arn: 'Invalid ARN prefix: bad'"}}));
    r = service.handle("AWSStepFunctions.ListStateMachines", "");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body), (json{{"stateMachines", json::array()}}));
    r = service.handle("AWSStepFunctions.ListStateMachines", "{not json");
    EXPECT_EQ(r.error_type, "SerializationException");
    r = service.handle("Other.Op", "{}");
    EXPECT_EQ(r.error_type, "UnknownOperationException");
}

TEST(Service, ErrorMessagesQuotingInvalidUtf8StillRenderAsJson) {
    // GIVEN a target with bytes that are not UTF-8 (found by fuzz/server_http: the error shape's dump threw
    // inside the noexcept handle() and terminated the server)
    Service service(in_memory());
    // WHEN it is handled
    const auto r = service.handle("AWSStepFunctions.ListMapR\xb4\xff", "{}");
    // THEN the answer is an UnknownOperationException whose message shows the bad bytes replaced
    EXPECT_EQ(r.error_type, "UnknownOperationException");
    EXPECT_EQ(json::parse(r.body)["message"], "Unknown operation: 'ListMapR\xef\xbf\xbd\xef\xbf\xbd'");
}

TEST(Service, StandardExecutionRunsAndRecordsHistory) {
    Service service(in_memory());
    const auto arn = create(service, "Hello");
    const auto started = service.call("StartExecution", {{"stateMachineArn", arn}, {"name", "run-1"}});
    EXPECT_EQ(started["executionArn"], "arn:aws:states:us-east-1:123456789012:execution:Hello:run-1");
    const auto d = wait_done(service, started["executionArn"]);
    EXPECT_EQ(d["status"], "SUCCEEDED");
    EXPECT_EQ(json::parse(d["output"].get<std::string>()), (json{{"message", "Hello Alice"}}));
    const auto h = service.call("GetExecutionHistory", {{"executionArn", started["executionArn"]}});
    std::vector<std::string> types;
    for (const auto& e : h["events"]) types.push_back(e["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                               "ExecutionSucceeded"}));
    const auto r = service.call("GetExecutionHistory", {{"executionArn", started["executionArn"]}, {"reverseOrder", true},
                                                        {"maxResults", 3}});
    ASSERT_EQ(r["events"].size(), 3u);
    EXPECT_EQ(r["events"][0]["type"], "ExecutionSucceeded");
    const auto rest = service.call("GetExecutionHistory", {{"executionArn", started["executionArn"]},
                                                           {"reverseOrder", true}, {"nextToken", r["nextToken"]}});
    ASSERT_EQ(rest["events"].size(), 1u);
    EXPECT_EQ(rest["events"][0]["type"], "ExecutionStarted");
    EXPECT_FALSE(rest.contains("nextToken"));
}

TEST(Service, ExecutionNamesAreUniqueUnlessTheSameRunIsRepeated) {
    Service service(in_memory());
    const auto arn = create(service, "Hello");
    service.call("StartExecution", {{"stateMachineArn", arn}, {"name", "once"}});
    service.drain();
    EXPECT_EQ(error_of(service, "StartExecution", {{"stateMachineArn", arn}, {"name", "once"}}), "ExecutionAlreadyExists");
    EXPECT_EQ(error_of(service, "StartExecution", {{"stateMachineArn", arn}, {"input", "{oops"}}), "InvalidExecutionInput");
    EXPECT_EQ(error_of(service, "StartExecution", {{"stateMachineArn", arn}, {"input", std::string(262145, ' ')}}),
              "InvalidExecutionInput");
}

TEST(Service, ListExecutionsFiltersAndPages) {
    Service service(in_memory());
    const auto ok = create(service, "Ok");
    for (int i = 0; i < 5; ++i) service.call("StartExecution", {{"stateMachineArn", ok}, {"name", "e" + std::to_string(i)}});
    service.drain();
    auto page = service.call("ListExecutions", {{"stateMachineArn", ok}, {"maxResults", 2}});
    ASSERT_EQ(page["executions"].size(), 2u);
    EXPECT_EQ(page["executions"][0]["name"], "e4");  // newest first
    std::vector<std::string> names = {page["executions"][0]["name"], page["executions"][1]["name"]};
    while (page.contains("nextToken")) {
        page = service.call("ListExecutions", {{"stateMachineArn", ok}, {"maxResults", 2}, {"nextToken", page["nextToken"]}});
        for (const auto& e : page["executions"]) names.push_back(e["name"]);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"e4", "e3", "e2", "e1", "e0"}));
    EXPECT_EQ(service.call("ListExecutions", {{"stateMachineArn", ok}, {"statusFilter", "FAILED"}})["executions"].size(), 0u);
    EXPECT_EQ(error_of(service, "ListExecutions", {{"stateMachineArn", ok}, {"nextToken", "garbage"}}), "InvalidToken");
}

TEST(Service, ExpressMachinesRunSynchronously) {
    Service service(in_memory());
    const auto arn = create(service, "Fast", pass_definition, "EXPRESS");
    const auto out = service.call("StartSyncExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
    EXPECT_EQ(out["status"], "SUCCEEDED");
    EXPECT_EQ(json::parse(out["output"].get<std::string>()), (json{{"message", "Hello Alice"}}));
    EXPECT_EQ(out["executionArn"].get<std::string>().rfind("arn:aws:states:us-east-1:123456789012:express:Fast:", 0), 0u);
    const auto standard = create(service, "Slow");
    EXPECT_EQ(error_of(service, "StartSyncExecution", {{"stateMachineArn", standard}}), "StateMachineTypeNotSupported");
    const auto failed = service.call("StartSyncExecution",
                                     {{"stateMachineArn", create(service, "Bad", fail_definition, "EXPRESS")}});
    EXPECT_EQ(failed["status"], "FAILED");
    EXPECT_EQ(failed["error"], "Boom");
    EXPECT_EQ(failed["cause"], "bad");
}

TEST(Service, VersionsAndAliasesRouteExecutions) {
    Service service(in_memory());
    const auto created = service.call("CreateStateMachine", {{"name", "V"}, {"definition", pass_definition},
                                                             {"roleArn", role}, {"publish", true}});
    const std::string v1 = created["stateMachineVersionArn"];
    EXPECT_EQ(v1, created["stateMachineArn"].get<std::string>() + ":1");
    const auto updated = service.call("UpdateStateMachine", {{"stateMachineArn", created["stateMachineArn"]},
                                                             {"definition", fail_definition}, {"publish", true}});
    const std::string v2 = updated["stateMachineVersionArn"];
    EXPECT_EQ(v2, created["stateMachineArn"].get<std::string>() + ":2");
    const auto versions = service.call("ListStateMachineVersions", {{"stateMachineArn", created["stateMachineArn"]}});
    ASSERT_EQ(versions["stateMachineVersions"].size(), 2u);
    EXPECT_EQ(versions["stateMachineVersions"][0]["stateMachineVersionArn"], v2);
    const auto alias = service.call("CreateStateMachineAlias",
                                    {{"name", "prod"}, {"routingConfiguration", {{{"stateMachineVersionArn", v1}, {"weight", 100}}}}});
    const std::string alias_arn = alias["stateMachineAliasArn"];
    const auto e = service.call("StartExecution", {{"stateMachineArn", alias_arn}});
    const auto d = wait_done(service, e["executionArn"]);
    EXPECT_EQ(d["status"], "SUCCEEDED");
    EXPECT_EQ(d["stateMachineAliasArn"], alias_arn);
    EXPECT_EQ(d["stateMachineVersionArn"], v1);
    EXPECT_EQ(error_of(service, "DeleteStateMachineVersion", {{"stateMachineVersionArn", v1}}), "ConflictException");
    service.call("UpdateStateMachineAlias", {{"stateMachineAliasArn", alias_arn},
                                             {"routingConfiguration", {{{"stateMachineVersionArn", v2}, {"weight", 100}}}}});
    service.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", v1}});
    EXPECT_EQ(error_of(service, "CreateStateMachineAlias",
                       {{"name", "bad"}, {"routingConfiguration", {{{"stateMachineVersionArn", v2}, {"weight", 50}}}}}),
              "ValidationException");
    service.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", alias_arn}});
    EXPECT_EQ(error_of(service, "DescribeStateMachineAlias", {{"stateMachineAliasArn", alias_arn}}), "ResourceNotFound");
}

TEST(Service, FailedExecutionCanBeRedriven) {
    Service service(in_memory());
    const auto arn = create(service, "Flaky", fail_definition);
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}});
    auto d = wait_done(service, e["executionArn"]);
    EXPECT_EQ(d["status"], "FAILED");
    EXPECT_EQ(d["redriveStatus"], "REDRIVABLE");
    service.call("RedriveExecution", {{"executionArn", e["executionArn"]}});
    d = wait_done(service, e["executionArn"]);
    EXPECT_EQ(d["status"], "FAILED");
    EXPECT_EQ(d["redriveCount"], 1);
    const auto h = service.call("GetExecutionHistory", {{"executionArn", e["executionArn"]}});
    std::vector<std::string> types;
    for (const auto& ev : h["events"]) types.push_back(ev["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                               "FailStateEntered", "ExecutionFailed", "ExecutionRedriven",
                                               "FailStateEntered", "ExecutionFailed"}));
    for (std::size_t i = 0; i < h["events"].size(); ++i) EXPECT_EQ(h["events"][i]["id"], i + 1);
}

TEST(Service, TagsAreAddedListedAndRemoved) {
    Service service(in_memory());
    const auto arn = create(service, "Tagged");
    service.call("TagResource", {{"resourceArn", arn}, {"tags", {{{"key", "team"}, {"value", "a"}}}}});
    EXPECT_EQ(service.call("ListTagsForResource", {{"resourceArn", arn}})["tags"],
              (json::array({{{"key", "team"}, {"value", "a"}}})));
    service.call("UntagResource", {{"resourceArn", arn}, {"tagKeys", {"team"}}});
    EXPECT_EQ(service.call("ListTagsForResource", {{"resourceArn", arn}})["tags"], json::array());
    EXPECT_EQ(error_of(service, "ListTagsForResource",
                       {{"resourceArn", "arn:aws:states:us-east-1:123456789012:stateMachine:Nope"}}),
              "ResourceNotFound");
}

TEST(Service, ValidateStateMachineDefinitionReportsDiagnostics) {
    Service service(in_memory());
    EXPECT_EQ(service.call("ValidateStateMachineDefinition", {{"definition", pass_definition}}),
              (json{{"result", "OK"}, {"diagnostics", json::array()}, {"truncated", false}}));
    const auto bad = service.call("ValidateStateMachineDefinition", {{"definition", R"({"StartAt":"X","States":{}})"}});
    EXPECT_EQ(bad["result"], "FAIL");
    ASSERT_EQ(bad["diagnostics"].size(), 1u);
    EXPECT_EQ(bad["diagnostics"][0]["severity"], "ERROR");
}

TEST(Service, TestStateRunsOneState) {
    Service service(in_memory());
    const auto out = service.call(
        "TestState", {{"definition", R"({"Type":"Pass","Parameters":{"x.$":"$.a"},"Next":"After"})"}, {"input", R"({"a":1})"}});
    EXPECT_EQ(out["status"], "SUCCEEDED");
    EXPECT_EQ(out["nextState"], "After");
    EXPECT_EQ(json::parse(out["output"].get<std::string>()), (json{{"x", 1}}));
    const auto mocked = service.call(
        "TestState", {{"definition", R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true})"},
                      {"mock", {{"errorOutput", {{"error", "Oops"}, {"cause", "c"}}}}}});
    EXPECT_EQ(mocked["status"], "FAILED");
    EXPECT_EQ(mocked["error"], "Oops");
}

TEST(Service, EverythingSurvivesARestart) {
    TempDir dir;
    ServiceOptions options = in_memory();
    options.db_path = dir.path() / "store.db";
    std::string arn;
    std::string execution;
    {
        Service service(options);
        arn = create(service, "Durable");
        service.call("TagResource", {{"resourceArn", arn}, {"tags", {{{"key", "k"}, {"value", "v"}}}}});
        execution = service.call("StartExecution", {{"stateMachineArn", arn}, {"name", "kept"}})["executionArn"];
        wait_done(service, execution);
    }
    Service reopened(options);
    EXPECT_EQ(reopened.call("DescribeStateMachine", {{"stateMachineArn", arn}})["definition"], pass_definition);
    EXPECT_EQ(reopened.call("DescribeExecution", {{"executionArn", execution}})["status"], "SUCCEEDED");
    EXPECT_EQ(reopened.call("GetExecutionHistory", {{"executionArn", execution}})["events"].size(), 4u);
    EXPECT_EQ(reopened.call("ListTagsForResource", {{"resourceArn", arn}})["tags"].size(), 1u);
}

TEST(Service, TaskTokensCompleteWaitingTasks) {
    Service service(in_memory());
    std::mutex mutex;
    std::string token;
    service.register_handler("arn:aws:states:::sqs:sendMessage.waitForTaskToken", [&](const sfn::engine::TaskRequest& r) {
        std::lock_guard lock(mutex);
        token = r.task_token.value_or("");
        return sfn::engine::TaskOutcome::pending();
    });
    const auto arn = create(service, "Callback", R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"MessageBody":"x"},"End":true}}})");
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}});
    for (int i = 0; i < 1000; ++i) {
        {
            std::lock_guard lock(mutex);
            if (!token.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(error_of(service, "SendTaskSuccess", {{"taskToken", token}, {"output", "not json"}}), "InvalidOutput");
    // The token's form is checked first (AWS: InvalidToken even when the output is not JSON, with AWS's
    // message); a token of the issued form of an execution this service does not know is TaskDoesNotExist.
    EXPECT_EQ(error_of(service, "SendTaskSuccess", {{"taskToken", "nope"}, {"output", "not json"}}), "InvalidToken");
    EXPECT_EQ(message_of(service, "SendTaskFailure", {{"taskToken", "nope"}}), "Invalid Token: 'Invalid token'");
    EXPECT_EQ(error_of(service, "SendTaskHeartbeat", {{"taskToken", "nope"}}), "InvalidToken");
    std::string unknown = "arn:aws:states:us-east-1:123456789012:execution:Nope:x#";
    unknown.append(24, '0');
    EXPECT_EQ(error_of(service, "SendTaskSuccess", {{"taskToken", unknown}, {"output", "{}"}}), "TaskDoesNotExist");
    service.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"({"done":true})"}});
    const auto d = wait_done(service, e["executionArn"]);
    EXPECT_EQ(d["status"], "SUCCEEDED");
    EXPECT_EQ(json::parse(d["output"].get<std::string>()), (json{{"done", true}}));
    // A token whose task has closed (here: answered) is TaskTimedOut, as AWS answers a second callback
    for (const char* action : {"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"}) {
        json request = {{"taskToken", token}};
        if (std::string(action) == "SendTaskSuccess") request["output"] = "{}";
        EXPECT_EQ(error_of(service, action, request), "TaskTimedOut") << action;
        EXPECT_EQ(message_of(service, action, request), "Task Timed Out: 'Provided task does not exist anymore'");
    }
}

TEST(Service, StopAbortsARunningExecution) {
    ServiceOptions options;  // real clock: the Wait really waits
    Service service(options);
    const auto arn = create(service, "Waits", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}})");
    const auto e = service.call("StartExecution", {{"stateMachineArn", arn}});
    const auto stopped = service.call("StopExecution", {{"executionArn", e["executionArn"]}, {"error", "Why"}, {"cause", "test"}});
    EXPECT_TRUE(stopped["stopDate"].is_number());
    const auto d = service.call("DescribeExecution", {{"executionArn", e["executionArn"]}});
    EXPECT_EQ(d["status"], "ABORTED");
}
