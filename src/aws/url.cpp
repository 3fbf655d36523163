// URL parsing and case-insensitive header lookup shared by the signer, the client and the transports.
#include "sfn/aws/errors.hpp"
#include "sfn/aws/transport.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sfn::aws {

const std::string* find_header(const Headers& headers, std::string_view name) noexcept {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](unsigned char a, unsigned char b) {
                return std::tolower(a) == std::tolower(b);
            })) {
            return &value;
        }
    }
    return nullptr;
}

std::string Url::authority() const {
    bool default_port = !port || (scheme == "https" && *port == 443) || (scheme == "http" && *port == 80);
    return default_port ? host : host + ":" + std::to_string(*port);
}

std::string Url::str() const {
    std::string out = scheme + "://" + authority() + path;
    if (!query.empty()) out += "?" + query;
    return out;
}

Url parse_url(std::string_view text) {
    auto fail = [&](const char* why) { return ConfigError("malformed URL '" + std::string(text) + "': " + why); };
    Url url;
    auto sep = text.find("://");
    if (sep == std::string_view::npos) throw fail("expected scheme://host");
    url.scheme = std::string(text.substr(0, sep));
    std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (url.scheme != "http" && url.scheme != "https") throw fail("the scheme must be http or https");
    auto rest = text.substr(sep + 3);
    auto path_start = rest.find_first_of("/?");
    auto authority = rest.substr(0, path_start);
    auto tail = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
    if (authority.empty()) throw fail("no host");
    if (authority.find('@') != std::string_view::npos) throw fail("user info is not supported");
    std::string_view host = authority;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) throw fail("unterminated IPv6 address");
        host = authority.substr(0, close + 1);
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority.front() != ':') throw fail("junk after IPv6 address");
    } else {
        auto colon = authority.find(':');
        host = authority.substr(0, colon);
        authority = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon);
    }
    if (!authority.empty()) {
        auto digits = authority.substr(1);
        int port = 0;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() || port <= 0 || port > 65535) {
            throw fail("the port must be a number 1-65535");
        }
        url.port = port;
    }
    if (host.empty()) throw fail("no host");
    url.host = std::string(host);
    auto q = tail.find('?');
    url.path = std::string(tail.substr(0, q));
    if (url.path.empty()) url.path = "/";
    if (q != std::string_view::npos) url.query = std::string(tail.substr(q + 1));
    auto hash = url.query.find('#');
    if (hash != std::string::npos) url.query.resize(hash);
    return url;
}

}  // namespace sfn::aws
