// Value helpers: object storage, JSON conversion and the comparison/truthiness rules of the language.
#include <cmath>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_eval.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {

namespace {
constexpr std::size_t kIndexThreshold = 12;

const char* type_name(Type t) {
    switch (t) {
    case Type::Undefined: return "undefined";
    case Type::Null: return "null";
    case Type::Bool: return "a boolean";
    case Type::Number: return "a number";
    case Type::String: return "a string";
    case Type::Array: return "an array";
    case Type::Object: return "an object";
    case Type::Function: return "a function";
    }
    return "a value";
}
}  // namespace

void Value::wrong_type(Type expected, Type actual) {
    // Only a missed type test in the evaluator or a function gets here; the position is not known at
    // this depth, so the error names the types instead.
    fail("T1000", 0, {}, std::string(type_name(expected)) + ", got " + type_name(actual));
}

const Value* Object::find(std::string_view key) const {
    if (!index_.empty()) {
        auto it = index_.find(std::string(key));
        return it == index_.end() ? nullptr : &entries[it->second].second;
    }
    for (const auto& [k, v] : entries)
        if (k == key) return &v;
    return nullptr;
}

void Object::set(std::string key, Value value) {
    if (!index_.empty()) {
        auto it = index_.find(key);
        if (it != index_.end()) {
            entries[it->second].second = std::move(value);
            return;
        }
        index_.emplace(key, static_cast<std::uint32_t>(entries.size()));
        entries.emplace_back(std::move(key), std::move(value));
        return;
    }
    for (auto& [k, v] : entries) {
        if (k == key) {
            v = std::move(value);
            return;
        }
    }
    entries.emplace_back(std::move(key), std::move(value));
    if (entries.size() > kIndexThreshold) reindex();
}

void Object::erase(std::string_view key) {
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->first == key) {
            entries.erase(it);
            if (!index_.empty()) reindex();
            return;
        }
    }
}

void Object::reindex() {
    index_.clear();
    for (std::uint32_t i = 0; i < entries.size(); ++i) index_.emplace(entries[i].first, i);
}

Value from_json(const Json& j) {
    switch (j.type()) {
    case Json::value_t::null: return Value::null();
    case Json::value_t::boolean: return Value::boolean(j.get<bool>());
    case Json::value_t::number_integer: return Value::number(static_cast<double>(j.get<std::int64_t>()));
    case Json::value_t::number_unsigned: return Value::number(static_cast<double>(j.get<std::uint64_t>()));
    case Json::value_t::number_float: return Value::number(j.get<double>());
    case Json::value_t::string: return Value::string(j.get<std::string>());
    case Json::value_t::array: {
        auto a = make_array();
        a->items.reserve(j.size());
        for (const auto& x : j) a->items.push_back(from_json(x));
        return Value::array(a);
    }
    case Json::value_t::object: {
        auto o = std::make_shared<Object>();
        for (auto it = j.begin(); it != j.end(); ++it) o->set(it.key(), from_json(it.value()));
        return Value::object(o);
    }
    default: return Value();
    }
}

Value from_value(const sfn::Value& v) {
    switch (v.kind()) {
    case sfn::Kind::null: return Value::null();
    case sfn::Kind::boolean: return Value::boolean(v.as_bool());
    case sfn::Kind::integer: return Value::number(static_cast<double>(v.as_int()));
    case sfn::Kind::real: return Value::number(v.as_double());
    case sfn::Kind::string: return Value::string(v.as_string());
    case sfn::Kind::array: {
        auto a = make_array();
        a->items.reserve(v.size());
        for (const auto& x : v.elements()) a->items.push_back(from_value(x));
        return Value::array(a);
    }
    case sfn::Kind::object: {
        auto o = std::make_shared<Object>();
        for (const auto& [k, x] : v.members()) o->set(k, from_value(x));
        return Value::object(o);
    }
    }
    return Value();
}

std::optional<Json> to_json(const Value& v) {
    switch (v.type()) {
    case Type::Undefined: return std::nullopt;
    case Type::Null: return Json(nullptr);
    case Type::Bool: return Json(v.as_bool());
    case Type::Number: {
        double d = v.as_number();
        if (std::floor(d) == d && std::fabs(d) < 9.007199254740992e15) return Json(static_cast<std::int64_t>(d));
        return Json(d);
    }
    case Type::String: return Json(v.as_string());
    case Type::Array: {
        Json a = Json::array();
        for (const auto& x : v.as_array().items) {
            auto j = to_json(x);
            if (j) a.push_back(std::move(*j));
        }
        return a;
    }
    case Type::Object: {
        Json o = Json::object();
        for (const auto& [k, x] : v.as_object().entries) {
            auto j = to_json(x);
            if (j) o[k] = std::move(*j);
        }
        return o;
    }
    case Type::Function: return Json("");
    }
    return std::nullopt;
}

