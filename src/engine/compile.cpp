// Compiling ASL JSON into detail::Machine. Structural problems throw CompileError with the JSON pointer;
// paths, templates and intrinsics are parsed here once (their PathErrors are re-thrown with the pointer).
#include "engine/detail_distributed_map.hpp"
#include "engine/detail_jsonata.hpp"
#include "engine/detail_machine.hpp"
#include "sfn/core/text.hpp"
#include "sfn/engine/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

namespace sfn::engine {

namespace detail {

namespace {

using OJ = nlohmann::ordered_json;

std::string escape_pointer_token(std::string_view token) {
    std::string out;
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

[[noreturn]] void fail(const std::string& pointer, const std::string& message) { throw CompileError(pointer, message); }

// Runs `f` and turns a PathError into a CompileError at `pointer`.
template <class F>
auto with_pointer(const std::string& pointer, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const jsonpath::PathError& e) {
        fail(pointer, e.detail());
    }
}

const std::string& require_string(const OJ& obj, const char* key, const std::string& ptr) {
    auto it = obj.find(key);
    if (it == obj.end()) fail(ptr, std::string("missing required field '") + key + "'");
    if (!it->is_string()) fail(ptr + "/" + key, "expected a string");
    return it->get_ref<const std::string&>();
}

std::optional<std::int64_t> opt_int(const OJ& obj, const char* key, const std::string& ptr, std::int64_t min) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_number_integer() && !(it->is_number_float() && std::floor(it->get<double>()) == it->get<double>()))
        fail(ptr + "/" + key, "expected an integer, got " + it->dump());
    const auto v = it->is_number_integer() ? it->get<std::int64_t>() : static_cast<std::int64_t>(it->get<double>());
    if (v < min) fail(ptr + "/" + key, "expected an integer >= " + std::to_string(min) + ", got " + it->dump());
    return v;
}

std::optional<double> opt_number(const OJ& obj, const char* key, const std::string& ptr) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_number()) fail(ptr + "/" + key, "expected a number, got " + it->dump());
    return it->get<double>();
}

std::optional<jp::Path> opt_path(const OJ& obj, const char* key, const std::string& ptr, bool reference) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_string()) fail(ptr + "/" + key, "expected a JSONPath string");
    return with_pointer(ptr + "/" + key, [&] {
        return reference ? jp::Path::parse_reference(it->get<std::string>()) : jp::Path::parse(it->get<std::string>());
    });
}

std::optional<jp::Template> opt_template(const OJ& obj, const char* key, const std::string& ptr) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    return with_pointer(ptr + "/" + key, [&] { return jp::Template::compile(*it); });
}

SelectPath select_path(const OJ& obj, const char* key, const std::string& ptr) {
    SelectPath out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (it->is_null()) {
        out.mode = SelectPath::Mode::Discard;
        return out;
    }
    out.mode = SelectPath::Mode::Select;
    out.path = *opt_path(obj, key, ptr, false);
    if (out.path.is_root_only() && out.path.root() == jp::PathRoot::input) out.mode = SelectPath::Mode::Identity;
    return out;
}

ResultPath result_path(const OJ& obj, const std::string& ptr) {
    ResultPath out;
    auto it = obj.find("ResultPath");
    if (it == obj.end()) return out;
    if (it->is_null()) {
        out.mode = ResultPath::Mode::Discard;
        return out;
    }
    out.mode = ResultPath::Mode::Assign;
    out.path = *opt_path(obj, "ResultPath", ptr, true);
    if (out.path.root() != jp::PathRoot::input) fail(ptr + "/ResultPath", "a ResultPath must start with '$'");
    if (out.path.is_root_only()) out.mode = ResultPath::Mode::Replace;
    return out;
}

ErrorMatcher error_matcher(const OJ& obj, const std::string& ptr) {
    ErrorMatcher m;
    auto it = obj.find("ErrorEquals");
    if (it == obj.end() || !it->is_array() || it->empty())
        fail(ptr + "/ErrorEquals", "expected a non-empty array of error names");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& e = (*it)[i];
        if (!e.is_string()) fail(ptr + "/ErrorEquals/" + std::to_string(i), "expected an error name string");
        const auto& name = e.get_ref<const std::string&>();
        if (name == "States.ALL") m.all = true;
        if (name == "States.TaskFailed") m.task_failed = true;
        m.names.push_back(name);
    }
    return m;
}

