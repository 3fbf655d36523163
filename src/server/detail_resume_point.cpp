#include "server/detail_resume_point.hpp"

#include "sfn/core/error.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string_view>

namespace sfn::server::detail {

namespace {

using json = nlohmann::json;

[[noreturn]] void unusable(const std::string& why) { throw sfn::Error("sfn.server.E004", why); }

std::int64_t micros(engine::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

engine::TimePoint from_micros(std::int64_t us) {
    return engine::TimePoint(std::chrono::duration_cast<engine::TimePoint::duration>(std::chrono::microseconds(us)));
}

}  // namespace

std::string encode_resume_point(const engine::Checkpoint& c, std::int64_t offset) {
    // Written at every top-level transition: built by hand (the variables are dumped once, straight in).
    const bool in_state = c.position == engine::Checkpoint::Position::InState;
    std::string out = "{\"format\":" + std::to_string(resume_point_format) + ",\"at\":\"";
    out += in_state ? "in" : "after";
    out += "\",\"state\":";
    out += json(c.state).dump();
    out += ",\"transitions\":" + std::to_string(c.transitions);
    out += ",\"offset\":" + std::to_string(offset);
    if (in_state) {
        out += ",\"enteredId\":" + std::to_string(c.entered_id + offset);
        out += ",\"entered\":" + std::to_string(micros(c.entered_time));
    }
    if (c.attempt > 0) {
        out += ",\"attempt\":" + std::to_string(c.attempt) + ",\"retryAt\":" + std::to_string(micros(c.retry_at)) +
               ",\"retryCounts\":[";
        for (std::size_t i = 0; i < c.retry_counts.size(); ++i) out += (i ? "," : "") + std::to_string(c.retry_counts[i]);
        out += ']';
    }
    if (!c.invocations.empty()) {
        out += ",\"invocations\":{";
        for (std::size_t i = 0; i < c.invocations.size(); ++i) {
            out += (i ? "," : "") + json(c.invocations[i].first).dump() + ":" + std::to_string(c.invocations[i].second);
        }
        out += '}';
    }
    out += ",\"variables\":";
    if (c.variables.is_object()) {
        c.variables.dump_to(out);
    } else {
        out += "{}";
    }
    out += '}';
    return out;
}

DecodedResumePoint decode_resume_point(const std::string& doc, std::int64_t event_id) {
    const json d = json::parse(doc, nullptr, false);
    if (d.is_discarded() || !d.is_object()) unusable("its checkpoint is not a JSON object");
    const auto format = d.find("format");
    if (format == d.end() || !format->is_number_integer()) unusable("its checkpoint has no format number");
    if (format->get<int>() > resume_point_format) {
        unusable("its checkpoint was written in format " + std::to_string(format->get<int>()) +
                 ", newer than this sfn understands (" + std::to_string(resume_point_format) + ")");
    }
    DecodedResumePoint out;
    engine::Checkpoint& c = out.checkpoint;
    try {
        const std::string at = d.at("at").get<std::string>();
        if (at != "in" && at != "after") unusable("its checkpoint has an unknown position '" + at + "'");
        const bool in_state = at == "in";
        c.position = in_state ? engine::Checkpoint::Position::InState : engine::Checkpoint::Position::BetweenStates;
        c.state = d.at("state").get<std::string>();
        c.transitions = d.at("transitions").get<std::uint64_t>();
        out.offset = d.at("offset").get<std::int64_t>();
        c.event_id = event_id - out.offset;
        out.input_event = event_id;
        if (in_state) {
            out.input_event = d.at("enteredId").get<std::int64_t>();
            c.entered_id = out.input_event - out.offset;
            c.entered_time = from_micros(d.at("entered").get<std::int64_t>());
        }
        c.attempt = d.value("attempt", 0);
        if (c.attempt > 0) {
            c.retry_at = from_micros(d.at("retryAt").get<std::int64_t>());
            c.retry_counts = d.at("retryCounts").get<std::vector<int>>();
        }
        if (auto it = d.find("invocations"); it != d.end()) {
            for (const auto& [name, count] : it->items()) c.invocations.emplace_back(name, count.get<int>());
        }
        c.variables = Value::parse(d.at("variables").dump());
    } catch (const json::exception& e) {
        unusable(std::string("a field of its checkpoint is missing or malformed: ") + e.what());
    }
    if (c.event_id < 1 || (c.position == engine::Checkpoint::Position::InState &&
                           (c.entered_id < 1 || c.entered_id > c.event_id))) {
        unusable("its checkpoint's event ids are inconsistent");
    }
    return out;
}

Value resume_input(const std::string& event_json, std::int64_t event_id) {
    const json event = json::parse(event_json, nullptr, false);
    const std::string which = "its history event #" + std::to_string(event_id);
    if (event.is_discarded() || !event.is_object()) unusable(which + " is not JSON");
    for (const auto& [key, details] : event.items()) {
        constexpr std::string_view suffix = "EventDetails";
        if (key.size() < suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
        for (const char* member : {"input", "output"}) {
            auto it = details.find(member);
            if (it == details.end() || !it->is_string()) continue;
            try {
                return Value::parse(it->get<std::string>());
            } catch (const sfn::Error& e) {
                unusable("the payload of " + which + " is not JSON: " + e.what());
            }
        }
    }
    unusable(which + " carries no input or output");
}

}  // namespace sfn::server::detail
