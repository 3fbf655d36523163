// Execution records live in the store, not in memory: the service reads them back for Describe*, pages
// ListExecutions through the store's index, and opens databases written before that index existed.
#include "service_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using nlohmann::json;
using namespace sfn::server;
using namespace sfn::server::testing;

namespace {

ServiceOptions on_file(const TempDir& dir) {
    ServiceOptions options;
    options.clock = ClockMode::virtual_time;
    options.db_path = dir.path() / "store.db";
    return options;
}

// Every page of ListExecutions for `request`, the names in the order returned.
std::vector<std::string> list_names(Service& service, json request, std::size_t* pages = nullptr) {
    std::vector<std::string> names;
    std::size_t count = 0;
    while (true) {
        const auto page = service.call("ListExecutions", request);
        ++count;
        for (const auto& e : page["executions"]) names.push_back(e["name"]);
        if (!page.contains("nextToken")) break;
        request["nextToken"] = page["nextToken"];
    }
    if (pages) *pages = count;
    return names;
}

std::vector<std::string> numbered(const std::string& prefix, int from, int down_to) {
    std::vector<std::string> out;
    for (int i = from; i >= down_to; --i) out.push_back(prefix + std::to_string(i));
    return out;
}

}  // namespace

TEST(ExecutionStore, DescribeReadsTheStoredRecord) {
    // GIVEN a finished execution
    TempDir dir;
    Service service(on_file(dir));
    const auto machine = create(service, "Machine");
    const std::string arn = service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "one"}})["executionArn"];
    service.drain();
    // WHEN its stored record changes behind the service's back
    run_sql(dir.path() / "store.db",
            "UPDATE executions SET doc = json_set(doc, '$.output', 'from the store') WHERE key = '" + arn + "';");
    // THEN DescribeExecution answers from the store: the service keeps no copy of finished executions
    EXPECT_EQ(service.call("DescribeExecution", {{"executionArn", arn}})["output"], "from the store");
    EXPECT_EQ(service.call("ListExecutions", {{"stateMachineArn", machine}})["executions"].size(), 1u);
}

TEST(ExecutionStore, ListExecutionsPagesAndFiltersAcrossStoreBatches) {
    // GIVEN 1,200 executions of one machine, the first 700 succeeding and the last 500 failing, and one
    // execution of another machine
    TempDir dir;
    Service service(on_file(dir));
    const auto machine = create(service, "Machine");
    const auto other = create(service, "Other");
    for (int i = 0; i < 1200; ++i) {
        if (i == 700) {
            service.call("UpdateStateMachine", {{"stateMachineArn", machine}, {"definition", fail_definition}});
        }
        service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "e" + std::to_string(i)}});
    }
    service.call("StartExecution", {{"stateMachineArn", other}, {"name", "elsewhere"}});
    service.drain();
    // THEN every execution is listed once, newest first, in pages larger than one read of the store
    std::size_t pages = 0;
    EXPECT_EQ(list_names(service, {{"stateMachineArn", machine}, {"maxResults", 1000}}, &pages),
              numbered("e", 1199, 0));
    EXPECT_EQ(pages, 2u);
    // AND the status filter pages through only the matching ones
    EXPECT_EQ(list_names(service, {{"stateMachineArn", machine}, {"statusFilter", "FAILED"}, {"maxResults", 150}},
                         &pages),
              numbered("e", 1199, 700));
    EXPECT_EQ(pages, 4u);
    EXPECT_EQ(list_names(service, {{"stateMachineArn", machine}, {"statusFilter", "SUCCEEDED"}}).size(), 700u);
    EXPECT_TRUE(list_names(service, {{"stateMachineArn", machine}, {"statusFilter", "ABORTED"}}).empty());
    EXPECT_EQ(list_names(service, {{"stateMachineArn", other}}), std::vector<std::string>{"elsewhere"});
    // AND a page token belongs to its query
    const auto first = service.call("ListExecutions", {{"stateMachineArn", machine}, {"maxResults", 1}});
    EXPECT_EQ(error_of(service, "ListExecutions", {{"stateMachineArn", other}, {"nextToken", first["nextToken"]}}),
              "InvalidToken");
}

TEST(ExecutionStore, ADatabaseWithoutTheExecutionIndexIsUpgradedOnOpen) {
    // GIVEN a database as written before execution records had indexed columns: one finished execution and
    // one left RUNNING by a process that died
    TempDir dir;
    const auto options = on_file(dir);
    std::string machine;
    std::string finished;
    {
        Service service(options);
        machine = create(service, "Machine");
        finished = service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "finished"}})["executionArn"];
        service.drain();
    }
    const std::string running = "arn:aws:states:us-east-1:123456789012:execution:Machine:running";
    run_sql(*options.db_path,
            "DROP INDEX executions_by_machine; DROP INDEX executions_by_seq; DROP INDEX executions_running;"
            "CREATE TABLE old (key TEXT PRIMARY KEY, doc TEXT NOT NULL);"
            "INSERT INTO old SELECT key, doc FROM executions;"
            "INSERT INTO old SELECT '" + running + "', json_set(doc, '$.executionArn', '" + running +
                "', '$.name', 'running', '$.status', 'RUNNING', '$._seq', 2) FROM executions;"
            "DROP TABLE executions; ALTER TABLE old RENAME TO executions;");
    // WHEN the service opens it
    Service reopened(options);
    // THEN both executions are listed, newest first, the dead one marked FAILED, and a new one is listed first
    EXPECT_EQ(list_names(reopened, {{"stateMachineArn", machine}}), (std::vector<std::string>{"running", "finished"}));
    EXPECT_EQ(reopened.call("DescribeExecution", {{"executionArn", running}})["status"], "FAILED");
    EXPECT_EQ(reopened.call("DescribeExecution", {{"executionArn", finished}})["status"], "SUCCEEDED");
    reopened.call("StartExecution", {{"stateMachineArn", machine}, {"name", "new"}});
    reopened.drain();
    EXPECT_EQ(list_names(reopened, {{"stateMachineArn", machine}, {"statusFilter", "SUCCEEDED"}}),
              (std::vector<std::string>{"new", "finished"}));
}
