// Function invocation: lambdas (with the tail-call trampoline), built-ins, partial application,
// function chaining (`~>`), regex matchers, transforms and caller-supplied functions.
#include "jsonata/detail_error.hpp"
#include "jsonata/detail_eval.hpp"
#include "jsonata/detail_regex.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {

Value make_function(Function f) { return Value::function(std::make_shared<Function>(std::move(f))); }

int Function::arity() const {
    switch (kind) {
    case Kind::Lambda: return static_cast<int>(node->params.size());
    case Kind::Builtin: return builtin->arity;
    case Kind::Partial: {
        int n = 0;
        for (const auto& b : bound) n += b.first ? 1 : 0;
        return n;
    }
    case Kind::External: return signature ? static_cast<int>(signature->params.size()) : 1;
    default: return 1;
    }
}

namespace {

const std::string& procedure_name(const Node* proc) {
    if (proc->type == NodeType::Path && !proc->items.empty()) return proc->items[0]->value;
    return proc->value;
}

// Builds the reference's match object {match, index, groups, next} for a regex used as a function.
Value match_object(Evaluator& ev, const std::shared_ptr<const Regex>& re, const std::string& subject, std::size_t from);

}  // namespace

Value Evaluator::eval_call(const Node* n, const Value& input, Frame* env, const Value* applyto) {
    Value proc = eval(n->procedure.get(), input, env);
    if (proc.undefined() && n->procedure->type == NodeType::Path && !n->procedure->items.empty() &&
        n->procedure->items[0]->type == NodeType::Name &&
        (env->lookup(n->procedure->items[0]->value) || find_builtin(n->procedure->items[0]->value)))
        fail("T1005", n->position, n->procedure->items[0]->value);
    std::vector<Value> args;
    args.reserve(n->items.size() + 1);
    if (applyto) args.push_back(*applyto);
    for (const auto& a : n->items) args.push_back(eval(a.get(), input, env));
    const std::string& name = procedure_name(n->procedure.get());
    if (!proc.is_function()) fail("T1006", n->position, name);
    std::size_t saved = position;
    position = n->position;
    std::string saved_name = std::move(current_name);
    current_name = name;
    Value r = apply(proc, std::move(args), input, env, n);
    current_name = std::move(saved_name);
    position = saved;
    return r;
}

Value Evaluator::eval_partial(const Node* n, const Value& input, Frame* env) {
    Function f;
    f.kind = Function::Kind::Partial;
    for (const auto& a : n->items) {
        if (a->type == NodeType::Placeholder) f.bound.emplace_back(true, Value());
        else f.bound.emplace_back(false, eval(a.get(), input, env));
    }
    Value proc = eval(n->procedure.get(), input, env);
    if (proc.undefined() && n->procedure->type == NodeType::Path && !n->procedure->items.empty() &&
        (env->lookup(n->procedure->items[0]->value) || find_builtin(n->procedure->items[0]->value)))
        fail("T1007", n->position, n->procedure->items[0]->value);
    if (!proc.is_function()) fail("T1008", n->position, procedure_name(n->procedure.get()));
    f.target = proc;
    return make_function(std::move(f));
}

Value Evaluator::eval_apply(const Node* n, const Value& input, Frame* env) {
    Value lhs = eval(n->lhs.get(), input, env);
    if (n->rhs->type == NodeType::Call) return eval_call(n->rhs.get(), input, env, &lhs);
    Value fn = eval(n->rhs.get(), input, env);
    if (!fn.is_function()) fail("T2006", n->position, "~>", describe(fn));
    if (lhs.is_function()) {
        Function chain;
        chain.kind = Function::Kind::Chain;
        chain.target = lhs;
        chain.second = fn;
        return make_function(std::move(chain));
    }
    std::size_t saved = position;
    position = n->position;
    Value r = apply(fn, {lhs}, Value(), env, n);
    position = saved;
    return r;
}

Value Evaluator::apply(const Value& fn, std::vector<Value> args, const Value& input, Frame* env, const Node* site) {
    (void)site;
    Value result = apply_inner(fn, args, input, env);
    while (result.is_function() && result.as_function().kind == Function::Kind::Lambda &&
           result.as_function().node->thunk) {
        // trampoline: a tail call was returned unevaluated, run it here instead of recursing
        check_limits();
        const Function& thunk = result.as_function();
        const Node* call = thunk.node->body.get();
        Value thunk_input = thunk.input;
        Frame* thunk_env = thunk.env;
        Value next = eval(call->procedure.get(), thunk_input, thunk_env);
        std::vector<Value> next_args;
        next_args.reserve(call->items.size());
        for (const auto& a : call->items) next_args.push_back(eval(a.get(), thunk_input, thunk_env));
        if (!next.is_function()) fail("T1006", call->position, procedure_name(call->procedure.get()));
        result = apply_inner(next, next_args, input, env);
    }
    return result;
}

