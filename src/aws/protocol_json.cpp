// The AWS JSON 1.0/1.1 protocol (POST / with X-Amz-Target) and the JSON value mapping rest-json shares.
#include "aws/detail_protocol.hpp"
#include "aws/detail_shape.hpp"
#include "sfn/aws/errors.hpp"

namespace sfn::aws::detail {

nlohmann::json to_json_wire(const ServiceModel& model, const nlohmann::json& shape, const nlohmann::json& value) {
    const auto type = type_of(shape);
    if (type == "structure") {
        nlohmann::json out = nlohmann::json::object();
        const auto& members = shape["members"];
        for (const auto& [key, item] : value.items()) {
            if (item.is_null()) continue;
            const auto& member = members[key];
            out[wire_name(member, key)] = to_json_wire(model, target_of(model, member), item);
        }
        return out;
    }
    if (type == "list") {
        nlohmann::json out = nlohmann::json::array();
        const auto& member_shape = target_of(model, shape["member"]);
        for (const auto& item : value) out.push_back(to_json_wire(model, member_shape, item));
        return out;
    }
    if (type == "map") {
        nlohmann::json out = nlohmann::json::object();
        const auto& value_shape = target_of(model, shape["value"]);
        for (const auto& [key, item] : value.items()) out[key] = to_json_wire(model, value_shape, item);
        return out;
    }
    if (type == "timestamp") {
        const double seconds = *input_epoch_seconds(value);
        const auto format = timestamp_format({}, shape, "unixTimestamp");
        if (format != "unixTimestamp") return format_timestamp(seconds, format);
        return value.is_number() ? value : nlohmann::json(seconds);
    }
    if ((type == "integer" || type == "long") && value.is_number_float()) {
        return static_cast<long long>(value.get<double>());
    }
    return value;
}

nlohmann::json from_json_wire(const ServiceModel& model, const nlohmann::json& shape, const nlohmann::json& wire) {
    const auto type = type_of(shape);
    if (type == "structure" && wire.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        if (!shape.contains("members")) return out;
        for (const auto& [name, member] : shape["members"].items()) {
            if (!text_field(member, "location").empty()) continue;
            auto it = wire.find(wire_name(member, name));
            if (it == wire.end() || it->is_null()) continue;
            out[name] = from_json_wire(model, target_of(model, member), *it);
        }
        return out;
    }
    if (type == "list" && wire.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        const auto& member_shape = target_of(model, shape["member"]);
        for (const auto& item : wire) out.push_back(from_json_wire(model, member_shape, item));
        return out;
    }
    if (type == "map" && wire.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        const auto& value_shape = target_of(model, shape["value"]);
        for (const auto& [key, item] : wire.items()) out[key] = from_json_wire(model, value_shape, item);
        return out;
    }
    if (type == "timestamp") {
        if (auto seconds = wire_epoch_seconds(wire)) return iso8601(*seconds);
    }
    return wire;
}

WireRequest serialize_json_rpc(const Operation& op, const nlohmann::json& input) {
    WireRequest out;
    out.method = "POST";
    out.path = "/";
    const auto& model = op.model;
    const auto version = model.json_version().empty() ? std::string("1.0") : model.json_version();
    out.headers.emplace_back("Content-Type", "application/x-amz-json-" + version);
    out.headers.emplace_back("X-Amz-Target", model.target_prefix() + "." + std::string(op.name));
    const auto shape_name = model.input_shape_name(op.name);
    if (shape_name.empty() || input.is_null()) {
        out.body = "{}";
    } else {
        out.body = to_json_wire(model, model.shape(shape_name), input).dump();
    }
    return out;
}

nlohmann::json parse_json_rpc(const Operation& op, const HttpResponse& response) {
    const auto shape_name = op.model.output_shape_name(op.name);
    if (shape_name.empty()) return nlohmann::json::object();
    if (response.body.empty()) return nlohmann::json::object();
    auto wire = nlohmann::json::parse(response.body, nullptr, false);
    if (wire.is_discarded() || !wire.is_object()) {
        throw ProtocolError(op.where() + ": the response is not a JSON object: " + response.body.substr(0, 200));
    }
    return from_json_wire(op.model, op.model.shape(shape_name), wire);
}

}  // namespace sfn::aws::detail
