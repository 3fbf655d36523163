#pragma once
/// \file
/// Distributed Map runs as the service reports them (DescribeMapRun, ListMapRuns) and the settings
/// UpdateMapRun changes while a run goes on.

#include "sfn/engine/clock.hpp"
#include "sfn/engine/history.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace sfn::engine {

/// Counts of a Map Run's items or child executions by status (DescribeMapRun's itemCounts/executionCounts).
struct MapRunCounts {
    std::int64_t pending = 0;
    std::int64_t running = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t timed_out = 0;
    std::int64_t aborted = 0;
    std::int64_t total = 0;
    std::int64_t results_written = 0;
};

/// One Distributed Map run of an execution.
struct MapRunInfo {
    std::string map_run_arn;        ///< arn:...:mapRun:<machine>/<Label>:<id>
    std::string execution_arn;      ///< the parent execution
    std::string state_machine_arn;  ///< the children's: <machine ARN>/<Label>
    std::string status = "RUNNING"; ///< RUNNING, SUCCEEDED, FAILED, ABORTED
    TimePoint start_date{};
    TimePoint stop_date{};          ///< when not RUNNING
    MapRunCounts items;
    MapRunCounts executions;
    int redrive_count = 0;          ///< times the run was redriven (RedrivenMapRun)
    TimePoint redrive_date{};       ///< the last redrive, when redrive_count > 0
};

/// A redrive of an execution whose Distributed Map run failed: the state's run continues (a MapRunRedriven
/// event, the same ARN and child names) instead of a new one; its successful children are taken back
/// (ExecutionOptions::resume_finished_children) and the others run again.
struct RedrivenMapRun {
    std::string state;        ///< the Distributed Map state (the redrive's restart point)
    std::string map_run_arn;  ///< the run it started last
    int redrive_count = 1;    ///< this redrive's number for the run (1 for its first)
};

/// What UpdateMapRun changes in a running Map Run; the engine reads it as the run goes on (the tolerated
/// failure threshold is checked against these values at each failure).
struct MapRunSettings {
    std::atomic<std::int64_t> max_concurrency{0};
    std::atomic<std::int64_t> tolerated_failure_count{-1};      ///< -1 = not set
    std::atomic<double> tolerated_failure_percentage{-1};       ///< -1 = not set
};

/// Told when a Map Run starts, whenever its counts move on (at most every few hundred children) and when it
/// ends; called on the execution's threads, so it must not block for long.
using MapRunSink = std::function<void(const MapRunInfo& info, const std::shared_ptr<MapRunSettings>& settings)>;

/// One STANDARD child execution of a Map Run, with its own history (ids from 1): when it ends, ExecutionStarted
/// to its closing event; a child that may block (a Wait, Task or Retry in its graph) is also reported while it
/// runs, with status RUNNING and its history so far: at its start (ExecutionStarted alone) and whenever it is
/// about to wait (a Wait state, a Task's call), so that its events are visible meanwhile. EXPRESS children are
/// not reported: AWS keeps no history of them.
struct MapRunChild {
    std::string map_run_arn;
    std::string execution_arn;      ///< arn:...:execution:<machine>/<Label>:<name>
    std::string state_machine_arn;  ///< arn:...:stateMachine:<machine>/<Label>
    std::string name;
    std::string status;             ///< RUNNING (the start report), SUCCEEDED, FAILED or ABORTED
    std::string input, output;      ///< JSON texts (output: SUCCEEDED only)
    std::string error, cause;       ///< FAILED/ABORTED: as the closing event has them
    bool has_error = false, has_cause = false;
    TimePoint start_date{}, stop_date{};
    const History* history = nullptr;  ///< valid during the call only
    /// > 0: the child runs again in a redriven run (RedrivenMapRun): the history it had is replaced by this one.
    int redrive_count = 0;
};

/// Told of each STANDARD child as it ends (and of one that may block as it starts), on the thread that runs
/// it; the child's record and history are gone after the call (a run keeps nothing per child for it).
using MapRunChildSink = std::function<void(const MapRunChild& child)>;

}  // namespace sfn::engine
