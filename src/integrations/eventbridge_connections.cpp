// HTTP Task connections read from EventBridge (DescribeConnection) and the secret it keeps for each connection.
#include "sfn/integrations/connections.hpp"

#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"
#include "integrations/detail_ids.hpp"

#include <nlohmann/json.hpp>

namespace sfn::integrations {

using nlohmann::json;

namespace {

// "arn:aws:events:<region>:<account>:connection/<name>/<id>" -> <name>; DescribeConnection takes the name.
std::string connection_name(const std::string& arn) {
    const auto at = arn.find(":connection/");
    if (at == std::string::npos) return arn;
    const auto rest = arn.substr(at + 12);
    return rest.substr(0, rest.find('/'));
}

std::string secret_string(const json& secret, const char* key) {
    if (auto it = secret.find(key); it != secret.end() && it->is_string()) return it->get<std::string>();
    return {};
}

// Secret values of invocation parameters are masked in DescribeConnection; the secret holds them.
json invocation_parameters(const json& described, const json& secret) {
    json params = described.value("AuthParameters", json::object()).value("InvocationHttpParameters", json::object());
    const json stored = secret.value("invocation_http_parameters", json::object());
    static const std::pair<const char*, const char*> lists[] = {{"HeaderParameters", "header_parameters"},
                                                                {"QueryStringParameters", "query_string_parameters"},
                                                                {"BodyParameters", "body_parameters"}};
    for (const auto& [list, stored_list] : lists) {
        if (!params.contains(list)) continue;
        for (auto& p : params[list]) {
            if (!p.value("IsValueSecret", false)) continue;
            for (const auto& s : stored.value(stored_list, json::array())) {
                if (s.value("key", "") == p.value("Key", "")) p["Value"] = s.value("value", "");
            }
        }
    }
    return params;
}

class EventBridgeConnections final : public ConnectionResolver {
public:
    EventBridgeConnections(std::shared_ptr<const aws::ServiceClient> events,
                           std::shared_ptr<const aws::ServiceClient> secrets)
        : events_(std::move(events)), secrets_(std::move(secrets)) {}

    Connection resolve(const std::string& arn) const override {
        json described;
        json secret;
        try {
            described = events_->call("DescribeConnection", {{"Name", connection_name(arn)}});
            if (described.value("ConnectionState", "") != "AUTHORIZED") {
                throw ConnectionError("Events.ConnectionResource.InvalidConnectionState",
                                      "Connection '" + arn + "' is " + described.value("ConnectionState", "not authorized") +
                                          ", not AUTHORIZED.");
            }
            const auto answer = secrets_->call("GetSecretValue", {{"SecretId", described.value("SecretArn", "")}});
            secret = json::parse(answer.value("SecretString", "{}"), nullptr, false);
            if (!secret.is_object()) secret = json::object();
        } catch (const aws::ServiceError& e) {
            const bool missing = e.is("ResourceNotFoundException");
            throw ConnectionError(missing ? "Events.ConnectionResource.ResourceNotFound"
                                          : "Events.ConnectionResource.AccessDenied",
                                  "Connection '" + arn + "' cannot be read: " + e.operation() + " answered " +
                                      e.error_code() + " (" + e.error_message() + ")");
        } catch (const aws::TransportError&) {
            throw ConnectionError("Events.ConnectionResource.InternalError",
                                  "Connection '" + arn + "' cannot be read: no answer from EventBridge at " +
                                      events_->endpoint());
        }
        // The same members as CreateConnection, secrets from the secret, so parse_connection checks them.
        const std::string type = described.value("AuthorizationType", "");
        const json auth = described.value("AuthParameters", json::object());
        json spec = {{"AuthorizationType", type}, {"AuthParameters", json::object()}};
        json& params = spec["AuthParameters"];
        if (type == "API_KEY") {
            params["ApiKeyAuthParameters"] = {{"ApiKeyName", secret_string(secret, "api_key_name")},
                                              {"ApiKeyValue", secret_string(secret, "api_key_value")}};
        } else if (type == "BASIC") {
            params["BasicAuthParameters"] = {{"Username", secret_string(secret, "username")},
                                             {"Password", secret_string(secret, "password")}};
        } else if (type == "OAUTH_CLIENT_CREDENTIALS") {
            json oauth = auth.value("OAuthParameters", json::object());
            std::string client_secret = secret_string(secret, "client_secret");
            if (client_secret.empty() && secret.contains("client_parameters"))
                client_secret = secret_string(secret["client_parameters"], "client_secret");
            oauth["ClientParameters"]["ClientSecret"] = client_secret;
            params["OAuthParameters"] = std::move(oauth);
        }
        params["InvocationHttpParameters"] = invocation_parameters(described, secret);
        try {
            return parse_connection(spec, "EventBridge connection '" + arn + "'");
        } catch (const ConnectionError&) {
            throw;
        } catch (const sfn::Error& e) {
            throw ConnectionError("Events.ConnectionResource.InvalidConnectionState", detail::plain_message(e));
        }
    }

private:
    std::shared_ptr<const aws::ServiceClient> events_;
    std::shared_ptr<const aws::ServiceClient> secrets_;
};

}  // namespace

std::shared_ptr<const ConnectionResolver> eventbridge_connections(std::shared_ptr<const aws::ServiceClient> events,
                                                                  std::shared_ptr<const aws::ServiceClient> secrets) {
    return std::make_shared<EventBridgeConnections>(std::move(events), std::move(secrets));
}

}  // namespace sfn::integrations
