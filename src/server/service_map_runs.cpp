// DescribeMapRun, ListMapRuns, UpdateMapRun and the Map Runs' child executions (detail_map_runs.hpp).
#include "server/detail_map_runs.hpp"

#include "server/detail_execution_page.hpp"
#include "server/detail_names.hpp"
#include "server/detail_page.hpp"
#include "sfn/server/error.hpp"

#include <algorithm>

namespace sfn::server::detail {

namespace {

using json = nlohmann::json;

json counts_json(const engine::MapRunCounts& c) {
    return {{"pending", c.pending},     {"running", c.running}, {"succeeded", c.succeeded},
            {"failed", c.failed},       {"timedOut", c.timed_out}, {"aborted", c.aborted},
            {"total", c.total},         {"resultsWritten", c.results_written},
            {"failuresNotRedrivable", 0}, {"pendingRedrive", 0}};
}

json counts_doc(const engine::MapRunCounts& c) {
    return {{"pending", c.pending}, {"running", c.running}, {"succeeded", c.succeeded}, {"failed", c.failed},
            {"timedOut", c.timed_out}, {"aborted", c.aborted}, {"total", c.total}, {"resultsWritten", c.results_written}};
}

engine::MapRunCounts counts_of(const json& j) {
    engine::MapRunCounts c;
    c.pending = j.value("pending", std::int64_t{0});
    c.running = j.value("running", std::int64_t{0});
    c.succeeded = j.value("succeeded", std::int64_t{0});
    c.failed = j.value("failed", std::int64_t{0});
    c.timed_out = j.value("timedOut", std::int64_t{0});
    c.aborted = j.value("aborted", std::int64_t{0});
    c.total = j.value("total", std::int64_t{0});
    c.results_written = j.value("resultsWritten", std::int64_t{0});
    return c;
}

engine::TimePoint from_epoch(double seconds) {
    return engine::TimePoint(std::chrono::duration_cast<engine::TimePoint::duration>(
        std::chrono::duration<double>(seconds)));
}

std::string required_arn(const json& request, const char* member) {
    if (!request.contains(member) || !request[member].is_string())
        throw ApiError("ValidationException", std::string("1 validation error detected: Value null at '") + member +
                                                  "' failed to satisfy constraint: Member must not be null");
    return request[member].get<std::string>();
}

}  // namespace

void MapRuns::attach(Store& store, std::function<std::int64_t()> next_seq) {
    std::lock_guard lock(mutex_);
    store_ = &store;
    next_seq_ = std::move(next_seq);
    std::vector<Run> loaded;
    for (const auto& doc : store.load(Table::map_runs)) {
        Run run;
        auto& i = run.info;
        i.map_run_arn = doc.value("mapRunArn", "");
        i.execution_arn = doc.value("executionArn", "");
        i.state_machine_arn = doc.value("stateMachineArn", "");
        i.status = doc.value("status", "RUNNING");
        i.start_date = from_epoch(doc.value("startDate", 0.0));
        if (doc.contains("stopDate")) i.stop_date = from_epoch(doc.value("stopDate", 0.0));
        i.items = counts_of(doc.value("itemCounts", json::object()));
        i.executions = counts_of(doc.value("executionCounts", json::object()));
        i.redrive_count = doc.value("redriveCount", 0);
        if (doc.contains("redriveDate")) i.redrive_date = from_epoch(doc.value("redriveDate", 0.0));
        run.settings = std::make_shared<engine::MapRunSettings>();
        run.settings->max_concurrency = doc.value("maxConcurrency", std::int64_t{0});
        run.settings->tolerated_failure_count = doc.value("_toleratedFailureCount", std::int64_t{-1});
        run.settings->tolerated_failure_percentage = doc.value("_toleratedFailurePercentage", -1.0);
        run.start_order = doc.value("_order", std::int64_t{0});
        loaded.push_back(std::move(run));
    }
    std::sort(loaded.begin(), loaded.end(), [](const Run& a, const Run& b) { return a.start_order < b.start_order; });
    for (auto& run : loaded) {
        next_order_ = std::max(next_order_, run.start_order + 1);
        by_execution_[run.info.execution_arn].push_back(run.info.map_run_arn);
        const std::string arn = run.info.map_run_arn;
        runs_[arn] = std::move(run);
    }
}

void MapRuns::persist_locked(const Run& run) {
    if (!store_) return;
    const auto& i = run.info;
    json doc = {{"mapRunArn", i.map_run_arn},
                {"executionArn", i.execution_arn},
                {"stateMachineArn", i.state_machine_arn},
                {"status", i.status},
                {"startDate", to_epoch(i.start_date)},
                {"itemCounts", counts_doc(i.items)},
                {"executionCounts", counts_doc(i.executions)},
                {"maxConcurrency", run.settings->max_concurrency.load()},
                {"_toleratedFailureCount", run.settings->tolerated_failure_count.load()},
                {"_toleratedFailurePercentage", run.settings->tolerated_failure_percentage.load()},
                {"_order", run.start_order},
                {"redriveCount", i.redrive_count}};
    if (i.redrive_count > 0) doc["redriveDate"] = to_epoch(i.redrive_date);
    if (i.status != "RUNNING") doc["stopDate"] = to_epoch(i.stop_date);
    store_->put_later(Table::map_runs, i.map_run_arn, doc);
}

engine::MapRunSink MapRuns::sink() {
    return [this](const engine::MapRunInfo& info, const std::shared_ptr<engine::MapRunSettings>& settings) {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = runs_.try_emplace(info.map_run_arn);
        // A redriven run keeps the date it first started (DescribeMapRun gives the redrive's as redriveDate).
        const auto started = it->second.info.start_date;
        it->second.info = info;
        if (!inserted && info.redrive_count > 0) it->second.info.start_date = started;
        it->second.settings = settings;
        if (inserted) {
            it->second.start_order = next_order_++;
            by_execution_[info.execution_arn].push_back(info.map_run_arn);
        }
        persist_locked(it->second);
    };
}

engine::MapRunChildSink MapRuns::child_sink() {
    return [this](const engine::MapRunChild& c) {
        if (!store_) return;
        const bool running = c.status == "RUNNING";
        // A child reported while it runs (at its start, then whenever it is about to wait) keeps its start order
        // (ListExecutions lists by start); each report stores the events recorded since the one before.
        std::int64_t seq = 0;
        std::size_t written = 0;
        bool reported_before = false;
        {
            std::lock_guard lock(children_mutex_);
            if (auto it = running_children_.find(c.execution_arn); it != running_children_.end()) {
                seq = it->second.seq;
                written = it->second.written;
                reported_before = true;
                if (running) {
                    it->second.written = c.history ? c.history->size() : written;
                } else {
                    running_children_.erase(it);
                }
            }
        }
        if (seq == 0) seq = next_seq_();
        if (running && !reported_before) {
            std::lock_guard lock(children_mutex_);
            running_children_[c.execution_arn] = RunningChild{seq, c.history ? c.history->size() : 0};
        }
        // A child run again (by a redriven run, or by a run continued after a restart, which stored part of its
        // history before): its new history replaces the one it had.
        if (!reported_before && (c.redrive_count > 0 || running)) store_->forget_events(c.execution_arn);
        if (running && reported_before) {  // more events of a running child: its record is unchanged
            for (std::size_t k = written; c.history && k < c.history->size(); ++k) {
                const auto& e = (*c.history)[k];
                store_->append_event(c.execution_arn, e.id, e.to_json().dump());
            }
            return;
        }
        json doc = {{"executionArn", c.execution_arn},
                    {"stateMachineArn", c.state_machine_arn},
                    {"name", c.name},
                    {"status", c.status},
                    {"startDate", to_epoch(c.start_date)},
                    {"input", c.input},
                    {"inputDetails", {{"included", true}}},
                    {"mapRunArn", c.map_run_arn},
                    {"redriveCount", c.redrive_count},
                    {"_type", "STANDARD"},
                    {"_seq", seq}};
        if (!running) doc["stopDate"] = to_epoch(c.stop_date);
        if (c.status == "SUCCEEDED") {
            doc["output"] = c.output;
            doc["outputDetails"] = {{"included", true}};
        } else if (!running) {
            if (c.has_error) doc["error"] = c.error;
            if (c.has_cause) doc["cause"] = c.cause;
        }
        // The record and its history are queued together: a commit holds both or neither (what is committed
        // is a prefix of what was queued, the record last).
        if (c.history) {
            for (std::size_t k = written; k < c.history->size(); ++k) {
                const auto& e = (*c.history)[k];
                store_->append_event(c.execution_arn, e.id, e.to_json().dump());
            }
        }
        store_->put_later(Table::executions, c.execution_arn, doc);
    };
}

void MapRuns::end_interrupted_child(Store& store, json doc) {
    const std::string arn = doc["executionArn"];
    engine::HistoryEvent aborted;
    aborted.id = store.last_event_id(arn) + 1;
    aborted.previous_event_id = aborted.id - 1;
    aborted.timestamp = std::chrono::system_clock::now();
    aborted.type = engine::EventType::ExecutionAborted;
    store.append_event(arn, aborted.id, aborted.to_json().dump());
    doc["status"] = "ABORTED";
    doc["stopDate"] = to_epoch(aborted.timestamp);
    store.put(Table::executions, arn, doc);
}

std::optional<std::string> MapRuns::execution_of(const std::string& map_run_arn) {
    std::lock_guard lock(mutex_);
    const auto it = runs_.find(map_run_arn);
    if (it == runs_.end()) return std::nullopt;
    return it->second.info.execution_arn;
}

int MapRuns::redrive_count_of(const std::string& map_run_arn) {
    std::lock_guard lock(mutex_);
    const auto it = runs_.find(map_run_arn);
    return it == runs_.end() ? 0 : it->second.info.redrive_count;
}

void MapRuns::abort_runs_of(const std::string& execution_arn) {
    std::lock_guard lock(mutex_);
    const auto runs = by_execution_.find(execution_arn);
    if (runs == by_execution_.end()) return;
    for (const auto& arn : runs->second) {
        Run& run = runs_.at(arn);
        auto& i = run.info;
        if (i.status != "RUNNING") continue;
        // Children left RUNNING for the run to continue end with it.
        if (store_) {
            for (auto& child : store_->executions_of(i.state_machine_arn, INT64_MAX, 1'000'000, "RUNNING")) {
                if (child.value("mapRunArn", "") == arn) end_interrupted_child(*store_, std::move(child));
            }
        }
        i.status = "ABORTED";
        i.stop_date = std::chrono::system_clock::now();
        for (auto* c : {&i.items, &i.executions}) {
            c->aborted += c->running + c->pending;
            c->running = c->pending = 0;
        }
        persist_locked(run);
    }
}

json MapRuns::list_executions(const json& request) {
    const std::string arn = required_arn(request, "mapRunArn");
    if (request.contains("stateMachineArn"))
        throw ApiError("ValidationException", "You can specify either a mapRunArn or a stateMachineArn, but not both");
    std::string machine;
    {
        std::lock_guard lock(mutex_);
        machine = find(request).info.state_machine_arn;
    }
    // Children share their state machine ARN (<machine>/<Label>) with the other runs of the same Map state:
    // only this run's are listed.
    ExecutionPageQuery query;
    query.machine_arn = machine;
    query.scope_arn = arn;
    query.keep = [&](const json& doc) { return doc.value("mapRunArn", "") == arn; };
    query.item = [&](const json& doc) {
        json item = {{"executionArn", doc["executionArn"]}, {"stateMachineArn", doc["stateMachineArn"]},
                     {"name", doc["name"]},                 {"status", doc["status"]},
                     {"startDate", doc["startDate"]},       {"mapRunArn", arn},
                     {"redriveCount", doc.value("redriveCount", 0)}};
        if (doc.contains("stopDate")) item["stopDate"] = doc["stopDate"];  // a running child has none
        return item;
    };
    return execution_page(*store_, query, request);
}

MapRuns::Run& MapRuns::find(const json& request) {
    const std::string arn = required_arn(request, "mapRunArn");
    if (arn.find(":mapRun:") == std::string::npos) throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
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
                {"redriveCount", i.redrive_count}};
    if (i.redrive_count > 0) out["redriveDate"] = to_epoch(i.redrive_date);
    if (i.status != "RUNNING") out["stopDate"] = to_epoch(i.stop_date);
    return out;
}