Value Evaluator::apply_inner(const Value& fn, std::vector<Value>& args, const Value& input, Frame* env) {
    if (!fn.is_function()) fail("T1006", position);
    const Function& f = fn.as_function();
    if (f.disabled) fail("D3201", position, f.builtin->name);
    if (f.signature) f.signature->validate(args, input, position, current_name);
    switch (f.kind) {
    case Function::Kind::Lambda: {
        Frame* frame = new_frame(f.env);
        const auto& params = f.node->params;
        for (std::size_t i = 0; i < params.size(); ++i) frame->vars.emplace_back(params[i], i < args.size() ? args[i] : Value());
        return eval(f.node->body.get(), f.input, frame);
    }
    case Function::Kind::Builtin: {
        Value saved_input = std::move(current_input);
        Frame* saved_frame = current_frame;
        const Builtin* saved_builtin = current_builtin;
        current_input = input;
        current_frame = env;
        current_builtin = f.builtin;
        Value r = f.builtin->impl(*this, args, input);
        current_input = std::move(saved_input);
        current_frame = saved_frame;
        current_builtin = saved_builtin;
        return r;
    }
    case Function::Kind::Partial: {
        std::vector<Value> full;
        std::size_t next = 0;
        for (const auto& [hole, v] : f.bound) {
            if (hole) full.push_back(next < args.size() ? args[next++] : Value());
            else full.push_back(v);
        }
        return apply(f.target, std::move(full), input, env, nullptr);
    }
    case Function::Kind::Chain: {
        Value mid = apply(f.target, args, input, env, nullptr);
        return apply(f.second, {mid}, input, env, nullptr);
    }
    case Function::Kind::Regex: {
        if (args.empty() || args[0].undefined()) return Value();
        if (!args[0].is_string()) fail("T0410", position, current_name, "1");
        return match_object(*this, f.regex, args[0].as_string(), 0);
    }
    case Function::Kind::Matcher: return match_object(*this, f.regex, f.subject, f.offset);
    case Function::Kind::Transform: return eval_transform_apply(f, args.empty() ? Value() : args[0]);
    case Function::Kind::External: {
        std::vector<std::optional<Json>> jargs;
        jargs.reserve(args.size());
        for (const auto& a : args) jargs.push_back(to_json(a));
        std::optional<Json> r = f.external->implementation(jargs);
        return r ? from_json(*r) : Value();
    }
    }
    return Value();
}

Value Evaluator::eval_transform_apply(const Function& f, const Value& obj) {
    if (obj.undefined()) return Value();
    if (!obj.is_object() && !obj.is_array()) fail("T0410", position, "transform", "1");
    const Node* n = f.node;
    Value result = deep_clone(obj);
    Value matches = eval(n->pattern.get(), result, f.env);
    if (matches.undefined()) return result;
    std::vector<Value> list;
    if (matches.is_array()) list = matches.as_array().items;
    else list.push_back(matches);
    for (const auto& match : list) {
        Value update = eval(n->update.get(), match, f.env);
        if (update.defined()) {
            if (!update.is_object()) fail("T2011", n->update->position, {}, describe(update));
            if (match.is_object())
                for (const auto& [k, v] : update.as_object().entries) match.as_object().set(k, v);
        }
        if (n->remove) {
            Value deletions = eval(n->remove.get(), match, f.env);
            if (deletions.undefined()) continue;
            std::vector<Value> keys;
            if (deletions.is_array()) keys = deletions.as_array().items;
            else keys.push_back(deletions);
            for (const auto& k : keys)
                if (!k.is_string()) fail("T2012", n->remove->position, {}, describe(deletions));
            if (match.is_object())
                for (const auto& k : keys) match.as_object().erase(k.as_string());
        }
    }
    return result;
}

namespace {

std::size_t char_index(const std::string& s, std::size_t byte_offset) {
    return utf8_length(std::string_view(s).substr(0, byte_offset));
}

Value match_object(Evaluator& ev, const std::shared_ptr<const Regex>& re, const std::string& subject, std::size_t from) {
    (void)ev;
    if (from > subject.size()) return Value();
    auto m = re->exec(subject, from);
    if (!m) return Value();
    auto obj = std::make_shared<Object>();
    obj->set("match", Value::string(subject.substr(m->start, m->end - m->start)));
    obj->set("start", Value::number(static_cast<double>(char_index(subject, m->start))));
    obj->set("end", Value::number(static_cast<double>(char_index(subject, m->end))));
    auto groups = make_array();
    for (const auto& g : m->groups) groups->items.push_back(Value::string(g.value_or("")));
    obj->set("groups", Value::array(groups));
    Function next;
    next.kind = Function::Kind::Matcher;
    next.regex = re;
    next.subject = subject;
    next.offset = m->end > m->start ? m->end : m->end + 1;
    obj->set("next", make_function(std::move(next)));
    return Value::object(obj);
}

}  // namespace

}  // namespace sfn::jsonata::detail
