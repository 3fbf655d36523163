#pragma once
// Internal: the service's Distributed Map runs (DescribeMapRun, ListMapRuns, UpdateMapRun). The engine
// reports each run through ExecutionOptions::map_run_sink; UpdateMapRun changes the live settings the
// engine reads while the run goes on. Kept in memory: a restarted service knows the runs of the executions
// it has run since.

#include "sfn/engine/map_run.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sfn::server::detail {

class MapRuns {
public:
    /// The sink for one execution's options.
    [[nodiscard]] engine::MapRunSink sink();
    nlohmann::json describe(const nlohmann::json& request);
    nlohmann::json list(const nlohmann::json& request);
    nlohmann::json update(const nlohmann::json& request);

private:
    struct Run {
        engine::MapRunInfo info;
        std::shared_ptr<engine::MapRunSettings> settings;
    };
    Run& find(const nlohmann::json& request);

    std::mutex mutex_;
    std::map<std::string, Run> runs_;
    std::map<std::string, std::vector<std::string>> by_execution_;  // in start order
};

}  // namespace sfn::server::detail
