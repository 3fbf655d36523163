// STS over the AWS Query protocol (form-encoded POST, XML response; PROTOCOL.md §2).
#include "sfn/aws/sts.hpp"

#include "aws/detail_retry.hpp"
#include "aws/detail_time.hpp"
#include "aws/detail_xml.hpp"
#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

namespace sfn::aws {
namespace {

std::string form(std::initializer_list<std::pair<std::string, std::string>> params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out.push_back('&');
        out += sigv4::uri_encode(k) + "=" + sigv4::uri_encode(v);
    }
    return out;
}

Credentials credentials_from_xml(const std::string& xml, const char* source) {
    Credentials c;
    auto need = [&](const char* name) {
        auto v = xml_element_text(xml, name);
        if (!v || v->empty()) throw ProtocolError(std::string("STS response has no <") + name + ">: " + xml.substr(0, 300));
        return *v;
    };
    c.access_key_id = need("AccessKeyId");
    c.secret_access_key = need("SecretAccessKey");
    c.session_token = need("SessionToken");
    auto expiration = need("Expiration");
    c.expiration = detail::parse_iso8601(expiration);
    if (!c.expiration) throw ProtocolError("STS response has a malformed <Expiration>: " + expiration);
    c.source = source;
    return c;
}

}  // namespace

std::optional<std::string> xml_element_text(const std::string& xml, const std::string& name) {
    try {
        auto root = detail::parse_xml(xml, "STS");
        if (const auto* element = root.find(name)) return element->text;
    } catch (const ProtocolError&) {
        // Not XML: the element is simply not there; callers name what they missed.
    }
    return std::nullopt;
}

StsClient::StsClient(std::shared_ptr<Transport> transport, std::string region, std::string endpoint_url)
    : transport_(std::move(transport)), region_(std::move(region)), endpoint_(std::move(endpoint_url)) {
    if (!transport_) transport_ = make_curl_transport();
    if (endpoint_.empty()) endpoint_ = default_endpoint("sts", region_);
    static_cast<void>(parse_url(endpoint_));  // validates the URL early
}

std::string StsClient::post(const std::string& body, const Credentials* credentials) const {
    Url url = parse_url(endpoint_);
    detail::Retrier retrier(RetryPolicy{});
    auto action_end = body.find('&');
    std::string action = body.substr(7, action_end == std::string::npos ? std::string::npos : action_end - 7);
    auto response = retrier.run("STS " + action, [&](int, int) {
        HttpRequest request;
        request.url = url.str();
        request.body = body;
        request.headers = {{"Host", url.authority()},
                           {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
        if (credentials) sigv4::sign(request, *credentials, {region_, "sts", std::chrono::system_clock::now()});
        return transport_->send(request);
    }, detail::xml_error_parser);
    return response.body;
}

CallerIdentity StsClient::get_caller_identity(const Credentials& credentials) const {
    auto xml = post("Action=GetCallerIdentity&Version=2011-06-15", &credentials);
    CallerIdentity out;
    out.account = xml_element_text(xml, "Account").value_or("");
    out.arn = xml_element_text(xml, "Arn").value_or("");
    out.user_id = xml_element_text(xml, "UserId").value_or("");
    if (out.account.empty()) throw ProtocolError("GetCallerIdentity response has no <Account>: " + xml.substr(0, 300));
    return out;
}

Credentials StsClient::assume_role(const Credentials& source, const AssumeRoleRequest& request) const {
    std::string body = form({{"Action", "AssumeRole"}, {"Version", "2011-06-15"}, {"RoleArn", request.role_arn},
                             {"RoleSessionName", request.role_session_name}});
    if (request.external_id) body += "&ExternalId=" + sigv4::uri_encode(*request.external_id);
    if (request.duration_seconds) body += "&DurationSeconds=" + std::to_string(*request.duration_seconds);
    return credentials_from_xml(post(body, &source), "assume-role");
}

Credentials StsClient::assume_role_with_web_identity(const std::string& role_arn, const std::string& session_name,
                                                     const std::string& token) const {
    std::string body = form({{"Action", "AssumeRoleWithWebIdentity"}, {"Version", "2011-06-15"}, {"RoleArn", role_arn},
                             {"RoleSessionName", session_name}, {"WebIdentityToken", token}});
    return credentials_from_xml(post(body, nullptr), "web-identity");
}

}  // namespace sfn::aws
