// Evaluation of paths, steps, predicates and the other node types. The sequence rules (flattening,
// singleton collapse, keep-array) follow the reference implementation exactly: a path step maps over
// its input sequence and flattens one level, and a one-item result sequence collapses to its item.
#include <cmath>

#if defined(__linux__)
#include <pthread.h>
#endif

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_eval.hpp"
#include "jsonata/detail_regex.hpp"

namespace sfn::jsonata::detail {
namespace {

// An array index from a predicate's number: rounded down, and far out-of-range values (1e300) kept far
// out of range instead of converted to an integer that cannot hold them.
long array_index(double d) {
    constexpr double kFar = 1e15;  // beyond any array's length
    d = std::floor(d);
    if (!(d > -kFar)) return static_cast<long>(-kFar) * 2;  // stays negative after adding the length
    if (d > kFar) return static_cast<long>(kFar);
    return static_cast<long>(d);
}

Value single_sequence(Value v) {
    auto s = make_sequence();
    s->items.push_back(std::move(v));
    return Value::array(s);
}

// The reference's fn.lookup: field access mapped over arrays, flattening one level.
Value lookup_field(const Value& input, const std::string& key) {
    if (input.is_array()) {
        auto out = make_sequence();
        for (const auto& item : input.as_array().items) {
            Value r = lookup_field(item, key);
            if (r.undefined()) continue;
            if (r.is_array()) {
                for (const auto& x : r.as_array().items) out->items.push_back(x);
            } else {
                out->items.push_back(std::move(r));
            }
        }
        return Value::array(out);
    }
    if (input.is_object()) {
        const Value* v = input.as_object().find(key);
        return v ? *v : Value();
    }
    return Value();
}

void flatten_into(const Value& v, std::vector<Value>& out) {
    if (v.is_array()) {
        for (const auto& x : v.as_array().items) flatten_into(x, out);
    } else {
        out.push_back(v);
    }
}

Value eval_wildcard(const Value& in) {
    Value input = in;
    auto out = make_sequence();
    if (input.is_array() && input.as_array().outer_wrapper && !input.as_array().items.empty())
        input = input.as_array().items[0];
    if (input.is_array()) {
        // arrays are objects in the reference: their keys are the indexes
        for (const auto& v : input.as_array().items) {
            if (v.is_array()) {
                flatten_into(v, out->items);
                out->sequence = false;
            } else {
                out->items.push_back(v);
            }
        }
    } else if (input.is_object()) {
        for (const auto& [k, v] : input.as_object().entries) {
            if (v.is_array()) {
                // the reference appends (Array.concat), which yields a plain array, not a sequence
                flatten_into(v, out->items);
                out->sequence = false;
            } else {
                out->items.push_back(v);
            }
        }
    }
    return Value::array(out);
}

void recurse_descendants(const Value& input, std::vector<Value>& out) {
    if (!input.is_array()) out.push_back(input);
    if (input.is_array()) {
        for (const auto& m : input.as_array().items) recurse_descendants(m, out);
    } else if (input.is_object()) {
        for (const auto& [k, v] : input.as_object().entries) recurse_descendants(v, out);
    }
}

Value eval_descendants(const Value& input) {
    if (input.undefined()) return Value();
    auto seq = make_sequence();
    recurse_descendants(input, seq->items);
    if (seq->items.size() == 1) return seq->items[0];
    return Value::array(seq);
}

bool is_array_of_numbers(const Value& v) {
    if (!v.is_array()) return false;
    for (const auto& x : v.as_array().items)
        if (!x.is_number()) return false;
    return true;
}

}  // namespace

void Frame::bind(std::string_view name, Value v) {
    for (auto& [k, val] : vars) {
        if (k == name) {
            val = std::move(v);
            return;
        }
    }
    vars.emplace_back(std::string(name), std::move(v));
}

const Value* Frame::lookup(std::string_view name) const {
    for (const Frame* f = this; f; f = f->parent) {
        for (const auto& [k, v] : f->vars)
            if (k == name) return &v;
    }
    return nullptr;
}

Evaluator::Evaluator(const Environment& env, std::size_t max_depth, std::chrono::milliseconds time_limit)
    : env_(env), max_depth_(max_depth), time_limit_(time_limit), memory_limit_(env.memory_limit) {
    if (time_limit_.count() > 0) started_ = std::chrono::steady_clock::now();
    root_ = new_frame(nullptr);
    current_frame = root_;
    // Guard the native stack whatever thread we run on: keep 256 KiB of it in reserve. The thread's
    // stack bounds are looked up once per thread (for the main thread glibc reads /proc/self/maps).
    constexpr std::size_t kReserve = 256 * 1024;
    struct StackBounds {
        const char* low = nullptr;
        StackBounds() {
#if defined(__linux__)
            pthread_attr_t attr;
            if (pthread_getattr_np(pthread_self(), &attr) == 0) {
                void* base = nullptr;
                std::size_t size = 0;
                if (pthread_attr_getstack(&attr, &base, &size) == 0 && size > kReserve) low = static_cast<char*>(base);
                pthread_attr_destroy(&attr);
            }
#endif
        }
    };
    static thread_local const StackBounds bounds;
    char here = 0;
    std::size_t usable = 512 * 1024;
    if (bounds.low) {
        auto used = static_cast<std::size_t>(&here - bounds.low);
        usable = used > kReserve ? used - kReserve : 0;
    }
    const auto top = reinterpret_cast<std::uintptr_t>(&here);
    stack_floor_ = top > usable ? top - usable : 0;

}

Frame* Evaluator::new_frame(Frame* parent) {
    frames_.emplace_back();
    frames_.back().parent = parent;
    return &frames_.back();
}

Frame* Evaluator::frame_from_tuple(Frame* env, const Value& tuple) {
    Frame* f = new_frame(env);
    if (tuple.is_object())
        for (const auto& [k, v] : tuple.as_object().entries) f->vars.emplace_back(k, v);
    return f;
}

double Evaluator::now_millis() {
    // read once per evaluation: $now() and $millis() agree throughout one evaluation
    if (now_millis_ == 0)
        now_millis_ = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    return now_millis_;
}

void Evaluator::check_limits() {
    char probe = 0;
    if (depth_ > max_depth_ || reinterpret_cast<std::uintptr_t>(&probe) < stack_floor_) fail("U1001", position);
    if (time_limit_.count() > 0 && (++ticks_ & 0xFF) == 0) {
        if (std::chrono::steady_clock::now() - started_ > time_limit_) fail("U1001", position, {}, "timeout");
    }
}

void Evaluator::fail_memory(std::size_t pos) { fail("U1002", pos); }

void Evaluator::check_time(std::size_t pos) const {
    if (time_limit_.count() > 0 && std::chrono::steady_clock::now() - started_ > time_limit_)
        fail("U1001", pos, {}, "timeout");
}

void Evaluator::charge_range(std::size_t elements, std::size_t pos) {
    charge_array(elements, pos);
    range_elements_ += elements;
    if (memory_limit_ != 0 && range_elements_ > memory_limit_) fail_memory(pos);  // 8 x limit / 8 bytes
}

Value Evaluator::run(const Node& root, const Json* input) { return run(root, input ? from_json(*input) : Value()); }

Value Evaluator::run(const Node& root, const Value& input) {
    Value in = input;
    root_->bind("$", in);
    for (const auto& [name, value] : env_.bindings) root_->bind(name, from_json(value));
    for (const auto& [name, value] : env_.prepared_bindings) root_->bind(name, value.value());
    if (in.is_array() && !in.as_array().sequence) {
        auto wrapper = make_sequence();
        wrapper->items.push_back(in);
        wrapper->outer_wrapper = true;
        in = Value::array(wrapper);
    }
    Value result = eval(&root, in, root_);
    if (result.is_sequence() && !result.as_array().tuple_stream) {
        auto& a = result.as_array();
        if (a.items.empty()) return Value();
        if (a.items.size() == 1 && !a.keep_singleton) return a.items[0];
    }
    return result;
}

Value Evaluator::eval(const Node* n, const Value& input, Frame* env) {
    struct DepthGuard {
        std::size_t& d;
        explicit DepthGuard(std::size_t& depth) : d(depth) { ++d; }
        ~DepthGuard() { --d; }
    } guard(depth_);
    check_limits();
    Value result;
    switch (n->type) {
    case NodeType::Path: result = eval_path(n, input, env); break;
    case NodeType::Binary: result = eval_binary(n, input, env); break;
    case NodeType::And: {
        bool l = truthy(eval(n->lhs.get(), input, env));
        result = Value::boolean(l && truthy(eval(n->rhs.get(), input, env)));
        break;
    }
    case NodeType::Or: {
        bool l = truthy(eval(n->lhs.get(), input, env));
        result = Value::boolean(l || truthy(eval(n->rhs.get(), input, env)));
        break;
    }
    case NodeType::Negate: {
        Value v = eval(n->lhs.get(), input, env);
        if (v.undefined()) break;
        if (!v.is_number()) fail("D1002", n->position, "-", describe(v));
        result = Value::number(-v.as_number());
        break;
    }
    case NodeType::ArrayCtor: {
        auto arr = make_array();
        Value out = Value::array(arr);
        for (const auto& item : n->items) {
            Value v = eval(item.get(), input, env);
            if (v.undefined()) continue;
            if (item->type != NodeType::ArrayCtor && v.is_array()) {
                // charged before copying: `[$a, $a]` in a recursion doubles an array per call
                charge_array(arr->items.size() + v.as_array().items.size(), n->position);
                for (const auto& x : v.as_array().items) arr->items.push_back(x);
            } else {
                arr->items.push_back(std::move(v));
            }
        }
        if (n->cons_array) out.as_array().cons = true;
        result = out;
        break;
    }
    case NodeType::ObjectCtor: {
        GroupSpec g;
        g.pairs = n->pairs;
        g.position = n->position;
        result = eval_group(g, input, env);
        break;
    }
    case NodeType::Name: result = lookup_field(input, n->value); break;
    case NodeType::Literal: result = n->literal; break;
    case NodeType::Wildcard: result = eval_wildcard(input); break;
    case NodeType::Descendant: result = eval_descendants(input); break;
    case NodeType::Parent: {
        const Value* v = env->lookup(n->slot->label);
        if (v) result = *v;
        break;
    }
    case NodeType::Condition: {
        Value c = eval(n->lhs.get(), input, env);
        if (truthy(c)) result = eval(n->then_branch.get(), input, env);
        else if (n->else_branch) result = eval(n->else_branch.get(), input, env);
        break;
    }
    case NodeType::Elvis: {
        Value c = eval(n->lhs.get(), input, env);
        result = truthy(c) ? c : eval(n->rhs.get(), input, env);
        break;
    }
    case NodeType::Coalesce: {
        Value c = eval(n->lhs.get(), input, env);
        bool exists = c.defined() && !(c.is_sequence() && c.as_array().items.empty());
        result = exists ? c : eval(n->rhs.get(), input, env);
        break;
    }
    case NodeType::Block: {
        Frame* f = new_frame(env);
        for (const auto& e : n->items) result = eval(e.get(), input, f);
        break;
    }
    case NodeType::Bind: {
        result = eval(n->rhs.get(), input, env);
        env->bind(n->lhs->value, result);
        break;
    }
    case NodeType::RegexLit: {
        Function f;
        f.kind = Function::Kind::Regex;
        f.regex = n->regex;
        result = make_function(std::move(f));
        break;
    }
    case NodeType::Call: result = eval_call(n, input, env, nullptr); break;
    case NodeType::Variable: result = eval_lookup_variable(n, input, env); break;
    case NodeType::Lambda: {
        Function f;
        f.kind = Function::Kind::Lambda;
        f.node = n;
        f.env = env;
        f.input = input;
        f.signature = n->signature;
        result = make_function(std::move(f));
        break;
    }
    case NodeType::Partial: result = eval_partial(n, input, env); break;
    case NodeType::Apply: result = eval_apply(n, input, env); break;
    case NodeType::Transform: {
        Function f;
        f.kind = Function::Kind::Transform;
        f.node = n;
        f.env = env;
        result = make_function(std::move(f));
        break;
    }
    case NodeType::Sort: result = eval_sort(n, input, env); break;
    default: fail("S0206", n->position, n->value);
    }
    for (const auto& pred : n->predicates) result = eval_filter(pred.get(), result, env);
    if (n->type != NodeType::Path && n->group) result = eval_group(*n->group, result, env);
    if (result.is_sequence() && !result.as_array().tuple_stream) {
        auto& a = result.as_array();
        if (n->keep_array) a.keep_singleton = true;
        if (a.items.empty()) return Value();
        if (a.items.size() == 1 && !a.keep_singleton) return a.items[0];
    }
    return result;
}

Value Evaluator::eval_lookup_variable(const Node* n, const Value& input, Frame* env) {
    if (n->value.empty()) {
        if (input.is_array() && input.as_array().outer_wrapper) return input.as_array().items[0];
        return input;
    }
    if (const Value* v = env->lookup(n->value)) return *v;
    if (const Value* v = native_function(n->value)) return *v;
    if (const Builtin* b = find_builtin(n->value); b && !listed(&Environment::hidden_functions, n->value)) {
        Function f;
        f.kind = Function::Kind::Builtin;
        f.disabled = listed(&Environment::disabled_functions, n->value);
        f.builtin = b;
        f.signature = b->parsed;
        return make_function(std::move(f));
    }
    return Value();
}

bool Evaluator::listed(std::set<std::string, std::less<>> Environment::*names, std::string_view name) const {
    for (const Environment* e = &env_; e != nullptr; e = e->base)
        if ((e->*names).contains(name)) return true;
    return false;
}

const Value* Evaluator::native_function(std::string_view name) {
    for (const Environment* e = &env_; e != nullptr; e = e->base) {
        auto it = e->functions.find(name);
        if (it == e->functions.end()) continue;
        // Signatures are parsed once per thread, not once per evaluation.
        thread_local std::map<std::string, std::shared_ptr<const Signature>, std::less<>> parsed;
        Function f;
        f.kind = Function::Kind::External;
        f.external = &it->second;
        if (!it->second.signature.empty()) {
            auto sig = parsed.find(it->second.signature);
            if (sig == parsed.end())
                sig = parsed.emplace(it->second.signature, parse_signature(it->second.signature, 0)).first;
            f.signature = sig->second;
        }
        root_->bind(name, make_function(std::move(f)));  // later lookups find it in the root frame
        return root_->lookup(name);
    }
    return nullptr;
}

Value Evaluator::eval_path(const Node* n, const Value& input, Frame* env) {
    Value input_seq = (input.is_array() && n->items[0]->type != NodeType::Variable) ? input : single_sequence(input);
    Value result;
    Value tuples;
    bool tuple_mode = false;
    const std::size_t count = n->items.size();
    for (std::size_t i = 0; i < count; ++i) {
        const Node* step = n->items[i].get();
        if (step->tuple) tuple_mode = true;
        if (i == 0 && step->cons_array) {
            result = eval(step, input_seq, env);
        } else if (tuple_mode) {
            tuples = eval_tuple_step(step, input_seq, tuples, env);
        } else {
            result = eval_step(step, input_seq, env, i == count - 1);
        }
        if (!tuple_mode && (result.undefined() || (result.is_array() && result.as_array().items.empty()))) break;
        if (step->focus.empty()) input_seq = result;
    }
    if (tuple_mode) {
        if (n->tuple) {
            result = tuples;
        } else {
            auto seq = make_sequence();
            if (tuples.is_array())
                for (const auto& t : tuples.as_array().items) {
                    const Value* at = t.as_object().find("@");
                    seq->items.push_back(at ? *at : Value());
                }
            result = Value::array(seq);
        }
    }
    if (n->keep_singleton_array && result.defined()) {
        if (result.is_array() && result.as_array().cons && !result.as_array().sequence) result = single_sequence(result);
        // only sequences consult the flag; leaving other arrays alone keeps shared input untouched
        if (result.is_sequence()) result.as_array().keep_singleton = true;
    }
    if (n->group) result = eval_group(*n->group, tuple_mode ? tuples : result, env);
    return result;
}

Value Evaluator::eval_step(const Node* step, const Value& input_seq, Frame* env, bool last) {
    if (step->type == NodeType::Sort) {
        Value r = eval_sort(step, input_seq, env);
        if (!step->stages.empty()) r = eval_stages(step->stages, r, env);
        return r;
    }
    std::vector<Value> results;
    std::size_t held = 0;  // elements of the flattened result so far
    auto each = [&](const Value& item) {
        Value res = eval(step, item, env);
        for (const auto& stage : step->stages) res = eval_filter(stage.expr.get(), res, env);
        if (res.undefined()) return;
        held += res.is_array() ? res.as_array().items.size() : 1;
        charge_array(held, step->position);
        results.push_back(std::move(res));
    };
    if (input_seq.is_array()) {
        for (const auto& item : input_seq.as_array().items) each(item);
    } else {
        each(input_seq);
    }
    if (last && results.size() == 1 && results[0].is_array() && !results[0].as_array().sequence) return results[0];
    auto out = make_sequence();
    for (auto& res : results) {
        if (!res.is_array() || res.as_array().cons) {
            out->items.push_back(std::move(res));
        } else {
            for (const auto& x : res.as_array().items) out->items.push_back(x);
        }
    }
    return Value::array(out);
}

Value Evaluator::eval_stages(const std::vector<Stage>& stages, Value input, Frame* env) {
    for (const auto& stage : stages) {
        if (stage.is_index) {
            if (input.is_array()) {
                double i = 0;
                for (auto& t : input.as_array().items) t.as_object().set(stage.var, Value::number(i++));
            }
        } else {
            input = eval_filter(stage.expr.get(), input, env);
        }
    }
    return input;
}

Value Evaluator::eval_tuple_step(const Node* step, const Value& input_seq, const Value& tuples_in, Frame* env) {
    if (step->type == NodeType::Sort) {
        Value result;
        if (tuples_in.defined()) {
            result = eval_sort(step, tuples_in, env);
        } else {
            Value sorted = eval_sort(step, input_seq, env);
            auto seq = make_sequence();
            seq->tuple_stream = true;
            double i = 0;
            if (sorted.is_array())
                for (const auto& item : sorted.as_array().items) {
                    auto t = std::make_shared<Object>();
                    t->set("@", item);
                    t->set(step->index, Value::number(i++));
                    seq->items.push_back(Value::object(t));
                }
            result = Value::array(seq);
        }
        if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
        return result;
    }
    std::vector<Value> tuples;
    if (tuples_in.defined()) {
        tuples = tuples_in.as_array().items;
    } else {
        auto wrap = [&](const Value& item) {
            auto t = std::make_shared<Object>();
            t->set("@", item);
            tuples.push_back(Value::object(t));
        };
        if (input_seq.is_array()) {
            for (const auto& item : input_seq.as_array().items) wrap(item);
        } else {
            wrap(input_seq);
        }
    }
    auto out = make_sequence();
    out->tuple_stream = true;
    for (const auto& tuple : tuples) {
        Frame* step_env = frame_from_tuple(env, tuple);
        const Value* at = tuple.as_object().find("@");
        Value context = at ? *at : Value();
        Value res = eval(step, context, step_env);
        if (res.undefined()) continue;
        std::vector<Value> items;
        bool res_tuples = res.is_array() && res.as_array().tuple_stream;
        if (res.is_array()) items = res.as_array().items;
        else items.push_back(res);
        for (std::size_t b = 0; b < items.size(); ++b) {
            auto t = std::make_shared<Object>(tuple.as_object());
            if (res_tuples) {
                for (const auto& [k, v] : items[b].as_object().entries) t->set(k, v);
            } else {
                if (!step->focus.empty()) {
                    t->set(step->focus, items[b]);
                    t->set("@", context);
                } else {
                    t->set("@", items[b]);
                }
                if (!step->index.empty()) t->set(step->index, Value::number(static_cast<double>(b)));
                if (step->ancestor) t->set(step->ancestor->label, context);
            }
            out->items.push_back(Value::object(t));
        }
    }
    Value result = Value::array(out);
    if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
    return result;
}

Value Evaluator::eval_filter(const Node* pred, const Value& input, Frame* env) {
    auto results = make_sequence();
    Value out = Value::array(results);
    const bool tuple_stream = input.is_array() && input.as_array().tuple_stream;
    if (tuple_stream) results->tuple_stream = true;
    std::vector<Value> single;
    const std::vector<Value>* items = &single;
    if (input.is_array()) items = &input.as_array().items;
    else single.push_back(input);
    const auto n = static_cast<long>(items->size());
    if (pred->type == NodeType::Literal && pred->literal.is_number()) {
        auto index = array_index(pred->literal.as_number());
        if (index < 0) index += n;
        if (index >= 0 && index < n) {
            const Value& item = (*items)[static_cast<std::size_t>(index)];
            if (item.defined()) {
                if (item.is_array()) return item;
                results->items.push_back(item);
            }
        }
        return out;
    }
    for (long index = 0; index < n; ++index) {
        const Value& item = (*items)[static_cast<std::size_t>(index)];
        Value context = item;
        Frame* f = env;
        if (tuple_stream) {
            const Value* at = item.as_object().find("@");
            context = at ? *at : Value();
            f = frame_from_tuple(env, item);
        }
        Value res = eval(pred, context, f);
        if (res.is_number()) {
            auto ii = array_index(res.as_number());
            if (ii < 0) ii += n;
            if (ii == index) results->items.push_back(item);
        } else if (is_array_of_numbers(res) && !res.as_array().items.empty()) {
            for (const auto& r : res.as_array().items) {
                auto ii = array_index(r.as_number());
                if (ii < 0) ii += n;
                if (ii == index) results->items.push_back(item);
            }
        } else if (truthy(res)) {
            results->items.push_back(item);
        }
    }
    return out;
}

}  // namespace sfn::jsonata::detail
