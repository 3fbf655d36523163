// Group commit: writes of many requests share one SQLite transaction. A transaction that fails fails every
// request it carried (nothing is acknowledged that is not stored), queued history and final records are kept
// and retried in order, and nothing uncommitted is ever shown. Failures are injected with SQLite triggers.
#include "service_support.hpp"

#include "server/detail_store.hpp"
#include "sfn/core/error.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

using nlohmann::json;
using namespace sfn::server;
using namespace sfn::server::testing;

namespace {

// The sfn::Error message `call` threw ("" when it did not throw).
template <class Call>
std::string store_error(Call call) {
    try {
        call();
    } catch (const sfn::Error& e) {
        return e.what();
    }
    return {};
}

ServiceOptions on_file(const TempDir& dir) {
    ServiceOptions options;
    options.clock = ClockMode::virtual_time;
    options.db_path = dir.path() / "store.db";
    return options;
}

/// Creates state machine "Machine" in a service on `options`' database, closes it, then runs `sql` (a trigger
/// that injects failures) on that database; returns the machine's ARN.
std::string machine_then_sql(const ServiceOptions& options, const std::string& sql) {
    std::string machine;
    {
        Service service(options);
        machine = create(service, "Machine");
    }
    run_sql(*options.db_path, sql);
    return machine;
}

}  // namespace

TEST(GroupCommit, ConcurrentWritesAreAllStored) {
    // GIVEN a store on a file and 8 threads writing 200 records each at the same time
    TempDir dir;
    const auto path = dir.path() / "store.db";
    {
        detail::Store store(path);
        std::vector<std::thread> writers;
        for (int t = 0; t < 8; ++t) {
            writers.emplace_back([&store, t] {
                for (int i = 0; i < 200; ++i) {
                    const std::string key = std::to_string(t) + "/" + std::to_string(i);
                    store.append_event(key, 1, R"({"id":1})");
                    store.put(detail::Table::tags, key, {{"resourceArn", key}});
                }
            });
        }
        for (auto& w : writers) w.join();
    }
    // WHEN the file is opened again THEN every record and event is there
    detail::Store reopened(path);
    EXPECT_EQ(reopened.load(detail::Table::tags).size(), 1600u);
    EXPECT_EQ(reopened.events("7/199", 0, 10, false), std::vector<std::string>{R"({"id":1})"});
}

TEST(GroupCommit, AFailedTransactionFailsItsWritesAndKeepsQueuedEventsInOrder) {
    TempDir dir;
    const auto path = dir.path() / "store.db";
    detail::Store store(path);
    store.put(detail::Table::tags, "before", {{"k", 1}});
    // GIVEN history inserts for execution "poisoned" fail
    run_sql(path,
            "CREATE TRIGGER refuse BEFORE INSERT ON history WHEN NEW.execution = 'poisoned' "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
    store.append_event("poisoned", 1, R"({"id":1})");
    store.append_event("poisoned", 2, R"({"id":2})");
    // WHEN a record is written THEN the transaction carrying it (and the queued events) fails, naming why
    const std::string expected =
        "[sfn.server.E001] database '" + path.string() + "': cannot store event 1 of poisoned: injected failure";
    EXPECT_EQ(store_error([&] { store.put(detail::Table::tags, "during", {{"k", 2}}); }), expected);
    // AND reads, which commit the queue first, report it too
    EXPECT_EQ(store_error([&] { (void)store.load(detail::Table::tags); }), expected);
    // WHEN the cause goes away THEN the kept events are committed, in order, with the next write
    run_sql(path, "DROP TRIGGER refuse;");
    store.put(detail::Table::tags, "after", {{"k", 3}});
    EXPECT_EQ(store.events("poisoned", 0, 10, false), (std::vector<std::string>{R"({"id":1})", R"({"id":2})"}));
    // AND the failed write was not stored
    std::vector<json> keys;
    for (const auto& doc : store.load(detail::Table::tags)) keys.push_back(doc["k"]);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<json>{1, 3}));
}

TEST(GroupCommit, AStartWhoseRecordIsNotStoredFailsAndLeavesNothing) {
    // GIVEN a service whose store refuses the record of any execution named "refused"
    TempDir dir;
    const auto options = on_file(dir);
    const std::string machine = machine_then_sql(options,
                                                 "CREATE TRIGGER refuse BEFORE INSERT ON executions WHEN "
                                                 "NEW.key LIKE '%:refused' BEGIN SELECT RAISE(ABORT, "
                                                 "'injected failure'); END;");
    const std::string refused = "arn:aws:states:us-east-1:123456789012:execution:Machine:refused";
    {
        Service service(options);
        // WHEN it is started THEN the caller gets the store's error, not an acknowledgement
        const std::string expected = "[sfn.server.E001] database '" + options.db_path->string() + "': cannot store " +
                                     refused + ": injected failure";
        EXPECT_EQ(store_error([&] {
                      service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "refused"}});
                  }),
                  expected);
        // AND the execution does not exist, and its name is still free to try again
        EXPECT_EQ(error_of(service, "DescribeExecution", {{"executionArn", refused}}), "ExecutionDoesNotExist");
        EXPECT_EQ(service.call("ListExecutions", {{"stateMachineArn", machine}})["executions"], json::array());
        EXPECT_EQ(store_error([&] {
                      service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "refused"}});
                  }),
                  expected);
        // AND other executions carry on
        const auto kept = service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "kept"}});
        EXPECT_EQ(wait_done(service, kept["executionArn"])["status"], "SUCCEEDED");
    }
    // THEN after a restart only the acknowledged execution is there, complete
    Service reopened(options);
    const auto list = reopened.call("ListExecutions", {{"stateMachineArn", machine}})["executions"];
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["name"], "kept");
    EXPECT_EQ(list[0]["status"], "SUCCEEDED");
}

TEST(GroupCommit, AFinalRecordIsShownOnlyOnceCommitted) {
    // GIVEN a service whose store cannot take the SUCCEEDED record of execution "stuck"
    TempDir dir;
    const auto options = on_file(dir);
    const std::string machine =
        machine_then_sql(options,
                         "CREATE TRIGGER refuse BEFORE INSERT ON executions WHEN NEW.key LIKE '%:stuck' AND "
                         "NEW.doc LIKE '%SUCCEEDED%' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
    Service service(options);
    const std::string arn =
        service.call("StartExecution", {{"stateMachineArn", machine}, {"name", "stuck"}})["executionArn"];
    // WHEN the execution has ended and its final record failed to commit (reads commit the queue first and
    // report the failure)
    std::string failure;
    for (int i = 0; i < 2000 && failure.empty(); ++i) {
        failure = store_error([&] { service.call("GetExecutionHistory", {{"executionArn", arn}}); });
        if (failure.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(failure, "[sfn.server.E001] database '" + options.db_path->string() + "': cannot store " + arn +
                           ": injected failure");
    // THEN it is still shown as RUNNING, the state that is stored
    EXPECT_EQ(service.call("DescribeExecution", {{"executionArn", arn}})["status"], "RUNNING");
    // WHEN the store accepts writes again THEN the kept record is committed and shown, with its whole history
    run_sql(*options.db_path, "DROP TRIGGER refuse;");
    service.drain();
    EXPECT_EQ(service.call("DescribeExecution", {{"executionArn", arn}})["status"], "SUCCEEDED");
    const auto events = service.call("GetExecutionHistory", {{"executionArn", arn}})["events"];
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[3]["type"], "ExecutionSucceeded");
}
