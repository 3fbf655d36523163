// model → ASL JSON in canonical field order (see include/sfn/asl/serialize.hpp and
// docs/asl-field-order.md). One small render helper per ASL concept; absent fields are left out.
#include "sfn/asl/serialize.hpp"

#include <algorithm>
#include <cmath>

namespace sfn::asl {
namespace {

using model::Json;

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

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

void put_error_handling(Json& out, const std::vector<model::Retrier>& retry, const std::vector<model::Catcher>& catch_) {
    if (!retry.empty()) {
        Json& list = out["Retry"] = Json::array();
        for (const auto* r : catch_alls_last(retry)) list.push_back(render_retrier(*r));
    }
    if (!catch_.empty()) {
        Json& list = out["Catch"] = Json::array();
        for (const auto* c : catch_alls_last(catch_)) list.push_back(render_catcher(*c));
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

Json render_processor(const model::ItemProcessor& p) {
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

Json render_item_reader(const model::ItemReader& r) {
    Json out = Json::object();
    out["Resource"] = r.resource;
    put(out, "ReaderConfig", r.reader_config);
    put(out, "Parameters", r.parameters);
    put(out, "Arguments", r.arguments);
    return out;
}

Json render_item_batcher(const model::ItemBatcher& b) {
    Json out = Json::object();
    put(out, "MaxItemsPerBatch", b.max_items_per_batch);
    put(out, "MaxItemsPerBatchPath", b.max_items_per_batch_path);
    put(out, "MaxInputBytesPerBatch", b.max_input_bytes_per_batch);
    put(out, "MaxInputBytesPerBatchPath", b.max_input_bytes_per_batch_path);
    put(out, "BatchInput", b.batch_input);
    return out;
}

Json render_result_writer(const model::ResultWriter& w) {
    Json out = Json::object();
    put(out, "Resource", w.resource);
    put(out, "WriterConfig", w.writer_config);
    put(out, "Parameters", w.parameters);
    put(out, "Arguments", w.arguments);
    return out;
}

Json render_task(const model::Task& t) {
    Json out = render_head("Task", t.common);
    out["Resource"] = t.resource;
    put(out, "Credentials", t.credentials);
    put(out, "TimeoutSeconds", t.timeout_seconds);
    put(out, "TimeoutSecondsPath", t.timeout_seconds_path);
    put(out, "HeartbeatSeconds", t.heartbeat_seconds);
    put(out, "HeartbeatSecondsPath", t.heartbeat_seconds_path);
    put_flow(out, t.common);
    put_input(out, t.common);
    put(out, "Parameters", t.parameters);
    put(out, "Arguments", t.arguments);
    put(out, "ResultSelector", t.result_selector);
    put(out, "ResultPath", t.result_path);
    put_output(out, t.common);
    put_error_handling(out, t.retry, t.catch_);
    return out;
}

Json render_pass(const model::Pass& p) {
    Json out = render_head("Pass", p.common);
    put(out, "Result", p.result);
    put_flow(out, p.common);
    put_input(out, p.common);
    put(out, "Parameters", p.parameters);
    put(out, "ResultPath", p.result_path);
    put_output(out, p.common);
    return out;
}

Json render_choice(const model::Choice& c) {
    Json out = render_head("Choice", c.common);
    Json& choices = out["Choices"] = Json::array();
    for (const auto& rule : c.choices) choices.push_back(render_choice_rule(rule));
    put(out, "Default", c.default_);
    put_flow(out, c.common);  // invalid on Choice, but written so a round trip keeps what was read
    put_input(out, c.common);
    put_output(out, c.common);
    return out;
}

Json render_wait(const model::Wait& w) {
    Json out = render_head("Wait", w.common);
    put(out, "Seconds", w.seconds);
    put(out, "Timestamp", w.timestamp);
    put(out, "SecondsPath", w.seconds_path);
    put(out, "TimestampPath", w.timestamp_path);
    put_flow(out, w.common);
    put_input(out, w.common);
    put_output(out, w.common);
    return out;
}

Json render_succeed(const model::Succeed& s) {
    Json out = render_head("Succeed", s.common);
    put_flow(out, s.common);
    put_input(out, s.common);
    put_output(out, s.common);
    return out;
}

Json render_fail(const model::Fail& f) {
    Json out = render_head("Fail", f.common);
    put(out, "Cause", f.cause);
    put(out, "CausePath", f.cause_path);
    put(out, "Error", f.error);
    put(out, "ErrorPath", f.error_path);
    put_flow(out, f.common);
    put_input(out, f.common);
    put_output(out, f.common);
    return out;
}

Json render_parallel(const model::Parallel& p) {
    Json out = render_head("Parallel", p.common);
    Json& branches = out["Branches"] = Json::array();
    for (const auto& b : p.branches) branches.push_back(render_scope(b.comment, b.start_at, b.query_language, b.states));
    put_flow(out, p.common);
    put_input(out, p.common);
    put(out, "Parameters", p.parameters);
    put(out, "Arguments", p.arguments);
    put(out, "ResultSelector", p.result_selector);
    put(out, "ResultPath", p.result_path);
    put_output(out, p.common);
    put_error_handling(out, p.retry, p.catch_);
    return out;
}

Json render_map(const model::Map& m) {
    Json out = render_head("Map", m.common);
    if (m.item_processor) out["ItemProcessor"] = render_processor(*m.item_processor);
    if (m.iterator) out["Iterator"] = render_processor(*m.iterator);
    if (m.item_reader) out["ItemReader"] = render_item_reader(*m.item_reader);
    put(out, "ItemsPath", m.items_path);
    put(out, "Items", m.items);
    put(out, "ItemSelector", m.item_selector);
    if (m.item_batcher) out["ItemBatcher"] = render_item_batcher(*m.item_batcher);
    put(out, "MaxConcurrency", m.max_concurrency);
    put(out, "MaxConcurrencyPath", m.max_concurrency_path);
    put(out, "ToleratedFailurePercentage", m.tolerated_failure_percentage);
    put(out, "ToleratedFailurePercentagePath", m.tolerated_failure_percentage_path);
    put(out, "ToleratedFailureCount", m.tolerated_failure_count);
    put(out, "ToleratedFailureCountPath", m.tolerated_failure_count_path);
    put(out, "Label", m.label);
    if (m.result_writer) out["ResultWriter"] = render_result_writer(*m.result_writer);
    put_flow(out, m.common);
    put_input(out, m.common);
    put(out, "Parameters", m.parameters);
    put(out, "ResultSelector", m.result_selector);
    put(out, "ResultPath", m.result_path);
    put_output(out, m.common);
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
