#pragma once
// Internal: the compiled form of a state machine. Everything that can be decided from the definition is
// decided here once: state indexes instead of names, parsed paths/templates/intrinsics, Choice rules as
// trees, and per-state flags (does it read `$$`? does it assign variables?).

#include "sfn/engine/history.hpp"
#include "sfn/engine/machine.hpp"
#include "sfn/jsonpath/path.hpp"
#include "sfn/jsonpath/template.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sfn::engine::detail {

namespace jp = sfn::jsonpath;

enum class StateType : std::uint8_t { Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map };

/// InputPath / OutputPath: absent = `$`, null = `{}` (discard), else a path.
struct SelectPath {
    enum class Mode : std::uint8_t { Identity, Discard, Select } mode = Mode::Identity;
    jp::Path path;
};

/// ResultPath: absent = `$` (the result replaces the input), null = keep the input, else a reference path.
struct ResultPath {
    enum class Mode : std::uint8_t { Replace, Discard, Assign } mode = Mode::Replace;
    jp::Path path;
};

/// An error name list of a Retrier or Catcher.
/// Where an error arose: a state's own work (field evaluation, limits), or a Task's result that AWS reports as
/// the task's failure (TaskFailed / LambdaFunctionFailed). Only States.DataLimitExceeded tells them apart.
/// Where an error came from, when that changes which Retriers and Catchers match it: an oversized task result,
/// or a lapsed heartbeat (reported as States.Timeout, and matched by States.HeartbeatTimeout too).
enum class ErrorOrigin { State, TaskResult, Heartbeat };

struct ErrorMatcher {
    std::vector<std::string> names;
    bool all = false;           // contains States.ALL
    bool task_failed = false;   // contains States.TaskFailed (matches every error except States.Timeout... )
    [[nodiscard]] bool matches(std::string_view error, ErrorOrigin origin = ErrorOrigin::State) const;
};

struct Retrier {
    ErrorMatcher errors;
    double interval_seconds = 1;
    int max_attempts = 3;
    double backoff_rate = 2.0;
    std::optional<double> max_delay_seconds;
    bool jitter_full = false;
};

struct Catcher {
    ErrorMatcher errors;
    ResultPath result_path;
    std::optional<jp::Template> assign;
    int next = -1;
};

enum class CompareOp : std::uint8_t {
    StringEquals, StringLessThan, StringGreaterThan, StringLessThanEquals, StringGreaterThanEquals, StringMatches,
    NumericEquals, NumericLessThan, NumericGreaterThan, NumericLessThanEquals, NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals, TimestampLessThan, TimestampGreaterThan, TimestampLessThanEquals, TimestampGreaterThanEquals,
    IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp,
};

struct ChoiceRule {
    enum class Kind : std::uint8_t { And, Or, Not, Compare } kind = Kind::Compare;
    std::vector<ChoiceRule> children;
    jp::Path variable;
    CompareOp op = CompareOp::IsPresent;
    Value operand;                       // literal operand
    std::optional<jp::Path> operand_path;  // the *Path variant
    std::string pointer;                 // JSON pointer of the rule, for errors
    // Top-level rules only:
    int next = -1;
    std::optional<jp::Template> assign;
};

struct Graph;
struct JsonataSpec;  // detail_jsonata.hpp

struct PassSpec {
    std::optional<Value> result;
};

struct TaskSpec {
    std::string resource;
    std::string resource_type;  // history: e.g. "lambda"
    std::string resource_name;  // history: e.g. "invoke", or the full ARN for legacy Lambda tasks
    bool legacy_lambda = false; // Resource is a Lambda function ARN (LambdaFunction* events)
    bool lambda_invoke = false; // arn:aws:states:::lambda:invoke[...]
    bool wait_for_token = false;
    bool activity = false;      // Resource is an activity ARN (Activity* events, answered through TaskTokens)
    std::optional<std::int64_t> timeout_seconds;
    std::optional<jp::Path> timeout_path;
    std::optional<std::int64_t> heartbeat_seconds;
    std::optional<jp::Path> heartbeat_path;
};

