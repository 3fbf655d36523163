// Credential and region resolution from temporary files and a fake environment (never the real home).
#include "aws/fake_transport.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.hpp"

using namespace sfn::aws;
namespace fs = std::filesystem;

namespace {

using sfn::testing::TempDir;

const char* kTwoProfilesCredentials = R"(# comment
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = secret-default

[dev]
aws_access_key_id=AKIADEV
aws_secret_access_key=secret-dev
aws_session_token = token-dev
)";

const char* kTwoProfilesConfig = R"([default]
region = eu-west-1

[profile dev]
region = ap-southeast-2
services = local-sfn

[services local-sfn]
sfn =
  endpoint_url = http://127.0.0.1:9999
)";

struct Fixture : ::testing::Test {
    TempDir dir;
    std::map<std::string, std::string> vars;

    void SetUp() override {
        vars["HOME"] = dir.path().string();  // never the real home
        vars["AWS_SHARED_CREDENTIALS_FILE"] = dir.write("credentials", kTwoProfilesCredentials).string();
        vars["AWS_CONFIG_FILE"] = dir.write("config", kTwoProfilesConfig).string();
    }
    Environment env() const { return Environment::from_map(vars); }
};

TEST_F(Fixture, DefaultProfileGivesItsKeysAndRegion) {
    auto c = default_credentials_chain({}, env())->get();
    EXPECT_EQ(c.access_key_id, "AKIADEFAULT");
    EXPECT_EQ(c.secret_access_key, "secret-default");
    EXPECT_EQ(c.source, "shared-credentials-file");
    EXPECT_EQ(resolve_region({}, env()), "eu-west-1");
}

TEST_F(Fixture, ExplicitProfileWinsOverEnvironmentKeys) {
    vars["AWS_ACCESS_KEY_ID"] = "AKIAENV";
    vars["AWS_SECRET_ACCESS_KEY"] = "secret-env";
    auto c = default_credentials_chain({"dev", std::nullopt}, env())->get();
    EXPECT_EQ(c.access_key_id, "AKIADEV");
    EXPECT_EQ(c.session_token, "token-dev");
    EXPECT_EQ(resolve_region({"dev", std::nullopt}, env()), "ap-southeast-2");
}

TEST_F(Fixture, EnvironmentKeysWinOverAwsProfile) {
    vars["AWS_ACCESS_KEY_ID"] = "AKIAENV";
    vars["AWS_SECRET_ACCESS_KEY"] = "secret-env";
    vars["AWS_SESSION_TOKEN"] = "tok";
    vars["AWS_PROFILE"] = "dev";
    auto c = default_credentials_chain({}, env())->get();
    EXPECT_EQ(c.access_key_id, "AKIAENV");
    EXPECT_EQ(c.session_token, "tok");
    EXPECT_EQ(c.source, "environment");
}

TEST_F(Fixture, AwsProfileSelectsTheProfile) {
    vars["AWS_PROFILE"] = "dev";
    EXPECT_EQ(default_credentials_chain({}, env())->get().access_key_id, "AKIADEV");
    EXPECT_EQ(resolve_profile_name({}, env()), "dev");
}

TEST_F(Fixture, RegionFromEnvironmentBeatsProfileAndExplicitBeatsAll) {
    vars["AWS_DEFAULT_REGION"] = "us-west-1";
    EXPECT_EQ(resolve_region({}, env()), "us-west-1");
    vars["AWS_REGION"] = "us-west-2";
    EXPECT_EQ(resolve_region({}, env()), "us-west-2");
    EXPECT_EQ(resolve_region({std::nullopt, "sa-east-1"}, env()), "sa-east-1");
}

TEST_F(Fixture, UnknownProfileNamesTheProfileAndBothFiles) {
    try {
        default_credentials_chain({"nope", std::nullopt}, env())->get();
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E004] profile 'nope' not found in " + vars["AWS_SHARED_CREDENTIALS_FILE"] +
                                             " or " + vars["AWS_CONFIG_FILE"]);
    }
}

TEST_F(Fixture, MissingRegionNamesProfileAndFile) {
    dir.write("config", "[profile other]\nregion = x\n");
    try {
        static_cast<void>(resolve_region({}, env()));
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "[sfn.aws.E004] no region: pass --region, set AWS_REGION, or add 'region' to profile 'default' in " +
                      vars["AWS_CONFIG_FILE"]);
    }
}

