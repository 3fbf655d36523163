// Durable executions: STANDARD executions a previous process left RUNNING continue from their last committed
// checkpoint (see engine/checkpoint.hpp and detail_resume_point.hpp).
#include "server/detail_names.hpp"
#include "server/detail_resume_point.hpp"
#include "server/detail_service.hpp"

#include <algorithm>
#include <cmath>

namespace sfn::server {

using detail::Table;

Service::Resumed Service::resume_executions() { return impl_->resume_executions(); }

Service::Resumed Service::Impl::resume_executions() {
    std::call_once(resume_once, [this] {
        for (auto& doc : interrupted) {
            const std::string arn = doc["executionArn"];
            try {
                resume(doc);
                ++resumed.resumed;
            } catch (const std::exception& e) {
                fail_interrupted(std::move(doc), e.what());
                ++resumed.failed;
            }
        }
        interrupted.clear();
    });
    return resumed;
}

void Service::Impl::settle_interrupted_children() {
    for (auto& child : interrupted_children) {
        // A top-level Distributed Map of a durable execution continues the same run when its execution resumes
        // (engine: MapRun is named by where it starts), running this child again under its name; any other
        // run was started inside a state that runs again whole, with a new run.
        const auto parent_arn = map_runs.execution_of(child.value("mapRunArn", ""));
        const auto parent = std::find_if(interrupted.begin(), interrupted.end(), [&](const json& doc) {
            return parent_arn && doc.value("executionArn", "") == *parent_arn;
        });
        bool continues = parent != interrupted.end() && parent->value("_type", "STANDARD") == "STANDARD" &&
                         parent->value("_checkpoints", true);
        if (continues) {
            // The run's label: the children's state machine is <machine>/<Label>.
            const std::string machine = child.value("stateMachineArn", "");
            const std::string label = machine.substr(machine.rfind('/') + 1);
            const json definition = json::parse(parent->value("_definition", "{}"), nullptr, false);
            continues = false;
            if (definition.is_object() && definition.contains("States") && definition["States"].is_object()) {
                for (const auto& [name, state] : definition["States"].items()) {
                    if (state.is_object() && state.value("Type", "") == "Map" && state.value("Label", name) == label)
                        continues = true;
                }
            }
        }
        if (!continues) detail::MapRuns::end_interrupted_child(store, std::move(child));
    }
    interrupted_children.clear();
}

void Service::Impl::fail_interrupted(json doc, const std::string& why) {
    const double now = detail::now_epoch();
    const std::string cause = "The local Step Functions service stopped while this execution was running and could "
                              "not resume it when it restarted: " + why + ". Use RedriveExecution to continue it.";
    const std::string arn = doc["executionArn"];
    const auto last = store.last_event_id(arn);
    json event = {{"timestamp", now}, {"type", "ExecutionFailed"}, {"id", last + 1}, {"previousEventId", last},
                  {"executionFailedEventDetails", {{"error", "States.Runtime"}, {"cause", cause}}}};
    store.append_event(arn, last + 1, event.dump());
    store.forget_resume_point(arn);
    map_runs.abort_runs_of(arn);
    doc["status"] = "FAILED";
    doc["stopDate"] = now;
    doc["error"] = "States.Runtime";
    doc["cause"] = cause;
    store.put(Table::executions, arn, doc);
}

void Service::Impl::resume(json doc) {
    const std::string arn = doc["executionArn"];
    if (doc.value("_type", "STANDARD") != "STANDARD") {
        // AWS runs EXPRESS executions at most once: an interrupted one is not run again.
        throw sfn::Error("sfn.server.E004", "EXPRESS executions are not resumed (they run at most once)");
    }
    if (!doc.value("_checkpoints", true)) {
        throw sfn::Error("sfn.server.E004", "it ran without checkpoints (the service was started with --no-checkpoints)");
    }
    if (store.last_event_id(arn) < 1) throw sfn::Error("sfn.server.E004", "its history is missing");
    const std::string definition = doc["_definition"];
    const auto machine = [&] {
        try {
            return compile(definition);
        } catch (const ApiError& e) {
            throw sfn::Error("sfn.server.E004", "its definition no longer compiles: " + e.message());
        }
    }();
    const std::string machine_arn = doc["stateMachineArn"];
    const int redrives = doc.value("redriveCount", 0);
    engine::ExecutionOptions options;
    std::int64_t offset = 0;
    if (auto point = store.resume_point(arn)) {
        auto decoded = detail::decode_resume_point(point->doc, point->id);
        const auto event = store.event(arn, decoded.input_event);
        if (!event) {
            throw sfn::Error("sfn.server.E004",
                             "its history event #" + std::to_string(decoded.input_event) + " is missing");
        }
        decoded.checkpoint.input = detail::resume_input(*event, decoded.input_event);
        const auto& state = decoded.checkpoint.state;
        if (!state.empty() && !json::parse(definition)["States"].contains(state)) {
            throw sfn::Error("sfn.server.E004", "its checkpoint names the state '" + state +
                                                    "', which its definition does not have");
        }
        // Events after the checkpoint belong to the state that was running: it runs again from its entry.
        store.discard_events_after(arn, point->id);
        offset = decoded.offset;
        // The children of the Map/Parallel state it was in that had finished are taken back, not run again.
        for (auto& c : store.finished_children(arn)) {
            if (c.started_id <= point->id) continue;  // of a state run that had ended before the checkpoint
            options.resume_finished_children.push_back({.started_id = c.started_id - offset,
                                                        .state = std::move(c.state),
                                                        .index = c.index,
                                                        .succeeded = c.succeeded,
                                                        .record = std::move(c.record)});
        }
        options.resume = std::move(decoded.checkpoint);
    } else if (redrives > 0) {
        throw sfn::Error("sfn.server.E004", "it was redriven and had recorded no transition since");
    } else {
        // Killed before its first state was entered: it starts again after its ExecutionStarted event.
        store.discard_events_after(arn, 1);
    }
    Target target;
    target.machine = {{"name", machine_arn.substr(machine_arn.rfind(':') + 1)}};
    target.test_case = doc.value("_testCase", "");
    options.name = doc["name"];
    options.execution_arn = arn;
    options.state_machine_name = target.machine["name"];
    options.state_machine_arn = machine_arn;
    options.role_arn = doc["_roleArn"];
    options.region = options_region();
    // The original start (milliseconds, as stored): $$.Execution.StartTime and the machine's TimeoutSeconds.
    const auto start_ms = std::llround(doc["startDate"].get<double>() * 1000.0);
    options.start_time = engine::TimePoint(std::chrono::milliseconds(start_ms));
    options.redrive_count = redrives;
    options.objects = this->options.objects;
    options.map_run_sink = map_runs.sink();
    options.map_run_child_sink = map_runs.child_sink();
    options.handlers = handlers_for(target);
    options.task_tokens = tokens;
    options.clock = make_clock();
    if (offset > 0) {
        options.max_history_events =
            25'000 > static_cast<std::size_t>(offset + 1) ? 25'000 - static_cast<std::size_t>(offset + 1) : 1;
    }
    sfn::Value input = sfn::Value::parse(doc.value("input", "{}"));
    std::lock_guard lock(mutex_);
    launch(*this, arn, std::move(doc), machine, std::move(input), std::move(options), offset);
}

}  // namespace sfn::server