bool mentions_context(const OJ& v) {
    if (v.is_string()) return v.get_ref<const std::string&>().find("$$") != std::string::npos;
    if (v.is_structured()) {
        for (const auto& [k, child] : v.items()) {
            if (mentions_context(child)) return true;
        }
    }
    return false;
}

const std::unordered_map<std::string_view, CompareOp>& compare_ops() {
    static const std::unordered_map<std::string_view, CompareOp> ops = {
        {"StringEquals", CompareOp::StringEquals},
        {"StringLessThan", CompareOp::StringLessThan},
        {"StringGreaterThan", CompareOp::StringGreaterThan},
        {"StringLessThanEquals", CompareOp::StringLessThanEquals},
        {"StringGreaterThanEquals", CompareOp::StringGreaterThanEquals},
        {"StringMatches", CompareOp::StringMatches},
        {"NumericEquals", CompareOp::NumericEquals},
        {"NumericLessThan", CompareOp::NumericLessThan},
        {"NumericGreaterThan", CompareOp::NumericGreaterThan},
        {"NumericLessThanEquals", CompareOp::NumericLessThanEquals},
        {"NumericGreaterThanEquals", CompareOp::NumericGreaterThanEquals},
        {"BooleanEquals", CompareOp::BooleanEquals},
        {"TimestampEquals", CompareOp::TimestampEquals},
        {"TimestampLessThan", CompareOp::TimestampLessThan},
        {"TimestampGreaterThan", CompareOp::TimestampGreaterThan},
        {"TimestampLessThanEquals", CompareOp::TimestampLessThanEquals},
        {"TimestampGreaterThanEquals", CompareOp::TimestampGreaterThanEquals},
        {"IsNull", CompareOp::IsNull},
        {"IsPresent", CompareOp::IsPresent},
        {"IsNumeric", CompareOp::IsNumeric},
        {"IsString", CompareOp::IsString},
        {"IsBoolean", CompareOp::IsBoolean},
        {"IsTimestamp", CompareOp::IsTimestamp},
    };
    return ops;
}

bool is_type_test(CompareOp op) { return op >= CompareOp::IsNull; }

class Compiler {
public:
    Machine machine;

    void compile_top(const OJ& doc) {
        if (!doc.is_object()) fail("", "a state machine definition must be a JSON object");
        const bool jsonata = doc.value("QueryLanguage", "JSONPath") == "JSONata";
        if (auto t = opt_int(doc, "TimeoutSeconds", "", 0)) machine.timeout_seconds = *t;
        machine.top = compile_graph(doc, "", jsonata);
    }

private:
    Graph compile_graph(const OJ& doc, const std::string& ptr, bool jsonata_default) {
        Graph g;
        g.pointer = ptr;
        const auto& start = require_string(doc, "StartAt", ptr);
        auto states_it = doc.find("States");
        if (states_it == doc.end() || !states_it->is_object() || states_it->empty())
            fail(ptr + "/States", "expected a non-empty object of states");
        std::unordered_map<std::string, int> index;
        for (const auto& [name, _] : states_it->items()) {
            index.emplace(name, static_cast<int>(index.size()));
        }
        auto lookup = [&](const std::string& name, const std::string& where) {
            auto it = index.find(name);
            if (it == index.end()) fail(where, "unknown state '" + name + "'");
            return it->second;
        };
        g.start = lookup(start, ptr + "/StartAt");
        g.states.reserve(index.size());
        for (const auto& [name, def] : states_it->items()) {
            const std::string sptr = ptr + "/States/" + escape_pointer_token(name);
            g.states.push_back(compile_state(name, def, sptr, jsonata_default, lookup));
        }
        machine.state_count += g.states.size();
        for (const auto& st : g.states) g.may_block = g.may_block || state_may_block(st);
        return g;
    }

    static bool state_may_block(const State& st) {
        if (st.type == StateType::Wait || st.type == StateType::Task || !st.retry.empty()) return true;
        if (const auto* p = std::get_if<ParallelSpec>(&st.spec))
            return std::any_of(p->branches.begin(), p->branches.end(), [](const auto& b) { return b->may_block; });
        if (const auto* m = std::get_if<MapSpec>(&st.spec)) return m->processor && m->processor->may_block;
        return false;
    }

