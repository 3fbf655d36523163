// TestState's mocked-result check: which API output a Task resource returns, and a walk of the mocked
// JSON over that output shape (types of present members; required members in STRICT mode).
#include "server/detail_response_models.hpp"

#include <cctype>
#include <cmath>

namespace sfn::server::detail {
namespace {

const nlohmann::json& models() {
    static const nlohmann::json parsed = [] {
        std::string text;
        for (const char* const* part = response_models_json_parts; *part != nullptr; ++part) text += *part;
        return nlohmann::json::parse(text);
    }();
    return parsed;
}

std::string capitalized(std::string_view name) {
    std::string out(name);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

/// The model directory of a Step Functions service name (`aws-sdk:sfn:...`, `states:...`).
std::string model_service(std::string_view name) {
    if (name == "sfn" || name == "states") return "stepfunctions";
    if (name == "eventbridge") return "events";
    if (name == "bedrockruntime" || name == "bedrock") return "bedrock-runtime";
    if (name == "emr-containers" || name == "emr-serverless") return "";
    if (name == "elasticmapreduce") return "emr";
    return std::string(name);
}

struct Walk {
    const nlohmann::json& shapes;
    FieldValidation mode;

    static std::string join(const std::string& where, const std::string& name) {
        return where.empty() ? name : where + "." + name;
    }

    std::optional<std::string> check(const std::string& shape_name, const nlohmann::json& v,
                                     const std::string& where) const {
        const auto& shape = shapes.at(shape_name);
        const std::string type = shape.value("type", "structure");
        const auto wrong = [&](const char* what) {
            return std::optional<std::string>("Field '" + where + "' must be " + what);
        };
        if (type == "structure") {
            if (!v.is_object()) return wrong("an object");
            return members(shape, v, where);
        }
        if (type == "list") {
            if (!v.is_array()) return wrong("an array");
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (auto p = check(shape.at("member"), v[i], where + "[" + std::to_string(i) + "]")) return p;
            }
            return std::nullopt;
        }
        if (type == "map") {
            if (!v.is_object()) return wrong("an object");
            for (const auto& [key, value] : v.items()) {
                if (auto p = check(shape.at("value"), value, join(where, key))) return p;
            }
            return std::nullopt;
        }
        if (type == "string") return v.is_string() ? std::nullopt : wrong("a string");
        if (type == "boolean") return v.is_boolean() ? std::nullopt : wrong("a boolean");
        if (type == "integer" || type == "long") {
            const bool integral =
                v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
            return integral ? std::nullopt : wrong("an integer");
        }
        if (type == "float" || type == "double") return v.is_number() ? std::nullopt : wrong("a number");
        // Step Functions renders timestamps as text or epoch numbers; blobs (a Lambda Payload) as any JSON.
        if (type == "timestamp") return v.is_string() || v.is_number() ? std::nullopt : wrong("a timestamp");
        return std::nullopt;
    }

    std::optional<std::string> members(const nlohmann::json& shape, const nlohmann::json& v,
                                       const std::string& where) const {
        const auto member_shapes = shape.value("members", nlohmann::json::object());
        for (const auto& [name, member_shape] : member_shapes.items()) {
            const std::string key = capitalized(name);
            const nlohmann::json* value = nullptr;
            if (auto it = v.find(key); it != v.end())
                value = &*it;
            else if (auto raw = v.find(name); raw != v.end())
                value = &*raw;
            if (value == nullptr || value->is_null()) continue;
            if (auto p = check(member_shape.get<std::string>(), *value, join(where, key))) return p;
        }
        if (mode == FieldValidation::Strict) {
            for (const auto& name : shape.value("required", nlohmann::json::array())) {
                const std::string n = name.get<std::string>();
                if (!v.contains(capitalized(n)) && !v.contains(n))
                    return "Required field '" + join(where, capitalized(n)) + "' is missing";
            }
        }
        return std::nullopt;
    }
};

}  // namespace

std::optional<ModelOperation> response_operation(std::string_view resource) {
    constexpr std::string_view prefix = "arn:aws:states:::";
    if (resource.substr(0, prefix.size()) != prefix) return std::nullopt;
    std::string_view rest = resource.substr(prefix.size());
    // Callback and job-run patterns return what the worker sends or the job's description, not the call's output.
    if (rest.find(".sync") != std::string_view::npos || rest.find(".waitForTaskToken") != std::string_view::npos)
        return std::nullopt;
    if (rest.substr(0, 8) == "aws-sdk:") rest.remove_prefix(8);
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string service = model_service(rest.substr(0, colon));
    const std::string operation = capitalized(rest.substr(colon + 1));
    const auto& all = models();
    const auto it = all.find(service);
    if (it == all.end() || !(*it)["operations"].contains(operation)) return std::nullopt;
    return ModelOperation{service, operation};
}

std::optional<std::string> check_response(const ModelOperation& op, const nlohmann::json& result,
                                          FieldValidation mode) {
    if (mode == FieldValidation::None) return std::nullopt;
    const auto& model = models().at(op.service);
    const Walk walk{model.at("shapes"), mode};
    const std::string shape = model.at("operations").at(op.operation).get<std::string>();
    if (!result.is_object()) return "The mocked result must be a JSON object";
    return walk.members(model.at("shapes").at(shape), result, "");
}

}  // namespace sfn::server::detail
