// The console's execution summary: the status of every state, read from the whole history.
//
// Attribution follows previousEventId. Each event belongs to the thread of the event it follows; a
// MapIterationStarted event opens an iteration (keyed by its own event id) under the iteration it follows,
// and the events after a MapIteration{Succeeded,Failed,Aborted} belong to that iteration's parent again.
// A state visit opens with `<Type>StateEntered` and closes with `<Type>StateExited`; a task failure (`TaskFailed`,
// `LambdaFunctionTimedOut`, ...) belongs to the visit of the event it follows, and a new attempt (`TaskScheduled`,
// `MapStateStarted`, ...) after a failure counts as a retry. Statuses: running, succeeded, failed, caught (it
// failed and the workflow went on), retried (it succeeded after a retry), aborted.
//
// Shape: {"events": N, "states": {name: {"status", "visits", "counts": {status: n}, "badge", "input",
// "output", "error", "cause"}}, "maps": {name: {"total", "counts": {status: n}}}}.
#include "server/detail_console.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace sfn::server::detail {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 6> attempt_starts{"TaskScheduled",   "LambdaFunctionScheduled", "ActivityScheduled",
                                                    "MapStateStarted", "ParallelStateStarted",    "TaskSubmitted"};

struct Visit {
    std::string name;
    std::int64_t key = 0;
    const json* entered = nullptr;
    const json* exited = nullptr;
    const json* failure = nullptr;  // details of the last failure event
    bool last_attempt_failed = false;
    bool aborted = false;
    int retries = 0;
    std::string closed_by;  // the execution's end ("failed", "aborted") while the visit was open
};

struct Iteration {
    std::string map_state;
    std::int64_t index = 0;
    std::int64_t parent = 0;  // key of the enclosing iteration, 0 = the execution
    int parent_visit = -1;    // the Map state's visit
    std::string status = "running";
};

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

const json* details_of(const json& event) {
    for (auto it = event.begin(); it != event.end(); ++it) {
        if (ends_with(it.key(), "EventDetails") && it->is_object()) return &*it;
    }
    return nullptr;
}

std::string name_in(const json& event) {
    const auto* d = details_of(event);
    if (d && d->contains("name") && (*d)["name"].is_string()) return (*d)["name"].get<std::string>();
    return {};
}

bool is_state_failure(std::string_view type) {
    if (type.starts_with("Execution") || type.starts_with("MapIteration") || type.starts_with("MapRun")) return false;
    return ends_with(type, "Failed") || ends_with(type, "TimedOut");
}

/// The history, replayed: visits in order of entry and iterations by key.
struct Replay {
    std::vector<Visit> visits;
    std::unordered_map<std::int64_t, Iteration> iterations;
    std::vector<std::int64_t> iteration_order;
    bool running = true;