    template <class Lookup>
    State compile_state(const std::string& name, const OJ& def, const std::string& ptr, bool jsonata_default,
                        Lookup& lookup) {
        if (!def.is_object()) fail(ptr, "a state must be a JSON object");
        State s;
        s.name = name;
        s.pointer = ptr;
        const auto& type = require_string(def, "Type", ptr);
        static const std::unordered_map<std::string_view, StateType> types = {
            {"Pass", StateType::Pass},         {"Task", StateType::Task},         {"Choice", StateType::Choice},
            {"Wait", StateType::Wait},         {"Succeed", StateType::Succeed},   {"Fail", StateType::Fail},
            {"Parallel", StateType::Parallel}, {"Map", StateType::Map},
        };
        auto t = types.find(type);
        if (t == types.end()) fail(ptr + "/Type", "unknown state type '" + type + "'");
        s.type = t->second;
        const auto ql = def.find("QueryLanguage");
        s.jsonata = ql != def.end() ? (ql->is_string() && ql->get<std::string>() == "JSONata") : jsonata_default;
        if (s.jsonata) machine.uses_jsonata = true;

        // Transitions.
        if (auto n = def.find("Next"); n != def.end()) {
            if (!n->is_string()) fail(ptr + "/Next", "expected a state name");
            s.next = lookup(n->get<std::string>(), ptr + "/Next");
        }
        s.end = def.value("End", false);
        const bool terminal = s.type == StateType::Succeed || s.type == StateType::Fail || s.type == StateType::Choice;
        if (!terminal && s.next < 0 && !s.end) fail(ptr, "a " + type + " state needs \"Next\" or \"End\": true");

        // Nested graphs are compiled for JSONata states too (their inner states may be JSONPath).
        if (s.type == StateType::Parallel) {
            ParallelSpec p;
            auto b = def.find("Branches");
            if (b == def.end() || !b->is_array() || b->empty()) fail(ptr + "/Branches", "expected a non-empty array");
            for (std::size_t i = 0; i < b->size(); ++i)
                p.branches.push_back(std::make_shared<Graph>(
                    compile_graph((*b)[i], ptr + "/Branches/" + std::to_string(i), s.jsonata)));
            s.spec = std::move(p);
        }
        if (s.type == StateType::Map) s.spec = compile_map_graph(def, ptr, s.jsonata);
        if (s.jsonata) {
            // Retry/Catch structure is shared; every `{% %}` field is compiled by detail_jsonata.
            compile_retry_catch(s, def, ptr, lookup);
            if (s.type == StateType::Task) s.spec = compile_task(def, ptr, true);
            const StateLookup by_name = [&](const std::string& n, const std::string& where) { return lookup(n, where); };
            compile_jsonata_state(s, def, ptr, by_name);
            return s;
        }

        s.uses_context = mentions_context_outside_graphs(def);
        s.input_path = select_path(def, "InputPath", ptr);
        s.output_path = select_path(def, "OutputPath", ptr);
        s.result_path = result_path(def, ptr);
        s.assign = opt_template(def, "Assign", ptr);
        s.result_selector = opt_template(def, "ResultSelector", ptr);
        if (s.type != StateType::Map) s.parameters = opt_template(def, "Parameters", ptr);
        compile_retry_catch(s, def, ptr, lookup);

        switch (s.type) {
            case StateType::Pass: {
                PassSpec p;
                if (auto r = def.find("Result"); r != def.end()) p.result = Value::from_json(*r);
                s.spec = std::move(p);
                break;
            }
            case StateType::Task:
                s.spec = compile_task(def, ptr);
                break;
            case StateType::Choice:
                s.spec = compile_choice(def, ptr, lookup);
                break;
            case StateType::Wait:
                s.spec = compile_wait(def, ptr);
                break;
            case StateType::Fail: {
                FailSpec f;
                if (auto e = def.find("Error"); e != def.end() && e->is_string()) f.error = e->get<std::string>();
                if (auto c = def.find("Cause"); c != def.end() && c->is_string()) f.cause = c->get<std::string>();
                if (auto e = def.find("ErrorPath"); e != def.end())
                    f.error_path = with_pointer(ptr + "/ErrorPath", [&] { return jp::Expression::parse(e->get<std::string>()); });
                if (auto c = def.find("CausePath"); c != def.end())
                    f.cause_path = with_pointer(ptr + "/CausePath", [&] { return jp::Expression::parse(c->get<std::string>()); });
                s.spec = std::move(f);
                break;
            }
            case StateType::Succeed:
            case StateType::Parallel:
                break;
            case StateType::Map:
                compile_map_fields(std::get<MapSpec>(s.spec), s, def, ptr);
                break;
        }
        return s;
    }

