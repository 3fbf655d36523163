// Operators, object construction/grouping and order-by.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_eval.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

const char* op_text(BinaryOp op) {
    switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
    case BinaryOp::Eq: return "=";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::Concat: return "&";
    case BinaryOp::Range: return "..";
    case BinaryOp::In: return "in";
    }
    return "?";
}

bool is_integer(double d) { return std::isfinite(d) && std::floor(d) == d; }

Value numeric(BinaryOp op, const Value& l, const Value& r, std::size_t pos) {
    if (l.is_number() && !std::isfinite(l.as_number())) fail("D1001", pos, op_text(op), js_number_to_string(l.as_number()));
    if (r.is_number() && !std::isfinite(r.as_number())) fail("D1001", pos, op_text(op), js_number_to_string(r.as_number()));
    if (l.defined() && !l.is_number()) fail("T2001", pos, op_text(op), describe(l));
    if (r.defined() && !r.is_number()) fail("T2002", pos, op_text(op), describe(r));
    if (l.undefined() || r.undefined()) return Value();
    double a = l.as_number(), b = r.as_number(), x = 0;
    switch (op) {
    case BinaryOp::Add: x = a + b; break;
    case BinaryOp::Sub: x = a - b; break;
    case BinaryOp::Mul: x = a * b; break;
    case BinaryOp::Div: x = a / b; break;
    case BinaryOp::Mod: x = std::fmod(a, b); break;
    default: break;
    }
    return Value::number(x);
}

Value compare(BinaryOp op, const Value& l, const Value& r, std::size_t pos) {
    auto comparable = [](const Value& v) { return v.undefined() || v.is_string() || v.is_number(); };
    if (!comparable(l) || !comparable(r)) fail("T2010", pos, op_text(op), describe(!comparable(l) ? l : r));
    if (l.undefined() || r.undefined()) return Value();
    if (l.type() != r.type()) fail("T2009", pos, op_text(op), describe(l) + " and " + describe(r));
    int c;
    if (l.is_number()) {
        c = l.as_number() < r.as_number() ? -1 : (l.as_number() > r.as_number() ? 1 : 0);
    } else {
        int k = l.as_string().compare(r.as_string());
        c = k < 0 ? -1 : (k > 0 ? 1 : 0);
    }
    switch (op) {
    case BinaryOp::Lt: return Value::boolean(c < 0);
    case BinaryOp::Le: return Value::boolean(c <= 0);
    case BinaryOp::Gt: return Value::boolean(c > 0);
    default: return Value::boolean(c >= 0);
    }
}

bool strict_equal(const Value& a, const Value& b) {
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case Type::Null: return true;
    case Type::Bool: return a.as_bool() == b.as_bool();
    case Type::Number: return a.as_number() == b.as_number();
    case Type::String: return a.as_string() == b.as_string();
    default: return a.identity() == b.identity();
    }
}

}  // namespace

Value Evaluator::eval_binary(const Node* n, const Value& input, Frame* env) {
    Value l = eval(n->lhs.get(), input, env);
    Value r = eval(n->rhs.get(), input, env);
    const BinaryOp op = n->op;
    switch (op) {
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod: return numeric(op, l, r, n->position);
    case BinaryOp::Eq:
    case BinaryOp::Ne: {
        if (l.undefined() || r.undefined()) return Value::boolean(false);
        bool eq = deep_equal(l, r);
        return Value::boolean(op == BinaryOp::Eq ? eq : !eq);
    }
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: return compare(op, l, r, n->position);
    case BinaryOp::Concat: {
        std::string s = l.undefined() ? std::string() : to_display_string(l);
        const std::string rs = r.undefined() ? std::string() : to_display_string(r);
        charge_string(s.size() + rs.size(), n->position);
        s += rs;
        return Value::string(std::move(s));
    }
    case BinaryOp::Range: {
        if (l.defined() && !(l.is_number() && is_integer(l.as_number()))) fail("T2003", n->position, "..", describe(l));
        if (r.defined() && !(r.is_number() && is_integer(r.as_number()))) fail("T2004", n->position, "..", describe(r));
        if (l.undefined() || r.undefined()) return Value();
        double a = l.as_number(), b = r.as_number();
        if (a > b) return Value();
        double size = b - a + 1;
        if (size > 1e7) fail("D2014", n->position, "..", js_number_to_string(size));
        charge_range(static_cast<std::size_t>(size), n->position);
        auto seq = make_sequence();
        seq->items.reserve(static_cast<std::size_t>(size));
        for (double x = a; x <= b; x += 1) {
            seq->items.push_back(Value::number(x));
            if (seq->items.size() % kLargeArray == 0) check_time(n->position);  // 1e7 items take seconds under ASan
        }
        return Value::array(seq);
    }
    case BinaryOp::In: {
        if (l.undefined() || r.undefined()) return Value::boolean(false);
        if (!r.is_array()) return Value::boolean(strict_equal(l, r));
        for (const auto& x : r.as_array().items)
            if (strict_equal(l, x)) return Value::boolean(true);
        return Value::boolean(false);
    }
    }
    return Value();
}

