// Which credentials a Session with a custom endpoint signs with: the chain first (as the AWS CLI with
// --endpoint-url), dummy keys only when nothing is configured and the endpoint is a loopback address.
#include "sfn/aws/errors.hpp"
#include "sfn/session/session.hpp"

#include <gtest/gtest.h>

namespace {

using sfn::session::Session;
using sfn::session::SessionOptions;

// An environment with no shared files (paths that do not exist) plus `vars`.
sfn::aws::Environment isolated(std::map<std::string, std::string> vars = {}) {
    vars.emplace("AWS_CONFIG_FILE", "/nonexistent/sfn-test/config");
    vars.emplace("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sfn-test/credentials");
    vars.emplace("HOME", "/nonexistent/sfn-test");
    return sfn::aws::Environment::from_map(std::move(vars));
}

Session endpoint_session(std::string url, sfn::aws::Environment env) {
    SessionOptions options;
    options.region = "us-east-1";
    options.endpoint_url = std::move(url);
    options.environment = std::move(env);
    return Session(std::move(options));
}

TEST(EndpointCredentials, KeysInTheEnvironmentAreUsedWithAnEndpoint) {
    auto env = isolated({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "env-secret"}});
    for (const char* url : {"http://127.0.0.1:8083", "https://vpce-1.states.us-east-1.vpce.amazonaws.com"}) {
        auto credentials = endpoint_session(url, env).credentials();
        EXPECT_EQ(credentials.access_key_id, "AKIDENV") << url;
        EXPECT_EQ(credentials.secret_access_key, "env-secret") << url;
        EXPECT_EQ(credentials.source, "environment") << url;
    }
}

TEST(EndpointCredentials, NothingConfiguredGivesDummyKeysOnlyForLoopback) {
    for (const char* url : {"http://127.0.0.1:8083", "http://localhost:4566", "http://sfn.localhost", "http://[::1]:1"}) {
        EXPECT_EQ(endpoint_session(url, isolated()).credentials().access_key_id, "sfn-local") << url;
    }
    for (const char* url : {"https://states.eu-west-1.amazonaws.com", "http://10.0.0.7:8083", "http://127.example.com"}) {
        EXPECT_THROW(static_cast<void>(endpoint_session(url, isolated()).credentials()), sfn::aws::CredentialsError)
            << url;
    }
}

TEST(EndpointCredentials, AChosenProfileIsNeverReplacedByDummyKeys) {
    auto env = isolated({{"AWS_PROFILE", "dev"}});
    EXPECT_THROW(static_cast<void>(endpoint_session("http://127.0.0.1:8083", env).credentials()), sfn::Error);
}

}  // namespace
