// Durable executions: the finished children (Map iterations, Parallel branches) of a top-level Map or Parallel
// state, handed out as they end and taken back when the execution resumes inside that state, so that they do
// not run again (see FinishedChild in checkpoint.hpp).
//
// A record is JSON: {"format":1,"ok":true,"transitions":N,"output":<the output>, or "error"/"cause" (with
// "hasError"/"hasCause", and "causeState" when the cause begins with that state's prefix), for a Distributed Map's
// child "started"/"stopped" (microseconds), "invocations":{"State":n,...},"events":[<each event as GetExecutionHistory
// shows it, with the ids of the child's buffer: 1, 2, ...; the first links to 0, the state's Started event>]}.
#include "engine/detail_runtime.hpp"
#include "sfn/core/error.hpp"

#include <nlohmann/json.hpp>

namespace sfn::engine::detail {

namespace {

constexpr int record_format = 1;

}  // namespace

std::vector<const FinishedChild*> Runtime::finished_children(const State& s, std::int64_t started_id,
                                                             std::size_t count) {
    std::vector<const FinishedChild*> out;
    if (options_.resume_finished_children.empty()) return out;
    const bool first_run = first_runs_taken_.insert(s.name).second;
    for (const auto& c : options_.resume_finished_children) {
        if (c.state != s.name || c.index < 0 || static_cast<std::size_t>(c.index) >= count) continue;
        if (c.started_id != started_id && !(c.started_id == 0 && first_run)) continue;
        const auto i = static_cast<std::size_t>(c.index);
        if (out.size() <= i) out.resize(count == std::string::npos ? i + 1 : count, nullptr);
        out[i] = &c;
    }
    return out;
}

void Runtime::report_child(const State& s, std::int64_t started_id, std::size_t index, const ChildOutcome& outcome,
                           const History& events, const InvocationTally& tally) {
    using nlohmann::json;
    std::string record = "{\"format\":" + std::to_string(record_format) + ",\"ok\":" + (outcome.ok ? "true" : "false") +
                         ",\"transitions\":" + std::to_string(outcome.transitions);
    if (outcome.ok) {
        record += ",\"output\":";
        outcome.output->dump_to(record);
    } else {
        const Err& e = *outcome.error;
        record += ",\"error\":" + json(e.error).dump() + ",\"cause\":" + json(e.cause).dump() +
                  ",\"hasError\":" + (e.has_error ? "true" : "false") +
                  ",\"hasCause\":" + (e.has_cause ? "true" : "false");
        if (!e.cause_state.empty()) record.append(",\"causeState\":").append(json(e.cause_state).dump());
    }
    const auto micros = [](TimePoint t) {
        return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
    };
    if (outcome.started != TimePoint{})
        record += ",\"started\":" + micros(outcome.started) + ",\"stopped\":" + micros(outcome.stopped);
    record += ",\"invocations\":{";
    bool first = true;
    for (const auto& [name, count] : tally.counts()) {
        record += (first ? "" : ",") + json(name).dump() + ":" + std::to_string(count);
        first = false;
    }
    record += "},\"events\":[";
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) record += ',';
        record += events[i].to_json().dump();
    }
    record += "]}";
    options_.finished_child_sink(FinishedChild{.started_id = started_id,
                                               .state = s.name,
                                               .index = static_cast<std::int64_t>(index),
                                               .succeeded = outcome.ok,
                                               .record = std::move(record)});
}

bool Runtime::restore_child(const State& s, std::int64_t started_id, const FinishedChild& child, History& events,
                            ChildOutcome& outcome) {
    using nlohmann::json;
    const json r = json::parse(child.record, nullptr, false);
    if (r.is_discarded() || !r.is_object() || r.value("format", 0) != record_format) return false;
    History restored;
    std::vector<std::pair<std::string, int>> invocations;
    try {
        outcome.ok = r.at("ok").get<bool>();
        outcome.transitions = r.at("transitions").get<std::uint64_t>();
        if (outcome.ok) {
            *outcome.output = Value::parse(r.at("output").dump());
        } else {
            *outcome.error = Err{r.at("error").get<std::string>(), r.at("cause").get<std::string>(),
                                 r.at("hasError").get<bool>(), r.at("hasCause").get<bool>()};
            // The merge of the restored events renumbers the id the cause names (records before it: kept as is).
            if (r.contains("causeState")) outcome.error->cause_state = r.at("causeState").get<std::string>();
        }
        const auto time = [&](const char* member) {
            return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
                std::chrono::microseconds(r.at(member).get<std::int64_t>())));
        };
        if (r.contains("started")) {
            outcome.started = time("started");
            outcome.stopped = time("stopped");
        }
        for (const auto& [name, count] : r.at("invocations").items()) invocations.emplace_back(name, count.get<int>());
        if (!child.events_recorded) {
            const auto keep = [this](std::string_view text) -> std::string_view {
                std::lock_guard lock(kept_mutex_);
                return *kept_.emplace(text).first;
            };
            for (const auto& e : r.at("events")) restored.push_back(HistoryEvent::from_json(e, keep));
        }
    } catch (const json::exception&) {
        return false;
    } catch (const sfn::Error&) {
        return false;
    }
    // The events count against the quota as when they were first recorded.
    event_count_.fetch_add(restored.size(), std::memory_order_relaxed);
    events = std::move(restored);
    add_invocations(invocations);
    if (child.started_id != started_id) {
        // Taken back into a new run of the state (a redrive): handed out again under that run, so that a later
        // resume or redrive finds it too.
        InvocationTally tally;
        for (const auto& [name, count] : invocations) tally.add(name, count);
        report_child(s, started_id, static_cast<std::size_t>(child.index), outcome, events, tally);
    }
    return true;
}

}  // namespace sfn::engine::detail
