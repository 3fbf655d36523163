// JSONata states: compiling their `{% %}` fields once, and running one attempt of a state the way AWS does.
// In JSONata mode Arguments replaces InputPath/Parameters, Output replaces ResultSelector/ResultPath/
// OutputPath; Assign and Output both see the variables as they were when the state was entered and
// `$states.result` once the state has one; the new variable values become visible after the state.
#include "engine/detail_distributed_map.hpp"
#include "engine/detail_hash.hpp"
#include "engine/detail_map_feed.hpp"
#include "engine/detail_jsonata.hpp"
#include "sfn/engine/error.hpp"

#include <cmath>

namespace sfn::engine::detail {

namespace {

using OJ = nlohmann::ordered_json;

// JSONPath-only fields: AWS rejects them in JSONata states (Arguments/Output/Items/`{% %}` replace them).
constexpr const char* jsonpath_only_fields[] = {
    "InputPath",       "OutputPath",          "ResultPath",         "Parameters",
    "ResultSelector",  "ItemsPath",           "SecondsPath",        "TimestampPath",
    "ErrorPath",       "CausePath",           "TimeoutSecondsPath", "HeartbeatSecondsPath",
    "MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath", "Result",
};

std::optional<JsonataTemplate> field(const OJ& obj, const char* key, const std::string& name, const std::string& ptr) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    return JsonataTemplate::compile(*it, name, ptr + "/" + key);
}

std::optional<JsonataTemplate> assign_field(const OJ& obj, const std::string& ptr) {
    auto it = obj.find("Assign");
    if (it == obj.end()) return std::nullopt;
    if (!it->is_object()) throw CompileError(ptr + "/Assign", "expected an object of variable assignments");
    return JsonataTemplate::compile(*it, "Assign", ptr + "/Assign");
}

bool template_uses_context(const std::optional<JsonataTemplate>& t) { return t && t->uses_context(); }

bool spec_uses_context(const JsonataSpec& j) {
    bool any = false;
    for (const auto* t : {&j.arguments, &j.output, &j.assign, &j.items, &j.item_selector, &j.max_concurrency,
                          &j.tolerated_failure_count, &j.tolerated_failure_percentage, &j.seconds, &j.timestamp,
                          &j.error, &j.cause, &j.timeout_seconds, &j.heartbeat_seconds})
        any |= template_uses_context(*t);
    for (const auto& r : j.rules)
        any |= r.condition.uses_context() || template_uses_context(r.output) || template_uses_context(r.assign);
    return any;
}

AssignedList commit(Frame& frame, const Value& assigned) {
    auto list = std::make_shared<std::vector<std::pair<std::string, Value>>>();
    for (const auto& [k, v] : assigned.members()) {
        frame.vars->set(k, v);
        list->emplace_back(k, v);
    }
    return list;
}

/// Evaluates one state's JSONata fields, adding the state prefix to every failure.
class Evaluator {
public:
    Evaluator(Runtime& rt, const State& s, Frame& f, JsonataInputs in) : rt_(rt), s_(s), f_(f), in_(in) {}

