// The AWS Query and EC2 protocols: form-encoded POST with Action and Version, XML responses (query under
// <OperationResult>, ec2 directly under the root).
#include "aws/detail_protocol.hpp"
#include "aws/detail_shape.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <cctype>

namespace sfn::aws::detail {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

struct QueryWriter {
    const ServiceModel& model;
    Protocol protocol;
    Params params;

    static std::string join(const std::string& prefix, const std::string& name) {
        return prefix.empty() ? name : prefix + "." + name;
    }

    // EC2 names members by queryName, else the capitalised locationName, else the member name.
    std::string member_name(const nlohmann::json& member, const std::string& name) const {
        if (protocol == Protocol::Ec2) {
            auto query_name = text_field(member, "queryName");
            if (!query_name.empty()) return query_name;
            auto location = text_field(member, "locationName");
            if (!location.empty()) {
                location[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(location[0])));
                return location;
            }
            return name;
        }
        return wire_name(member, name);
    }

    void write(const nlohmann::json& member, const nlohmann::json& shape, const nlohmann::json& value,
               const std::string& prefix) {
        const auto type = type_of(shape);
        if (type == "structure") {
            for (const auto& [key, item] : value.items()) {
                if (item.is_null()) continue;
                const auto& m = shape["members"][key];
                write(m, target_of(model, m), item, join(prefix, member_name(m, key)));
            }
        } else if (type == "list") {
            write_list(member, shape, value, prefix);
        } else if (type == "map") {
            write_map(member, shape, value, prefix);
        } else {
            params.emplace_back(prefix, scalar_text(value, shape, timestamp_format(member, shape, "iso8601")));
        }
    }

    void write_list(const nlohmann::json& member, const nlohmann::json& shape, const nlohmann::json& value,
                    const std::string& prefix) {
        const auto& item_member = shape["member"];
        const auto& item_shape = target_of(model, item_member);
        std::string list_prefix;
        if (protocol == Protocol::Ec2) {
            list_prefix = prefix;  // EC2 lists are always flattened
        } else if (value.empty()) {
            params.emplace_back(prefix, "");  // an empty list is sent as the bare name
            return;
        } else if (flag(member, "flattened") || flag(shape, "flattened")) {
            list_prefix = prefix;
            auto item_name = text_field(item_member, "locationName");
            if (!item_name.empty()) {
                auto dot = prefix.rfind('.');
                list_prefix = dot == std::string::npos ? item_name : prefix.substr(0, dot + 1) + item_name;
            }
        } else {
            list_prefix = prefix + "." + wire_name(item_member, "member");
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            write(item_member, item_shape, value[i], list_prefix + "." + std::to_string(i + 1));
        }
    }

    void write_map(const nlohmann::json& member, const nlohmann::json& shape, const nlohmann::json& value,
                   const std::string& prefix) {
        const bool flattened = flag(member, "flattened") || flag(shape, "flattened");
        const std::string entry_prefix = flattened ? prefix : prefix + ".entry";
        const auto key_name = wire_name(shape["key"], "key");
        const auto value_name = wire_name(shape["value"], "value");
        const auto& value_shape = target_of(model, shape["value"]);
        std::size_t i = 0;
        for (const auto& [k, v] : value.items()) {
            const auto base = entry_prefix + "." + std::to_string(++i);
            params.emplace_back(base + "." + key_name, k);
            write(shape["value"], value_shape, v, base + "." + value_name);
        }
    }
};

std::string form_encode(const Params& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += sigv4::uri_encode(name) + "=" + sigv4::uri_encode(value);
    }
    return out;
}

}  // namespace

WireRequest serialize_query(const Operation& op, const nlohmann::json& input, Protocol protocol) {
    QueryWriter writer{op.model, protocol, {{"Action", std::string(op.name)}, {"Version", op.model.api_version()}}};
    const auto shape_name = op.model.input_shape_name(op.name);
    if (!shape_name.empty() && input.is_object()) writer.write({}, op.model.shape(shape_name), input, "");
    WireRequest out;
    out.method = "POST";
    out.path = "/";
    out.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    out.body = form_encode(writer.params);
    return out;
}

nlohmann::json parse_query(const Operation& op, const HttpResponse& response, Protocol protocol) {
    const auto shape_name = op.model.output_shape_name(op.name);
    if (shape_name.empty() || response.body.empty()) return nlohmann::json::object();
    const auto root = parse_xml(response.body, op.where());
    const XmlElement* result = &root;
    if (protocol == Protocol::Query) {
        auto wrapper = text_field(op.definition["output"], "resultWrapper");
        if (!wrapper.empty()) {
            result = root.child(wrapper);
            if (!result) {
                throw ProtocolError(op.where() + ": the response has no <" + wrapper +
                                    ">: " + response.body.substr(0, 200));
            }
        }
    }
    return structure_from_xml(op.model, op.model.shape(shape_name), *result, op.where());
}

}  // namespace sfn::aws::detail
