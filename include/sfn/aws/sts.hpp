#pragma once
/// \file
/// The two STS calls sfn needs (AWS Query protocol, XML responses; PROTOCOL.md §2): GetCallerIdentity for the
/// account id and AssumeRole / AssumeRoleWithWebIdentity for role profiles.

#include "sfn/aws/credentials.hpp"
#include "sfn/aws/transport.hpp"

#include <memory>
#include <optional>
#include <string>

namespace sfn::aws {

struct CallerIdentity {
    std::string account;  ///< 12 digits, leading zeros kept
    std::string arn;
    std::string user_id;
};

struct AssumeRoleRequest {
    std::string role_arn;
    std::string role_session_name;
    std::optional<std::string> external_id;
    std::optional<int> duration_seconds;
};

/// STS over a Transport. Thread-safe.
class StsClient {
public:
    /// `endpoint_url` empty = `https://sts.<region>.amazonaws.com`.
    StsClient(std::shared_ptr<Transport> transport, std::string region, std::string endpoint_url = {});

    /// Throws ServiceError (code from the XML ErrorResponse), TransportError, ProtocolError.
    [[nodiscard]] CallerIdentity get_caller_identity(const Credentials& credentials) const;
    /// Returns temporary credentials (with expiration).
    [[nodiscard]] Credentials assume_role(const Credentials& source, const AssumeRoleRequest& request) const;
    /// Unsigned call with a web identity token.
    [[nodiscard]] Credentials assume_role_with_web_identity(const std::string& role_arn,
                                                            const std::string& session_name,
                                                            const std::string& token) const;

private:
    std::string post(const std::string& body, const Credentials* credentials) const;

    std::shared_ptr<Transport> transport_;
    std::string region_;
    std::string endpoint_;
};

/// The text of the first element named `name` (namespaces ignored; parsed with libxml2), or nullopt when there is
/// none or `xml` is not well-formed.
[[nodiscard]] std::optional<std::string> xml_element_text(const std::string& xml, const std::string& name);

}  // namespace sfn::aws
