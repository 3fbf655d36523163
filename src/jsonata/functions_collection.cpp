// Boolean, array, object and higher-order functions, plus $eval, $error and $assert.
#include <algorithm>
#include <functional>
#include <random>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"

namespace sfn::jsonata::detail {
namespace {

using Args = std::vector<Value>;

const std::vector<Value>& items_of(const Value& v) { return v.as_array().items; }

Value fn_boolean(Evaluator&, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    return Value::boolean(truthy(arg(a, 0)));
}

Value fn_not(Evaluator&, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    return Value::boolean(!truthy(arg(a, 0)));
}

Value fn_exists(Evaluator&, Args& a, const Value&) { return Value::boolean(arg(a, 0).defined()); }

Value fn_map(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    const Value& fn = function_arg(ev, a, 1);
    std::vector<Value> out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        Value r = ev.call(fn, hof_args(fn, items[i], Value::number(static_cast<double>(i)), a[0]));
        if (r.defined()) out.push_back(std::move(r));
    }
    return sequence_of(std::move(out));
}

Value fn_filter(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    const Value& fn = function_arg(ev, a, 1);
    std::vector<Value> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Value r = ev.call(fn, hof_args(fn, items[i], Value::number(static_cast<double>(i)), a[0]));
        if (truthy(r)) out.push_back(items[i]);
    }
    return sequence_of(std::move(out));
}

Value fn_single(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    bool found = false;
    Value result;
    for (std::size_t i = 0; i < items.size(); ++i) {
        bool pass = true;
        if (arg(a, 1).defined()) {
            const Value& fn = function_arg(ev, a, 1);
            pass = truthy(ev.call(fn, hof_args(fn, items[i], Value::number(static_cast<double>(i)), a[0])));
        }
        if (pass) {
            if (found) fail("D3138", ev.position, "single");
            found = true;
            result = items[i];
        }
    }
    if (!found) fail("D3139", ev.position, "single");
    return result;
}

Value fn_reduce(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    const Value& fn = function_arg(ev, a, 1);
    const int arity = fn.as_function().arity();
    if (arity < 2) fail("D3050", ev.position, "reduce");
    Value acc;
    std::size_t i = 0;
    if (arg(a, 2).undefined() && !items.empty()) {
        acc = items[0];
        i = 1;
    } else {
        acc = arg(a, 2);
    }
    for (; i < items.size(); ++i) {
        std::vector<Value> args{acc, items[i]};
        if (arity >= 3) args.push_back(Value::number(static_cast<double>(i)));
        if (arity >= 4) args.push_back(a[0]);
        acc = ev.call(fn, std::move(args));
    }
    return acc;
}

// $sift's signature makes the function optional (<o-f?:o>), but there is no sifting without one: a missing
// function is T0410 for argument 2 (the reference fails reading the arity of undefined, a JavaScript
// TypeError).
Value fn_sift(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const Object& obj = object_arg(ev, a, 0);
    const Value& fn = function_arg(ev, a, 1);
    auto out = std::make_shared<Object>();
    for (const auto& [k, v] : obj.entries)
        if (truthy(ev.call(fn, hof_args(fn, v, Value::string(k), a[0])))) out->set(k, v);
    if (out->size() == 0) return Value();
    return Value::object(out);
}

Value fn_each(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const Object& obj = object_arg(ev, a, 0);
    const Value& fn = function_arg(ev, a, 1);
    std::vector<Value> out;
    for (const auto& [k, v] : obj.entries) {
        Value r = ev.call(fn, hof_args(fn, v, Value::string(k), a[0]));
        if (r.defined()) out.push_back(std::move(r));
    }
    return sequence_of(std::move(out));
}

Value fn_keys(Evaluator&, Args& a, const Value&) {
    const Value& v = arg(a, 0);
    std::vector<Value> out;
    std::vector<std::string> seen;
    auto add = [&](const Value& o) {
        if (!o.is_object()) return;
        for (const auto& [k, x] : o.as_object().entries) {
            if (std::find(seen.begin(), seen.end(), k) != seen.end()) continue;
            seen.push_back(k);
            out.push_back(Value::string(k));
        }
    };
    if (v.is_array()) {
        for (const auto& x : items_of(v)) add(x);
    } else {
        add(v);
    }
    if (out.empty()) return Value();
    return sequence_of(std::move(out));
}

Value lookup_key(const Value& input, const std::string& key) {
    if (input.is_array()) {
        std::vector<Value> out;
        for (const auto& x : items_of(input)) {
            Value r = lookup_key(x, key);
            if (r.undefined()) continue;
            if (r.is_array()) out.insert(out.end(), items_of(r).begin(), items_of(r).end());
            else out.push_back(r);
        }
        return sequence_of(std::move(out));
    }
    if (input.is_object()) {
        const Value* v = input.as_object().find(key);
        return v ? *v : Value();
    }
    return Value();
}

