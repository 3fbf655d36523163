// SigV4 (PROTOCOL.md §3). Each step is a separate function so the test suite can check it and the local
// server can verify signatures with the same code.
#include "sfn/aws/sigv4.hpp"

#include "sfn/aws/errors.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <utility>

namespace sfn::aws::sigv4 {
namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Query components arrive percent-encoded (and '+' meaning space in form encoding is NOT assumed: AWS signs
// the literal bytes after decoding %XY only).
std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Headers a proxy or the transport may change, or that carry the signature itself.
bool never_signed(std::string_view lower_name) {
    static constexpr std::string_view excluded[] = {"authorization", "user-agent",        "expect",
                                                    "connection",        "keep-alive",
                                                    "proxy-authorization", "te",           "trailer",
                                                    "transfer-encoding", "upgrade",        "x-amzn-trace-id",
                                                    "amz-sdk-invocation-id", "amz-sdk-request"};
    return std::find(std::begin(excluded), std::end(excluded), lower_name) != std::end(excluded);
}

std::vector<std::string> signable_names(const Headers& headers) {
    std::vector<std::string> names;
    for (const auto& [name, value] : headers) {
        auto key = lower(name);
        if (!never_signed(key)) names.push_back(std::move(key));
    }
    return names;
}

std::pair<std::string_view, std::string_view> split_path_query(std::string_view target) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return {target, {}};
    return {target.substr(0, q), target.substr(q + 1)};
}

}  // namespace

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
        throw ProtocolError("SHA-256 failed in OpenSSL");
    }
    return hex(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), digest, &len) == nullptr) {
        throw ProtocolError("HMAC-SHA256 failed in OpenSSL");
    }
    return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string uri_encode(std::string_view s, SlashEncoding slash) {
    const bool keep_slash = slash == SlashEncoding::Keep;
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3 / 2);
    for (unsigned char c : s) {
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 0xF]);
        }
    }
    return out;
}

std::string normalize_path(std::string_view path) {
    if (path.empty()) return "/";
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        auto seg = path.substr(start, end - start);
        if (seg == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!seg.empty() && seg != ".") {
            segments.push_back(seg);
        }
        start = end + 1;
    }
    std::string out;
    for (auto seg : segments) {
        out.push_back('/');
        out.append(seg);
    }
    // A trailing '/' (or "/." / "/..") keeps the path a "directory".
    bool trailing = path.back() == '/' || path.ends_with("/.") || path.ends_with("/..");
    if (out.empty() || trailing) out.push_back('/');
    return out;
}

std::string canonical_uri(std::string_view path, PathNormalization normalization, PathEncoding encoding) {
    if (path.empty()) return "/";
    std::string p = normalization == PathNormalization::Normalize ? normalize_path(path) : std::string(path);
    return encoding == PathEncoding::EncodeAgain ? uri_encode(p, SlashEncoding::Keep) : p;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    std::size_t start = 0;
    while (start < query.size()) {
        auto end = query.find('&', start);
        if (end == std::string_view::npos) end = query.size();
        auto pair = query.substr(start, end - start);
        if (!pair.empty()) {
            auto eq = pair.find('=');
            auto name = pair.substr(0, eq);
            auto value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            params.emplace_back(uri_encode(percent_decode(name)), uri_encode(percent_decode(value)));
        }
        start = end + 1;
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += name;
        out.push_back('=');
        out += value;
    }
    return out;
}

std::string canonical_header_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    bool pending_space = false;
    for (char c : value) {
        if (is_space(c)) {
            pending_space = !out.empty();
        } else {
            if (pending_space) out.push_back(' ');
            pending_space = false;
            out.push_back(c);
        }
    }
    return out;
}

