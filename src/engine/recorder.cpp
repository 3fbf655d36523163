// Record and replay (recorder.hpp): recorded task outcomes as a mock-config test case.
#include "sfn/engine/recorder.hpp"

namespace sfn::engine {

using nlohmann::json;

void TaskRecorder::record_result(std::string_view state, int invocation, const Value& result) {
    json entry = {{"Return", json::parse(result.dump())}};
    std::lock_guard lock(mutex_);
    entries_[std::string(state)][invocation] = std::move(entry);
}

void TaskRecorder::record_failure(std::string_view state, int invocation, const std::string& error,
                                  const std::string& cause) {
    json entry = {{"Throw", {{"Error", error}, {"Cause", cause}}}};
    std::lock_guard lock(mutex_);
    entries_[std::string(state)][invocation] = std::move(entry);
}

std::size_t TaskRecorder::size() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [state, invocations] : entries_) n += invocations.size();
    return n;
}

json TaskRecorder::mock_config(const std::string& machine, const std::string& test_case, json config) const {
    if (!config.is_object()) config = json::object();
    json test = json::object();
    json& responses = config["MockedResponses"];
    if (!responses.is_object()) responses = json::object();
    std::lock_guard lock(mutex_);
    for (const auto& [state, invocations] : entries_) {
        const std::string name = test_case + "." + state;
        json response = json::object();
        // Consecutive invocations with the same entry share one "first-last" key.
        for (auto it = invocations.begin(); it != invocations.end();) {
            auto last = it;
            while (std::next(last) != invocations.end() && std::next(last)->first == last->first + 1 &&
                   std::next(last)->second == it->second)
                ++last;
            const std::string key = it->first == last->first ? std::to_string(it->first)
                                                             : std::to_string(it->first) + "-" + std::to_string(last->first);
            response[key] = it->second;
            it = std::next(last);
        }
        responses[name] = std::move(response);
        test[state] = name;
    }
    config["StateMachines"][machine]["TestCases"][test_case] = std::move(test);
    return config;
}

}  // namespace sfn::engine