Value fn_lookup(Evaluator& ev, Args& a, const Value&) {
    // An undefined key names no field: undefined (the reference looks up the key "undefined", a
    // JavaScript accident not copied).
    if (arg(a, 1).undefined()) return Value();
    Value r = lookup_key(arg(a, 0), string_arg(ev, a, 1));
    if (r.is_sequence()) {
        if (items_of(r).empty()) return Value();
        if (items_of(r).size() == 1) return items_of(r)[0];
    }
    return r;
}

Value fn_append(Evaluator& ev, Args& a, const Value&) {
    // charged before copying: $append($a, $a) in a recursion doubles an array per call
    auto size = [](const Value& v) { return v.is_array() ? v.as_array().items.size() : std::size_t{1}; };
    if (arg(a, 0).defined() && arg(a, 1).defined()) ev.charge_array(size(arg(a, 0)) + size(arg(a, 1)), ev.position);
    return append(arg(a, 0), arg(a, 1));
}

Value fn_spread(Evaluator&, Args& a, const Value&);
Value spread(const Value& v) {
    if (v.is_array()) {
        std::vector<Value> out;
        for (const auto& x : items_of(v)) {
            Value r = spread(x);
            if (r.is_array()) out.insert(out.end(), items_of(r).begin(), items_of(r).end());
            else out.push_back(r);
        }
        return sequence_of(std::move(out));
    }
    if (v.is_object()) {
        std::vector<Value> out;
        for (const auto& [k, x] : v.as_object().entries) {
            auto o = std::make_shared<Object>();
            o->set(k, x);
            out.push_back(Value::object(o));
        }
        return sequence_of(std::move(out));
    }
    return v;
}
Value fn_spread(Evaluator&, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    return spread(arg(a, 0));
}

Value fn_merge(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    auto out = std::make_shared<Object>();
    for (const auto& o : array_arg(ev, a, 0))
        for (const auto& [k, v] : o.as_object().entries) out->set(k, v);
    return Value::object(out);
}

Value fn_reverse(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    auto out = make_array();
    out->items.assign(items.rbegin(), items.rend());
    return Value::array(out);
}

Value fn_error(Evaluator& ev, Args& a, const Value&) {
    std::string msg = arg(a, 0).defined() ? string_arg(ev, a, 0) : "$error() function evaluated";
    fail("D3137", ev.position, "error", msg);
}

Value fn_assert(Evaluator& ev, Args& a, const Value&) {
    // an undefined condition is not true, so the assertion fails (D3141), as in the reference
    if (!(arg(a, 0).is_bool() && arg(a, 0).as_bool())) {
        std::string msg = arg(a, 1).defined() ? string_arg(ev, a, 1) : "$assert() statement failed";
        fail("D3141", ev.position, "assert", msg);
    }
    return Value();
}

Value fn_type(Evaluator&, Args& a, const Value&) {
    switch (arg(a, 0).type()) {
    case Type::Undefined: return Value();
    case Type::Null: return Value::string("null");
    case Type::Bool: return Value::string("boolean");
    case Type::Number: return Value::string("number");
    case Type::String: return Value::string("string");
    case Type::Array: return Value::string("array");
    case Type::Object: return Value::string("object");
    case Type::Function: return Value::string("function");
    }
    return Value();
}

Value fn_sort(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const auto& items = array_arg(ev, a, 0);
    if (items.size() <= 1) return a[0];
    std::vector<Value> v = items;
    if (arg(a, 1).undefined()) {
        bool all_num = std::all_of(v.begin(), v.end(), [](const Value& x) { return x.is_number(); });
        bool all_str = std::all_of(v.begin(), v.end(), [](const Value& x) { return x.is_string(); });
        if (!all_num && !all_str) fail("D3070", ev.position, "sort");
        std::stable_sort(v.begin(), v.end(), [&](const Value& x, const Value& y) {
            return all_num ? x.as_number() < y.as_number() : x.as_string() < y.as_string();
        });
    } else {
        // the comparator answers "should a come after b"; merge sort keeps equal items in order
        const Value& cmp = function_arg(ev, a, 1);
        std::vector<Value> tmp(v.size());
        std::function<void(std::size_t, std::size_t)> msort = [&](std::size_t lo, std::size_t hi) {
            if (hi - lo < 2) return;
            std::size_t mid = (lo + hi) / 2;
            msort(lo, mid);
            msort(mid, hi);
            std::size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (truthy(ev.call(cmp, {v[i], v[j]}))) tmp[k++] = v[j++];
                else tmp[k++] = v[i++];
            }
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
            for (std::size_t x = lo; x < hi; ++x) v[x] = tmp[x];
        };
        msort(0, v.size());
    }
    auto out = make_array();
    out->items = std::move(v);
    return Value::array(out);
}