    static bool mentions_context_outside_graphs(const OJ& def) {
        for (const auto& [k, v] : def.items()) {
            if (k == "Branches" || k == "ItemProcessor" || k == "Iterator") continue;
            if (mentions_context(v)) return true;
        }
        return false;
    }

    template <class Lookup>
    void compile_retry_catch(State& s, const OJ& def, const std::string& ptr, Lookup& lookup) {
        if (auto r = def.find("Retry"); r != def.end()) {
            if (!r->is_array()) fail(ptr + "/Retry", "expected an array of retriers");
            for (std::size_t i = 0; i < r->size(); ++i) {
                const auto rp = ptr + "/Retry/" + std::to_string(i);
                const auto& rj = (*r)[i];
                if (!rj.is_object()) fail(rp, "expected a retrier object");
                Retrier rt;
                rt.errors = error_matcher(rj, rp);
                if (auto v = opt_number(rj, "IntervalSeconds", rp)) {
                    if (*v < 1 || std::floor(*v) != *v) fail(rp + "/IntervalSeconds", "expected a positive integer");
                    rt.interval_seconds = *v;
                }
                if (auto v = opt_int(rj, "MaxAttempts", rp, 0)) rt.max_attempts = static_cast<int>(*v);
                if (auto v = opt_number(rj, "BackoffRate", rp)) {
                    if (*v < 1.0) fail(rp + "/BackoffRate", "expected a number >= 1.0");
                    rt.backoff_rate = *v;
                }
                if (auto v = opt_int(rj, "MaxDelaySeconds", rp, 1)) rt.max_delay_seconds = static_cast<double>(*v);
                if (auto j = rj.find("JitterStrategy"); j != rj.end()) {
                    if (!j->is_string() || (*j != "FULL" && *j != "NONE"))
                        fail(rp + "/JitterStrategy", "expected \"FULL\" or \"NONE\"");
                    rt.jitter_full = *j == "FULL";
                }
                s.retry.push_back(std::move(rt));
            }
        }
        if (auto c = def.find("Catch"); c != def.end()) {
            if (!c->is_array()) fail(ptr + "/Catch", "expected an array of catchers");
            for (std::size_t i = 0; i < c->size(); ++i) {
                const auto cp = ptr + "/Catch/" + std::to_string(i);
                const auto& cj = (*c)[i];
                if (!cj.is_object()) fail(cp, "expected a catcher object");
                Catcher ct;
                ct.errors = error_matcher(cj, cp);
                if (!s.jsonata) {  // JSONata catchers use Output/Assign expressions (detail_jsonata)
                    ct.result_path = result_path(cj, cp);
                    ct.assign = opt_template(cj, "Assign", cp);
                }
                ct.next = lookup(require_string(cj, "Next", cp), cp + "/Next");
                s.catchers.push_back(std::move(ct));
            }
        }
    }

    // arn:PARTITION:states:REGION:ACCOUNT:activity:NAME, the ARN CreateActivity returns (activity names
    // cannot contain ':').
    static bool is_activity_arn(std::string_view r) {
        std::array<std::string_view, 7> parts;
        std::size_t n = 0;
        for (std::size_t from = 0;; ++n) {
            const auto colon = r.find(':', from);
            if (n == parts.size()) return false;
            parts[n] = r.substr(from, colon == std::string_view::npos ? std::string_view::npos : colon - from);
            if (colon == std::string_view::npos) break;
            from = colon + 1;
        }
        return n == parts.size() - 1 && parts[0] == "arn" && !parts[1].empty() && parts[2] == "states" &&
               !parts[3].empty() && !parts[4].empty() && parts[5] == "activity" && !parts[6].empty();
    }

