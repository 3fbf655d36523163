// EventBridge connections for the HTTP Task: parsing CreateConnection's members and the local connections file.
#include "sfn/integrations/connections.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

namespace sfn::integrations {

using nlohmann::json;

namespace {

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
    throw sfn::Error("sfn.integrations.E002", where + ": " + what);
}

std::string string_member(const json& object, const char* name, const std::string& where, bool required = true) {
    if (!object.contains(name)) {
        if (required) malformed(where + "/" + name, "missing");
        return {};
    }
    if (!object[name].is_string()) malformed(where + "/" + name, "expected a string");
    return object[name].get<std::string>();
}

HttpParameters parameter_list(const json& parent, const char* name, const std::string& where) {
    HttpParameters out;
    if (!parent.contains(name)) return out;
    const auto& list = parent[name];
    if (!list.is_array()) malformed(where + "/" + name, "expected an array of {\"Key\", \"Value\"}");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = where + "/" + name + "/" + std::to_string(i);
        if (!list[i].is_object()) malformed(at, "expected {\"Key\", \"Value\"}");
        out.emplace_back(string_member(list[i], "Key", at), string_member(list[i], "Value", at));
    }
    return out;
}

HttpParameterSet parameter_set(const json& parent, const char* name, const std::string& where) {
    if (!parent.contains(name)) return {};
    const auto& set = parent[name];
    const std::string at = where + "/" + name;
    if (!set.is_object()) malformed(at, "expected an object");
    return {parameter_list(set, "HeaderParameters", at), parameter_list(set, "QueryStringParameters", at),
            parameter_list(set, "BodyParameters", at)};
}

const json& object_member(const json& parent, const char* name, const std::string& where) {
    if (!parent.contains(name) || !parent[name].is_object()) malformed(where + "/" + name, "expected an object");
    return parent[name];
}

class FileConnections final : public ConnectionResolver {
public:
    explicit FileConnections(std::map<std::string, Connection> connections) : connections_(std::move(connections)) {}

    Connection resolve(const std::string& arn) const override {
        auto it = connections_.find(arn);
        if (it == connections_.end()) {
            throw ConnectionError("Events.ConnectionResource.ResourceNotFound",
                                  "Connection '" + arn + "' is not defined in the connections file.");
        }
        return it->second;
    }

private:
    std::map<std::string, Connection> connections_;
};

}  // namespace

Connection parse_connection(const json& spec, const std::string& where) {
    if (!spec.is_object()) malformed(where, "expected an object with AuthorizationType and AuthParameters");
    Connection c;
    const std::string type = string_member(spec, "AuthorizationType", where);
    const json& auth = object_member(spec, "AuthParameters", where);
    const std::string at = where + "/AuthParameters";
    if (type == "API_KEY") {
        const json& key = object_member(auth, "ApiKeyAuthParameters", at);
        c.auth = Connection::Auth::ApiKey;
        c.api_key_name = string_member(key, "ApiKeyName", at + "/ApiKeyAuthParameters");
        c.api_key_value = string_member(key, "ApiKeyValue", at + "/ApiKeyAuthParameters");
    } else if (type == "BASIC") {
        const json& basic = object_member(auth, "BasicAuthParameters", at);
        c.auth = Connection::Auth::Basic;
        c.username = string_member(basic, "Username", at + "/BasicAuthParameters");
        c.password = string_member(basic, "Password", at + "/BasicAuthParameters");
    } else if (type == "OAUTH_CLIENT_CREDENTIALS") {
        const json& oauth = object_member(auth, "OAuthParameters", at);
        const std::string oat = at + "/OAuthParameters";
        c.auth = Connection::Auth::OAuthClientCredentials;
        c.oauth.endpoint = string_member(oauth, "AuthorizationEndpoint", oat);
        if (oauth.contains("HttpMethod")) c.oauth.method = string_member(oauth, "HttpMethod", oat);
        const json& client = object_member(oauth, "ClientParameters", oat);
        c.oauth.client_id = string_member(client, "ClientID", oat + "/ClientParameters");
        c.oauth.client_secret = string_member(client, "ClientSecret", oat + "/ClientParameters", false);
        c.oauth.parameters = parameter_set(oauth, "OAuthHttpParameters", oat);
    } else {
        malformed(where + "/AuthorizationType", "expected API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS, got '" + type + "'");
    }
    c.invocation = parameter_set(auth, "InvocationHttpParameters", at);
    return c;
}

std::shared_ptr<const ConnectionResolver> load_connections_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw sfn::Error("sfn.integrations.E002", "cannot read the connections file '" + path.string() + "'");
    const json doc = json::parse(in, nullptr, false);
    const std::string where = path.string() + ": ";
    if (doc.is_discarded()) malformed(path.string(), "not valid JSON");
    if (!doc.is_object() || !doc.contains("Connections") || !doc["Connections"].is_object())
        malformed(where + "/Connections", "expected an object mapping connection ARNs to connections");
    std::map<std::string, Connection> connections;
    for (const auto& [arn, spec] : doc["Connections"].items())
        connections.emplace(arn, parse_connection(spec, where + "/Connections/" + arn));
    return std::make_shared<FileConnections>(std::move(connections));
}

}  // namespace sfn::integrations
