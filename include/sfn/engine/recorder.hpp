#pragma once
/// \file
/// Record and replay: a TaskRecorder collects what every Task state received from its handler (integration
/// results, handler results, errors), per state and invocation, and writes it as a Step Functions Local
/// mock-config test case (shared/aws/MOCK-CONFIG.md). Replaying that test case with
/// HandlerRegistry::use_mock_config reproduces the run without calling anything.
///
/// **Example**
/// @code
/// auto recorder = std::make_shared<sfn::engine::TaskRecorder>();
/// options.task_recorder = recorder;                 // ExecutionOptions of a run against AWS or an emulator
/// sfn::engine::run(machine, input, options);
/// auto config = recorder->mock_config("Orders", "HappyPath");   // {"StateMachines": ..., "MockedResponses": ...}
/// @endcode

#include "sfn/core/value.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace sfn::engine {

/// Thread-safe (Parallel branches and Map iterations record concurrently).
class TaskRecorder {
public:
    /// The task of `state` succeeded at `invocation` (0-based, retries count) with `result`: the value the state
    /// received (for lambda:invoke the whole Invoke response), before ResultSelector/ResultPath.
    void record_result(std::string_view state, int invocation, const Value& result);
    /// The task failed (a handler's error, a timeout) with `error`/`cause`.
    void record_failure(std::string_view state, int invocation, const std::string& error, const std::string& cause);

    /// Adds (or replaces) test case `test_case` of state machine `machine` in `config` (an existing mock config or
    /// an empty object): every recorded state maps to a mocked response named "<test_case>.<state>" whose
    /// entries are the recorded invocations (equal consecutive ones as "a-b" ranges).
    [[nodiscard]] nlohmann::json mock_config(const std::string& machine, const std::string& test_case,
                                             nlohmann::json config = nlohmann::json::object()) const;

    /// Number of recorded task invocations.
    [[nodiscard]] std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::map<int, nlohmann::json>, std::less<>> entries_;  // state -> invocation -> entry
};

}  // namespace sfn::engine
