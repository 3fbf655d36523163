// The XML value mapping shared by the query, ec2 and rest-xml protocols, and their error format.
#include "aws/detail_protocol.hpp"
#include "aws/detail_shape.hpp"
#include "sfn/aws/errors.hpp"

namespace sfn::aws::detail {
namespace {

bool is_flattened(const nlohmann::json& member, const nlohmann::json& shape) {
    return flag(member, "flattened") || flag(shape, "flattened");
}

// The element name of a structure member: a flattened list repeats its items under the item's locationName
// when the model gives one, else under the member's name.
std::string member_element_name(const ServiceModel& model, const nlohmann::json& member, const std::string& name) {
    const auto& target = target_of(model, member);
    if (type_of(target) == "list" && is_flattened(member, target)) {
        auto item = text_field(target["member"], "locationName");
        if (!item.empty()) return item;
    }
    return wire_name(member, name);
}

nlohmann::json list_items(const ServiceModel& model, const nlohmann::json& list_shape,
                          const std::vector<const XmlElement*>& items, const std::string& where) {
    nlohmann::json out = nlohmann::json::array();
    const auto& item_shape = target_of(model, list_shape["member"]);
    for (const auto* item : items) out.push_back(from_xml(model, item_shape, *item, where));
    return out;
}

nlohmann::json map_entries(const ServiceModel& model, const nlohmann::json& map_shape,
                           const std::vector<const XmlElement*>& entries, const std::string& where) {
    nlohmann::json out = nlohmann::json::object();
    const auto key_name = wire_name(map_shape["key"], "key");
    const auto value_name = wire_name(map_shape["value"], "value");
    const auto& value_shape = target_of(model, map_shape["value"]);
    for (const auto* entry : entries) {
        const auto* key = entry->child(key_name);
        const auto* value = entry->child(value_name);
        if (!key) continue;
        out[key->text] = value ? from_xml(model, value_shape, *value, where) : nlohmann::json(nullptr);
    }
    return out;
}

std::vector<const XmlElement*> children_named(const XmlElement& element, const std::string& name) {
    std::vector<const XmlElement*> out;
    for (const auto& c : element.children) {
        if (c.name == name) out.push_back(&c);
    }
    return out;
}

}  // namespace

nlohmann::json structure_from_xml(const ServiceModel& model, const nlohmann::json& shape, const XmlElement& element,
                                  const std::string& where) {
    nlohmann::json out = nlohmann::json::object();
    if (!shape.contains("members")) return out;
    for (const auto& [name, member] : shape["members"].items()) {
        const auto location = text_field(member, "location");
        if (!location.empty()) continue;  // headers, status code: read by the rest codec
        const auto& target = target_of(model, member);
        if (flag(member, "xmlAttribute")) {
            if (const auto* v = element.attribute(wire_name(member, name))) {
                out[name] = scalar_from_text(*v, target, where + "/" + name);
            }
            continue;
        }
        const auto element_name = member_element_name(model, member, name);
        const auto type = type_of(target);
        if ((type == "list" || type == "map") && is_flattened(member, target)) {
            auto items = children_named(element, element_name);
            if (items.empty()) continue;
            out[name] = type == "list" ? list_items(model, target, items, where + "/" + name)
                                       : map_entries(model, target, items, where + "/" + name);
            continue;
        }
        if (const auto* child = element.child(element_name)) out[name] = from_xml(model, target, *child, where + "/" + name);
    }
    return out;
}

nlohmann::json from_xml(const ServiceModel& model, const nlohmann::json& shape, const XmlElement& element,
                        const std::string& where) {
    const auto type = type_of(shape);
    if (type == "structure") return structure_from_xml(model, shape, element, where);
    if (type == "list") {
        return list_items(model, shape, children_named(element, wire_name(shape["member"], "member")), where);
    }
    if (type == "map") return map_entries(model, shape, children_named(element, "entry"), where);
    return scalar_from_text(element.text, shape, where);
}

XmlElement to_xml(const ServiceModel& model, const nlohmann::json& shape, const nlohmann::json& value,
                  const std::string& name) {
    XmlElement out;
    out.name = name;
    const auto type = type_of(shape);
    if (type == "structure") {
        for (const auto& [key, item] : value.items()) {
            if (item.is_null()) continue;
            const auto& member = shape["members"][key];
            if (!text_field(member, "location").empty()) continue;
            const auto& target = target_of(model, member);
            if (flag(member, "xmlAttribute")) {
                out.attributes.emplace_back(wire_name(member, key), scalar_text(item, target, "iso8601"));
                continue;
            }
            const auto element_name = member_element_name(model, member, key);
            if (type_of(target) == "list" && is_flattened(member, target)) {
                const auto& item_shape = target_of(model, target["member"]);
                for (const auto& v : item) out.children.push_back(to_xml(model, item_shape, v, element_name));
                continue;
            }
            auto child = to_xml(model, target, item, element_name);
            if (member.contains("xmlNamespace")) {
                auto prefix = text_field(member["xmlNamespace"], "prefix");
                child.attributes.emplace_back(prefix.empty() ? "xmlns" : "xmlns:" + prefix,
                                              text_field(member["xmlNamespace"], "uri"));
            }
            out.children.push_back(std::move(child));
        }
    } else if (type == "list") {
        const auto item_name = wire_name(shape["member"], "member");
        const auto& item_shape = target_of(model, shape["member"]);
        for (const auto& v : value) out.children.push_back(to_xml(model, item_shape, v, item_name));
    } else if (type == "map") {
        const auto& value_shape = target_of(model, shape["value"]);
        for (const auto& [k, v] : value.items()) {
            XmlElement entry;
            entry.name = "entry";
            entry.children.push_back(XmlElement{.name = wire_name(shape["key"], "key"), .text = k});
            entry.children.push_back(to_xml(model, value_shape, v, wire_name(shape["value"], "value")));
            out.children.push_back(std::move(entry));
        }
    } else {
        out.text = scalar_text(value, shape, timestamp_format({}, shape, "iso8601"));
    }
    return out;
}

}  // namespace sfn::aws::detail
