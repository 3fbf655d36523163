// The rest-json and rest-xml protocols: URI templates (greedy `{Key+}` labels), query-string, header, header-map
// and status-code members, structure and blob payloads (S3 object bodies as text), JSON or XML bodies.
#include "aws/detail_protocol.hpp"
#include "aws/detail_shape.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"
#include "sfn/core/text.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace sfn::aws::detail {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string md5_base64(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1) {
        throw ProtocolError("MD5 failed in OpenSSL");
    }
    return text::base64_encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

// A payload blob or string as the body: text as is, any other JSON value serialised.
std::string payload_text(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::string header_text(const nlohmann::json& member, const nlohmann::json& shape, const nlohmann::json& value) {
    const auto type = type_of(shape);
    if (type == "list") {
        std::string out;
        for (const auto& item : value) {
            if (!out.empty()) out += ",";
            out += item.is_string() ? item.get<std::string>() : item.dump();
        }
        return out;
    }
    if (text_field(shape, "type") == "string" && flag(shape, "jsonvalue")) return text::base64_encode(value.dump());
    return scalar_text(value, shape, timestamp_format(member, shape, "rfc822"));
}

// botocore's rule for timestamps in query strings: ISO-8601 unless the model says otherwise.
void add_query(std::vector<std::pair<std::string, std::string>>& query, const std::string& name,
               const nlohmann::json& member, const nlohmann::json& shape, const nlohmann::json& value) {
    const auto type = type_of(shape);
    if (type == "list") {
        for (const auto& item : value) query.emplace_back(name, item.is_string() ? item.get<std::string>() : item.dump());
    } else if (type == "map") {
        for (const auto& [k, v] : value.items()) {
            if (v.is_array()) {
                for (const auto& item : v) query.emplace_back(k, item.get<std::string>());
            } else {
                query.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
            }
        }
    } else {
        query.emplace_back(name, scalar_text(value, shape, timestamp_format(member, shape, "iso8601")));
    }
}

std::string render_uri(const Operation& op, std::string uri, const nlohmann::json& members, const nlohmann::json& input) {
    std::string out;
    std::size_t pos = 0;
    while (pos < uri.size()) {
        auto open = uri.find('{', pos);
        if (open == std::string::npos) {
            out.append(uri, pos);
            break;
        }
        auto close = uri.find('}', open);
        if (close == std::string::npos) throw ConfigError(op.where() + ": malformed requestUri " + uri);
        out.append(uri, pos, open - pos);
        std::string label = uri.substr(open + 1, close - open - 1);
        const bool greedy = !label.empty() && label.back() == '+';
        if (greedy) label.pop_back();
        // The label names the member's locationName (usually the member name itself).
        std::string member_name = label;
        for (const auto& [name, member] : members.items()) {
            if (text_field(member, "location") == "uri" && wire_name(member, name) == label) member_name = name;
        }
        auto it = input.find(member_name);
        if (it == input.end() || it->is_null()) {
            throw UsageError(op.where() + ": /" + member_name + ": required (it is part of the request URI)");
        }
        const auto& target = target_of(op.model, members[member_name]);
        const auto text = scalar_text(*it, target, "iso8601");
        if (text.empty()) throw UsageError(op.where() + ": /" + member_name + ": must not be empty (it is part of the request URI)");
        out += sigv4::uri_encode(text, greedy ? sigv4::SlashEncoding::Keep : sigv4::SlashEncoding::Encode);
        pos = close + 1;
    }
    return out;
}

bool checksum_required(const nlohmann::json& definition) {
    if (flag(definition, "httpChecksumRequired")) return true;
    auto it = definition.find("httpChecksum");
    return it != definition.end() && flag(*it, "requestChecksumRequired");
}

}  // namespace

