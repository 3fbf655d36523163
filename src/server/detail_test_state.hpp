#pragma once
// TestState's pieces (service_test_state.cpp runs them): which state a request tests, the misuse AWS
// rejects, the one-state machine the engine runs, and the Map inspection data computed beside it.

#include "sfn/core/value.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sfn::server::detail {

using nlohmann::json;

/// The state under test.
struct TestSubject {
    std::string name;  ///< its name (stateName, StartAt, or "TestState" for a single-state definition)
    json state;        ///< its definition as written
    std::string type;  ///< its Type
    std::optional<std::string> query_language;  ///< the state machine's QueryLanguage, when one was given
    bool whole_machine = false;                 ///< the definition was a state machine, not one state
    [[nodiscard]] bool jsonata() const;
};

/// Picks the state a request tests from its parsed definition.
/// \throws ApiError ValidationException (stateName without a state machine, unknown stateName),
///         InvalidDefinition (a state without Type)
[[nodiscard]] TestSubject test_subject(const json& definition, const json& request);

/// Rejects what AWS rejects before running anything: a mock on a state that takes none, Map, Parallel,
/// Activity, `.sync` and `.waitForTaskToken` states without one, a malformed mock, context without a mock,
/// and stateConfiguration members that do not apply to the state. \throws ApiError ValidationException
void check_test_request(const TestSubject& subject, const json& request);

/// The mocked result's problem against the integration's response model (mock.fieldValidationMode,
/// STRICT by default), or nullopt; Task states only.
[[nodiscard]] std::optional<std::string> mock_result_problem(const TestSubject& subject, const json& mock,
                                                             const json& result);

/// How test_machine() builds the machine.
struct TestMachineOptions {
    bool mocked = false;      ///< a mocked Map or Parallel becomes a Task whose result is the mock
    bool keep_retry = false;  ///< keep Retry (to validate it); the run itself has none, the service decides RETRIABLE
};

/// The machine the engine runs: the state under `tested_name`, each of its transitions leading to a Pass
/// state that ends the run. A mocked Map or Parallel becomes a Task with the same input and output
/// processing.
[[nodiscard]] json test_machine(const TestSubject& subject, const std::string& tested_name,
                                const TestMachineOptions& options);

/// A name for the tested state that none of its transitions uses.
[[nodiscard]] std::string tested_state_name(const TestSubject& subject);

/// The index of the first Retrier or Catcher of `list` (a Retry or Catch array) whose ErrorEquals
/// handles `error`, or nullopt.
[[nodiscard]] std::optional<std::size_t> first_handler(const json& list, const std::string& error);

/// The backoff before retry number `retry_count` + 1 of `retrier`: IntervalSeconds × BackoffRate^count,
/// at most MaxDelaySeconds, in whole seconds.
[[nodiscard]] std::int64_t backoff_seconds(const json& retrier, std::int64_t retry_count);

/// What a JSONPath Map state does with its input before its iterations run, as inspection data:
/// afterItemsPath, afterItemSelector, afterItemBatcher, toleratedFailureCount, toleratedFailurePercentage,
/// maxConcurrency (members it cannot compute are left out).
struct MapInspection {
    json data = json::object();
    std::optional<std::size_t> item_count;
    std::optional<std::int64_t> tolerated_count;
    std::optional<double> tolerated_percentage;
};
[[nodiscard]] MapInspection map_inspection(const TestSubject& subject, const sfn::Value& state_input,
                                           const json& request);

/// True when `failures` failed iterations of `items` exceed the Map's tolerated failure threshold.
[[nodiscard]] bool exceeds_tolerance(const MapInspection& map, std::int64_t failures);

}  // namespace sfn::server::detail