    bool eval(const JsonataTemplate& t, Value& out, Err& err) const {
        if (t.evaluate(in_, out, err)) return true;
        return prefixed(err);
    }
    bool prefixed(Err& err) const {
        err.cause = state_error_prefix(s_, f_.entered) + err.cause;
        err.cause_state = s_.name;
        if (err.error == "States.QueryEvaluationError") {
            // AWS records the failed evaluation itself; a Map then also reports MapStateFailed.
            HistoryEvent e;
            e.type = EventType::EvaluationFailed;
            e.name = s_.name;
            e.set_error(err.error);
            e.set_cause(err.cause);
            rt_.record(f_, std::move(e));
            if (s_.type == StateType::Map) f_.container_started = true;
        }
        return false;
    }
    bool type_error(const JsonataTemplate& t, std::string_view expected, const Value& got, Err& err) const {
        err = jsonata_type_error(t, expected, got);
        return prefixed(err);
    }
    /// An integer field (constant or expression) >= `min`.
    bool integer(const std::optional<JsonataTemplate>& t, std::int64_t min, std::optional<std::int64_t>& out,
                 Err& err) const {
        if (!t) return true;
        Value v;
        if (!eval(*t, v, err)) return false;
        const bool whole = v.is_integer() || (v.is_real() && std::floor(v.as_double()) == v.as_double() &&
                                              std::abs(v.as_double()) < 9e18);
        if (!whole || v.as_int() < min) return type_error(*t, min > 0 ? "positive integer" : "integer", v, err);
        out = v.as_int();
        return true;
    }
    JsonataInputs& inputs() { return in_; }

private:
    Runtime& rt_;
    const State& s_;
    Frame& f_;
    JsonataInputs in_;
};

bool run_wait(Runtime& rt, Frame& frame, const JsonataSpec& j, const Evaluator& ev, TimePoint entered, Err& err) {
    TimePoint until = entered;
    if (j.seconds) {
        std::optional<std::int64_t> secs;
        if (!ev.integer(j.seconds, 0, secs, err)) return false;
        until = entered + std::chrono::seconds(*secs);
    } else if (j.timestamp) {
        Value v;
        if (!ev.eval(*j.timestamp, v, err)) return false;
        const std::string text = v.is_string() ? v.as_string() : v.dump();
        if (!v.is_string() || !parse_timestamp(text, until)) {
            err = query_evaluation_error("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                         "date-time format string: " + text);
            return ev.prefixed(err);
        }
        until = std::chrono::floor<std::chrono::seconds>(until);  // to the second, as AWS counts a timestamp
    }
    // AWS rejects delays that do not fit a signed 32-bit number of seconds (about 68 years).
    if (until - entered > std::chrono::seconds(2147483647)) {
        err = Err{"States.Runtime", "Wait state delay is too long.", true, true};
        return ev.prefixed(err);
    }
    if (until > rt.now() && !rt.sleep_until(frame, until)) {
        err = rt.stop_error();
        return false;
    }
    return true;
}

/// ItemReader with JSONata Arguments and MaxItems.
std::unique_ptr<ItemStream> open_items_jsonata(Runtime& rt, const ItemReaderSpec& reader, const Evaluator& ev, Err& err) {
    Value args = Value::object({});
    if (reader.arguments && !ev.eval(*reader.arguments, args, err)) return nullptr;
    std::optional<std::int64_t> max_items = reader.max_items;
    if (reader.max_items_expr && !ev.integer(reader.max_items_expr, INT64_MIN, max_items, err)) return nullptr;
    return ItemStream::open(rt, reader, args, max_items.value_or(0), err);
}

/// ItemBatcher with JSONata MaxItemsPerBatch, MaxInputBytesPerBatch and BatchInput.
bool batch_jsonata(const JsonataBatcherSpec& b, const Evaluator& ev, MapFeed& feed, Err& err) {
    std::optional<std::int64_t> per_batch, max_bytes;
    if (!ev.integer(b.max_items_per_batch, 1, per_batch, err) || !ev.integer(b.max_input_bytes_per_batch, 1, max_bytes, err))
        return false;
    MapFeed::Batching batching{.per_batch = per_batch.value_or(0), .max_bytes = max_bytes.value_or(0)};
    if (b.batch_input) {
        Value batch_input;
        if (!ev.eval(*b.batch_input, batch_input, err)) return false;
        batching.batch_input = std::move(batch_input);
    }
    feed.batch(std::move(batching));
    return true;
}

/// `$states.context` for ItemSelector: the state's context with Map.Item (its index and value).
Value item_context(const Value& ctx, std::size_t index, const Value& value) {
    const Value item = Value::object({{"Index", Value(index)}, {"Value", value}});
    const Value map = Value::object({{"Item", item}});
    return ctx.is_object() ? ctx.with_member("Map", map) : Value::object({{"Map", map}});
}

bool run_map(Runtime& rt, const State& s, Frame& frame, const JsonataSpec& j, Evaluator& ev, const Value& input,
             const Value& ctx, Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    Value items = input;
    std::unique_ptr<MapFeed> feed;
    if (spec.reader) {
        // Read as the children need them, after a read-ahead whose failures fail the state before they start.
        auto stream = open_items_jsonata(rt, *spec.reader, ev, err);
        if (!stream) return fail_in_map_run(rt, s, frame, err);
        feed = std::make_unique<MapFeed>(rt, std::move(stream));
        if (!feed->read_ahead(err)) return fail_in_map_run(rt, s, frame, err);
    } else if (j.items) {
        if (!ev.eval(*j.items, items, err)) return false;
        if (!items.is_array()) return ev.type_error(*j.items, "array", items, err);
    } else if (!items.is_array()) {
        err = query_evaluation_error("Map state input must be an array but was: " + items.dump());
        return ev.prefixed(err);
    }
    MapLimits limits;
    std::optional<std::int64_t> n;
    if (!ev.integer(j.max_concurrency, 0, n, err)) return false;
    if (n) limits.max_concurrency = *n;
    n.reset();
    if (!ev.integer(j.tolerated_failure_count, 0, n, err)) return false;
    if (n) limits.tolerated_count = *n;
    if (j.tolerated_failure_percentage) {
        Value v;
        if (!ev.eval(*j.tolerated_failure_percentage, v, err)) return false;
        if (!v.is_number() || v.as_double() < 0 || v.as_double() > 100)
            return ev.type_error(*j.tolerated_failure_percentage, "percentage", v, err);
        limits.tolerated_percentage = v.as_double();
    }
    if (!feed) {
        std::vector<Value> inputs;
        inputs.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!j.item_selector) {
                inputs.push_back(items[i]);
                continue;
            }
            // ItemSelector sees the Map state's input and `$states.context.Map.Item`.
            const Value item_ctx = item_context(ctx, i, items[i]);
            ev.inputs().context = &item_ctx;
            Value selected;
            const bool ok = ev.eval(*j.item_selector, selected, err);
            ev.inputs().context = &ctx;
            if (!ok) return false;
            inputs.push_back(std::move(selected));
        }
        if (!spec.distributed) return run_map_iterations(rt, s, frame, std::move(inputs), limits, result, err);
        feed = std::make_unique<MapFeed>(rt, Value::array(std::move(inputs)));
    }
    // Items read later are selected on the thread that takes them, with a generator of their own (seeded by
    // where the state runs); failures are recorded (EvaluationFailed) on the execution's thread.
    jsonpath::Random select_random(splitmix64(fnv1a64(rt.execution_arn() + '\n' + s.name) ^
                                              static_cast<std::uint64_t>(frame.entered)));
    MapFeed::Select select;
    if (spec.reader && j.item_selector) {
        select = [&](std::size_t index, const Value& item, Value& out, Err& e) {
            const Value item_ctx = item_context(ctx, index, item);
            JsonataInputs in = ev.inputs();
            in.context = &item_ctx;
            in.random = &select_random;
            return j.item_selector->evaluate(in, out, e);
        };
    }
    if (!feed->select_ahead(std::move(select), err)) return ev.prefixed(err);
    if (spec.jsonata_batcher && !batch_jsonata(*spec.jsonata_batcher, ev, *feed, err)) return false;
    const auto writer_arguments = [&](Value& args, Err& e) {
        return !spec.writer->arguments || ev.eval(*spec.writer->arguments, args, e);
    };
    // A failure of the feed during the run: the reader's is reported as it is, ItemSelector's as the state's.
    const auto feed_failed = [&](Err& e) { return e.error == "States.ItemReaderFailed" ? false : ev.prefixed(e); };
    return run_distributed_iterations(rt, s, frame, *feed, limits, writer_arguments, feed_failed, result, err);
}

