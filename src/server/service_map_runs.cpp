// DescribeMapRun, ListMapRuns and UpdateMapRun (detail_map_runs.hpp).
#include "server/detail_map_runs.hpp"

#include "server/detail_names.hpp"
#include "sfn/server/error.hpp"

namespace sfn::server::detail {

namespace {

using json = nlohmann::json;

json counts_json(const engine::MapRunCounts& c) {
    return {{"pending", c.pending},     {"running", c.running}, {"succeeded", c.succeeded},
            {"failed", c.failed},       {"timedOut", c.timed_out}, {"aborted", c.aborted},
            {"total", c.total},         {"resultsWritten", c.results_written},
            {"failuresNotRedrivable", 0}, {"pendingRedrive", 0}};
}

std::string required_arn(const json& request, const char* member) {
    if (!request.contains(member) || !request[member].is_string())
        throw ApiError("ValidationException", std::string("1 validation error detected: Value null at '") + member +
                                                  "' failed to satisfy constraint: Member must not be null");
    return request[member].get<std::string>();
}

}  // namespace

engine::MapRunSink MapRuns::sink() {
    return [this](const engine::MapRunInfo& info, const std::shared_ptr<engine::MapRunSettings>& settings) {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = runs_.try_emplace(info.map_run_arn);
        it->second.info = info;
        it->second.settings = settings;
        if (inserted) by_execution_[info.execution_arn].push_back(info.map_run_arn);
    };
}

MapRuns::Run& MapRuns::find(const json& request) {
    const std::string arn = required_arn(request, "mapRunArn");
    if (arn.find(":mapRun:") == std::string::npos) throw ApiError("InvalidArn", "Invalid Arn: '" + arn + "'");
    auto it = runs_.find(arn);
    if (it == runs_.end()) throw ApiError("ResourceNotFound", "Map Run Does Not Exist: '" + arn + "'");
    return it->second;
}

json MapRuns::describe(const json& request) {
    std::lock_guard lock(mutex_);
    const Run& run = find(request);
    const auto& i = run.info;
    json out = {{"mapRunArn", i.map_run_arn},
                {"executionArn", i.execution_arn},
                {"status", i.status},
                {"startDate", to_epoch(i.start_date)},
                {"maxConcurrency", run.settings->max_concurrency.load()},
                {"toleratedFailurePercentage", std::max(0.0, run.settings->tolerated_failure_percentage.load())},
                {"toleratedFailureCount", std::max<std::int64_t>(0, run.settings->tolerated_failure_count.load())},
                {"itemCounts", counts_json(i.items)},
                {"executionCounts", counts_json(i.executions)},
                {"redriveCount", 0}};
    if (i.status != "RUNNING") out["stopDate"] = to_epoch(i.stop_date);
    return out;
}

json MapRuns::list(const json& request) {
    const std::string execution = required_arn(request, "executionArn");
    std::lock_guard lock(mutex_);
    json runs = json::array();
    if (auto it = by_execution_.find(execution); it != by_execution_.end()) {
        for (const auto& arn : it->second) {
            const auto& i = runs_.at(arn).info;
            json item = {{"executionArn", i.execution_arn},
                         {"mapRunArn", i.map_run_arn},
                         {"stateMachineArn", i.state_machine_arn},
                         {"startDate", to_epoch(i.start_date)}};
            if (i.status != "RUNNING") item["stopDate"] = to_epoch(i.stop_date);
            runs.push_back(std::move(item));
        }
    }
    return {{"mapRuns", std::move(runs)}};
}

json MapRuns::update(const json& request) {
    std::lock_guard lock(mutex_);
    Run& run = find(request);
    if (!request.contains("maxConcurrency") && !request.contains("toleratedFailureCount") &&
        !request.contains("toleratedFailurePercentage"))
        throw ApiError("ValidationException", "at least one of the parameters maxConcurrency, toleratedFailurePercentage "
                                              "or toleratedFailureCount must be specified");
    if (request.contains("maxConcurrency")) {
        const auto v = request["maxConcurrency"].get<std::int64_t>();
        if (v < 0) throw ApiError("ValidationException", "maxConcurrency must be a non-negative integer");
        run.settings->max_concurrency = v;
    }
    if (request.contains("toleratedFailureCount")) {
        const auto v = request["toleratedFailureCount"].get<std::int64_t>();
        if (v < 0) throw ApiError("ValidationException", "toleratedFailureCount must be a non-negative integer");
        run.settings->tolerated_failure_count = v;
    }
    if (request.contains("toleratedFailurePercentage")) {
        const auto v = request["toleratedFailurePercentage"].get<double>();
        if (v < 0 || v > 100) throw ApiError("ValidationException", "toleratedFailurePercentage must be between 0 and 100");
        run.settings->tolerated_failure_percentage = v;
    }
    return json::object();
}

}  // namespace sfn::server::detail