TEST_F(Fixture, HalfAKeyPairNamesFileSectionAndMissingKey) {
    dir.write("credentials", "[default]\naws_access_key_id = AKIA\n");
    try {
        default_credentials_chain({}, env())->get();
        FAIL();
    } catch (const CredentialsError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E003] " + vars["AWS_SHARED_CREDENTIALS_FILE"] +
                                             ": [default] has aws_access_key_id but no aws_secret_access_key");
    }
}

TEST_F(Fixture, MalformedFileNamesFileAndLine) {
    dir.write("credentials", "[default]\naws_access_key_id = AKIA\nthis line is junk\n");
    try {
        default_credentials_chain({}, env())->get();
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E004] " + vars["AWS_SHARED_CREDENTIALS_FILE"] +
                                             ":3: expected 'key = value' or '[section]', got 'this line is junk'");
    }
}

TEST_F(Fixture, NoCredentialsAnywhereIsAClearError) {
    vars.erase("AWS_SHARED_CREDENTIALS_FILE");
    vars.erase("AWS_CONFIG_FILE");
    try {
        default_credentials_chain({}, env())->get();
        FAIL();
    } catch (const CredentialsError& e) {
        EXPECT_NE(std::string(e.what()).find("no AWS credentials found"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(dir.path().string() + "/.aws/credentials"), std::string::npos);
    }
}

TEST_F(Fixture, ConfigFileKeysAndProfileDefaultHeaderWork) {
    dir.write("credentials", "");
    dir.write("config", "[profile default]\naws_access_key_id = AKIACONF\naws_secret_access_key = s\n");
    EXPECT_EQ(default_credentials_chain({}, env())->get().source, "config-file");
}

TEST_F(Fixture, CredentialProcessOutputIsUsed) {
    auto script = dir.write("creds.sh",
                            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", \"SecretAccessKey\": "
                            "\"sp\", \"SessionToken\": \"tp\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'\n");
    fs::permissions(script, fs::perms::owner_all);
    dir.write("config", "[profile proc]\ncredential_process = " + script.string() + "\nregion = us-east-2\n");
    auto c = default_credentials_chain({"proc", std::nullopt}, env())->get();
    EXPECT_EQ(c.access_key_id, "AKIAPROC");
    EXPECT_EQ(c.session_token, "tp");
    ASSERT_TRUE(c.expiration.has_value());
    EXPECT_EQ(c.source, "credential-process");
}

TEST_F(Fixture, FailingCredentialProcessNamesFileProfileAndCommand) {
    dir.write("config", "[profile proc]\ncredential_process = false\n");
    try {
        default_credentials_chain({"proc", std::nullopt}, env())->get();
        FAIL();
    } catch (const CredentialsError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E003] " + vars["AWS_CONFIG_FILE"] +
                                             " [profile proc]: credential_process 'false' failed (exit status 1)");
    }
}

const char* kAssumeRoleXml = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>role-secret</SecretAccessKey>
      <SessionToken>role-token&amp;more</SessionToken>
      <Expiration>2999-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";

TEST_F(Fixture, AssumeRoleProfileCallsStsWithSourceProfileKeysOnceAndCaches) {
    dir.write("config", std::string(kTwoProfilesConfig) +
                            "\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\n"
                            "source_profile = dev\nrole_session_name = me\nregion = us-east-1\n");
    auto sts = std::make_shared<sfn::testing::FakeTransport>();
    sts->push(200, kAssumeRoleXml);
    auto provider = default_credentials_chain({"admin", std::nullopt}, env(), sts);
    auto c = provider->get();
    EXPECT_EQ(c.access_key_id, "ASIAROLE");
    EXPECT_EQ(c.session_token, "role-token&more");
    EXPECT_EQ(provider->get().access_key_id, "ASIAROLE");  // cached: no second STS call
    ASSERT_EQ(sts->requests.size(), 1u);
    const auto& r = sts->requests[0];
    EXPECT_EQ(r.url, "https://sts.us-east-1.amazonaws.com/");
    EXPECT_EQ(r.body,
              "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FAdmin"
              "&RoleSessionName=me");
    auto auth = sigv4::parse_authorization(*r.header("Authorization"));
    EXPECT_EQ(auth.access_key_id, "AKIADEV");
    EXPECT_EQ(auth.service, "sts");
    EXPECT_EQ(*r.header("X-Amz-Security-Token"), "token-dev");
    EXPECT_TRUE(sigv4::verify(r, auth, "secret-dev"));
}