Value fn_shuffle(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    auto out = make_array();
    out->items = array_arg(ev, a, 0);
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::shuffle(out->items.begin(), out->items.end(), rng);
    return Value::array(out);
}

Value fn_distinct(Evaluator&, Args& a, const Value&) {
    const Value& v = arg(a, 0);
    if (v.undefined()) return Value();
    if (!v.is_array() || items_of(v).size() <= 1) return v;
    auto out = make_array();
    out->sequence = v.as_array().sequence;
    for (const auto& x : items_of(v)) {
        bool dup = false;
        for (const auto& y : out->items)
            if (deep_equal(x, y)) {
                dup = true;
                break;
            }
        if (!dup) out->items.push_back(x);
    }
    return Value::array(out);
}

Value fn_zip(Evaluator&, Args& a, const Value&) {
    std::vector<Value> out;
    if (a.empty()) return sequence_of({});
    std::size_t n = static_cast<std::size_t>(-1);
    for (const auto& x : a) n = std::min(n, x.is_array() ? items_of(x).size() : (x.undefined() ? 0 : 1));
    for (std::size_t i = 0; i < n; ++i) {
        auto t = make_array();
        for (const auto& x : a) t->items.push_back(x.is_array() ? items_of(x)[i] : x);
        out.push_back(Value::array(t));
    }
    auto arr = make_array();
    arr->items = std::move(out);
    return Value::array(arr);
}

Value fn_clone(Evaluator&, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    return deep_clone(a[0]);
}

Value fn_eval(Evaluator& ev, Args& a, const Value& input) {
    if (arg(a, 0).undefined()) return Value();
    Value focus = input;
    if (arg(a, 1).defined()) {
        focus = a[1];
        if (focus.is_array() && !focus.as_array().sequence) {
            auto w = make_sequence();
            w->items.push_back(focus);
            w->outer_wrapper = true;
            focus = Value::array(w);
        }
    }
    NodePtr ast;
    try {
        ast = parse_expression(string_arg(ev, a, 0));
    } catch (const Error& e) {
        fail("D3120", ev.position, "eval", e.what());
    }
    ev.keep_alive(ast);
    try {
        return ev.eval(ast.get(), focus, ev.current_frame);
    } catch (const Error& e) {
        fail("D3121", ev.position, "eval", e.what());
    }
}

}  // namespace

void add_collection_functions(std::vector<Builtin>& t) {
    t.push_back({"boolean", "<x-:b>", 1, fn_boolean, nullptr});
    t.push_back({"not", "<x-:b>", 1, fn_not, nullptr});
    t.push_back({"exists", "<x:b>", 1, fn_exists, nullptr});
    t.push_back({"map", "<af>", 2, fn_map, nullptr});
    t.push_back({"filter", "<af>", 2, fn_filter, nullptr});
    t.push_back({"single", "<af?>", 2, fn_single, nullptr});
    t.push_back({"reduce", "<afj?:j>", 3, fn_reduce, nullptr});
    t.push_back({"sift", "<o-f?:o>", 2, fn_sift, nullptr});
    t.push_back({"each", "<o-f:a>", 2, fn_each, nullptr});
    t.push_back({"keys", "<x-:a<s>>", 1, fn_keys, nullptr});
    t.push_back({"lookup", "<x-s:x>", 2, fn_lookup, nullptr});
    t.push_back({"append", "<xx:a>", 2, fn_append, nullptr});
    t.push_back({"spread", "<x-:a<o>>", 1, fn_spread, nullptr});
    t.push_back({"merge", "<a<o>:o>", 1, fn_merge, nullptr});
    t.push_back({"reverse", "<a:a>", 1, fn_reverse, nullptr});
    t.push_back({"error", "<s?:x>", 1, fn_error, nullptr});
    t.push_back({"assert", "<bs?:x>", 2, fn_assert, nullptr});
    t.push_back({"type", "<x:s>", 1, fn_type, nullptr});
    t.push_back({"sort", "<af?:a>", 2, fn_sort, nullptr});
    t.push_back({"shuffle", "<a:a>", 1, fn_shuffle, nullptr});
    t.push_back({"distinct", "<x:x>", 1, fn_distinct, nullptr});
    t.push_back({"zip", "<a+>", 0, fn_zip, nullptr});
    t.push_back({"clone", "<(oa)-:o>", 1, fn_clone, nullptr});
    t.push_back({"eval", "<sx?:x>", 2, fn_eval, nullptr});
}

}  // namespace sfn::jsonata::detail
