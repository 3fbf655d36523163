#pragma once
/// \file
/// The eight ASL state types, one small struct each, and `State`, the variant over them.
///
/// Each struct carries `StateCommon` (Comment, QueryLanguage, InputPath, OutputPath, Output,
/// Assign, Next, End) by composition. A few of those are not allowed on every type (Next/End on
/// Choice, Succeed, Fail): the model still holds them when a definition has them, so that
/// asl::validate can point at the mistake.

#include "sfn/model/choice_rule.hpp"
#include "sfn/model/common.hpp"
#include "sfn/model/error_handling.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sfn::model {

/// Fields that ASL defines for (most) states.
struct StateCommon {
    std::optional<std::string> comment{};
    std::optional<QueryLanguage> query_language{};
    std::optional<NullablePath> input_path{};   ///< JSONPath only
    std::optional<NullablePath> output_path{};  ///< JSONPath only
    std::optional<Json> output{};               ///< JSONata only
    std::optional<Json> assign{};
    std::optional<std::string> next{};
    std::optional<bool> end{};
    bool operator==(const StateCommon&) const = default;
};

struct NamedState;

/// A Parallel branch: its own StartAt/States scope.
struct Branch {
    std::optional<std::string> comment{};
    std::string start_at{};
    std::vector<NamedState> states;
    std::optional<QueryLanguage> query_language{};
    bool operator==(const Branch&) const;
};

/// Map `ProcessorConfig`.
enum class ProcessorMode { INLINE, DISTRIBUTED };
enum class ExecutionType { STANDARD, EXPRESS };
struct ProcessorConfig {
    std::optional<ProcessorMode> mode{};
    std::optional<ExecutionType> execution_type{};
    bool operator==(const ProcessorConfig&) const = default;
};

/// Map `ItemProcessor` (or the legacy `Iterator`): the per-item workflow.
struct ItemProcessor {
    std::optional<ProcessorConfig> processor_config{};
    std::optional<std::string> comment{};
    std::string start_at{};
    std::vector<NamedState> states;
    std::optional<QueryLanguage> query_language{};
    bool operator==(const ItemProcessor&) const;
};

/// Distributed Map `ItemReader`.
struct ItemReader {
    std::string resource{};
    std::optional<Json> reader_config{};
    std::optional<Json> parameters{};  ///< JSONPath
    std::optional<Json> arguments{};   ///< JSONata
    bool operator==(const ItemReader&) const = default;
};

/// Distributed Map `ItemBatcher`.
struct ItemBatcher {
    std::optional<IntegerOrExpression> max_items_per_batch{};
    std::optional<Path> max_items_per_batch_path{};
    std::optional<IntegerOrExpression> max_input_bytes_per_batch{};
    std::optional<Path> max_input_bytes_per_batch_path{};
    std::optional<Json> batch_input{};
    bool operator==(const ItemBatcher&) const = default;
};

/// Distributed Map `ResultWriter`.
struct ResultWriter {
    std::optional<std::string> resource{};
    std::optional<Json> writer_config{};
    std::optional<Json> parameters{};
    std::optional<Json> arguments{};
    bool operator==(const ResultWriter&) const = default;
};

struct Task {
    StateCommon common{};
    std::string resource{};
    std::optional<Json> parameters{};       ///< JSONPath payload template
    std::optional<Json> arguments{};        ///< JSONata
    std::optional<Json> result_selector{};  ///< JSONPath
    std::optional<NullablePath> result_path{};
    std::optional<IntegerOrExpression> timeout_seconds{};
    std::optional<Path> timeout_seconds_path{};
    std::optional<IntegerOrExpression> heartbeat_seconds{};
    std::optional<Path> heartbeat_seconds_path{};
    std::optional<Json> credentials{};
    RetryList retry{};  ///< absent, or as written (see model::elements)
    CatchList catch_{};
    bool operator==(const Task&) const = default;
};

