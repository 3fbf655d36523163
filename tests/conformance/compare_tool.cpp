// sfn_conformance_compare: the conformance comparison (compare.hpp) as a line protocol, for runners that are not
// written in C++ (tests/conformance/integrations/runner.py). Every stdin line is one JSON request, answered by one
// stdout line {"ok": true} or {"ok": false, "reason": "..."}:
//   {"case": CORPUS_CASE, "run": {"status", "output" (JSON text or null), "error", "cause", "history": [types]},
//    "compare_cause": true}                      a whole run against the case
//   {"expected": JSON, "actual": JSON, "path": "side_effects/0"}   one value against a recorded one
#include "compare.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>

namespace {

using json = nlohmann::json;

std::optional<std::string> optional_string(const json& run, const char* key) {
    auto it = run.find(key);
    if (it == run.end() || it->is_null()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::string> answer(const json& request) {
    if (request.contains("case")) {
        const json& run = request.at("run");
        const sfn::conformance::RunResult result{.status = run.at("status").get<std::string>(),
                                                 .output = optional_string(run, "output"),
                                                 .error = optional_string(run, "error"),
                                                 .cause = optional_string(run, "cause"),
                                                 .history = run.value("history", std::vector<std::string>{})};
        return sfn::conformance::compare_run(request.at("case"), result,
                                             {.compare_cause = request.value("compare_cause", true)});
    }
    std::string where;
    if (sfn::conformance::json_matches(request.at("expected"), request.at("actual"), where,
                                       request.value("path", std::string())))
        return std::nullopt;
    return where;
}

}  // namespace

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        json reply;
        try {
            const auto why = answer(json::parse(line));
            reply = why ? json{{"ok", false}, {"reason", *why}} : json{{"ok", true}};
        } catch (const std::exception& e) {
            reply = {{"ok", false}, {"reason", std::string("bad request: ") + e.what()}};
        }
        std::cout << reply.dump() << std::endl;
    }
    return 0;
}