    static TaskSpec compile_task(const OJ& def, const std::string& ptr, bool jsonata = false) {
        TaskSpec t;
        t.resource = require_string(def, "Resource", ptr);
        const std::string& r = t.resource;
        if (r.rfind("arn:aws:lambda:", 0) == 0 || r.rfind("arn:aws-cn:lambda:", 0) == 0 ||
            r.rfind("arn:aws-us-gov:lambda:", 0) == 0) {
            t.legacy_lambda = true;
            t.resource_type = "lambda";
            t.resource_name = r;
        } else if (auto pos = r.find(":::"); pos != std::string::npos) {
            // arn:aws:states:::service:action[.pattern]; an SDK integration's type names its service
            // (arn:aws:states:::aws-sdk:s3:getObject is type "aws-sdk:s3", resource "getObject", as AWS records it)
            const auto rest = r.substr(pos + 3);
            auto colon = rest.find(':');
            if (rest.starts_with("aws-sdk:") && colon != std::string::npos) colon = rest.find(':', colon + 1);
            t.resource_type = rest.substr(0, colon);
            t.resource_name = colon == std::string::npos ? "" : rest.substr(colon + 1);
        } else {
            t.resource_type = "activity";
            t.resource_name = r;
        }
        t.lambda_invoke = t.resource_type == "lambda" && !t.legacy_lambda;
        t.wait_for_token = r.size() > 17 && r.compare(r.size() - 17, 17, ".waitForTaskToken") == 0;
        t.activity = is_activity_arn(r);
        if (jsonata) return t;  // TimeoutSeconds/HeartbeatSeconds may be expressions (detail_jsonata)
        t.timeout_seconds = opt_int(def, "TimeoutSeconds", ptr, 1);
        t.timeout_path = opt_path(def, "TimeoutSecondsPath", ptr, true);
        t.heartbeat_seconds = opt_int(def, "HeartbeatSeconds", ptr, 1);
        t.heartbeat_path = opt_path(def, "HeartbeatSecondsPath", ptr, true);
        return t;
    }

    static WaitSpec compile_wait(const OJ& def, const std::string& ptr) {
        WaitSpec w;
        w.seconds = opt_int(def, "Seconds", ptr, 0);
        if (auto ts = def.find("Timestamp"); ts != def.end()) {
            if (!ts->is_string()) fail(ptr + "/Timestamp", "expected an RFC 3339 timestamp string");
            w.timestamp = ts->get<std::string>();
        }
        w.seconds_path = opt_path(def, "SecondsPath", ptr, true);
        w.timestamp_path = opt_path(def, "TimestampPath", ptr, true);
        const int n = (w.seconds ? 1 : 0) + (w.timestamp ? 1 : 0) + (w.seconds_path ? 1 : 0) + (w.timestamp_path ? 1 : 0);
        if (n != 1)
            fail(ptr, "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath or TimestampPath");
        return w;
    }