struct Pass {
    StateCommon common{};
    std::optional<Json> result{};
    std::optional<NullablePath> result_path{};
    std::optional<Json> parameters{};
    bool operator==(const Pass&) const = default;
};

struct Choice {
    StateCommon common{};
    std::vector<ChoiceRule> choices{};
    std::optional<std::string> default_{};  ///< `Default`
    bool operator==(const Choice&) const = default;
};

struct Wait {
    StateCommon common{};
    std::optional<IntegerOrExpression> seconds{};
    std::optional<std::string> timestamp{};  ///< RFC 3339, or a JSONata expression in JSONata states
    std::optional<Path> seconds_path{};
    std::optional<Path> timestamp_path{};
    bool operator==(const Wait&) const = default;
};

struct Succeed {
    StateCommon common{};
    bool operator==(const Succeed&) const = default;
};

struct Fail {
    StateCommon common{};
    std::optional<std::string> error{};  ///< may be a JSONata expression in JSONata states
    std::optional<Path> error_path{};
    std::optional<std::string> cause{};
    std::optional<Path> cause_path{};
    bool operator==(const Fail&) const = default;
};

struct Parallel {
    StateCommon common{};
    std::vector<Branch> branches;
    std::optional<NullablePath> result_path{};
    std::optional<Json> result_selector{};
    std::optional<Json> parameters{};
    std::optional<Json> arguments{};
    RetryList retry{};  ///< absent, or as written (see model::elements)
    CatchList catch_{};
    bool operator==(const Parallel&) const = default;
};

struct Map {
    StateCommon common{};
    std::optional<ItemProcessor> item_processor;
    std::optional<ItemProcessor> iterator;  ///< legacy spelling of ItemProcessor
    std::optional<ItemReader> item_reader{};
    std::optional<Path> items_path{};         ///< JSONPath
    std::optional<Json> items{};              ///< JSONata: an array or an expression string
    std::optional<Json> item_selector{};
    std::optional<Json> parameters{};         ///< legacy spelling of ItemSelector
    std::optional<ItemBatcher> item_batcher{};
    std::optional<IntegerOrExpression> max_concurrency{};
    std::optional<Path> max_concurrency_path{};
    std::optional<NumberOrExpression> tolerated_failure_percentage{};
    std::optional<Path> tolerated_failure_percentage_path{};
    std::optional<IntegerOrExpression> tolerated_failure_count{};
    std::optional<Path> tolerated_failure_count_path{};
    std::optional<std::string> label{};
    std::optional<ResultWriter> result_writer{};
    std::optional<NullablePath> result_path{};
    std::optional<Json> result_selector{};
    RetryList retry{};  ///< absent, or as written (see model::elements)
    CatchList catch_{};
    bool operator==(const Map&) const = default;
};

/// One state of any type.
using State = std::variant<Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map>;

/// A state and its name (the key under `States`). Definitions keep states in written order.
struct NamedState {
    std::string name{};
    State state{};
    bool operator==(const NamedState&) const = default;
};

inline bool Branch::operator==(const Branch& o) const {
    return comment == o.comment && start_at == o.start_at && states == o.states &&
           query_language == o.query_language;
}
inline bool ItemProcessor::operator==(const ItemProcessor& o) const {
    return processor_config == o.processor_config && comment == o.comment && start_at == o.start_at &&
           states == o.states && query_language == o.query_language;
}

/// The ASL `Type` of a state: "Task", "Pass", ...
[[nodiscard]] std::string_view type_name(const State& state) noexcept;
/// The fields common to every state type.
[[nodiscard]] const StateCommon& common(const State& state) noexcept;
[[nodiscard]] StateCommon& common(State& state) noexcept;
/// The catchers of a Task, Parallel or Map state (none for other types, or when Catch is absent).
[[nodiscard]] std::span<const Catcher> catchers(const State& state) noexcept;

}  // namespace sfn::model