CanonicalHeaders canonical_headers(const Headers& headers, const std::vector<std::string>& names) {
    std::map<std::string, std::string> merged;
    for (const auto& [name, value] : headers) {
        auto key = lower(name);
        if (!names.empty() && std::find(names.begin(), names.end(), key) == names.end()) continue;
        auto [it, inserted] = merged.try_emplace(key, canonical_header_value(value));
        if (!inserted) {
            it->second.push_back(',');
            it->second += canonical_header_value(value);
        }
    }
    CanonicalHeaders out;
    for (const auto& [name, value] : merged) {
        out.block += name;
        out.block.push_back(':');
        out.block += value;
        out.block.push_back('\n');
        if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
        out.signed_headers += name;
    }
    return out;
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              const CanonicalHeaders& headers, std::string_view payload_hash) {
    std::string out;
    out.reserve(method.size() + uri.size() + query.size() + headers.block.size() + 200);
    out.append(method).append("\n").append(uri).append("\n").append(query).append("\n");
    out.append(headers.block).append("\n").append(headers.signed_headers).append("\n").append(payload_hash);
    return out;
}

std::string amz_date(std::chrono::system_clock::time_point time) {
    std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
    std::string out;
    out.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
    return out;
}

std::string string_to_sign(std::string_view date_time, std::string_view scope, std::string_view creq) {
    std::string out = "AWS4-HMAC-SHA256\n";
    out.append(date_time).append("\n").append(scope).append("\n").append(sha256_hex(creq));
    return out;
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
    std::string k = "AWS4";
    k.append(secret);
    auto k_date = hmac_sha256(k, date);
    auto k_region = hmac_sha256(k_date, region);
    auto k_service = hmac_sha256(k_region, service);
    return hmac_sha256(k_service, "aws4_request");
}

std::string signature(std::string_view key, std::string_view sts) { return hex(hmac_sha256(key, sts)); }

std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view sig) {
    std::string out = "AWS4-HMAC-SHA256 Credential=";
    out.append(access_key_id).append("/").append(scope);
    out.append(", SignedHeaders=").append(signed_headers).append(", Signature=").append(sig);
    return out;
}

Authorization parse_authorization(std::string_view value) {
    auto fail = [&](const std::string& why) -> ConfigError {
        return ConfigError("Authorization header '" + std::string(value) + "': " + why);
    };
    constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
    if (!value.starts_with(algorithm)) throw fail("not AWS4-HMAC-SHA256");
    std::string_view rest = value.substr(algorithm.size());
    Authorization out;
    bool have_credential = false, have_signed = false, have_signature = false;
    while (!rest.empty()) {
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) rest.remove_prefix(1);
        auto end = rest.find(',');
        auto part = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos) throw fail("component '" + std::string(part) + "' has no '='");
        auto key = part.substr(0, eq);
        auto val = part.substr(eq + 1);
        if (key == "Credential") {
            std::vector<std::string_view> fields;
            std::size_t start = 0;
            while (true) {
                auto slash = val.find('/', start);
                fields.push_back(val.substr(start, slash - start));
                if (slash == std::string_view::npos) break;
                start = slash + 1;
            }
            if (fields.size() != 5 || fields[4] != "aws4_request") {
                throw fail("Credential must be <key>/<date>/<region>/<service>/aws4_request");
            }
            out.access_key_id = fields[0];
            out.date = fields[1];
            out.region = fields[2];
            out.service = fields[3];
            have_credential = true;
        } else if (key == "SignedHeaders") {
            std::size_t start = 0;
            while (start <= val.size()) {
                auto semi = val.find(';', start);
                if (semi == std::string_view::npos) semi = val.size();
                if (semi > start) out.signed_headers.emplace_back(val.substr(start, semi - start));
                start = semi + 1;
            }
            have_signed = true;
        } else if (key == "Signature") {
            out.signature = val;
            have_signature = true;
        }
    }
    if (!have_credential) throw fail("missing Credential");
    if (!have_signed) throw fail("missing SignedHeaders");
    if (!have_signature) throw fail("missing Signature");
    return out;
}

