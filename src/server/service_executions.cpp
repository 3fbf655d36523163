// Executions: start (async STANDARD, sync EXPRESS), describe, stop, list, history, redrive, task tokens.
#include "sfn/engine/error.hpp"
#include "server/detail_execution_page.hpp"
#include "server/detail_names.hpp"
#include "server/detail_resume_point.hpp"
#include "server/detail_service.hpp"

#include <atomic>
#include <chrono>

namespace sfn::server {

using detail::Table;

namespace {

constexpr std::size_t max_payload = 262144;

sfn::Value parse_input(const json& r) {
    const std::string text = r.value("input", "{}");
    if (text.size() > max_payload) {
        throw ApiError("InvalidExecutionInput", "Invalid State Machine Execution Input: the input is " +
                                                    std::to_string(text.size()) +
                                                    " bytes, more than the maximum of 262144 bytes");
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw ApiError("InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'");
    }
    try {
        return sfn::Value::parse(text);
    } catch (const sfn::Error& e) {
        throw ApiError("InvalidExecutionInput", std::string("Invalid State Machine Execution Input: '") + e.what() + "'");
    }
}

// AWS redrives an execution that stopped at most 14 days ago.
constexpr double redrivable_seconds = 14 * 24 * 3600.0;

bool redrive_period_exceeded(const json& doc) {
    return doc.contains("stopDate") && detail::now_epoch() - doc["stopDate"].get<double>() > redrivable_seconds;
}

const char* redrive_status(const json& doc) {
    const std::string status = doc["status"];
    if (status == "RUNNING" || status == "SUCCEEDED") return "NOT_REDRIVABLE";
    if (doc.value("_type", "STANDARD") == "STANDARD" && redrive_period_exceeded(doc)) return "NOT_REDRIVABLE";
    // A Map Run's child is redriven with its parent (RedriveExecution of the parent), not on its own.
    if (doc.contains("mapRunArn")) return "REDRIVABLE_BY_MAP_RUN";
    return doc.value("_type", "STANDARD") == "STANDARD" ? "REDRIVABLE" : "NOT_REDRIVABLE";
}

std::string execution_name(const json& r) {
    std::string name = r.value("name", "");
    if (!r.contains("name")) name = detail::uuid4();
    if (!detail::valid_name(name)) throw ApiError("InvalidName", "Invalid Name: '" + name + "'");
    return name;
}

std::string machine_part(const std::string& machine_arn) {
    // arn:aws:states:region:account:stateMachine:name -> arn:aws:states:region:account:
    const auto pos = machine_arn.find(":stateMachine:");
    return machine_arn.substr(0, pos + 1);
}

}  // namespace

void launch(Service::Impl& s, const std::string& arn, json record, engine::CompiledMachine machine,
            sfn::Value input, engine::ExecutionOptions options, std::int64_t offset) {
    auto* store = &s.store;
    // Whether finished Map/Parallel children were stored for this execution (or taken back: they are then
    // stored again), to be dropped once it succeeds.
    auto live_children = std::make_shared<std::atomic<bool>>(!options.resume_finished_children.empty());
    const auto event_text = [offset](const engine::HistoryEvent& event) {
        json doc = event.to_json();
        if (offset > 0) {
            doc["id"] = event.id + offset;
            doc["previousEventId"] = event.previous_event_id <= 1 ? offset + 1 : event.previous_event_id + offset;
        }
        return doc.dump();
    };
    options.history_sink = [store, arn, offset, event_text](const engine::HistoryEvent& event) {
        // ExecutionStarted was committed with the execution's record (see start_execution); a redrive
        // continues after the ExecutionRedriven event (id offset + 1) instead of starting anew.
        if (event.type == engine::EventType::ExecutionStarted) return;
        store->append_event(arn, event.id + offset, event_text(event));
    };
    if (options.type == engine::ExecutionType::Standard && s.options.checkpoint_executions) {
        // Durable executions: each top-level transition's checkpoint is committed with its event (one write,
        // one transaction), so the last committed checkpoint always matches the committed history.
        options.checkpoint_sink = [store, arn, offset, event_text](const engine::HistoryEvent* event,
                                                                  const engine::Checkpoint& checkpoint) {
            auto doc = detail::encode_resume_point(checkpoint, offset);
            if (event) {
                store->append_event(arn, event->id + offset, event_text(*event), std::move(doc));
            } else {
                store->put_resume_point(arn, checkpoint.event_id + offset, std::move(doc));
            }
        };
        // The finished iterations and branches of a top-level Map/Parallel state: not run again when the
        // execution resumes inside it, nor (the successful ones) when it is redriven after that state failed.
        options.finished_child_sink = [store, arn, offset, reported = live_children](const engine::FinishedChild& c) {
            reported->store(true, std::memory_order_relaxed);
            store->put_finished_child(arn, {.started_id = c.started_id + offset, .index = c.index, .state = c.state,
                                            .succeeded = c.succeeded, .record = c.record});
        };
    }
    options.record_history = false;
    auto live = std::make_shared<Live>();
    live->record = std::move(record);
    auto promise = std::make_shared<std::promise<void>>();
    live->done = promise->get_future().share();
    live->execution = std::make_unique<engine::Execution>(std::move(machine), std::move(input), std::move(options));
    s.live[arn] = live;
    s.pool.submit([&s, arn, live, promise, live_children] {
        engine::ExecutionResult result;
        try {
            result = live->execution->run();
        } catch (const std::exception& e) {
            result.status = engine::ExecutionStatus::Failed;
            result.error = "States.Runtime";
            result.cause = std::string("The local service could not run the execution: ") + e.what();
            result.stop_time = std::chrono::system_clock::now();
        }
        {
            std::lock_guard lock(s.mutex_);
            if (!s.shutting_down) {
                // The final record joins the store's queue behind the execution's last history event;
                // readers see it once it is committed, so nothing answered can be lost by a crash.
                json doc = std::move(live->record);
                doc["status"] = std::string(engine::to_string(result.status));
                doc["stopDate"] = detail::to_epoch(result.stop_time);
                if (result.status == engine::ExecutionStatus::Succeeded) {
                    doc["output"] = result.output_json();
                    doc["outputDetails"] = {{"included", true}};
                }
                if (result.error) doc["error"] = *result.error;
                if (result.cause) doc["cause"] = *result.cause;
                // A redrive takes the successful children of a failed Map/Parallel back; a success needs none.
                if (result.status == engine::ExecutionStatus::Succeeded && live_children->load()) {
                    s.store.forget_finished_children(arn);
                }
                s.store.put_later(Table::executions, arn, doc);
            }
            s.live.erase(arn);
        }
        s.live_cv.notify_all();
        promise->set_value();
    });
}

json Service::Impl::start_execution(const json& r) {
    const std::string requested = r["stateMachineArn"];
    sfn::Value input = parse_input(r);
    const std::string name = execution_name(r);
    Target target;
    {
        std::lock_guard lock(mutex_);
        target = resolve(requested);
    }
    const std::string base_arn = target.machine["stateMachineArn"];
    const std::string machine_name = target.machine["name"];
    auto machine = compile(target.definition);
    const auto now = std::chrono::system_clock::now();
    engine::ExecutionOptions options;
    options.name = name;
    options.state_machine_name = machine_name;
    options.state_machine_arn = base_arn;
    options.role_arn = target.role_arn;
    options.region = options_region();
    options.objects = this->options.objects;
    options.map_run_sink = map_runs.sink();
    options.map_run_child_sink = map_runs.child_sink();
    options.start_time = now;
    options.handlers = handlers_for(target);
    options.task_tokens = tokens;
    options.clock = make_clock();
    if (target.machine["type"] == "EXPRESS") {
        // EXPRESS executions started asynchronously are not recorded (AWS keeps no history for them).
        const std::string arn = machine_part(base_arn) + "express:" + machine_name + ":" + name + ":" + detail::uuid4();
        options.execution_arn = arn;
        options.type = engine::ExecutionType::Express;
        auto execution = std::make_shared<engine::Execution>(machine, std::move(input), std::move(options));
        pool.submit([execution] { execution->run(); });
        return {{"executionArn", arn}, {"startDate", detail::to_epoch(now)}};
    }
    const std::string arn = machine_part(base_arn) + "execution:" + machine_name + ":" + name;
    json doc = {{"executionArn", arn},
                {"stateMachineArn", base_arn},
                {"name", name},
                {"status", "RUNNING"},
                {"startDate", detail::to_epoch(now)},
                {"input", r.value("input", "{}")},
                {"inputDetails", {{"included", true}}},
                {"redriveCount", 0},
                {"_definition", target.definition},
                {"_roleArn", target.role_arn},
                {"_updateDate", target.machine["_updateDate"]},
                {"_revisionId", target.revision_id},
                {"_type", "STANDARD"},
                {"_testCase", target.test_case}};
    if (!target.version_arn.empty()) doc["stateMachineVersionArn"] = target.version_arn;
    if (!target.alias_arn.empty()) doc["stateMachineAliasArn"] = target.alias_arn;
    if (!this->options.checkpoint_executions) doc["_checkpoints"] = false;  // not resumable (service_resume.cpp)
    if (r.contains("traceHeader")) doc["traceHeader"] = r["traceHeader"];
    {
        std::unique_lock lock(mutex_);
        // A concurrent start of the same name is under way: its outcome decides ours.
        started_cv.wait(lock, [&] { return !starting.count(arn); });
        if (auto it = live.find(arn); it != live.end()) {
            // Idempotent for a RUNNING execution started with the same input (PROTOCOL.md §5).
            if (it->second->record["input"] == r.value("input", "{}")) {
                return {{"executionArn", arn}, {"startDate", it->second->record["startDate"]}};
            }
            throw ApiError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        starting.insert(arn);
        doc["_seq"] = next_seq++;
    }
    // The name is ours: check the store and commit the record (with whatever else is queued: one
    // transaction for many requests) without holding the service lock, before the execution runs or
    // anyone is told it started.
    const auto finish = [&] {
        starting.erase(arn);
        started_cv.notify_all();
    };
    // The first history event goes with the record, so a stored execution always has its start.
    engine::HistoryEvent started;
    started.id = 1;
    started.timestamp = now;
    started.type = engine::EventType::ExecutionStarted;
    started.payload = input;
    started.detail_to_fill().role_arn = target.role_arn;
    try {
        if (store.get(Table::executions, arn)) {
            throw ApiError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        store.put(Table::executions, arn, doc, detail::Store::Event{1, started.to_json().dump()});
    } catch (...) {
        std::lock_guard lock(mutex_);
        finish();
        throw;
    }
    std::lock_guard lock(mutex_);
    finish();
    const auto start_date = doc["startDate"];
    options.execution_arn = arn;
    launch(*this, arn, std::move(doc), machine, std::move(input), std::move(options), 0);
    return {{"executionArn", arn}, {"startDate", start_date}};
}

std::string Service::Impl::options_region() const { return options.region; }

json Service::Impl::start_sync_execution(const json& r) {
    const std::string requested = r["stateMachineArn"];
    sfn::Value input = parse_input(r);
    const std::string name = execution_name(r);
    Target target;
    {
        std::lock_guard lock(mutex_);
        target = resolve(requested);
    }
    if (target.machine["type"] != "EXPRESS") {
        throw ApiError("StateMachineTypeNotSupported",
                       "This operation is not supported by this type of state machine");
    }
    const std::string base_arn = target.machine["stateMachineArn"];
    const std::string machine_name = target.machine["name"];
    auto machine = compile(target.definition);
    engine::ExecutionOptions options;
    options.name = name;
    options.execution_arn = machine_part(base_arn) + "express:" + machine_name + ":" + name + ":" + detail::uuid4();
    options.state_machine_name = machine_name;
    options.state_machine_arn = base_arn;
    options.role_arn = target.role_arn;
    options.region = options_region();
    options.objects = this->options.objects;
    options.map_run_sink = map_runs.sink();
    options.map_run_child_sink = map_runs.child_sink();
    options.handlers = handlers_for(target);
    options.task_tokens = tokens;
    options.clock = make_clock();
    options.type = engine::ExecutionType::Express;
    options.record_history = false;
    const std::string arn = options.execution_arn;
    const auto result = engine::run(machine, input, std::move(options));
    json out = {{"executionArn", arn},
                {"stateMachineArn", base_arn},
                {"name", name},
                {"startDate", detail::to_epoch(result.start_time)},
                {"stopDate", detail::to_epoch(result.stop_time)},
                {"status", std::string(engine::to_string(result.status))},
                {"billingDetails",
                 {{"billedMemoryUsedInMB", 64},
                  {"billedDurationInMilliseconds",
                   std::max<std::int64_t>(100, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   result.stop_time - result.start_time).count())}}}};
    if (r.value("includedData", "ALL_DATA") != "METADATA_ONLY") {
        out["input"] = r.value("input", "{}");
        out["inputDetails"] = {{"included", true}};
        if (result.status == engine::ExecutionStatus::Succeeded) {
            out["output"] = result.output_json();
            out["outputDetails"] = {{"included", true}};
        }
    }
    if (result.error) out["error"] = *result.error;
    if (result.cause) out["cause"] = *result.cause;
    if (r.contains("traceHeader")) out["traceHeader"] = r["traceHeader"];
    return out;
}

json Service::Impl::describe_execution(const json& r) {
    const json doc = execution_record(r["executionArn"]);
    json out = public_view(doc);
    out["redriveStatus"] = redrive_status(doc);
    if (out["redriveStatus"] == "NOT_REDRIVABLE") {
        const std::string status = doc["status"];
        out["redriveStatusReason"] = status != "RUNNING" && status != "SUCCEEDED" && redrive_period_exceeded(doc)
                                         ? std::string("Execution redrivable period exceeded.")
                                         : "Execution is " + status + " and cannot be redriven";
    }
    if (r.value("includedData", "ALL_DATA") == "METADATA_ONLY") {
        for (const char* m : {"input", "inputDetails", "output", "outputDetails"}) out.erase(m);
    }
    return out;
}

json Service::Impl::describe_state_machine_for_execution(const json& r) {
    const json doc = execution_record(r["executionArn"]);
    const std::string machine_arn = doc["stateMachineArn"];
    // The unqualified ARN, also for an execution of a version or through an alias (its definition and revision
    // are the version's).
    json out = {{"stateMachineArn", machine_arn},
                {"name", machine_arn.substr(machine_arn.rfind(':') + 1)},
                {"definition", doc["_definition"]},
                {"roleArn", doc["_roleArn"]},
                {"updateDate", doc["_updateDate"]},
                {"loggingConfiguration", {{"level", "OFF"}, {"includeExecutionData", false}}},
                {"tracingConfiguration", {{"enabled", false}}}};
    if (doc.contains("_revisionId")) out["revisionId"] = doc["_revisionId"];
    return out;
}

json Service::Impl::stop_execution(const json& r) {
    const std::string arn = r["executionArn"];
    std::shared_ptr<Live> running;
    {
        std::unique_lock lock(mutex_);
        started_cv.wait(lock, [&] { return !starting.count(arn); });
        if (auto it = live.find(arn); it != live.end()) running = it->second;
    }
    if (running) {
        running->execution->stop({.error = r.value("error", ""), .cause = r.value("cause", "")});
        cancel_activities(arn);
        running->done.wait();
    }
    // An execution that is not running has its final record queued at least: committed, it is shown.
    store.flush();
    const json doc = execution_record(arn);
    return {{"stopDate", doc.value("stopDate", detail::now_epoch())}};
}

json Service::Impl::list_executions(const json& r) {
    if (r.contains("mapRunArn")) return map_runs.list_executions(r);
    if (!r.contains("stateMachineArn")) {
        throw ApiError("ValidationException", "Must provide a StateMachine ARN or MapRun ARN")
            .with("reason", "MISSING_REQUIRED_PARAMETER");
    }
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    {
        std::lock_guard lock(mutex_);
        auto m = machines.find(ref.machine_arn);
        if (m == machines.end() || (ref.version && !versions.count(arn)) || (ref.alias && !aliases.count(arn))) {
            throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        if (m->second["type"] == "EXPRESS") {
            throw ApiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
        }
    }
    detail::ExecutionPageQuery query;
    query.machine_arn = ref.machine_arn;
    query.scope_arn = arn;
    query.keep = [&](const json& doc) {
        if (ref.version && doc.value("stateMachineVersionArn", "") != arn) return false;
        return !ref.alias || doc.value("stateMachineAliasArn", "") == arn;
    };
    query.item = [](const json& doc) {
        json item = {{"executionArn", doc["executionArn"]}, {"stateMachineArn", doc["stateMachineArn"]},
                     {"name", doc["name"]},                 {"status", doc["status"]},
                     {"startDate", doc["startDate"]},       {"redriveCount", doc.value("redriveCount", 0)}};
        for (const char* member : {"stopDate", "stateMachineVersionArn", "stateMachineAliasArn", "redriveDate"}) {
            if (doc.contains(member)) item[member] = doc[member];
        }
        return item;
    };
    return detail::execution_page(store, query, r);
}

json Service::Impl::get_execution_history(const json& r) {
    const std::string arn = r["executionArn"];
    (void)execution_record(arn);  // it exists
    const bool reverse = r.value("reverseOrder", false);
    const std::string scope = "GetExecutionHistory:" + arn + (reverse ? ":r" : ":a");
    std::int64_t cursor = 0;
    if (r.contains("nextToken")) {
        const auto decoded = detail::decode_token(scope, r["nextToken"].get<std::string>());
        if (!decoded) throw ApiError("InvalidToken", "Invalid Token: '" + r["nextToken"].get<std::string>() + "'");
        cursor = std::stoll(*decoded);
    }
    std::size_t limit = r.value("maxResults", 0);
    if (limit == 0) limit = 100;
    auto rows = store.events(arn, cursor, limit + 1, reverse);
    const bool more = rows.size() > limit;
    if (more) rows.pop_back();
    const bool with_data = r.value("includeExecutionData", true);
    json events = json::array();
    for (const auto& row : rows) {
        json event = json::parse(row);
        if (!with_data) {
            for (auto& [k, v] : event.items()) {
                if (v.is_object()) {
                    for (const char* m : {"input", "output", "inputDetails", "outputDetails"}) v.erase(m);
                }
            }
        }
        events.push_back(std::move(event));
    }
    json out = {{"events", events}};
    if (more) out["nextToken"] = detail::encode_token(scope, std::to_string(events.back()["id"].get<std::int64_t>()));
    return out;
}

json Service::Impl::redrive_execution(const json& r) {
    const std::string arn = r["executionArn"];
    // The service lock is held throughout: one redrive of an execution at a time.
    std::unique_lock lock(mutex_);
    json doc = execution_record(arn);
    const std::string status = doc["status"];
    if (live.count(arn) || status == "RUNNING" || status == "SUCCEEDED") {
        throw ApiError("ExecutionNotRedrivable", "Execution is " + status + " and cannot be redriven: '" + arn + "'");
    }
    if (redrive_period_exceeded(doc)) {
        throw ApiError("ExecutionNotRedrivable", "Execution redrivable period exceeded: '" + arn + "'");
    }
    // Redrive restarts the top-level state that was running when the execution stopped, with the input
    // that state received (found in the history), keeping every earlier event.
    const auto definition = json::parse(doc["_definition"].get<std::string>());
    const auto& states = definition["States"];
    std::string restart_state = definition["StartAt"];
    std::string restart_input = doc.value("input", "{}");
    std::int64_t last = 0;
    std::int64_t restart_entered = 0;
    std::string restart_map_run;  // the Map Run the restart state started (or redrove) last
    for (const auto& row : store.events(arn, 0, 1'000'000, false)) {
        const json event = json::parse(row);
        last = event["id"];
        if (auto d = event.find("stateEnteredEventDetails"); d != event.end() && states.contains((*d)["name"])) {
            restart_state = (*d)["name"];
            restart_input = d->value("input", "{}");
            restart_entered = last;
            restart_map_run.clear();
        }
        for (const char* details : {"mapRunStartedEventDetails", "mapRunRedrivenEventDetails"}) {
            if (auto d = event.find(details); d != event.end() && d->contains("mapRunArn")) {
                restart_map_run = (*d)["mapRunArn"];
            }
        }
    }
    // A failed inline Map or Parallel redrives only its iterations and branches that did not succeed (as AWS
    // does): the successful ones of its last run are taken back, their events already in the history.
    std::vector<engine::FinishedChild> succeeded_children;
    if (restart_entered > 0 && this->options.checkpoint_executions) {
        for (auto& c : store.finished_children(arn)) {
            if (c.started_id <= restart_entered || c.state != restart_state || !c.succeeded) continue;
            succeeded_children.push_back({.started_id = 0, .state = std::move(c.state), .index = c.index,
                                          .succeeded = true, .record = std::move(c.record), .events_recorded = true});
        }
    }
    json restart = definition;
    restart["StartAt"] = restart_state;
    // Straight to the engine: the states before the restart point are unreachable now, which the ASL
    // validator would (rightly) reject in a user's definition.
    auto machine = engine::compile(restart);
    const double now = detail::now_epoch();
    const int count = doc.value("redriveCount", 0) + 1;
    json event = {{"timestamp", now}, {"type", "ExecutionRedriven"}, {"id", last + 1}, {"previousEventId", last},
                  {"executionRedrivenEventDetails", {{"redriveCount", count}}}};
    store.forget_resume_point(arn);  // a checkpoint left by the last run must not be resumed from
    store.append_event(arn, last + 1, event.dump());
    doc["status"] = "RUNNING";
    doc["redriveCount"] = count;
    doc["redriveDate"] = now;
    for (const char* m : {"stopDate", "error", "cause", "output", "outputDetails", "_checkpoints"}) doc.erase(m);
    if (!this->options.checkpoint_executions) doc["_checkpoints"] = false;
    store.put(Table::executions, arn, doc);
    Target target;
    target.machine = machines.count(doc["stateMachineArn"]) ? machines[doc["stateMachineArn"]] : json::object();
    target.machine["name"] = doc["stateMachineArn"].get<std::string>().substr(doc["stateMachineArn"].get<std::string>().rfind(':') + 1);
    target.test_case = doc.value("_testCase", "");
    engine::ExecutionOptions options;
    options.name = doc["name"];
    options.execution_arn = arn;
    options.state_machine_name = target.machine["name"];
    options.state_machine_arn = doc["stateMachineArn"];
    options.role_arn = doc["_roleArn"];
    options.region = options_region();
    options.objects = this->options.objects;
    options.map_run_sink = map_runs.sink();
    options.map_run_child_sink = map_runs.child_sink();
    options.redrive_count = count;
    options.resume_finished_children = std::move(succeeded_children);
    // A failed Distributed Map continues its Map Run (MapRunRedriven), rerunning only its unsuccessful children.
    if (!restart_map_run.empty()) {
        options.redriven_map_run = engine::RedrivenMapRun{.state = restart_state,
                                                          .map_run_arn = restart_map_run,
                                                          .redrive_count = map_runs.redrive_count_of(restart_map_run) + 1};
    }
    options.handlers = handlers_for(target);
    options.task_tokens = tokens;
    options.clock = make_clock();
    options.max_history_events = 25'000 > static_cast<std::size_t>(last + 1) ? 25'000 - static_cast<std::size_t>(last + 1) : 1;
    launch(*this, arn, std::move(doc), machine, sfn::Value::parse(restart_input), std::move(options), last);
    return {{"redriveDate", now}};
}

namespace {

/// AWS checks a task token's form before anything else (InvalidToken); the engine issues one form, for
/// callbacks and activities alike: `<execution arn>#<24 hex digits>`.
void check_token_form(const std::string& token) {
    const auto hash = token.rfind('#');
    const bool engine_form = token.starts_with("arn:") && hash != std::string::npos && token.size() - hash - 1 == 24 &&
                             token.find_first_not_of("0123456789abcdef", hash + 1) == std::string::npos;
    if (!engine_form) {
        throw ApiError("InvalidToken", "Invalid Token: 'Invalid token'");
    }
}

/// A token no task waits for: AWS answers TaskTimedOut for a task that has closed (answered, timed out, or
/// its execution ended), which is any task of an execution this service knows.
void answer(engine::TaskTokens::Answer a, const std::string& token, detail::Store& store) {
    if (a == engine::TaskTokens::Answer::Accepted) return;
    const bool closed = a == engine::TaskTokens::Answer::AlreadyClosed ||
                        store.get(Table::executions, token.substr(0, token.rfind('#'))).has_value();
    if (closed) throw ApiError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
    throw ApiError("TaskDoesNotExist", "Task Does Not Exist: no task is waiting for token '" + token + "'");
}

}  // namespace

json Service::Impl::send_task_success(const json& r) {
    const std::string token = r["taskToken"];
    check_token_form(token);
    if (r["output"].get_ref<const std::string&>().size() > max_payload) {
        throw ApiError("InvalidOutput", "Invalid Output: the output is more than the maximum of 262144 bytes");
    }
    sfn::Value output;
    try {
        output = sfn::Value::parse(r["output"].get<std::string>());
    } catch (const sfn::Error& e) {
        throw ApiError("InvalidOutput", std::string("Invalid Output: '") + e.what() + "'");
    }
    answer(tokens->send_success(token, std::move(output)), token, store);
    return json::object();
}

json Service::Impl::send_task_failure(const json& r) {
    const std::string token = r["taskToken"];
    check_token_form(token);
    answer(tokens->send_failure(token, r.value("error", ""), r.value("cause", "")), token, store);
    return json::object();
}

json Service::Impl::send_task_heartbeat(const json& r) {
    const std::string token = r["taskToken"];
    check_token_form(token);
    answer(tokens->send_heartbeat(token), token, store);
    return json::object();
}

}  // namespace sfn::server