    explicit Replay(const json& events) {
        const std::size_t n = events.size();
        std::vector<std::int64_t> key(n + 1, 0), next_key(n + 1, 0);
        std::vector<int> visit(n + 1, -1), next_visit(n + 1, -1);
        std::unordered_map<std::int64_t, std::unordered_map<std::string, int>> open;  // key -> name -> visit
        for (const auto& e : events) {
            const auto id = e.value("id", std::int64_t{0});
            if (id <= 0 || static_cast<std::size_t>(id) > n) continue;
            const auto prev = e.value("previousEventId", std::int64_t{0});
            const bool linked = prev > 0 && prev < id;
            const std::int64_t k = linked ? next_key[static_cast<std::size_t>(prev)] : 0;
            const int v = linked ? next_visit[static_cast<std::size_t>(prev)] : -1;
            const auto type = e.value("type", std::string());
            key[id] = next_key[id] = k;
            visit[id] = next_visit[id] = v;
            if (type == "MapIterationStarted") {
                Iteration it;
                it.map_state = name_in(e);
                if (const auto* d = details_of(e)) it.index = d->value("index", std::int64_t{0});
                it.parent = k;
                it.parent_visit = v;
                iterations.emplace(id, std::move(it));
                iteration_order.push_back(id);
                key[id] = next_key[id] = id;
            } else if (type == "MapIterationSucceeded" || type == "MapIterationFailed" ||
                       type == "MapIterationAborted") {
                if (auto it = iterations.find(k); it != iterations.end()) {
                    it->second.status = type == "MapIterationSucceeded" ? "succeeded"
                                        : type == "MapIterationFailed"  ? "failed"
                                                                        : "aborted";
                    next_key[id] = it->second.parent;
                    next_visit[id] = it->second.parent_visit;
                    // A state still open when its iteration ends (a Fail state, an aborted Wait) ended with it.
                    close_open(open[k], it->second.status);
                    open.erase(k);
                }
            } else if (ends_with(type, "StateEntered")) {
                Visit entered;
                entered.name = name_in(e);
                entered.key = k;
                entered.entered = &e;
                visits.push_back(std::move(entered));
                const int index = static_cast<int>(visits.size()) - 1;
                open[k][visits.back().name] = index;
                visit[id] = next_visit[id] = index;
            } else if (ends_with(type, "StateExited")) {
                const auto name = name_in(e);
                auto& scope = open[k];
                if (auto it = scope.find(name); it != scope.end()) {
                    visits[static_cast<std::size_t>(it->second)].exited = &e;
                    scope.erase(it);
                }
                next_visit[id] = -1;
            } else if (ends_with(type, "StateAborted")) {
                if (v >= 0) visits[static_cast<std::size_t>(v)].aborted = true;
            } else if (is_state_failure(type)) {
                if (v >= 0) {
                    auto& visit_ = visits[static_cast<std::size_t>(v)];
                    visit_.failure = details_of(e);
                    visit_.last_attempt_failed = true;
                }
            } else if (std::find(attempt_starts.begin(), attempt_starts.end(), type) != attempt_starts.end()) {
                if (v >= 0) {
                    auto& visit_ = visits[static_cast<std::size_t>(v)];
                    if (visit_.last_attempt_failed) ++visit_.retries;
                    visit_.last_attempt_failed = false;
                }
            } else if (type == "ExecutionRedriven") {
                running = true;
            } else if (type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionTimedOut" ||
                       type == "ExecutionAborted") {
                running = false;
                const std::string why = type == "ExecutionAborted"     ? "aborted"
                                        : type == "ExecutionSucceeded" ? "succeeded"
                                                                       : "failed";
                for (auto& [scope_key, names] : open) close_open(names, why);
                for (auto& [iteration_key, it] : iterations) {
                    if (it.status == "running") it.status = "aborted";
                }
            }
        }
    }

    void close_open(const std::unordered_map<std::string, int>& names, const std::string& why) {
        for (const auto& [name, index] : names) {
            auto& open_visit = visits[static_cast<std::size_t>(index)];
            if (open_visit.closed_by.empty()) open_visit.closed_by = why;
        }
    }

    static std::string status(const Visit& v, bool running) {
        if (v.aborted) return "aborted";
        if (v.exited) {
            if (v.last_attempt_failed) return "caught";
            return v.retries > 0 ? "retried" : "succeeded";
        }
        if (!v.closed_by.empty()) return v.closed_by;
        return running ? "running" : (v.last_attempt_failed ? "failed" : "aborted");
    }

    /// 0 when `key` is `scope` itself or encloses it (the states around an iteration show as they are), 1 when it
    /// lies below it, -1 when it is another iteration.
    int relation(std::int64_t key, std::int64_t scope) const {
        if (key == scope) return 0;
        for (auto outer = scope; outer != 0;) {
            const auto it = iterations.find(outer);
            if (it == iterations.end()) break;
            outer = it->second.parent;
            if (outer == key) return 0;
        }
        while (key != 0) {
            const auto it = iterations.find(key);
            if (it == iterations.end()) return -1;
            key = it->second.parent;
            if (key == scope) return 1;
        }
        return -1;
    }
};

int severity(const std::string& status) {
    static const std::array<const char*, 6> order{"succeeded", "retried", "caught", "aborted", "failed", "running"};
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (status == order[i]) return static_cast<int>(i);
    }
    return 0;
}

