// Member names and value forms between Step Functions parameters/results and botocore shapes.
#include "integrations/detail_shapes.hpp"

#include <cctype>
#include <string>

namespace sfn::integrations::detail {
namespace {

std::string capitalised(std::string_view name) {
    std::string out(name);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

const nlohmann::json* shape_of(const aws::ServiceModel& model, const nlohmann::json& ref) {
    const auto it = ref.find("shape");
    if (it == ref.end() || !it->is_string() || !model.has_shape(it->get<std::string>())) return nullptr;
    return &model.shape(it->get<std::string>());
}

nlohmann::json to_input(const aws::ServiceModel& model, const nlohmann::json* shape, nlohmann::json value,
                        Coercion coercion, int depth) {
    if (!shape || depth > 64) return value;
    const std::string type = shape->value("type", "");
    if (type == "structure" && value.is_object() && !shape->value("document", false)) {
        const auto& members = (*shape)["members"];
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, v] : value.items()) {
            std::string name = key;
            const nlohmann::json* member = nullptr;
            for (const auto& [m, ref] : members.items()) {
                if (m == key || capitalised(m) == key) {
                    name = m;
                    member = &ref;
                    break;
                }
            }
            // An optimised integration sends no member for a null (SQS then misses a MessageBody, as on AWS).
            if (member && v.is_null() && coercion == Coercion::StringifyJson) continue;
            out[name] =
                member ? to_input(model, shape_of(model, *member), std::move(v), coercion, depth + 1) : std::move(v);
        }
        return out;
    }
    if (type == "list" && value.is_array() && shape->contains("member")) {
        const auto* element = shape_of(model, (*shape)["member"]);
        for (auto& v : value) v = to_input(model, element, std::move(v), coercion, depth + 1);
        return value;
    }
    if (type == "map" && value.is_object() && shape->contains("value")) {
        const auto* element = shape_of(model, (*shape)["value"]);
        for (auto& [k, v] : value.items()) v = to_input(model, element, std::move(v), coercion, depth + 1);
        return value;
    }
    // Optimised integrations accept any JSON for string members (SNS Message, SQS MessageBody, EventBridge
    // Detail) and send its text.
    if (type == "string" && coercion == Coercion::StringifyJson && !value.is_string()) return value.dump();
    return value;
}

nlohmann::json from_output(const aws::ServiceModel& model, const nlohmann::json* shape, nlohmann::json value,
                           int depth) {
    if (!shape || depth > 64) return value;
    const std::string type = shape->value("type", "");
    if (type == "structure" && value.is_object() && !shape->value("document", false)) {
        const auto& members = (*shape)["members"];
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, v] : value.items()) {
            const auto member = members.find(key);
            out[capitalised(key)] = member != members.end()
                                        ? from_output(model, shape_of(model, *member), std::move(v), depth + 1)
                                        : std::move(v);
        }
        return out;
    }
    if (type == "list" && value.is_array() && shape->contains("member")) {
        const auto* element = shape_of(model, (*shape)["member"]);
        for (auto& v : value) v = from_output(model, element, std::move(v), depth + 1);
        return value;
    }
    if (type == "map" && value.is_object() && shape->contains("value")) {
        const auto* element = shape_of(model, (*shape)["value"]);
        for (auto& [k, v] : value.items()) v = from_output(model, element, std::move(v), depth + 1);
        return value;
    }
    return value;
}

}  // namespace

nlohmann::json to_model_input(const aws::ServiceModel& model, std::string_view operation, const Value& parameters,
                              Coercion coercion) {
    nlohmann::json input = parameters.is_null() ? nlohmann::json::object() : nlohmann::json::parse(parameters.dump());
    const std::string shape = model.input_shape_name(operation);
    if (shape.empty() || !model.has_shape(shape)) return input;
    return to_input(model, &model.shape(shape), std::move(input), coercion, 0);
}

nlohmann::json pascal_output(const aws::ServiceModel& model, std::string_view operation, const nlohmann::json& output) {
    const std::string shape = model.output_shape_name(operation);
    if (shape.empty() || !model.has_shape(shape)) return output;
    return from_output(model, &model.shape(shape), output, 0);
}

Value from_model_output(const aws::ServiceModel& model, std::string_view operation, const nlohmann::json& output) {
    return Value::from_json(pascal_output(model, operation, output));
}

}  // namespace sfn::integrations::detail
