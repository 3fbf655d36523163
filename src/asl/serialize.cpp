// model → ASL JSON in canonical field order (see include/sfn/asl/serialize.hpp and
// docs/asl-field-order.md). One small render helper per ASL concept; absent fields are left out.
#include "sfn/asl/serialize.hpp"
#include "core/detail_overloaded.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace sfn::asl {
namespace {

using model::Json;

using sfn::detail::Overloaded;

Json render(const std::string& s) { return s; }
Json render(bool b) { return b; }
Json render(std::int64_t i) { return i; }
Json render(const Json& j) { return j; }
Json render(const model::Path& p) { return p.text; }
Json render(const model::Expression& e) { return e.text; }
// Whole numbers print as integers ("BackoffRate": 2, as the original and AWS's examples do).
Json render(double d) {
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
    return d;
}
Json render(const model::NullablePath& p) {
    return std::visit(Overloaded{[](std::nullptr_t) { return Json(nullptr); },
                                 [](const model::Path& path) { return render(path); }},
                      p);
}
template <class... Ts>
Json render(const std::variant<Ts...>& v) {
    return std::visit([](const auto& alternative) { return render(alternative); }, v);
}
Json render(model::QueryLanguage q) { return q == model::QueryLanguage::JSONata ? "JSONata" : "JSONPath"; }

// Rendered further down; declared here so that put() and the field tables find them.
Json render(const model::ItemProcessor& p);
Json render(const model::ItemReader& r);
Json render(const model::ItemBatcher& b);
Json render(const model::ResultWriter& w);
Json render(const std::vector<model::ChoiceRule>& rules);
Json render(const std::vector<model::Branch>& branches);

template <class T>
void put(Json& out, const char* key, const std::optional<T>& value) {
    if (value) out[key] = render(*value);
}

Json render_state_list(const std::vector<model::NamedState>& states);

// Retriers and catchers that catch everything go last (ASL: States.ALL must be last).
template <class T>
std::vector<const T*> catch_alls_last(const std::vector<T>& items) {
    std::vector<const T*> out;
    for (const auto& item : items) out.push_back(&item);
    std::stable_partition(out.begin(), out.end(), [](const T* item) {
        return std::find(item->error_equals.begin(), item->error_equals.end(), "States.ALL") == item->error_equals.end();
    });
    return out;
}

Json render_retrier(const model::Retrier& r) {
    Json out = Json::object();
    out["ErrorEquals"] = r.error_equals;
    put(out, "IntervalSeconds", r.interval_seconds);
    put(out, "BackoffRate", r.backoff_rate);
    put(out, "MaxAttempts", r.max_attempts);
    put(out, "MaxDelaySeconds", r.max_delay_seconds);
    if (r.jitter_strategy) out["JitterStrategy"] = r.jitter_strategy == model::JitterStrategy::FULL ? "FULL" : "NONE";
    put(out, "Comment", r.comment);
    return out;
}

Json render_catcher(const model::Catcher& c) {
    Json out = Json::object();
    out["ErrorEquals"] = c.error_equals;
    out["Next"] = c.next;
    put(out, "ResultPath", c.result_path);
    put(out, "Output", c.output);
    put(out, "Assign", c.assign);
    put(out, "Comment", c.comment);
    return out;
}

void put_error_handling(Json& out, const model::RetryList& retry, const model::CatchList& catch_) {
    if (retry) {
        Json& list = out["Retry"] = Json::array();
        for (const auto* r : catch_alls_last(*retry)) list.push_back(render_retrier(*r));
    }
    if (catch_) {
        Json& list = out["Catch"] = Json::array();
        for (const auto* c : catch_alls_last(*catch_)) list.push_back(render_catcher(*c));
    }
}

// Type, Comment, QueryLanguage.
Json render_head(std::string_view type, const model::StateCommon& c) {
    Json out = Json::object();
    out["Type"] = type;
    put(out, "Comment", c.comment);
    put(out, "QueryLanguage", c.query_language);
    return out;
}

void put_flow(Json& out, const model::StateCommon& c) {
    put(out, "Next", c.next);
    put(out, "End", c.end);
}

void put_input(Json& out, const model::StateCommon& c) { put(out, "InputPath", c.input_path); }

void put_output(Json& out, const model::StateCommon& c) {
    put(out, "OutputPath", c.output_path);
    put(out, "Output", c.output);
    put(out, "Assign", c.assign);
}

Json render_rule(const model::Rule& rule);

Json render_rule_list(const std::vector<model::Rule>& rules) {
    Json out = Json::array();
    for (const auto& r : rules) out.push_back(render_rule(r));
    return out;
}

// The boolean part of a rule; the caller adds Next/Assign/Output for top-level rules.
Json render_rule(const model::Rule& rule) {
    Json out = Json::object();
    std::visit(Overloaded{
                   [&](const model::Comparison& c) {
                       out["Variable"] = c.variable.text;
                       out[std::string(model::to_string(c.op))] = render(c.operand);
                   },
                   [&](const model::And& a) { out["And"] = render_rule_list(a.rules); },
                   [&](const model::Or& o) { out["Or"] = render_rule_list(o.rules); },
                   [&](const model::Not& n) { out["Not"] = render_rule(*n.rule); },
                   [&](const model::Condition& c) { out["Condition"] = render(c.expression); },
               },
               rule.test);
    put(out, "Comment", rule.comment);
    return out;
}

Json render_choice_rule(const model::ChoiceRule& choice) {
    Json out = render_rule(choice.rule);
    out["Next"] = choice.next;
    put(out, "Assign", choice.assign);
    put(out, "Output", choice.output);
    return out;
}

// StartAt, Comment, QueryLanguage?, States: the shape shared by branches and item processors.
Json render_scope(const std::optional<std::string>& comment, const std::string& start_at,
                  const std::optional<model::QueryLanguage>& query_language,
                  const std::vector<model::NamedState>& states) {
    Json out = Json::object();
    out["StartAt"] = start_at;
    put(out, "Comment", comment);
    put(out, "QueryLanguage", query_language);
    out["States"] = render_state_list(states);
    return out;
}

Json render(const model::ItemProcessor& p) {
    Json out = Json::object();
    if (p.processor_config) {
        Json& config = out["ProcessorConfig"] = Json::object();
        if (p.processor_config->mode)
            config["Mode"] = p.processor_config->mode == model::ProcessorMode::INLINE ? "INLINE" : "DISTRIBUTED";
        if (p.processor_config->execution_type)
            config["ExecutionType"] =
                p.processor_config->execution_type == model::ExecutionType::STANDARD ? "STANDARD" : "EXPRESS";
    }
    out.update(render_scope(p.comment, p.start_at, p.query_language, p.states));
    return out;
}

// One member of a rendered object: its ASL name and the model field that holds it. Optional fields are
// left out when absent; the rest are always written.
template <class T>
struct Field {
    const char* key;
    const T& value;
};
template <class T>
Field<T> field(const char* key, const T& value) {
    return {key, value};
}
template <class T>
void put_field(Json& out, const Field<std::optional<T>>& f) {
    put(out, f.key, f.value);
}
template <class T>
void put_field(Json& out, const Field<T>& f) {
    out[f.key] = render(f.value);
}
template <class... T>
void put_fields(Json& out, const std::tuple<Field<T>...>& fields) {
    std::apply([&](const auto&... f) { (put_field(out, f), ...); }, fields);
}
template <class... T>
Json render_object(const std::tuple<Field<T>...>& fields) {
    Json out = Json::object();
    put_fields(out, fields);
    return out;
}

Json render(const model::ItemReader& r) {
    return render_object(std::tuple{field("Resource", r.resource), field("ReaderConfig", r.reader_config),
                                    field("Parameters", r.parameters), field("Arguments", r.arguments)});
}

Json render(const model::ItemBatcher& b) {
    return render_object(std::tuple{field("MaxItemsPerBatch", b.max_items_per_batch),
                                    field("MaxItemsPerBatchPath", b.max_items_per_batch_path),
                                    field("MaxInputBytesPerBatch", b.max_input_bytes_per_batch),
                                    field("MaxInputBytesPerBatchPath", b.max_input_bytes_per_batch_path),
                                    field("BatchInput", b.batch_input)});
}

Json render(const model::ResultWriter& w) {
    return render_object(std::tuple{field("Resource", w.resource), field("WriterConfig", w.writer_config),
                                    field("Parameters", w.parameters), field("Arguments", w.arguments)});
}

Json render(const std::vector<model::ChoiceRule>& rules) {
    Json out = Json::array();
    for (const auto& rule : rules) out.push_back(render_choice_rule(rule));
    return out;
}

Json render(const std::vector<model::Branch>& branches) {
    Json out = Json::array();
    for (const auto& b : branches) out.push_back(render_scope(b.comment, b.start_at, b.query_language, b.states));
    return out;
}

// Every state renders in the same canonical order: Type/Comment/QueryLanguage, the type's own fields,
// Next/End, InputPath, the data fields (Parameters ... ResultPath), OutputPath/Output/Assign, Retry/Catch.
// Each state type below is its two field tables.
template <class... Own, class... Data>
Json render_state(std::string_view type, const model::StateCommon& c, const std::tuple<Field<Own>...>& own,
                  const std::tuple<Field<Data>...>& data) {
    Json out = render_head(type, c);
    put_fields(out, own);
    put_flow(out, c);
    put_input(out, c);
    put_fields(out, data);
    put_output(out, c);
    return out;
}

Json render_task(const model::Task& t) {
    Json out = render_state("Task", t.common,
                            std::tuple{field("Resource", t.resource), field("Credentials", t.credentials),
                                       field("TimeoutSeconds", t.timeout_seconds),
                                       field("TimeoutSecondsPath", t.timeout_seconds_path),
                                       field("HeartbeatSeconds", t.heartbeat_seconds),
                                       field("HeartbeatSecondsPath", t.heartbeat_seconds_path)},
                            std::tuple{field("Parameters", t.parameters), field("Arguments", t.arguments),
                                       field("ResultSelector", t.result_selector), field("ResultPath", t.result_path)});
    put_error_handling(out, t.retry, t.catch_);
    return out;
}

Json render_pass(const model::Pass& p) {
    return render_state("Pass", p.common, std::tuple{field("Result", p.result)},
                        std::tuple{field("Parameters", p.parameters), field("ResultPath", p.result_path)});
}

Json render_choice(const model::Choice& c) {
    // Next/End on a Choice is invalid, but written so a round trip keeps what was read.
    return render_state("Choice", c.common, std::tuple{field("Choices", c.choices), field("Default", c.default_)},
                        std::tuple{});
}

Json render_wait(const model::Wait& w) {
    return render_state("Wait", w.common,
                        std::tuple{field("Seconds", w.seconds), field("Timestamp", w.timestamp),
                                   field("SecondsPath", w.seconds_path), field("TimestampPath", w.timestamp_path)},
                        std::tuple{});
}

Json render_succeed(const model::Succeed& s) { return render_state("Succeed", s.common, std::tuple{}, std::tuple{}); }

Json render_fail(const model::Fail& f) {
    return render_state("Fail", f.common,
                        std::tuple{field("Cause", f.cause), field("CausePath", f.cause_path), field("Error", f.error),
                                   field("ErrorPath", f.error_path)},
                        std::tuple{});
}

Json render_parallel(const model::Parallel& p) {
    Json out = render_state("Parallel", p.common, std::tuple{field("Branches", p.branches)},
                            std::tuple{field("Parameters", p.parameters), field("Arguments", p.arguments),
                                       field("ResultSelector", p.result_selector), field("ResultPath", p.result_path)});
    put_error_handling(out, p.retry, p.catch_);
    return out;
}

Json render_map(const model::Map& m) {
    Json out = render_state(
        "Map", m.common,
        std::tuple{field("ItemProcessor", m.item_processor), field("Iterator", m.iterator),
                   field("ItemReader", m.item_reader), field("ItemsPath", m.items_path), field("Items", m.items),
                   field("ItemSelector", m.item_selector), field("ItemBatcher", m.item_batcher),
                   field("MaxConcurrency", m.max_concurrency), field("MaxConcurrencyPath", m.max_concurrency_path),
                   field("ToleratedFailurePercentage", m.tolerated_failure_percentage),
                   field("ToleratedFailurePercentagePath", m.tolerated_failure_percentage_path),
                   field("ToleratedFailureCount", m.tolerated_failure_count),
                   field("ToleratedFailureCountPath", m.tolerated_failure_count_path), field("Label", m.label),
                   field("ResultWriter", m.result_writer)},
        std::tuple{field("Parameters", m.parameters), field("ResultSelector", m.result_selector),
                   field("ResultPath", m.result_path)});
    put_error_handling(out, m.retry, m.catch_);
    return out;
}

Json render_state_list(const std::vector<model::NamedState>& states) {
    Json out = Json::object();
    for (const auto& named : states) out[named.name] = serialize_state(named.state);
    return out;
}

}  // namespace

Json serialize_state(const model::State& state) {
    return std::visit(Overloaded{
                          [](const model::Task& s) { return render_task(s); },
                          [](const model::Pass& s) { return render_pass(s); },
                          [](const model::Choice& s) { return render_choice(s); },
                          [](const model::Wait& s) { return render_wait(s); },
                          [](const model::Succeed& s) { return render_succeed(s); },
                          [](const model::Fail& s) { return render_fail(s); },
                          [](const model::Parallel& s) { return render_parallel(s); },
                          [](const model::Map& s) { return render_map(s); },
                      },
                      state);
}

Json serialize(const model::StateMachine& machine) {
    Json out = Json::object();
    out["StartAt"] = machine.start_at;
    put(out, "Comment", machine.comment);
    put(out, "Version", machine.version);
    put(out, "TimeoutSeconds", machine.timeout_seconds);
    put(out, "QueryLanguage", machine.query_language);
    out["States"] = render_state_list(machine.states);
    return out;
}

}  // namespace sfn::asl
