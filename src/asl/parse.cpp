// ASL JSON → model. Structural checks only (types, required and unknown fields); the meaning of a
// definition is checked by validate.cpp.
#include "sfn/asl/parse.hpp"

#include "asl/detail_parse.hpp"
#include "asl/detail_reader.hpp"

namespace sfn::asl {
namespace detail {
namespace {

using model::Json;

std::vector<model::NamedState> read_states(ObjectReader& scope);

std::optional<model::JitterStrategy> read_jitter(ObjectReader& r) {
    auto s = r.string("JitterStrategy");
    if (!s) return std::nullopt;
    if (*s == "FULL") return model::JitterStrategy::FULL;
    if (*s == "NONE") return model::JitterStrategy::NONE;
    r.report("JitterStrategy", kBadEnum, "expected \"FULL\" or \"NONE\", got \"" + *s + "\"");
    return std::nullopt;
}

// Iterates an array field, handing each element's pointer to `read`.
template <class F>
void for_each_element(ObjectReader& r, std::string_view key, F read) {
    const Json* v = r.raw(key);
    if (v == nullptr) return;
    if (!v->is_array()) {
        r.report(key, kWrongType, "expected an array, got " + json_type_name(*v));
        return;
    }
    for (std::size_t i = 0; i < v->size(); ++i) read((*v)[i], r.pointer_of(key) + "/" + std::to_string(i));
}

// Absent stays absent and an empty list stays an empty list, so serialize gives back what was read.
model::RetryList read_retry(ObjectReader& state) {
    if (!state.has("Retry")) return std::nullopt;
    std::vector<model::Retrier> out;
    for_each_element(state, "Retry", [&](const Json& item, const std::string& ptr) {
        ObjectReader r(item, ptr, state.sink(), "a retrier");
        if (!r.ok()) return;
        model::Retrier retrier;
        if (!r.has("ErrorEquals")) state.sink().add(ptr, kMissingField, "missing required field 'ErrorEquals'");
        retrier.error_equals = r.string_array("ErrorEquals");
        retrier.interval_seconds = r.integer("IntervalSeconds");
        retrier.max_attempts = r.integer("MaxAttempts");
        retrier.backoff_rate = r.number("BackoffRate");
        retrier.max_delay_seconds = r.integer("MaxDelaySeconds");
        retrier.jitter_strategy = read_jitter(r);
        retrier.comment = r.string("Comment");
        r.finish("a retrier");
        out.push_back(std::move(retrier));
    });
    return out;
}

model::CatchList read_catch(ObjectReader& state) {
    if (!state.has("Catch")) return std::nullopt;
    std::vector<model::Catcher> out;
    for_each_element(state, "Catch", [&](const Json& item, const std::string& ptr) {
        ObjectReader r(item, ptr, state.sink(), "a catcher");
        if (!r.ok()) return;
        model::Catcher catcher;
        if (!r.has("ErrorEquals")) state.sink().add(ptr, kMissingField, "missing required field 'ErrorEquals'");
        catcher.error_equals = r.string_array("ErrorEquals");
        catcher.next = r.required_string("Next");
        catcher.result_path = r.nullable_path("ResultPath");
        catcher.output = r.json("Output");
        catcher.assign = r.json("Assign");
        catcher.comment = r.string("Comment");
        r.finish("a catcher");
        out.push_back(std::move(catcher));
    });
    return out;
}

model::StateCommon read_common(ObjectReader& r) {
    model::StateCommon c;
    c.comment = r.string("Comment");
    c.query_language = r.query_language("QueryLanguage");
    c.input_path = r.nullable_path("InputPath");
    c.output_path = r.nullable_path("OutputPath");
    c.output = r.json("Output");
    c.assign = r.json("Assign");
    c.next = r.string("Next");
    c.end = r.boolean("End");
    return c;
}

model::Task read_task(ObjectReader& r) {
    model::Task t;
    t.common = read_common(r);
    t.resource = r.required_string("Resource");
    t.parameters = r.json("Parameters");
    t.arguments = r.json("Arguments");
    t.result_selector = r.json("ResultSelector");
    t.result_path = r.nullable_path("ResultPath");
    t.timeout_seconds = r.integer_or_expression("TimeoutSeconds");
    t.timeout_seconds_path = r.path("TimeoutSecondsPath");
    t.heartbeat_seconds = r.integer_or_expression("HeartbeatSeconds");
    t.heartbeat_seconds_path = r.path("HeartbeatSecondsPath");
    t.credentials = r.object("Credentials");
    t.retry = read_retry(r);
    t.catch_ = read_catch(r);
    return t;
}

model::Pass read_pass(ObjectReader& r) {
    model::Pass p;
    p.common = read_common(r);
    p.result = r.json("Result");
    p.result_path = r.nullable_path("ResultPath");
    p.parameters = r.json("Parameters");
    return p;
}

model::Choice read_choice(ObjectReader& r) {
    model::Choice c;
    c.common = read_common(r);
    if (!r.has("Choices")) r.sink().add(r.pointer(), kMissingField, "missing required field 'Choices'");
    for_each_element(r, "Choices", [&](const Json& item, const std::string& ptr) {
        if (auto rule = read_choice_rule(item, ptr, r.sink())) c.choices.push_back(std::move(*rule));
    });
    c.default_ = r.string("Default");
    return c;
}

model::Wait read_wait(ObjectReader& r) {
    model::Wait w;
    w.common = read_common(r);
    w.seconds = r.integer_or_expression("Seconds");
    w.timestamp = r.string("Timestamp");
    w.seconds_path = r.path("SecondsPath");
    w.timestamp_path = r.path("TimestampPath");
    return w;
}

model::Succeed read_succeed(ObjectReader& r) { return model::Succeed{read_common(r)}; }

model::Fail read_fail(ObjectReader& r) {
    model::Fail f;
    f.common = read_common(r);
    f.error = r.string("Error");
    f.error_path = r.path("ErrorPath");
    f.cause = r.string("Cause");
    f.cause_path = r.path("CausePath");
    return f;
}

model::Branch read_branch(const Json& item, const std::string& ptr, Sink& sink) {
    model::Branch b;
    ObjectReader r(item, ptr, sink, "a branch");
    if (!r.ok()) return b;
    b.comment = r.string("Comment");
    b.start_at = r.required_string("StartAt");
    b.query_language = r.query_language("QueryLanguage");
    b.states = read_states(r);
    r.finish("a branch");
    return b;
}

model::Parallel read_parallel(ObjectReader& r) {
    model::Parallel p;
    p.common = read_common(r);
    if (!r.has("Branches")) r.sink().add(r.pointer(), kMissingField, "missing required field 'Branches'");
    for_each_element(r, "Branches", [&](const Json& item, const std::string& ptr) {
        p.branches.push_back(read_branch(item, ptr, r.sink()));
    });
    p.result_path = r.nullable_path("ResultPath");
    p.result_selector = r.json("ResultSelector");
    p.parameters = r.json("Parameters");
    p.arguments = r.json("Arguments");
    p.retry = read_retry(r);
    p.catch_ = read_catch(r);
    return p;
}

std::optional<model::ProcessorConfig> read_processor_config(ObjectReader& parent) {
    return parent.sub_object<model::ProcessorConfig>("ProcessorConfig", [](ObjectReader& r, model::ProcessorConfig& config) {
        if (auto mode = r.string("Mode")) {
            if (*mode == "INLINE") config.mode = model::ProcessorMode::INLINE;
            else if (*mode == "DISTRIBUTED") config.mode = model::ProcessorMode::DISTRIBUTED;
            else r.report("Mode", kBadEnum, "expected \"INLINE\" or \"DISTRIBUTED\", got \"" + *mode + "\"");
        }
        if (auto type = r.string("ExecutionType")) {
            if (*type == "STANDARD") config.execution_type = model::ExecutionType::STANDARD;
            else if (*type == "EXPRESS") config.execution_type = model::ExecutionType::EXPRESS;
            else r.report("ExecutionType", kBadEnum, "expected \"STANDARD\" or \"EXPRESS\", got \"" + *type + "\"");
        }
    });
}

std::optional<model::ItemProcessor> read_processor(ObjectReader& map, std::string_view key) {
    return map.sub_object<model::ItemProcessor>(key, [](ObjectReader& r, model::ItemProcessor& p) {
        p.processor_config = read_processor_config(r);
        p.comment = r.string("Comment");
        p.start_at = r.required_string("StartAt");
        p.query_language = r.query_language("QueryLanguage");
        p.states = read_states(r);
    });
}

std::optional<model::ItemReader> read_item_reader(ObjectReader& map) {
    return map.sub_object<model::ItemReader>("ItemReader", [](ObjectReader& r, model::ItemReader& reader) {
        reader.resource = r.required_string("Resource");
        reader.reader_config = r.object("ReaderConfig");
        reader.parameters = r.object("Parameters");
        reader.arguments = r.json("Arguments");
    });
}

std::optional<model::ItemBatcher> read_item_batcher(ObjectReader& map) {
    return map.sub_object<model::ItemBatcher>("ItemBatcher", [](ObjectReader& r, model::ItemBatcher& batcher) {
        batcher.max_items_per_batch = r.integer_or_expression("MaxItemsPerBatch");
        batcher.max_items_per_batch_path = r.path("MaxItemsPerBatchPath");
        batcher.max_input_bytes_per_batch = r.integer_or_expression("MaxInputBytesPerBatch");
        batcher.max_input_bytes_per_batch_path = r.path("MaxInputBytesPerBatchPath");
        batcher.batch_input = r.json("BatchInput");
    });
}

std::optional<model::ResultWriter> read_result_writer(ObjectReader& map) {
    return map.sub_object<model::ResultWriter>("ResultWriter", [](ObjectReader& r, model::ResultWriter& writer) {
        writer.resource = r.string("Resource");
        writer.writer_config = r.object("WriterConfig");
        writer.parameters = r.object("Parameters");
        writer.arguments = r.json("Arguments");
    });
}

model::Map read_map(ObjectReader& r) {
    model::Map m;
    m.common = read_common(r);
    m.item_processor = read_processor(r, "ItemProcessor");
    m.iterator = read_processor(r, "Iterator");
    m.item_reader = read_item_reader(r);
    m.items_path = r.path("ItemsPath");
    m.items = r.json("Items");
    m.item_selector = r.json("ItemSelector");
    m.parameters = r.json("Parameters");
    m.item_batcher = read_item_batcher(r);
    m.max_concurrency = r.integer_or_expression("MaxConcurrency");
    m.max_concurrency_path = r.path("MaxConcurrencyPath");
    m.tolerated_failure_percentage = r.number_or_expression("ToleratedFailurePercentage");
    m.tolerated_failure_percentage_path = r.path("ToleratedFailurePercentagePath");
    m.tolerated_failure_count = r.integer_or_expression("ToleratedFailureCount");
    m.tolerated_failure_count_path = r.path("ToleratedFailureCountPath");
    m.label = r.string("Label");
    m.result_writer = read_result_writer(r);
    m.result_path = r.nullable_path("ResultPath");
    m.result_selector = r.json("ResultSelector");
    m.retry = read_retry(r);
    m.catch_ = read_catch(r);
    return m;
}

std::optional<model::State> read_state(const Json& value, const std::string& ptr, Sink& sink) {
    ObjectReader r(value, ptr, sink, "a state");
    if (!r.ok()) return std::nullopt;
    if (!r.has("Type")) {
        sink.add(ptr, kMissingField, "missing required field 'Type'");
        return std::nullopt;
    }
    auto type = r.string("Type");
    if (!type) return std::nullopt;
    std::optional<model::State> state;
    if (*type == "Task") state = read_task(r);
    else if (*type == "Pass") state = read_pass(r);
    else if (*type == "Choice") state = read_choice(r);
    else if (*type == "Wait") state = read_wait(r);
    else if (*type == "Succeed") state = read_succeed(r);
    else if (*type == "Fail") state = read_fail(r);
    else if (*type == "Parallel") state = read_parallel(r);
    else if (*type == "Map") state = read_map(r);
    else {
        r.report("Type", kBadEnum,
                 "unknown state type \"" + *type + "\" (expected Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map)");
        return std::nullopt;
    }
    r.finish("a " + *type + " state");
    return state;
}

std::vector<model::NamedState> read_states(ObjectReader& scope) {
    std::vector<model::NamedState> out;
    if (!scope.has("States")) {
        scope.sink().add(scope.pointer(), kMissingField, "missing required field 'States'");
        scope.raw("States");
        return out;
    }
    const Json* states = scope.raw("States");
    if (!states->is_object()) {
        scope.report("States", kWrongType, "expected an object, got " + json_type_name(*states));
        return out;
    }
    out.reserve(states->size());
    for (const auto& [name, value] : states->items()) {
        if (auto state = read_state(value, child_pointer(scope.pointer_of("States"), name), scope.sink())) {
            out.push_back({name, std::move(*state)});
        }
    }
    return out;
}

}  // namespace

model::StateMachine read_machine(const Json& definition, Sink& sink) {
    model::StateMachine sm;
    ObjectReader r(definition, "", sink, "a state machine definition");
    if (!r.ok()) return sm;
    sm.comment = r.string("Comment");
    sm.start_at = r.required_string("StartAt");
    sm.version = r.string("Version");
    sm.timeout_seconds = r.integer("TimeoutSeconds");
    sm.query_language = r.query_language("QueryLanguage");
    sm.states = read_states(r);
    r.finish("the state machine");
    return sm;
}

}  // namespace detail

ParseResult try_parse(const model::Json& definition) {
    detail::Sink sink;
    ParseResult result;
    result.machine = detail::read_machine(definition, sink);
    result.diagnostics = std::move(sink.diagnostics());
    return result;
}

model::StateMachine parse(const model::Json& definition) {
    auto result = try_parse(definition);
    if (!result.diagnostics.empty()) throw ParseError(std::move(result.diagnostics));
    return std::move(result.machine);
}

model::StateMachine parse(const nlohmann::json& definition) {
    return parse(model::Json::parse(definition.dump()));
}

}  // namespace sfn::asl