bool run_choice(const State& s, const JsonataSpec& j, const Evaluator& ev, int& next, const JsonataTemplate*& output,
                const JsonataTemplate*& assign, Err& err) {
    for (const auto& rule : j.rules) {
        Value v;
        if (!ev.eval(rule.condition, v, err)) return false;
        if (!v.is_bool()) return ev.type_error(rule.condition, "boolean", v, err);
        if (!v.as_bool()) continue;
        next = rule.next;
        if (rule.output) output = &*rule.output;
        if (rule.assign) assign = &*rule.assign;
        return true;
    }
    next = std::get<ChoiceSpec>(s.spec).default_next;
    if (next >= 0) return true;
    err = Err{"States.NoChoiceMatched", "Failed to transition out of the state. The state does not point to a next state.",
              true, true};
    return ev.prefixed(err);
}

void run_fail(const JsonataSpec& j, const Evaluator& ev, Err& err) {
    Err failure{"", "", false, false};
    auto text = [&](const std::optional<JsonataTemplate>& t, std::string& out, bool& has) {
        if (!t) return true;
        Value v;
        if (!ev.eval(*t, v, err)) return false;
        out = v.is_string() ? v.as_string() : v.dump();
        has = true;
        return true;
    };
    if (!text(j.error, failure.error, failure.has_error) || !text(j.cause, failure.cause, failure.has_cause)) return;
    err = std::move(failure);
}

}  // namespace

