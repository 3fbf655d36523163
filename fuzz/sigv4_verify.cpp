// SigV4 verification of arbitrary requests. The input is a request in the SigV4 test suite's `.sreq` form:
// request line, header lines (`Name:value`, indented lines continue the previous value), a blank line, the
// body. Its Authorization header is parsed and checked as `sfn serve --require-sigv4` does. Then the request
// is signed with the suite's key and must verify: whatever the headers and body, signer and verifier agree.
#include "fuzz_support.hpp"

#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace {

namespace sigv4 = sfn::aws::sigv4;

struct RawRequest {
    std::string method;
    std::string target;  ///< path and query as received
    sfn::aws::Headers headers;
    std::string body;
};

RawRequest read_request(std::string_view text) {
    RawRequest request;
    auto next_line = [&text] {
        const auto end = text.find('\n');
        auto line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    const auto request_line = next_line();
    const auto space = request_line.find(' ');
    request.method = request_line.substr(0, space);
    if (space != std::string_view::npos) {
        auto rest = request_line.substr(space + 1);
        request.target = rest.substr(0, rest.rfind(" HTTP/"));
    }
    while (!text.empty()) {
        const auto line = next_line();
        if (line.empty()) break;
        if ((line.front() == ' ' || line.front() == '\t') && !request.headers.empty()) {
            request.headers.back().second += "\n" + std::string(line);
            continue;
        }
        const auto colon = line.find(':');
        request.headers.emplace_back(line.substr(0, colon),
                                     colon == std::string_view::npos ? std::string() : line.substr(colon + 1));
    }
    request.body = text;
    return request;
}

constexpr std::string_view access_key = "AKIDEXAMPLE";
constexpr std::string_view secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

bool is_signature_header(const std::string& name) {
    for (std::string_view drop : {"authorization", "x-amz-date", "x-amz-security-token"}) {
        if (name.size() == drop.size() &&
            std::equal(name.begin(), name.end(), drop.begin(), [](char a, char b) { return std::tolower(a) == b; })) {
            return true;
        }
    }
    return false;
}

// RFC 9110 token: the only header names a client can send (others cannot be signed meaningfully).
bool is_token(std::string_view name) {
    constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto raw = read_request(sfn::fuzz::as_text(data, size));
    const auto query_start = raw.target.find('?');
    const std::string path = raw.target.substr(0, query_start);
    const std::string query = query_start == std::string::npos ? "" : raw.target.substr(query_start + 1);

    // The verifier's side: whatever the request claims.
    if (const auto* authorization = sfn::aws::find_header(raw.headers, "Authorization")) {
        try {
            const auto auth = sigv4::parse_authorization(*authorization);
            (void)sigv4::expected_signature(raw.method, path, query, raw.headers, raw.body, auth, secret_key);
            sfn::aws::HttpRequest request{raw.method, raw.target, raw.headers, raw.body};
            (void)sigv4::verify(request, auth, secret_key);
        } catch (const sfn::Error&) {
            // a malformed header or URL is reported, not crashed on
        }
    }

    // Sign and verify: the signer's output must always pass the verifier.
    sfn::aws::HttpRequest request;
    request.method = raw.method.empty() ? "GET" : raw.method;
    request.url = "https://example.amazonaws.com" + (raw.target.starts_with('/') ? raw.target : "/" + raw.target);
    for (auto& header : raw.headers) {
        if (is_token(header.first) && !is_signature_header(header.first)) request.headers.push_back(header);
    }
    request.body = raw.body;
    const sfn::aws::Credentials credentials{std::string(access_key), std::string(secret_key), "", std::nullopt, "fuzz"};
    const sigv4::SigningParams params{"us-east-1", "service",
                                      std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))};
    sigv4::Signed signed_request;
    try {
        signed_request = sigv4::sign(request, credentials, params);
    } catch (const sfn::aws::ConfigError&) {
        return 0;  // not a URL the signer accepts
    }
    const auto auth = sigv4::parse_authorization(signed_request.authorization);
    if (!sigv4::verify(request, auth, secret_key)) {
        sfn::fuzz::fail("a request signed by sigv4::sign does not verify", signed_request.canonical_request);
    }
    return 0;
}
