#include "server/detail_api_model.hpp"

#include "sfn/server/error.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::server::detail {
namespace {

// Values longer than this, and sensitive ones, are not echoed in messages (AWS omits them too).
constexpr std::size_t max_echo = 256;
// The 256 KiB quota of inputs and outputs (shape SensitiveData), counted in bytes.
constexpr long long payload_quota = 262144;

}  // namespace

std::optional<bool> satisfies_model_pattern(std::string_view pattern, std::string_view s) {
    const auto all = [&](auto allowed) { return std::all_of(s.begin(), s.end(), allowed); };
    if (pattern == "\\p{ASCII}*") return all([](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (pattern == "[!-~]+") return !s.empty() && all([](char c) { return c >= '!' && c <= '~'; });
    if (pattern == "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$") {
        const auto name_char = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        };
        return !s.empty() && all(name_char) && !all([](char c) { return c >= '0' && c <= '9'; });
    }
    return std::nullopt;
}

namespace {

struct Walk {
    const nlohmann::json& shapes;
    std::vector<std::string> problems;

    [[noreturn]] static void wrong_type(const std::string& where, std::string_view expected, const nlohmann::json& v) {
        throw ApiError("SerializationException",
                       "Expected " + std::string(expected) + " at '" + where + "', got " + std::string(v.type_name()));
    }

    void add(const std::string& where, const nlohmann::json& value, bool sensitive, const std::string& constraint) {
        std::string text = "Value ";
        if (value.is_string() && !sensitive && value.get_ref<const std::string&>().size() <= max_echo) {
            text += "'" + value.get<std::string>() + "' ";
        } else if (value.is_number()) {
            text += "'" + value.dump() + "' ";
        } else if (value.is_null()) {
            text += "null ";
        }
        problems.push_back(text + "at '" + where + "' failed to satisfy constraint: " + constraint);
    }

    static std::size_t utf8_length(const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80;
        return n;
    }

    void check(const std::string& where, const nlohmann::json& shape, const nlohmann::json& value) {
        const std::string& type = shape.at("type").get_ref<const std::string&>();
        const bool sensitive = shape.value("sensitive", false);
        if (type == "string") {
            if (!value.is_string()) wrong_type(where, "a string", value);
            const auto& s = value.get_ref<const std::string&>();
            // The 256 KiB payload quota counts bytes; other lengths count characters.
            const bool payload = shape.contains("max") && shape["max"].get<long long>() == payload_quota;
            const std::size_t length = payload ? s.size() : utf8_length(s);
            if (shape.contains("min") && length < shape["min"].get<std::size_t>()) {
                add(where, value, sensitive,
                    "Member must have length greater than or equal to " + shape["min"].dump());
            }
            // Payloads over the quota get the operation's own error (InvalidExecutionInput, InvalidOutput).
            if (!payload && shape.contains("max") && length > shape["max"].get<std::size_t>()) {
                add(where, value, sensitive, "Member must have length less than or equal to " + shape["max"].dump());
            }
            if (shape.contains("pattern") &&
                !satisfies_model_pattern(shape["pattern"].get_ref<const std::string&>(), s).value_or(true)) {
                add(where, value, sensitive,
                    "Member must satisfy regular expression pattern: " + shape["pattern"].get<std::string>());
            }
            if (shape.contains("enum")) {
                bool found = false;
                std::string set;
                for (const auto& e : shape["enum"]) {
                    found = found || e == value;
                    set += (set.empty() ? "" : ", ") + e.get<std::string>();
                }
                if (!found) add(where, value, sensitive, "Member must satisfy enum value set: [" + set + "]");
            }
        } else if (type == "integer" || type == "long") {
            if (!value.is_number_integer()) wrong_type(where, "an integer", value);
            if (shape.contains("min") && value.get<long long>() < shape["min"].get<long long>()) {
                add(where, value, false, "Member must have value greater than or equal to " + shape["min"].dump());
            }
            if (shape.contains("max") && value.get<long long>() > shape["max"].get<long long>()) {
                add(where, value, false, "Member must have value less than or equal to " + shape["max"].dump());
            }
        } else if (type == "float") {
            if (!value.is_number()) wrong_type(where, "a number", value);
        } else if (type == "boolean") {
            if (!value.is_boolean()) wrong_type(where, "a boolean", value);
        } else if (type == "timestamp") {
            if (!value.is_number()) wrong_type(where, "a timestamp (epoch seconds)", value);
        } else if (type == "list") {
            if (!value.is_array()) wrong_type(where, "a list", value);
            if (shape.contains("min") && value.size() < shape["min"].get<std::size_t>()) {
                add(where, value, false, "Member must have length greater than or equal to " + shape["min"].dump());
            }
            if (shape.contains("max") && value.size() > shape["max"].get<std::size_t>()) {
                add(where, value, false, "Member must have length less than or equal to " + shape["max"].dump());
            }
            const auto& member = shapes.at(shape.at("member").get<std::string>());
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (value[i].is_null()) continue;
                check(where + "." + std::to_string(i + 1) + ".member", member, value[i]);
            }
        } else if (type == "map") {
            if (!value.is_object()) wrong_type(where, "a map", value);
            const auto& element = shapes.at(shape.at("value").get<std::string>());
            for (const auto& [k, v] : value.items()) {
                if (!v.is_null()) check(where + "." + k, element, v);
            }
        } else if (type == "structure") {
            if (!value.is_object()) wrong_type(where, "a structure", value);
            structure(where.empty() ? "" : where + ".", shape, value);
        }
    }

    void structure(const std::string& prefix, const nlohmann::json& shape, const nlohmann::json& value) {
        if (shape.contains("required")) {
            for (const auto& r : shape["required"]) {
                const auto& name = r.get_ref<const std::string&>();
                auto it = value.find(name);
                if (it == value.end() || it->is_null()) add(prefix + name, nullptr, false, "Member must not be null");
            }
        }
        if (!shape.contains("members")) return;
        for (const auto& [name, member_shape] : shape["members"].items()) {
            auto it = value.find(name);
            if (it == value.end() || it->is_null()) continue;
            check(prefix + name, shapes.at(member_shape.get<std::string>()), *it);
        }
    }
};

}  // namespace

ApiModel::ApiModel() {
    std::string text;
    for (const char* const* part = api_model_json_parts; *part != nullptr; ++part) text += *part;
    model_ = nlohmann::json::parse(text);
}

const ApiModel& ApiModel::instance() {
    static const ApiModel model;
    return model;
}

bool ApiModel::has_operation(std::string_view operation) const {
    return model_["operations"].contains(std::string(operation));
}

void ApiModel::validate(std::string_view operation, const nlohmann::json& request) const {
    const auto& op = model_["operations"].at(std::string(operation));
    if (!request.is_object()) {
        throw ApiError("SerializationException", "The request body must be a JSON object");
    }
    if (op["input"].is_null()) return;
    const auto& shapes = model_["shapes"];
    Walk walk{shapes, {}};
    walk.structure("", shapes.at(op["input"].get<std::string>()), request);
    if (walk.problems.empty()) return;
    std::string message = std::to_string(walk.problems.size()) + " validation error" +
                          (walk.problems.size() == 1 ? "" : "s") + " detected: ";
    for (std::size_t i = 0; i < walk.problems.size(); ++i) message += (i ? "; " : "") + walk.problems[i];
    throw ApiError("ValidationException", message);
}

}  // namespace sfn::server::detail