bool truthy(const Value& v) {
    switch (v.type()) {
    case Type::Undefined:
    case Type::Null: return false;
    case Type::Bool: return v.as_bool();
    case Type::Number: return v.as_number() != 0;
    case Type::String: return !v.as_string().empty();
    case Type::Array: {
        const auto& items = v.as_array().items;
        if (items.size() == 1) return truthy(items[0]);
        for (const auto& x : items)
            if (truthy(x)) return true;
        return false;
    }
    case Type::Object: return v.as_object().size() > 0;
    case Type::Function: return false;
    }
    return false;
}

bool deep_equal(const Value& a, const Value& b) {
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case Type::Undefined:
    case Type::Null: return true;
    case Type::Bool: return a.as_bool() == b.as_bool();
    case Type::Number: return a.as_number() == b.as_number();
    case Type::String: return a.as_string() == b.as_string();
    case Type::Array: {
        const auto& x = a.as_array().items;
        const auto& y = b.as_array().items;
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!deep_equal(x[i], y[i])) return false;
        return true;
    }
    case Type::Object: {
        const auto& x = a.as_object();
        const auto& y = b.as_object();
        if (x.size() != y.size()) return false;
        for (const auto& [k, v] : x.entries) {
            const Value* o = y.find(k);
            if (!o || !deep_equal(v, *o)) return false;
        }
        return true;
    }
    case Type::Function: return a.identity() == b.identity();
    }
    return false;
}

Value append(const Value& a, const Value& b) {
    if (a.undefined()) return b;
    if (b.undefined()) return a;
    auto out = make_array();
    if (a.is_array()) out->items = a.as_array().items;
    else out->items.push_back(a);
    if (b.is_array()) out->items.insert(out->items.end(), b.as_array().items.begin(), b.as_array().items.end());
    else out->items.push_back(b);
    return Value::array(out);
}

Value deep_clone(const Value& v) {
    if (v.is_array()) {
        auto a = std::make_shared<Array>(v.as_array());
        for (auto& x : a->items) x = deep_clone(x);
        return Value::array(a);
    }
    if (v.is_object()) {
        auto o = std::make_shared<Object>();
        for (const auto& [k, x] : v.as_object().entries) o->set(k, deep_clone(x));
        return Value::object(o);
    }
    return v;
}

namespace {

void quote(std::string& out, const std::string& s) { sfn::text::append_json_string(out, s); }

void stringify_into(std::string& out, const Value& v, bool pretty, int indent) {
    auto newline = [&](int level) {
        if (!pretty) return;
        out += '\n';
        out.append(static_cast<std::size_t>(level) * 2, ' ');
    };
    switch (v.type()) {
    case Type::Undefined:
    case Type::Null: out += "null"; break;
    case Type::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Type::Number: {
        double d = v.as_number();
        // JSONata's $string replacer: numbers pass through toPrecision(15)
        if (!std::isfinite(d)) fail("D1001", 0, {}, js_number_to_string(d));
        else if (std::floor(d) == d && std::fabs(d) < 9.007199254740992e15) out += js_number_to_string(d);
        else out += jsonata_number_to_string(d);
        break;
    }
    case Type::String: quote(out, v.as_string()); break;
    case Type::Function: out += "\"\""; break;
    case Type::Array: {
        const auto& items = v.as_array().items;
        out += '[';
        bool first = true;
        for (const auto& x : items) {
            if (!first) out += ',';
            first = false;
            newline(indent + 1);
            if (x.undefined()) out += "null";
            else stringify_into(out, x, pretty, indent + 1);
        }
        if (!items.empty()) newline(indent);
        out += ']';
        break;
    }
    case Type::Object: {
        out += '{';
        bool first = true;
        for (const auto& [k, x] : v.as_object().entries) {
            if (x.undefined()) continue;
            if (!first) out += ',';
            first = false;
            newline(indent + 1);
            quote(out, k);
            out += pretty ? ": " : ":";
            stringify_into(out, x, pretty, indent + 1);
        }
        if (!first) newline(indent);
        out += '}';
        break;
    }
    }
}

}  // namespace

std::string stringify(const Value& v, bool pretty) {
    std::string out;
    stringify_into(out, v, pretty, 0);
    return out;
}

std::string to_display_string(const Value& v) {
    if (v.is_string()) return v.as_string();
    if (v.is_function()) return "";
    if (v.is_number() && !std::isfinite(v.as_number())) fail("D3001", 0, {}, js_number_to_string(v.as_number()));
    return stringify(v, false);
}

}  // namespace sfn::jsonata::detail