std::string badge(const json& counts) {
    static const std::array<std::pair<const char*, const char*>, 6> marks{{{"succeeded", "\u2713"},
                                                                           {"retried", "\u21bb"},
                                                                           {"caught", "\u21aa"},
                                                                           {"failed", "\u2717"},
                                                                           {"aborted", "\u25a0"},
                                                                           {"running", "\u25b6"}}};
    std::string out;
    for (const auto& [status, mark] : marks) {
        if (counts.contains(status)) out += (out.empty() ? "" : " ") + counts[status].dump() + mark;
    }
    return out;
}

}  // namespace

json execution_summary(const json& events, std::optional<std::int64_t> scope) {
    const Replay replay(events);
    const std::int64_t view = scope.value_or(0);
    json states = json::object();
    std::unordered_map<std::string, bool> aggregated;
    for (const auto& v : replay.visits) {
        const int relation = replay.relation(v.key, view);
        if (relation < 0) continue;
        const auto status = Replay::status(v, replay.running);
        auto& s = states[v.name];
        if (s.is_null()) s = {{"visits", 0}, {"counts", json::object()}, {"status", status}};
        s["visits"] = s["visits"].get<int>() + 1;
        auto& count = s["counts"][status];
        count = count.is_null() ? 1 : count.get<int>() + 1;
        if (relation == 1) aggregated[v.name] = true;
        // A visit inside the scope shows itself (the latest wins); below it, the worst status of all shows.
        if (relation == 0 || severity(status) >= severity(s["status"].get<std::string>())) s["status"] = status;
        if (const auto* d = details_of(*v.entered); d && d->contains("input")) s["input"] = (*d)["input"];
        if (v.exited) {
            if (const auto* d = details_of(*v.exited); d && d->contains("output")) s["output"] = (*d)["output"];
        } else {
            s.erase("output");
        }
        if (v.failure) {
            if (v.failure->contains("error")) s["error"] = (*v.failure)["error"];
            if (v.failure->contains("cause")) s["cause"] = (*v.failure)["cause"];
        }
    }
    for (auto it = states.begin(); it != states.end(); ++it) {
        auto& s = it.value();
        if (aggregated.contains(it.key()))
            s["badge"] = badge(s["counts"]);
        else if (s["visits"].get<int>() > 1)
            s["badge"] = "\u00d7" + s["visits"].dump();
    }
    json maps = json::object();
    for (const auto key : replay.iteration_order) {
        const auto& it = replay.iterations.at(key);
        if (replay.relation(it.parent, view) < 0) continue;
        auto& m = maps[it.map_state];
        if (m.is_null()) m = {{"total", 0}, {"counts", json::object()}};
        m["total"] = m["total"].get<int>() + 1;
        auto& count = m["counts"][it.status];
        count = count.is_null() ? 1 : count.get<int>() + 1;
    }
    return {{"events", events.size()}, {"states", std::move(states)}, {"maps", std::move(maps)}};
}

json map_iterations(const json& events, const std::string& map_state, std::optional<std::int64_t> scope,
                    const std::string& status, std::size_t offset, std::size_t limit) {
    const Replay replay(events);
    // Listed by item index: concurrent iterations start in any order.
    std::vector<std::int64_t> keys;
    for (const auto key : replay.iteration_order) {
        const auto& it = replay.iterations.at(key);
        if (it.map_state != map_state || replay.relation(it.parent, scope.value_or(0)) < 0) continue;
        if (!status.empty() && it.status != status) continue;
        keys.push_back(key);
    }
    std::stable_sort(keys.begin(), keys.end(), [&](std::int64_t a, std::int64_t b) {
        return replay.iterations.at(a).index < replay.iterations.at(b).index;
    });
    json list = json::array();
    for (std::size_t i = offset; i < keys.size() && list.size() < limit; ++i) {
        const auto& it = replay.iterations.at(keys[i]);
        list.push_back({{"key", keys[i]}, {"index", it.index}, {"status", it.status}});
    }
    return {{"total", keys.size()}, {"iterations", std::move(list)}};
}

}  // namespace sfn::server::detail