json MapRuns::list(const json& request) {
    const std::string execution = required_arn(request, "executionArn");
    const auto parsed = detail::parse_arn(execution);
    if (!parsed || parsed->service != "states" || parsed->resource_type != "execution")
        throw ApiError("InvalidArn", detail::invalid_arn_message(execution));
    std::vector<detail::Keyed> runs;
    {
        std::lock_guard lock(mutex_);
        if (auto it = by_execution_.find(execution); it != by_execution_.end()) {
            for (const auto& arn : it->second) {
                const auto& i = runs_.at(arn).info;
                json item = {{"executionArn", i.execution_arn},
                             {"mapRunArn", i.map_run_arn},
                             {"stateMachineArn", i.state_machine_arn},
                             {"startDate", to_epoch(i.start_date)}};
                if (i.status != "RUNNING") item["stopDate"] = to_epoch(i.stop_date);
                runs.emplace_back(detail::number_key(static_cast<std::int64_t>(runs.size())), std::move(item));
            }
        }
    }
    if (runs.empty() && store_ && !store_->get(Table::executions, execution))
        throw ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + execution + "'");
    // In the order they started, maxResults (default 100) at a time.
    return detail::paginate(std::move(runs), false, request, "ListMapRuns:" + execution, "mapRuns");
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
    persist_locked(run);
    return json::object();
}

}  // namespace sfn::server::detail
