// STS over the AWS Query protocol (form-encoded POST, XML response; PROTOCOL.md §2).
#include "sfn/aws/sts.hpp"

#include "aws/detail_retry.hpp"
#include "aws/detail_time.hpp"
#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

namespace sfn::aws {
namespace {

std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out.push_back(s[i]);
            continue;
        }
        auto semi = s.find(';', i);
        if (semi == std::string_view::npos) {
            out.push_back(s[i]);
            continue;
        }
        auto name = s.substr(i + 1, semi - i - 1);
        if (name == "amp") out.push_back('&');
        else if (name == "lt") out.push_back('<');
        else if (name == "gt") out.push_back('>');
        else if (name == "quot") out.push_back('"');
        else if (name == "apos") out.push_back('\'');
        else if (!name.empty() && name[0] == '#') {
            int code = name.size() > 1 && (name[1] == 'x' || name[1] == 'X')
                           ? std::stoi(std::string(name.substr(2)), nullptr, 16)
                           : std::stoi(std::string(name.substr(1)));
            if (code < 0x80) out.push_back(static_cast<char>(code));
        } else {
            out.append(s.substr(i, semi - i + 1));
        }
        i = semi;
    }
    return out;
}

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
    std::size_t pos = 0;
    while ((pos = xml.find('<', pos)) != std::string::npos) {
        auto close = xml.find('>', pos);
        if (close == std::string::npos) return std::nullopt;
        std::string_view tag(xml.data() + pos + 1, close - pos - 1);
        pos = close + 1;
        if (tag.empty() || tag[0] == '/' || tag[0] == '?' || tag[0] == '!') continue;
        auto tag_name = tag.substr(0, tag.find_first_of(" \t\r\n/"));
        if (auto colon = tag_name.find(':'); colon != std::string_view::npos) tag_name.remove_prefix(colon + 1);
        if (tag_name != name) continue;
        if (tag.back() == '/') return std::string();
        auto end = xml.find("</", close);
        if (end == std::string::npos) return std::nullopt;
        return decode_entities(std::string_view(xml).substr(close + 1, end - close - 1));
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