namespace {

// JavaScript orders integer-like keys first in an object; the reference's group results inherit that.
bool is_array_index(const std::string& k) {
    if (k.empty() || k.size() > 10) return false;
    if (k.size() > 1 && k[0] == '0') return false;
    for (char c : k)
        if (c < '0' || c > '9') return false;
    return std::stoull(k) < 4294967295ULL;
}

Value reduce_tuple_stream(const Value& stream) {
    if (!stream.is_array()) return stream;
    const auto& items = stream.as_array().items;
    auto result = std::make_shared<Object>(items[0].as_object());
    for (std::size_t i = 1; i < items.size(); ++i) {
        for (const auto& [k, v] : items[i].as_object().entries) {
            const Value* cur = result->find(k);
            result->set(k, append(cur ? *cur : Value(), v));
        }
    }
    return Value::object(result);
}

}  // namespace

Value Evaluator::eval_group(const GroupSpec& g, const Value& input_in, Frame* env) {
    const bool reduce = input_in.is_array() && input_in.as_array().tuple_stream;
    std::vector<Value> items;
    if (input_in.is_array()) items = input_in.as_array().items;
    else items.push_back(input_in);
    if (items.empty()) items.emplace_back();
    struct Entry {
        Value data;
        std::size_t expr_index;
    };
    std::vector<std::pair<std::string, Entry>> groups;
    std::unordered_map<std::string, std::size_t> where;
    for (const auto& item : items) {
        Frame* f = reduce ? frame_from_tuple(env, item) : env;
        Value context = item;
        if (reduce && item.is_object()) {
            const Value* at = item.as_object().find("@");
            context = at ? *at : Value();
        }
        for (std::size_t pi = 0; pi < g.pairs.size(); ++pi) {
            Value key = eval(g.pairs[pi].first.get(), context, f);
            if (key.undefined()) continue;
            if (!key.is_string()) fail("T1003", g.position, {}, describe(key));
            const std::string& k = key.as_string();
            auto it = where.find(k);
            if (it != where.end()) {
                auto& entry = groups[it->second].second;
                if (entry.expr_index != pi) fail("D1009", g.position, {}, k);
                entry.data = append(entry.data, item);
            } else {
                where.emplace(k, groups.size());
                groups.push_back({k, Entry{item, pi}});
            }
        }
    }
    std::stable_partition(groups.begin(), groups.end(), [](const auto& e) { return is_array_index(e.first); });
    std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
        bool ia = is_array_index(a.first), ib = is_array_index(b.first);
        if (ia && ib) return std::stoull(a.first) < std::stoull(b.first);
        return false;
    });
    auto result = std::make_shared<Object>();
    for (auto& [key, entry] : groups) {
        Value context = entry.data;
        Frame* f = env;
        if (reduce && (entry.data.is_object() || entry.data.is_array())) {
            Value tuple = reduce_tuple_stream(entry.data);
            const Value* at = tuple.as_object().find("@");
            context = at ? *at : Value();
            tuple.as_object().erase("@");
            f = frame_from_tuple(env, tuple);
        }
        Value v = eval(g.pairs[entry.expr_index].second.get(), context, f);
        if (v.defined()) result->set(key, std::move(v));
    }
    return Value::object(result);
}

Value Evaluator::eval_sort(const Node* n, const Value& input, Frame* env) {
    if (!input.is_array()) return input;
    const auto& items = input.as_array().items;
    const bool tuple_sort = input.as_array().tuple_stream;
    const std::size_t terms = n->terms.size();
    std::vector<Value> keys(items.size() * terms);
    for (std::size_t i = 0; i < items.size(); ++i) {
        Value context = items[i];
        Frame* f = env;
        if (tuple_sort) {
            const Value* at = items[i].as_object().find("@");
            context = at ? *at : Value();
            f = frame_from_tuple(env, items[i]);
        }
        for (std::size_t t = 0; t < terms; ++t) {
            Value k = eval(n->terms[t].expr.get(), context, f);
            if (k.defined() && !k.is_string() && !k.is_number()) fail("T2008", n->position, {}, describe(k));
            keys[i * terms + t] = std::move(k);
        }
    }
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        for (std::size_t t = 0; t < terms; ++t) {
            const Value& x = keys[a * terms + t];
            const Value& y = keys[b * terms + t];
            int c = 0;
            if (x.undefined()) c = y.undefined() ? 0 : 1;
            else if (y.undefined()) c = -1;
            else {
                if (x.type() != y.type()) fail("T2007", n->position, {}, describe(x) + " and " + describe(y));
                if (x.is_number()) c = x.as_number() < y.as_number() ? -1 : (x.as_number() > y.as_number() ? 1 : 0);
                else {
                    int k = x.as_string().compare(y.as_string());
                    c = k < 0 ? -1 : (k > 0 ? 1 : 0);
                }
                if (n->terms[t].descending) c = -c;
            }
            if (c != 0) return c < 0;
        }
        return false;
    });
    auto out = make_sequence();
    out->tuple_stream = tuple_sort;
    out->items.reserve(items.size());
    for (std::size_t i : order) out->items.push_back(items[i]);
    return Value::array(out);
}

}  // namespace sfn::jsonata::detail