TEST_F(Fixture, AssumeRoleErrorsSurfaceWithTheStsCode) {
    dir.write("config", "[profile admin]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = dev\n");
    auto sts = std::make_shared<sfn::testing::FakeTransport>();
    sts->push(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message>"
                   "</Error><RequestId>r-9</RequestId></ErrorResponse>");
    try {
        default_credentials_chain({"admin", std::nullopt}, env(), sts)->get();
        FAIL();
    } catch (const ServiceError& e) {
        EXPECT_TRUE(e.is("AccessDenied"));
        EXPECT_EQ(e.request_id(), "r-9");
        EXPECT_EQ(e.http_status(), 403);
    }
}

TEST_F(Fixture, SourceProfileCycleIsAnError) {
    dir.write("credentials", "");
    dir.write("config", "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
                        "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n");
    EXPECT_THROW(default_credentials_chain({"a", std::nullopt}, env())->get(), ConfigError);
}

TEST_F(Fixture, WebIdentityTokenFileFromEnvironment) {
    vars.erase("AWS_SHARED_CREDENTIALS_FILE");
    vars.erase("AWS_CONFIG_FILE");
    vars["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/Web";
    vars["AWS_WEB_IDENTITY_TOKEN_FILE"] = dir.write("token", "jwt-token").string();
    vars["AWS_ROLE_SESSION_NAME"] = "web";
    vars["AWS_REGION"] = "eu-central-1";
    auto sts = std::make_shared<sfn::testing::FakeTransport>();
    sts->push(200, std::string(kAssumeRoleXml));
    auto c = default_credentials_chain({}, env(), sts)->get();
    EXPECT_EQ(c.access_key_id, "ASIAROLE");
    ASSERT_EQ(sts->requests.size(), 1u);
    EXPECT_EQ(sts->requests[0].header("Authorization"), nullptr);  // unsigned call
    EXPECT_NE(sts->requests[0].body.find("WebIdentityToken=jwt-token"), std::string::npos);
    EXPECT_EQ(sts->requests[0].url, "https://sts.eu-central-1.amazonaws.com/");
}

TEST_F(Fixture, EndpointUrlFromEnvironmentThenServicesSection) {
    EXPECT_EQ(resolve_endpoint_url({"dev", std::nullopt}, env()), "http://127.0.0.1:9999");
    EXPECT_EQ(resolve_endpoint_url({}, env()), std::nullopt);
    vars["AWS_ENDPOINT_URL"] = "http://generic";
    EXPECT_EQ(resolve_endpoint_url({}, env()), "http://generic");
    vars["AWS_ENDPOINT_URL_SFN"] = "http://sfn-only";
    EXPECT_EQ(resolve_endpoint_url({}, env()), "http://sfn-only");
    vars["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
    EXPECT_EQ(resolve_endpoint_url({}, env()), std::nullopt);
}

TEST_F(Fixture, ConfigurationPresenceDecidesLocalVersusAws) {
    EXPECT_TRUE(aws_configuration_present(env()));
    vars.erase("AWS_SHARED_CREDENTIALS_FILE");
    vars.erase("AWS_CONFIG_FILE");
    EXPECT_FALSE(aws_configuration_present(env()));
    vars["AWS_PROFILE"] = "x";
    EXPECT_TRUE(aws_configuration_present(env()));
}

TEST(Credentials, ExpiryIsCheckedAgainstAMargin) {
    auto now = std::chrono::system_clock::now();
    Credentials c{"a", "b", "t", now + std::chrono::minutes(3), "x"};
    EXPECT_TRUE(c.expires_within(std::chrono::minutes(5), now));
    EXPECT_FALSE(c.expires_within(std::chrono::minutes(1), now));
    Credentials forever{"a", "b", "", std::nullopt, "x"};
    EXPECT_FALSE(forever.expires_within(std::chrono::hours(1000), now));
}

}  // namespace
