// Endpoint resolution for any service: the configured overrides in botocore's order, then AWS's endpoints.
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

using namespace sfn::aws;

namespace {

struct Endpoints : ::testing::Test {
    sfn::testing::TempDir dir;
    std::map<std::string, std::string> vars;
    std::shared_ptr<const ServiceModel> dynamodb = ServiceModel::load("dynamodb");

    void config(const std::string& text) { vars["AWS_CONFIG_FILE"] = dir.write("config", text).string(); }
    std::string resolve(const ServiceModel& model, const std::optional<std::string>& profile = std::nullopt,
                        std::string_view region = "eu-west-1") {
        vars.try_emplace("HOME", dir.path().string());
        return resolve_endpoint(model, region, Environment::from_map(vars), profile);
    }
};

const char* kConfig = R"([profile local]
services = local-services
endpoint_url = http://profile-global:1

[profile plain]
endpoint_url = http://plain:2

[profile broken]
services = missing

[services local-services]
dynamodb =
  endpoint_url = http://services-dynamodb:3
secrets_manager =
  endpoint_url = http://services-secrets:4
)";

}  // namespace

TEST_F(Endpoints, DefaultIsTheRegionalEndpointOfTheEndpointPrefix) {
    EXPECT_EQ(resolve(*dynamodb), "https://dynamodb.eu-west-1.amazonaws.com");
    EXPECT_EQ(resolve(*dynamodb, std::nullopt, "cn-north-1"), "https://dynamodb.cn-north-1.amazonaws.com.cn");
    EXPECT_EQ(resolve(*ServiceModel::load("events")), "https://events.eu-west-1.amazonaws.com");
    EXPECT_EQ(resolve(*ServiceModel::load("sts")), "https://sts.eu-west-1.amazonaws.com");
}

TEST_F(Endpoints, GlobalServicesAndS3InUsEast1UseTheirSingleEndpoint) {
    EXPECT_EQ(resolve(*ServiceModel::load("iam")), "https://iam.amazonaws.com");
    EXPECT_EQ(resolve(*ServiceModel::load("iam"), std::nullopt, "cn-north-1"), "https://iam.cn-north-1.amazonaws.com.cn");
    EXPECT_EQ(resolve(*ServiceModel::load("iam"), std::nullopt, "us-gov-west-1"), "https://iam.us-gov.amazonaws.com");
    EXPECT_EQ(resolve(*ServiceModel::load("s3"), std::nullopt, "us-east-1"), "https://s3.amazonaws.com");
    EXPECT_EQ(resolve(*ServiceModel::load("s3")), "https://s3.eu-west-1.amazonaws.com");
}

TEST_F(Endpoints, ServiceSpecificVariableWinsOverEverything) {
    config(kConfig);
    vars["AWS_ENDPOINT_URL_DYNAMODB"] = "http://env-dynamodb:5";
    vars["AWS_ENDPOINT_URL"] = "http://env-global:6";
    EXPECT_EQ(resolve(*dynamodb, "local"), "http://env-dynamodb:5");
}

TEST_F(Endpoints, ServiceIdWithASpaceBecomesAnUnderscore) {
    config(kConfig);
    vars["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://env-secrets:7";
    EXPECT_EQ(resolve(*ServiceModel::load("secretsmanager")), "http://env-secrets:7");
    vars.erase("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    EXPECT_EQ(resolve(*ServiceModel::load("secretsmanager"), "local"), "http://services-secrets:4");
}

TEST_F(Endpoints, GlobalVariableComesBeforeTheConfigFile) {
    // botocore's order: both variables, then the services section, then the profile's endpoint_url
    config(kConfig);
    vars["AWS_ENDPOINT_URL"] = "http://env-global:6";
    EXPECT_EQ(resolve(*dynamodb, "local"), "http://env-global:6");
}

TEST_F(Endpoints, ServicesSectionComesBeforeTheProfilesEndpointUrl) {
    config(kConfig);
    EXPECT_EQ(resolve(*dynamodb, "local"), "http://services-dynamodb:3");
    EXPECT_EQ(resolve(*ServiceModel::load("sqs"), "local"), "http://profile-global:1");
    EXPECT_EQ(resolve(*dynamodb, "plain"), "http://plain:2");
}

TEST_F(Endpoints, ProfileComesFromAwsProfileWhenNotGiven) {
    config(kConfig);
    vars["AWS_PROFILE"] = "plain";
    EXPECT_EQ(resolve(*dynamodb), "http://plain:2");
}

TEST_F(Endpoints, IgnoreConfiguredEndpointUrlsFallsBackToAws) {
    config(kConfig);
    vars["AWS_ENDPOINT_URL_DYNAMODB"] = "http://env-dynamodb:5";
    vars["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
    EXPECT_EQ(resolve(*dynamodb, "local"), "https://dynamodb.eu-west-1.amazonaws.com");
}

TEST_F(Endpoints, MissingServicesSectionIsAConfigError) {
    config(kConfig);
    try {
        (void)resolve(*dynamodb, "broken");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E004] " + vars["AWS_CONFIG_FILE"] +
                                             ": profile 'broken' names services section 'missing', which does not exist");
    }
}