    template <class Lookup>
    ChoiceSpec compile_choice(const OJ& def, const std::string& ptr, Lookup& lookup) {
        ChoiceSpec c;
        auto it = def.find("Choices");
        if (it == def.end() || !it->is_array() || it->empty()) fail(ptr + "/Choices", "expected a non-empty array");
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto rp = ptr + "/Choices/" + std::to_string(i);
            ChoiceRule rule = compile_rule((*it)[i], rp);
            rule.next = lookup(require_string((*it)[i], "Next", rp), rp + "/Next");
            rule.assign = opt_template((*it)[i], "Assign", rp);
            c.rules.push_back(std::move(rule));
        }
        if (auto d = def.find("Default"); d != def.end()) {
            if (!d->is_string()) fail(ptr + "/Default", "expected a state name");
            c.default_next = lookup(d->get<std::string>(), ptr + "/Default");
        }
        return c;
    }

    ChoiceRule compile_rule(const OJ& r, const std::string& ptr) {
        if (!r.is_object()) fail(ptr, "expected a choice rule object");
        ChoiceRule rule;
        rule.pointer = ptr;
        for (const char* op : {"And", "Or"}) {
            if (auto it = r.find(op); it != r.end()) {
                if (!it->is_array() || it->empty()) fail(ptr + "/" + op, "expected a non-empty array of rules");
                rule.kind = op[0] == 'A' ? ChoiceRule::Kind::And : ChoiceRule::Kind::Or;
                for (std::size_t i = 0; i < it->size(); ++i)
                    rule.children.push_back(compile_rule((*it)[i], ptr + "/" + op + "/" + std::to_string(i)));
                return rule;
            }
        }
        if (auto it = r.find("Not"); it != r.end()) {
            rule.kind = ChoiceRule::Kind::Not;
            rule.children.push_back(compile_rule(*it, ptr + "/Not"));
            return rule;
        }
        auto var = opt_path(r, "Variable", ptr, false);
        if (!var) fail(ptr, "a choice rule needs \"Variable\" (or And/Or/Not)");
        rule.variable = *var;
        for (const auto& [key, value] : r.items()) {
            if (key == "Variable" || key == "Next" || key == "Assign" || key == "Comment") continue;
            std::string_view op = key;
            const bool is_path = op.size() > 4 && op.substr(op.size() - 4) == "Path";
            if (is_path) op.remove_suffix(4);
            auto found = compare_ops().find(op);
            if (found == compare_ops().end()) fail(ptr + "/" + key, "unknown comparison operator '" + key + "'");
            rule.op = found->second;
            if (is_path) {
                if (is_type_test(rule.op)) fail(ptr + "/" + key, "unknown comparison operator '" + key + "'");
                rule.operand_path = opt_path(r, key.c_str(), ptr, false);
            } else {
                check_operand(rule.op, value, ptr + "/" + key);
                rule.operand = Value::from_json(value);
            }
            return rule;
        }
        fail(ptr, "a choice rule needs a comparison operator");
    }

    static void check_operand(CompareOp op, const OJ& v, const std::string& ptr) {
        if (op <= CompareOp::StringMatches || (op >= CompareOp::TimestampEquals && op <= CompareOp::TimestampGreaterThanEquals)) {
            if (!v.is_string()) fail(ptr, "expected a string operand, got " + v.dump());
        } else if (op <= CompareOp::NumericGreaterThanEquals) {
            if (!v.is_number()) fail(ptr, "expected a numeric operand, got " + v.dump());
        } else if (!v.is_boolean()) {
            fail(ptr, "expected a boolean operand, got " + v.dump());
        }
    }

    MapSpec compile_map_graph(const OJ& def, const std::string& ptr, bool jsonata) {
        MapSpec m;
        const char* key = def.contains("ItemProcessor") ? "ItemProcessor" : "Iterator";
        auto it = def.find(key);
        if (it == def.end() || !it->is_object()) fail(ptr + "/ItemProcessor", "a Map state needs an ItemProcessor");
        if (auto cfg = it->find("ProcessorConfig"); cfg != it->end() && cfg->is_object()) {
            m.distributed = cfg->value("Mode", "INLINE") == "DISTRIBUTED";
            m.express_children = cfg->value("ExecutionType", "STANDARD") == "EXPRESS";
        }
        m.processor = std::make_shared<Graph>(compile_graph(*it, ptr + "/" + key, jsonata));
        compile_distributed_fields(m, def, ptr, jsonata);
        if (!m.distributed) {
            // The validator says so first; an engine given the definition unvalidated refuses it too.
            for (const char* field : {"ItemReader", "ItemBatcher", "ResultWriter"})
                if (def.contains(field))
                    fail(ptr + "/" + field, std::string("'") + field + "' requires ProcessorConfig Mode DISTRIBUTED");
        }
        return m;
    }

    static void compile_map_fields(MapSpec& m, State& s, const OJ& def, const std::string& ptr) {
        m.items_path = opt_path(def, "ItemsPath", ptr, true);
        m.items = opt_template(def, "Items", ptr);
        s.parameters = def.contains("ItemSelector") ? opt_template(def, "ItemSelector", ptr)
                                                    : opt_template(def, "Parameters", ptr);
        if (auto v = opt_int(def, "MaxConcurrency", ptr, 0)) m.max_concurrency = *v;
        m.max_concurrency_path = opt_path(def, "MaxConcurrencyPath", ptr, true);
        if (auto b = def.find("ItemBatcher"); b != def.end()) {
            const auto bp = ptr + "/ItemBatcher";
            m.batching = true;
            m.max_items_per_batch = opt_int(*b, "MaxItemsPerBatch", bp, 1);
            m.max_items_per_batch_path = opt_path(*b, "MaxItemsPerBatchPath", bp, true);
            m.max_input_bytes_per_batch = opt_int(*b, "MaxInputBytesPerBatch", bp, 1);
            m.max_input_bytes_per_batch_path = opt_path(*b, "MaxInputBytesPerBatchPath", bp, true);
            m.batch_input = opt_template(*b, "BatchInput", bp);
        }
        if (auto v = opt_number(def, "ToleratedFailurePercentage", ptr)) {
            if (*v < 0 || *v > 100) fail(ptr + "/ToleratedFailurePercentage", "expected a number from 0 to 100");
            m.tolerated_failure_percentage = *v;
        }
        m.tolerated_failure_percentage_path = opt_path(def, "ToleratedFailurePercentagePath", ptr, true);
        m.tolerated_failure_count = opt_int(def, "ToleratedFailureCount", ptr, 0);
        m.tolerated_failure_count_path = opt_path(def, "ToleratedFailureCountPath", ptr, true);
        if (auto l = def.find("Label"); l != def.end() && l->is_string()) m.label = l->get<std::string>();
    }
};

}  // namespace

