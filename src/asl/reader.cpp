#include "asl/detail_reader.hpp"

#include <algorithm>
#include <cmath>

namespace sfn::asl::detail {

std::string escape_pointer_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

std::string child_pointer(const std::string& base, std::string_view token) {
    return base + "/" + escape_pointer_token(token);
}

std::string json_type_name(const model::Json& value) {
    switch (value.type()) {
        case model::Json::value_t::null: return "null";
        case model::Json::value_t::boolean: return "boolean";
        case model::Json::value_t::number_integer:
        case model::Json::value_t::number_unsigned: return "integer";
        case model::Json::value_t::number_float: return "number";
        case model::Json::value_t::string: return "string";
        case model::Json::value_t::array: return "array";
        case model::Json::value_t::object: return "object";
        default: return "value";
    }
}

ObjectReader::ObjectReader(const model::Json& object, std::string pointer, Sink& sink, std::string_view what)
    : pointer_(std::move(pointer)), sink_(sink) {
    if (object.is_object()) {
        object_ = &object;
    } else {
        sink_.add(pointer_, kWrongType, std::string(what) + " must be an object, got " + json_type_name(object));
    }
}

bool ObjectReader::has(std::string_view key) const {
    return object_ != nullptr && object_->find(std::string(key)) != object_->end();
}

const model::Json* ObjectReader::raw(std::string_view key) {
    if (object_ == nullptr) return nullptr;
    known_.emplace_back(key);
    auto it = object_->find(std::string(key));
    return it == object_->end() ? nullptr : &*it;
}

void ObjectReader::report(std::string_view key, const char* code, std::string message) {
    sink_.add(pointer_of(key), code, std::move(message));
}

namespace {
std::string expected(std::string_view what, const model::Json& got) {
    return "expected " + std::string(what) + ", got " + json_type_name(got);
}

// An integral JSON number (2 or 2.0) as int64; nullopt for fractions and out-of-range values.
std::optional<std::int64_t> as_integer(const model::Json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
        return std::nullopt;
    }
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
}
}  // namespace

std::optional<std::string> ObjectReader::string(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
        report(key, kWrongType, expected("a string", *v));
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::string ObjectReader::required_string(std::string_view key) {
    if (object_ != nullptr && !has(key)) {
        sink_.add(pointer_, kMissingField, "missing required field '" + std::string(key) + "'");
        known_.emplace_back(key);
        return {};
    }
    return string(key).value_or(std::string{});
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    auto i = as_integer(*v);
    if (!i) report(key, kWrongType, expected("an integer", *v));
    return i;
}

std::optional<double> ObjectReader::number(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) {
        report(key, kWrongType, expected("a number", *v));
        return std::nullopt;
    }
    return v->get<double>();
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) {
        report(key, kWrongType, expected("a boolean", *v));
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<model::Json> ObjectReader::json(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    return *v;
}

std::optional<model::Json> ObjectReader::object(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_object()) {
        report(key, kWrongType, expected("an object", *v));
        return std::nullopt;
    }
    return *v;
}

std::optional<model::Path> ObjectReader::path(std::string_view key) {
    auto s = string(key);
    if (!s) return std::nullopt;
    return model::Path{std::move(*s)};
}

std::optional<model::NullablePath> ObjectReader::nullable_path(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_null()) return model::NullablePath{nullptr};
    if (!v->is_string()) {
        report(key, kWrongType, expected("a path string or null", *v));
        return std::nullopt;
    }
    return model::NullablePath{model::Path{v->get<std::string>()}};
}

std::optional<model::IntegerOrExpression> ObjectReader::integer_or_expression(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return model::IntegerOrExpression{model::Expression{v->get<std::string>()}};
    if (auto i = as_integer(*v)) return model::IntegerOrExpression{*i};
    report(key, kWrongType, expected("an integer or a JSONata expression", *v));
    return std::nullopt;
}

std::optional<model::NumberOrExpression> ObjectReader::number_or_expression(std::string_view key) {
    const auto* v = raw(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return model::NumberOrExpression{model::Expression{v->get<std::string>()}};
    if (v->is_number()) return model::NumberOrExpression{v->get<double>()};
    report(key, kWrongType, expected("a number or a JSONata expression", *v));
    return std::nullopt;
}

std::optional<model::QueryLanguage> ObjectReader::query_language(std::string_view key) {
    auto s = string(key);
    if (!s) return std::nullopt;
    if (*s == "JSONPath") return model::QueryLanguage::JSONPath;
    if (*s == "JSONata") return model::QueryLanguage::JSONata;
    report(key, kBadEnum, "expected \"JSONPath\" or \"JSONata\", got \"" + *s + "\"");
    return std::nullopt;
}

std::vector<std::string> ObjectReader::string_array(std::string_view key) {
    std::vector<std::string> out;
    const auto* v = raw(key);
    if (v == nullptr) return out;
    if (!v->is_array()) {
        report(key, kWrongType, expected("an array of strings", *v));
        return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        if (item.is_string()) out.push_back(item.get<std::string>());
        else sink_.add(pointer_of(key) + "/" + std::to_string(i), kWrongType, expected("a string", item));
    }
    return out;
}

void ObjectReader::finish(std::string_view what) {
    if (object_ == nullptr) return;
    for (const auto& [key, value] : object_->items()) {
        if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
            sink_.add(pointer_of(key), kUnknownField, "unknown field '" + key + "' in " + std::string(what));
        }
    }
}

}  // namespace sfn::asl::detail