struct WaitSpec {
    std::optional<std::int64_t> seconds;
    std::optional<std::string> timestamp;
    std::optional<jp::Path> seconds_path;
    std::optional<jp::Path> timestamp_path;
};

struct FailSpec {
    std::optional<std::string> error;
    std::optional<std::string> cause;
    std::optional<jp::Expression> error_path;
    std::optional<jp::Expression> cause_path;
};

struct ChoiceSpec {
    std::vector<ChoiceRule> rules;
    int default_next = -1;
};

struct ParallelSpec {
    std::vector<std::shared_ptr<const Graph>> branches;
};

struct ItemReaderSpec;
struct ResultWriterSpec;
struct JsonataBatcherSpec;

struct MapSpec {
    std::shared_ptr<const Graph> processor;
    // Distributed Map (detail_distributed_map.hpp)
    std::shared_ptr<const ItemReaderSpec> reader;
    std::shared_ptr<const ResultWriterSpec> writer;
    std::shared_ptr<const JsonataBatcherSpec> jsonata_batcher;
    std::optional<jp::Path> items_path;
    std::optional<jp::Template> items;  // literal or templated `Items` (JSONPath allows a value)
    std::int64_t max_concurrency = 0;
    std::optional<jp::Path> max_concurrency_path;
    // ItemBatcher
    bool batching = false;
    std::optional<std::int64_t> max_items_per_batch;
    std::optional<jp::Path> max_items_per_batch_path;
    std::optional<std::int64_t> max_input_bytes_per_batch;
    std::optional<jp::Path> max_input_bytes_per_batch_path;
    std::optional<jp::Template> batch_input;
    // Tolerated failures
    std::optional<double> tolerated_failure_percentage;
    std::optional<jp::Path> tolerated_failure_percentage_path;
    std::optional<std::int64_t> tolerated_failure_count;
    std::optional<jp::Path> tolerated_failure_count_path;
    bool distributed = false;
    bool express_children = false;  // ProcessorConfig.ExecutionType EXPRESS
    std::string label;
};

struct State {
    std::string name;
    StateType type = StateType::Pass;
    bool jsonata = false;
    std::string pointer;  // "/States/<name>" (with branch prefixes) for errors
    SelectPath input_path;
    SelectPath output_path;
    ResultPath result_path;
    std::optional<jp::Template> parameters;  // Parameters, or Map ItemSelector / legacy Parameters
    std::optional<jp::Template> result_selector;
    std::optional<jp::Template> assign;
    std::vector<Retrier> retry;
    std::vector<Catcher> catchers;
    int next = -1;  // -1 with end = true
    bool end = false;
    bool uses_context = false;  // some field reads `$$` (the context object is built only then)
    std::variant<PassSpec, TaskSpec, WaitSpec, FailSpec, ChoiceSpec, ParallelSpec, MapSpec> spec;
    std::shared_ptr<const JsonataSpec> jsonata_spec;  // JSONata states: their compiled `{% %}` fields
};

/// A set of states with a start: the machine itself, a Parallel branch, or a Map processor.
struct Graph {
    std::vector<State> states;
    int start = 0;
    std::string pointer;  // "" for the top level
    /// Some state can sleep or block (Wait, Task, Retry intervals, or such a state in a nested branch):
    /// Map iterations / Parallel branches of this graph then run on threads of their own, concurrently.
    bool may_block = false;
};

struct Machine {
    Graph top;
    std::int64_t timeout_seconds = 0;
    bool uses_jsonata = false;
    std::size_t state_count = 0;
};

/// Event type pairs per state type.
EventType entered_event(StateType type) noexcept;
EventType exited_event(StateType type) noexcept;

}  // namespace sfn::engine::detail