Signed sign(HttpRequest& request, const Credentials& credentials, const SigningParams& params) {
    Url url = parse_url(request.url);
    auto remove = [&](std::string_view name) {
        std::erase_if(request.headers, [&](const auto& h) { return lower(h.first) == name; });
    };
    remove("authorization");
    remove("x-amz-date");
    if (!request.header("host")) request.headers.emplace_back("Host", url.authority());
    const std::string date_time = amz_date(params.time);
    request.headers.emplace_back("X-Amz-Date", date_time);
    const bool token = !credentials.session_token.empty();
    if (token) {
        remove("x-amz-security-token");
        if (params.sign_session_token) request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    }
    if (params.add_content_sha256) {
        remove("x-amz-content-sha256");
        request.headers.emplace_back("X-Amz-Content-Sha256", sha256_hex(request.body));
    }
    Signed out;
    auto names = signable_names(request.headers);
    auto headers = canonical_headers(request.headers, names);
    out.canonical_request = canonical_request(request.method, canonical_uri(url.path, params.path_normalization, params.path_encoding),
                                              canonical_query(url.query), headers, sha256_hex(request.body));
    auto scope = credential_scope(std::string_view(date_time).substr(0, 8), params.region, params.service);
    out.string_to_sign = string_to_sign(date_time, scope, out.canonical_request);
    out.signature = signature(
        signing_key(credentials.secret_access_key, date_time.substr(0, 8), params.region, params.service),
        out.string_to_sign);
    out.authorization = authorization_header(credentials.access_key_id, scope, headers.signed_headers, out.signature);
    if (token && !params.sign_session_token) request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    request.headers.emplace_back("Authorization", out.authorization);
    return out;
}

Signed presign(HttpRequest& request, const Credentials& credentials, const SigningParams& params,
               std::chrono::seconds expires) {
    Url url = parse_url(request.url);
    if (!request.header("host")) request.headers.emplace_back("Host", url.authority());
    const std::string date_time = amz_date(params.time);
    const std::string date = date_time.substr(0, 8);
    const auto scope = credential_scope(date, params.region, params.service);
    auto headers = canonical_headers(request.headers, signable_names(request.headers));
    auto add = [&](std::string_view name, std::string_view value) {
        if (!url.query.empty()) url.query.push_back('&');
        url.query.append(name).append("=").append(uri_encode(value));
    };
    add("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    add("X-Amz-Credential", credentials.access_key_id + "/" + scope);
    add("X-Amz-Date", date_time);
    add("X-Amz-SignedHeaders", headers.signed_headers);
    add("X-Amz-Expires", std::to_string(expires.count()));
    const bool token = !credentials.session_token.empty();
    if (token && params.sign_session_token) add("X-Amz-Security-Token", credentials.session_token);
    Signed out;
    out.canonical_request = canonical_request(request.method, canonical_uri(url.path, params.path_normalization, params.path_encoding),
                                              canonical_query(url.query), headers, sha256_hex(request.body));
    out.string_to_sign = string_to_sign(date_time, scope, out.canonical_request);
    out.signature = signature(signing_key(credentials.secret_access_key, date, params.region, params.service),
                              out.string_to_sign);
    if (token && !params.sign_session_token) add("X-Amz-Security-Token", credentials.session_token);
    add("X-Amz-Signature", out.signature);
    request.url = url.str();
    return out;
}

std::string expected_signature(std::string_view method, std::string_view path, std::string_view query,
                               const Headers& headers, std::string_view body, const Authorization& authorization,
                               std::string_view secret_access_key, PathNormalization normalization,
                               PathEncoding encoding) {
    const std::string* date_time = find_header(headers, "x-amz-date");
    if (!date_time) return {};
    auto canonical = canonical_headers(headers, authorization.signed_headers);
    auto creq = canonical_request(method, canonical_uri(path, normalization, encoding), canonical_query(query), canonical,
                                  sha256_hex(body));
    auto sts = string_to_sign(*date_time, authorization.scope(), creq);
    return signature(signing_key(secret_access_key, authorization.date, authorization.region, authorization.service),
                     sts);
}

bool verify(const HttpRequest& request, const Authorization& authorization, std::string_view secret_access_key) {
    std::string_view path = request.url, query;
    if (request.url.find("://") != std::string::npos) {
        Url url = parse_url(request.url);
        auto expected = expected_signature(request.method, url.path, url.query, request.headers, request.body,
                                           authorization, secret_access_key);
        return !expected.empty() && expected == authorization.signature;
    }
    std::tie(path, query) = split_path_query(request.url);
    auto expected = expected_signature(request.method, path.empty() ? "/" : path, query, request.headers,
                                       request.body, authorization, secret_access_key);
    return !expected.empty() && expected == authorization.signature;
}

}  // namespace sfn::aws::sigv4