bool ErrorMatcher::matches(std::string_view error, ErrorOrigin origin) const {
    // States.ALL and States.TaskFailed are wildcards, but neither matches the terminal errors
    // States.DataLimitExceeded / States.Runtime (AWS docs, "Error names"; those match only when named). One
    // exception, recorded on AWS: a Task whose result exceeds the payload limit fails as the task itself
    // (TaskFailed / LambdaFunctionFailed), and a States.ALL catcher takes it.
    // A lapsed heartbeat fails the task as States.Timeout (recorded on AWS); States.HeartbeatTimeout, which
    // only Retry and Catch can name, matches it alone.
    for (const auto& n : names) {
        if (n == error || (origin == ErrorOrigin::Heartbeat && n == "States.HeartbeatTimeout")) return true;
    }
    if (error == "States.DataLimitExceeded") return all && origin == ErrorOrigin::TaskResult;
    if (error == "States.Runtime") return false;
    if (all) return true;
    if (task_failed && error != "States.Timeout" && error.rfind("States.", 0) != 0) return true;
    return false;
}

}  // namespace detail

bool error_equals_matches(const std::vector<std::string>& error_equals, std::string_view error) {
    detail::ErrorMatcher m;
    m.names = error_equals;
    for (const auto& name : error_equals) {
        m.all = m.all || name == "States.ALL";
        m.task_failed = m.task_failed || name == "States.TaskFailed";
    }
    return m.matches(error);
}

namespace detail {

EventType entered_event(StateType type) noexcept {
    switch (type) {
        case StateType::Pass: return EventType::PassStateEntered;
        case StateType::Task: return EventType::TaskStateEntered;
        case StateType::Choice: return EventType::ChoiceStateEntered;
        case StateType::Wait: return EventType::WaitStateEntered;
        case StateType::Succeed: return EventType::SucceedStateEntered;
        case StateType::Fail: return EventType::FailStateEntered;
        case StateType::Parallel: return EventType::ParallelStateEntered;
        case StateType::Map: return EventType::MapStateEntered;
    }
    return EventType::PassStateEntered;
}

EventType exited_event(StateType type) noexcept {
    switch (type) {
        case StateType::Pass: return EventType::PassStateExited;
        case StateType::Task: return EventType::TaskStateExited;
        case StateType::Choice: return EventType::ChoiceStateExited;
        case StateType::Wait: return EventType::WaitStateExited;
        case StateType::Succeed: return EventType::SucceedStateExited;
        case StateType::Fail: return EventType::FailStateEntered;
        case StateType::Parallel: return EventType::ParallelStateExited;
        case StateType::Map: return EventType::MapStateExited;
    }
    return EventType::PassStateExited;
}

}  // namespace detail

std::string_view CompiledMachine::start_at() const noexcept {
    return impl_->top.states[static_cast<std::size_t>(impl_->top.start)].name;
}
std::size_t CompiledMachine::state_count() const noexcept { return impl_->state_count; }
bool CompiledMachine::uses_jsonata() const noexcept { return impl_->uses_jsonata; }
std::int64_t CompiledMachine::timeout_seconds() const noexcept { return impl_->timeout_seconds; }

CompiledMachine compile(const nlohmann::ordered_json& definition) {
    detail::Compiler c;
    c.compile_top(definition);
    return CompiledMachine(std::make_shared<const detail::Machine>(std::move(c.machine)));
}

CompiledMachine compile(const nlohmann::json& definition) {
    return compile(nlohmann::ordered_json::parse(definition.dump()));
}

CompiledMachine compile(std::string_view asl_json) {
    nlohmann::ordered_json doc;
    // The compiler walks the document recursively; refuse hostile depth before it does.
    if (auto problem = text::json_nesting_problem(asl_json, Value::max_depth)) {
        throw CompileError("", "the definition is not valid JSON: " + *problem);
    }
    try {
        doc = nlohmann::ordered_json::parse(asl_json);
    } catch (const nlohmann::json::parse_error& e) {
        throw CompileError("", std::string("the definition is not valid JSON: ") + e.what());
    }
    return compile(doc);
}

}  // namespace sfn::engine