void compile_jsonata_state(State& s, const OJ& def, const std::string& ptr, const StateLookup& lookup) {
    for (const char* key : jsonpath_only_fields) {
        if (def.contains(key))
            throw CompileError(ptr + "/" + key, std::string("the field '") + key +
                                                    "' is not supported in a state whose QueryLanguage is JSONata");
    }
    auto j = std::make_shared<JsonataSpec>();
    j->output = field(def, "Output", "Output", ptr);
    j->assign = assign_field(def, ptr);
    if (s.type == StateType::Task || s.type == StateType::Parallel) j->arguments = field(def, "Arguments", "Arguments", ptr);
    switch (s.type) {
        case StateType::Pass: s.spec = PassSpec{}; break;
        case StateType::Task:
            j->timeout_seconds = field(def, "TimeoutSeconds", "TimeoutSeconds", ptr);
            j->heartbeat_seconds = field(def, "HeartbeatSeconds", "HeartbeatSeconds", ptr);
            break;
        case StateType::Choice: {
            ChoiceSpec c;
            auto it = def.find("Choices");
            if (it == def.end() || !it->is_array() || it->empty())
                throw CompileError(ptr + "/Choices", "expected a non-empty array");
            for (std::size_t i = 0; i < it->size(); ++i) {
                const auto rp = ptr + "/Choices/" + std::to_string(i);
                const auto& r = (*it)[i];
                if (!r.is_object() || !r.contains("Condition"))
                    throw CompileError(rp, "a JSONata choice rule needs \"Condition\"");
                auto n = r.find("Next");
                if (n == r.end() || !n->is_string()) throw CompileError(rp + "/Next", "expected a state name");
                JsonataRule rule{JsonataTemplate::compile(r["Condition"], "Condition", rp + "/Condition"),
                                 field(r, "Output", "Output", rp), assign_field(r, rp),
                                 lookup(n->get<std::string>(), rp + "/Next")};
                j->rules.push_back(std::move(rule));
            }
            if (auto d = def.find("Default"); d != def.end()) {
                if (!d->is_string()) throw CompileError(ptr + "/Default", "expected a state name");
                c.default_next = lookup(d->get<std::string>(), ptr + "/Default");
            }
            s.spec = std::move(c);
            break;
        }
        case StateType::Wait:
            j->seconds = field(def, "Seconds", "Seconds", ptr);
            j->timestamp = field(def, "Timestamp", "Timestamp", ptr);
            if ((j->seconds ? 1 : 0) + (j->timestamp ? 1 : 0) != 1)
                throw CompileError(ptr, "a JSONata Wait state needs exactly one of Seconds or Timestamp");
            s.spec = WaitSpec{};
            break;
        case StateType::Fail:
            j->error = field(def, "Error", "Error", ptr);
            j->cause = field(def, "Cause", "Cause", ptr);
            s.spec = FailSpec{};
            break;
        case StateType::Map:
            j->items = field(def, "Items", "Items", ptr);
            j->item_selector = field(def, "ItemSelector", "ItemSelector", ptr);
            j->max_concurrency = field(def, "MaxConcurrency", "MaxConcurrency", ptr);
            j->tolerated_failure_count = field(def, "ToleratedFailureCount", "ToleratedFailureCount", ptr);
            j->tolerated_failure_percentage =
                field(def, "ToleratedFailurePercentage", "ToleratedFailurePercentage", ptr);
            if (auto l = def.find("Label"); l != def.end() && l->is_string())
                std::get<MapSpec>(s.spec).label = l->get<std::string>();
            break;
        case StateType::Succeed:
        case StateType::Parallel: break;
    }
    if (auto c = def.find("Catch"); c != def.end() && c->is_array()) {
        for (std::size_t i = 0; i < c->size(); ++i) {
            const auto cp = ptr + "/Catch/" + std::to_string(i);
            j->catchers.push_back({field((*c)[i], "Output", "Output", cp), assign_field((*c)[i], cp)});
        }
    }
    s.uses_context = spec_uses_context(*j);
    for (const auto& c : j->catchers) s.uses_context |= template_uses_context(c.output) || template_uses_context(c.assign);
    s.jsonata_spec = std::move(j);
}

