#pragma once
// Internal: the service's Distributed Map runs (DescribeMapRun, ListMapRuns, UpdateMapRun) and their child
// executions (ListExecutions with mapRunArn). The engine reports each run through
// ExecutionOptions::map_run_sink and each ended STANDARD child through map_run_child_sink; UpdateMapRun
// changes the live settings the engine reads while the run goes on. Runs are stored (table map_runs) as
// their counts move on, so a restarted service still describes them; children are stored as execution
// records (with their histories) when they end, and children that may block also when they start (RUNNING,
// with ExecutionStarted), so that DescribeExecution, ListExecutions and GetExecutionHistory show them while
// they run (their events as they go). Only the start order and stored event count of the running ones stay in
// memory.

#include "server/detail_store.hpp"
#include "sfn/engine/map_run.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sfn::server::detail {

class MapRuns {
public:
    /// Where runs and children are stored, and where a child's start order (`_seq`) comes from; loads the
    /// runs a previous process stored.
    void attach(Store& store, std::function<std::int64_t()> next_seq);
    /// The sinks for one execution's options.
    [[nodiscard]] engine::MapRunSink sink();
    [[nodiscard]] engine::MapRunChildSink child_sink();
    nlohmann::json describe(const nlohmann::json& request);
    nlohmann::json list(const nlohmann::json& request);
    nlohmann::json update(const nlohmann::json& request);
    /// ListExecutions with mapRunArn: the run's stored child executions, newest first.
    nlohmann::json list_executions(const nlohmann::json& request);
    /// A child the previous process left RUNNING (`doc`, its record): its parent continues from its last
    /// checkpoint and runs the Map state again, so this child ended with that process (ABORTED, with an
    /// ExecutionAborted event).
    static void end_interrupted_child(Store& store, nlohmann::json doc);
    /// The execution's runs still RUNNING end ABORTED (its pending and running children with them): a previous
    /// process left them running and the execution could not be resumed to continue them.
    void abort_runs_of(const std::string& execution_arn);
    /// The execution a run belongs to, if the run is known.
    [[nodiscard]] std::optional<std::string> execution_of(const std::string& map_run_arn);
    /// How often a run was redriven so far (0 when it is unknown or never was).
    [[nodiscard]] int redrive_count_of(const std::string& map_run_arn);

private:
    struct Run {
        engine::MapRunInfo info;
        std::shared_ptr<engine::MapRunSettings> settings;
        std::int64_t start_order = 0;  // ListMapRuns lists an execution's runs in start order
    };
    Run& find(const nlohmann::json& request);
    void persist_locked(const Run& run);

    Store* store_ = nullptr;
    std::function<std::int64_t()> next_seq_;
    std::mutex mutex_;
    std::int64_t next_order_ = 1;
    std::map<std::string, Run> runs_;
    std::map<std::string, std::vector<std::string>> by_execution_;  // in start order
    std::mutex children_mutex_;
    struct RunningChild {
        std::int64_t seq = 0;      // its `_seq`
        std::size_t written = 0;   // events of its history stored so far
    };
    std::map<std::string, RunningChild> running_children_;  // children reported RUNNING
};

}  // namespace sfn::server::detail
