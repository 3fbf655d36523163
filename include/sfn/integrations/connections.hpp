#pragma once
/// \file
/// EventBridge connections for the HTTP Task (`Authentication.ConnectionArn`): how to authorise a request
/// (API key header, basic, OAuth client credentials) and the invocation parameters merged into it.
///
/// Connections come from EventBridge itself (eventbridge_connections) or from a local file.
///
/// **The local connections file** (`--connections FILE`) maps connection ARNs to EventBridge
/// CreateConnection's own members, secrets included (keep the file out of version control):
/// @code{.json}
/// {"Connections": {
///   "arn:aws:events:us-east-1:123456789012:connection/orders/6f1c": {
///     "AuthorizationType": "API_KEY",
///     "AuthParameters": {
///       "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "s3cr3t"},
///       "InvocationHttpParameters": {"HeaderParameters": [{"Key": "x-team", "Value": "orders"}],
///                                    "QueryStringParameters": [], "BodyParameters": []}}},
///   "arn:aws:events:...:connection/basic/1": {"AuthorizationType": "BASIC",
///     "AuthParameters": {"BasicAuthParameters": {"Username": "u", "Password": "p"}}},
///   "arn:aws:events:...:connection/oauth/1": {"AuthorizationType": "OAUTH_CLIENT_CREDENTIALS",
///     "AuthParameters": {"OAuthParameters": {"AuthorizationEndpoint": "https://auth.example.com/token",
///       "HttpMethod": "POST", "ClientParameters": {"ClientID": "id", "ClientSecret": "secret"},
///       "OAuthHttpParameters": {"BodyParameters": [{"Key": "scope", "Value": "read"}]}}}}}}
/// @endcode

#include "sfn/core/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sfn::aws {
class ServiceClient;
}

namespace sfn::integrations {

/// Key/value pairs of InvocationHttpParameters / OAuthHttpParameters, in order.
using HttpParameters = std::vector<std::pair<std::string, std::string>>;

struct HttpParameterSet {
    HttpParameters headers;
    HttpParameters query;
    HttpParameters body;
};

/// A connection resolved to what the HTTP Task needs to authorise a request.
struct Connection {
    enum class Auth : std::uint8_t { ApiKey, Basic, OAuthClientCredentials };
    Auth auth = Auth::ApiKey;
    std::string api_key_name;
    std::string api_key_value;
    std::string username;
    std::string password;
    struct OAuth {
        std::string endpoint;
        std::string method = "POST";
        std::string client_id;
        std::string client_secret;
        HttpParameterSet parameters;
    } oauth;
    HttpParameterSet invocation;  ///< merged into every request (the connection's values win)
};

/// A connection cannot be used: the task fails with `error` (`Events.ConnectionResource.*`) and this cause.
class ConnectionError : public sfn::Error {
public:
    ConnectionError(std::string error, const std::string& cause)
        : sfn::Error("sfn.integrations.E003", cause), error_(std::move(error)), cause_(cause) {}
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    /// The task's cause (what() without the code).
    [[nodiscard]] const std::string& cause() const noexcept { return cause_; }

private:
    std::string error_;
    std::string cause_;
};

/// Finds connections by ARN. Implementations are thread-safe.
class ConnectionResolver {
public:
    virtual ~ConnectionResolver() = default;
    /// \throws ConnectionError when `arn` names no usable connection.
    [[nodiscard]] virtual Connection resolve(const std::string& arn) const = 0;
};

/// Parses one connection from CreateConnection's members (AuthorizationType, AuthParameters).
/// \throws sfn::Error (sfn.integrations.E002) naming `where` and the malformed member.
[[nodiscard]] Connection parse_connection(const nlohmann::json& spec, const std::string& where);

/// The connections of a local file (format above). \throws sfn::Error (sfn.integrations.E002) when the file
/// cannot be read or a connection is malformed, naming the file and the JSON pointer.
[[nodiscard]] std::shared_ptr<const ConnectionResolver> load_connections_file(const std::filesystem::path& path);

/// Connections as EventBridge keeps them: DescribeConnection (authorization type, state, invocation parameters)
/// and the Secrets Manager secret EventBridge stores for the connection (GetSecretValue: `api_key_name`,
/// `api_key_value`, `username`, `password`, `client_secret`, ...), called through the generic AWS client.
/// A connection that is not AUTHORIZED fails with Events.ConnectionResource.InvalidConnectionState.
[[nodiscard]] std::shared_ptr<const ConnectionResolver> eventbridge_connections(
    std::shared_ptr<const aws::ServiceClient> events, std::shared_ptr<const aws::ServiceClient> secrets);

}  // namespace sfn::integrations
