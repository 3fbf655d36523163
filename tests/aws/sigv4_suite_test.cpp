// Data-driven: every case of ../shared/aws/sigv4-testsuite (botocore's top-level cases and aws-c-auth/v4,
// header and query-string signing) must produce the expected canonical request, string to sign and signature.
#include "sfn/aws/sigv4.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace sfn::aws;

namespace {

const fs::path kSuite = fs::path(SFN_SHARED_DIR) / "aws/sigv4-testsuite";
const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream b;
    b << in.rdbuf();
    std::string s = b.str();
    std::erase(s, '\r');
    return s;
}

std::chrono::system_clock::time_point suite_time() {
    using namespace std::chrono;
    return sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36};
}

// Parses the raw request text of a case: request line, headers (folded lines joined), blank line, body.
HttpRequest parse_raw(const std::string& text) {
    HttpRequest request;
    auto head_end = text.find("\n\n");
    std::string head = text.substr(0, head_end);
    request.body = head_end == std::string::npos ? "" : text.substr(head_end + 2);
    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    auto first_space = line.find(' ');
    auto version = line.rfind(" HTTP/");
    request.method = line.substr(0, first_space);
    std::string target = line.substr(first_space + 1, version - first_space - 1);
    while (std::getline(lines, line)) {
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
            request.headers.back().second += "\n" + line;
            continue;
        }
        auto colon = line.find(':');
        request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    request.url = "https://" + *request.header("host") + target;
    return request;
}

struct Case {
    std::string name;
    fs::path dir;
    bool aws_c_auth;
};

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (const auto& entry : fs::recursive_directory_iterator(kSuite)) {
        if (entry.is_regular_file() && entry.path().extension() == ".req") {
            cases.push_back({entry.path().stem().string(), entry.path().parent_path(), false});
        }
        if (entry.is_regular_file() && entry.path().filename() == "context.json") {
            cases.push_back({"v4_" + entry.path().parent_path().filename().string(), entry.path().parent_path(), true});
        }
    }
    std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
    return cases;
}

std::string line_value(const std::string& text, const std::string& prefix) {
    auto pos = text.find("\n" + prefix);
    if (pos == std::string::npos) return {};
    auto end = text.find('\n', pos + 1);
    return text.substr(pos + 1 + prefix.size(), end - pos - 1 - prefix.size());
}

class SigV4Suite : public ::testing::TestWithParam<Case> {};

TEST_P(SigV4Suite, ProducesTheExpectedCanonicalRequestStringToSignAndSignature) {
    const Case& c = GetParam();
    Credentials credentials{"AKIDEXAMPLE", kSecret, "", std::nullopt, "test"};
    sigv4::SigningParams params{"us-east-1", "service", suite_time()};
    if (!c.aws_c_auth) {
        // GIVEN a botocore case: the token, when signed, is in the expected canonical request.
        auto request = parse_raw(slurp(c.dir / (c.name + ".req")));
        auto creq = slurp(c.dir / (c.name + ".creq"));
        credentials.session_token = line_value(creq, "x-amz-security-token:");
        if (auto* token = request.header("x-amz-security-token"); token && credentials.session_token.empty()) {
            credentials.session_token = *token;
        }
        // WHEN it is signed
        auto signed_ = sigv4::sign(request, credentials, params);
        // THEN every intermediate value matches
        EXPECT_EQ(signed_.canonical_request, creq);
        EXPECT_EQ(signed_.string_to_sign, slurp(c.dir / (c.name + ".sts")));
        EXPECT_EQ(signed_.authorization, slurp(c.dir / (c.name + ".authz")));
        return;
    }
    // GIVEN an aws-c-auth case with its context
    auto context = nlohmann::json::parse(slurp(c.dir / "context.json"));
    credentials.session_token = context["credentials"].value("token", "");
    params.region = context["region"];
    params.service = context["service"];
    params.path_normalization = context.value("normalize", true) ? sigv4::PathNormalization::Normalize
                                                                   : sigv4::PathNormalization::Verbatim;
    params.sign_session_token = !context.value("omit_session_token", false);
    params.add_content_sha256 = context.value("sign_body", false);
    {
        // WHEN it is signed with headers THEN the values match
        auto request = parse_raw(slurp(c.dir / "request.txt"));
        auto signed_ = sigv4::sign(request, credentials, params);
        EXPECT_EQ(signed_.canonical_request, slurp(c.dir / "header-canonical-request.txt"));
        EXPECT_EQ(signed_.string_to_sign, slurp(c.dir / "header-string-to-sign.txt"));
        EXPECT_EQ(signed_.signature, slurp(c.dir / "header-signature.txt"));
        auto expected = slurp(c.dir / "header-signed-request.txt");
        EXPECT_NE(expected.find("Authorization:" + signed_.authorization + "\n"), std::string::npos) << expected;
        // AND a verifier that parses the Authorization header accepts it
        auto auth = sigv4::parse_authorization(*request.header("authorization"));
        if (params.path_normalization == sigv4::PathNormalization::Normalize) {
            EXPECT_TRUE(sigv4::verify(request, auth, kSecret));
        }
        EXPECT_FALSE(sigv4::verify(request, auth, "wrong-secret"));
    }
    {
        // WHEN it is presigned (query-string signing) THEN the values and the signed request line match
        params.add_content_sha256 = false;
        auto request = parse_raw(slurp(c.dir / "request.txt"));
        auto signed_ = sigv4::presign(request, credentials, params, std::chrono::seconds(3600));
        EXPECT_EQ(signed_.canonical_request, slurp(c.dir / "query-canonical-request.txt"));
        EXPECT_EQ(signed_.string_to_sign, slurp(c.dir / "query-string-to-sign.txt"));
        EXPECT_EQ(signed_.signature, slurp(c.dir / "query-signature.txt"));
        auto expected_line = slurp(c.dir / "query-signed-request.txt");
        expected_line = expected_line.substr(0, expected_line.find(" HTTP/1.1"));
        auto url = parse_url(request.url);
        EXPECT_EQ(request.method + " " + url.path + "?" + url.query, expected_line);
    }
}

INSTANTIATE_TEST_SUITE_P(AllCases, SigV4Suite, ::testing::ValuesIn(all_cases()),
                         [](const auto& info) {
                             std::string n = info.param.name;
                             for (auto& ch : n) {
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             }
                             return n;
                         });

TEST(SigV4Suite, FindsEveryCaseOfBothHalves) {
    auto cases = all_cases();
    auto v4 = std::count_if(cases.begin(), cases.end(), [](const Case& c) { return c.aws_c_auth; });
    EXPECT_EQ(v4, 38);
    EXPECT_EQ(static_cast<long>(cases.size()) - v4, 34);
}

}  // namespace