bool run_jsonata_state(Runtime& rt, const State& s, Frame& frame, TimePoint entered, const Value& input,
                       const Value& ctx, int attempt, JsonataStep& out, Err& err) {
    const JsonataSpec& j = *s.jsonata_spec;
    const auto inspect = [&](InspectionStage stage, const Value& value) {
        if (rt.options().inspect && frame.cancel == nullptr) rt.options().inspect(s.name, stage, value);
    };
    Evaluator ev(rt, s, frame, JsonataInputs{&input, nullptr, nullptr, &ctx, frame.vars, frame.random});
    const JsonataTemplate* output = j.output ? &*j.output : nullptr;
    const JsonataTemplate* assign = j.assign ? &*j.assign : nullptr;
    Value result;
    bool has_result = false;
    out.next = s.next;
    switch (s.type) {
        case StateType::Task: {
            Value args = input;
            if (j.arguments && !ev.eval(*j.arguments, args, err)) return false;
            inspect(InspectionStage::AfterArguments, args);
            TaskTimeouts timeouts;
            if (!ev.integer(j.timeout_seconds, 1, timeouts.timeout, err) ||
                !ev.integer(j.heartbeat_seconds, 1, timeouts.heartbeat, err))
                return false;
            if (!run_task(rt, s, args, frame, ctx, attempt, result, err, &timeouts)) return false;
            has_result = true;
            break;
        }
        case StateType::Parallel: {
            Value args = input;
            if (j.arguments && !ev.eval(*j.arguments, args, err)) return false;
            inspect(InspectionStage::AfterArguments, args);
            if (!run_parallel(rt, s, args, frame, result, err)) return false;
            has_result = true;
            break;
        }
        case StateType::Map:
            if (!run_map(rt, s, frame, j, ev, input, ctx, result, err)) return false;
            has_result = true;
            break;
        case StateType::Choice:
            if (!run_choice(s, j, ev, out.next, output, assign, err)) return false;
            break;
        case StateType::Wait:
            if (!run_wait(rt, frame, j, ev, entered, err)) return false;
            break;
        case StateType::Fail:
            run_fail(j, ev, err);
            return false;
        case StateType::Pass:
        case StateType::Succeed: break;
    }
    if (has_result) {
        inspect(InspectionStage::Result, result);
        ev.inputs().result = &result;
    }
    Value assigned;
    if (assign && !ev.eval(*assign, assigned, err)) return false;
    if (output) {
        if (!ev.eval(*output, out.output, err)) return false;
    } else {
        out.output = has_result ? result : input;
    }
    constexpr std::size_t max_payload_bytes = 256 * 1024;
    if (rt.exceeds_payload(out.output, max_payload_bytes)) {
        err = result_too_large(s.name);
        return false;
    }
    if (assign) out.assigned = commit(frame, assigned);
    out.end = s.type == StateType::Succeed || (s.type != StateType::Choice && s.end);
    return true;
}

bool catch_jsonata(Runtime& rt, const State& s, Frame& frame, std::size_t index, const Value& input,
                   const Value& error_output, Value& output, AssignedList& assigned, Err& err) {
    const JsonataCatcher& c = s.jsonata_spec->catchers[index];
    const bool context = template_uses_context(c.output) || template_uses_context(c.assign);
    const Value ctx = context ? rt.context(s, frame, rt.now(), 0, nullptr) : Value();
    Evaluator ev(rt, s, frame, JsonataInputs{&input, nullptr, &error_output, &ctx, frame.vars, frame.random});
    Value values;
    if (c.assign && !ev.eval(*c.assign, values, err)) return false;
    if (c.output) {
        if (!ev.eval(*c.output, output, err)) return false;
    } else {
        output = error_output;  // without Output a catcher passes the error output on
    }
    if (c.assign) assigned = commit(frame, values);
    return true;
}

}  // namespace sfn::engine::detail