WireRequest serialize_rest(const Operation& op, const nlohmann::json& input, Protocol protocol,
                           BucketAddressing addressing) {
    const auto& model = op.model;
    const auto& http = op.definition.contains("http") ? op.definition["http"] : nlohmann::json::object();
    WireRequest out;
    out.method = text_field(http, "method").empty() ? std::string("POST") : text_field(http, "method");
    std::string uri = text_field(http, "requestUri").empty() ? std::string("/") : text_field(http, "requestUri");

    const auto shape_name = model.input_shape_name(op.name);
    const nlohmann::json empty_shape = {{"type", "structure"}, {"members", nlohmann::json::object()}};
    const auto& shape = shape_name.empty() ? empty_shape : model.shape(shape_name);
    const auto& members = shape.contains("members") ? shape["members"] : empty_shape["members"];
    const nlohmann::json& in = input.is_object() ? input : nlohmann::json::object();

    // S3 virtual-hosted style: the bucket moves from the path into the host.
    if (addressing == BucketAddressing::VirtualHost && uri.starts_with("/{Bucket}") && in.contains("Bucket") &&
        in["Bucket"].is_string()) {
        out.host_prefix = in["Bucket"].get<std::string>() + ".";
        uri.erase(1, std::string_view("{Bucket}").size());
        if (uri.size() > 1 && uri[1] == '/') uri.erase(0, 1);
    }
    std::string literal_query;
    if (auto q = uri.find('?'); q != std::string::npos) {
        literal_query = uri.substr(q + 1);
        uri.resize(q);
    }
    out.path = render_uri(op, uri, members, in);

    std::vector<std::pair<std::string, std::string>> query;
    nlohmann::json body_members = nlohmann::json::object();
    bool has_body_members = false;
    const auto payload = text_field(shape, "payload");
    for (const auto& [name, member] : members.items()) {
        const auto location = text_field(member, "location");
        if (location.empty() && name != payload) has_body_members = true;
        auto it = in.find(name);
        if (it == in.end() || it->is_null()) continue;
        const auto& target = target_of(model, member);
        if (location == "querystring") {
            add_query(query, wire_name(member, name), member, target, *it);
        } else if (location == "header") {
            out.headers.emplace_back(wire_name(member, name), header_text(member, target, *it));
        } else if (location == "headers") {
            const auto prefix = text_field(member, "locationName");
            for (const auto& [k, v] : it->items()) out.headers.emplace_back(prefix + k, v.get<std::string>());
        } else if (location.empty() && name != payload) {
            body_members[name] = *it;
        }
    }
    std::string encoded_query = literal_query;
    for (const auto& [k, v] : query) {
        if (!encoded_query.empty()) encoded_query += "&";
        encoded_query += sigv4::uri_encode(k) + "=" + sigv4::uri_encode(v);
    }
    out.query = encoded_query;

    if (!payload.empty()) {
        const auto& member = members[payload];
        const auto& target = target_of(model, member);
        auto it = in.find(payload);
        const auto type = type_of(target);
        if (type == "blob" || type == "string") {
            if (it != in.end() && !it->is_null()) out.body = payload_text(*it);
        } else if (it != in.end() && !it->is_null()) {
            if (protocol == Protocol::RestJson) {
                out.body = to_json_wire(model, target, *it).dump();
                out.headers.emplace_back("Content-Type", "application/json");
            } else {
                auto root = to_xml(model, target, *it, wire_name(member, payload));
                std::string ns = member.contains("xmlNamespace") ? text_field(member["xmlNamespace"], "uri") : "";
                out.body = write_xml(root, ns);
            }
        }
    } else if (has_body_members) {
        if (protocol == Protocol::RestJson) {
            out.body = to_json_wire(model, shape, body_members).dump();
            out.headers.emplace_back("Content-Type", "application/json");
        } else if (!body_members.empty()) {
            const auto& input_ref = op.definition["input"];
            auto root = to_xml(model, shape, body_members, wire_name(input_ref, shape_name));
            std::string ns = input_ref.contains("xmlNamespace") ? text_field(input_ref["xmlNamespace"], "uri") : "";
            out.body = write_xml(root, ns);
        }
    }
    if (checksum_required(op.definition)) out.headers.emplace_back("Content-MD5", md5_base64(out.body));
    return out;
}

nlohmann::json parse_rest(const Operation& op, const HttpResponse& response, Protocol protocol) {
    const auto& model = op.model;
    const auto shape_name = model.output_shape_name(op.name);
    if (shape_name.empty()) return nlohmann::json::object();
    const auto& shape = model.shape(shape_name);
    nlohmann::json out = nlohmann::json::object();
    const auto where = op.where();
    const auto payload = text_field(shape, "payload");
    bool has_body_members = false;
    if (shape.contains("members")) {
        for (const auto& [name, member] : shape["members"].items()) {
            const auto location = text_field(member, "location");
            const auto& target = target_of(model, member);
            if (location == "statusCode") {
                out[name] = response.status;
            } else if (location == "header") {
                const auto* value = response.header(wire_name(member, name));
                if (!value) continue;
                if (type_of(target) == "list") {
                    nlohmann::json items = nlohmann::json::array();
                    std::size_t start = 0;
                    while (start <= value->size()) {
                        auto comma = value->find(',', start);
                        if (comma == std::string::npos) comma = value->size();
                        auto item = value->substr(start, comma - start);
                        item.erase(0, item.find_first_not_of(' '));
                        items.push_back(item);
                        start = comma + 1;
                    }
                    out[name] = items;
                } else if (flag(target, "jsonvalue")) {
                    auto decoded = text::base64_decode(*value);
                    auto parsed = nlohmann::json::parse(decoded.value_or(""), nullptr, false);
                    out[name] = parsed.is_discarded() ? nlohmann::json(*value) : parsed;
                } else {
                    out[name] = scalar_from_text(*value, target, where + "/" + name);
                }
            } else if (location == "headers") {
                const auto prefix = lower(text_field(member, "locationName"));
                nlohmann::json map = nlohmann::json::object();
                for (const auto& [header, value] : response.headers) {
                    auto key = lower(header);
                    if (key.starts_with(prefix)) map[key.substr(prefix.size())] = value;
                }
                out[name] = map;
            } else if (location.empty() && name != payload) {
                has_body_members = true;
            }
        }
    }
    if (!payload.empty()) {
        const auto& target = target_of(model, shape["members"][payload]);
        const auto type = type_of(target);
        if (type == "blob" || type == "string") {
            // Step Functions returns an object body (S3 GetObject) as its text.
            out[payload] = type == "blob" && !text::is_valid_utf8(response.body) ? text::base64_encode(response.body)
                                                                                 : response.body;
        } else if (!response.body.empty()) {
            if (protocol == Protocol::RestJson) {
                auto wire = nlohmann::json::parse(response.body, nullptr, false);
                if (wire.is_discarded()) throw ProtocolError(where + ": the response is not JSON: " + response.body.substr(0, 200));
                out[payload] = from_json_wire(model, target, wire);
            } else {
                out[payload] = from_xml(model, target, parse_xml(response.body, where), where + "/" + payload);
            }
        }
    } else if (has_body_members && !response.body.empty()) {
        if (protocol == Protocol::RestJson) {
            auto wire = nlohmann::json::parse(response.body, nullptr, false);
            if (wire.is_discarded() || !wire.is_object()) {
                throw ProtocolError(where + ": the response is not a JSON object: " + response.body.substr(0, 200));
            }
            out.update(from_json_wire(model, shape, wire));
        } else {
            out.update(structure_from_xml(model, shape, parse_xml(response.body, where), where));
        }
    }
    return out;
}

}  // namespace sfn::aws::detail
