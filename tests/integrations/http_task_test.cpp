// The HTTP Task against a loopback HTTP server started by each test: every request field, URL-encoded bodies,
// connections (API key, basic, OAuth client credentials, invocation parameters), 4xx/5xx and timeouts.
#include "sfn/integrations/http_task.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <thread>

namespace sfn::integrations {
namespace {

using nlohmann::json;

const std::string api_key_arn = "arn:aws:events:us-east-1:123456789012:connection/key/1";
const std::string basic_arn = "arn:aws:events:us-east-1:123456789012:connection/basic/1";
const std::string oauth_arn = "arn:aws:events:us-east-1:123456789012:connection/oauth/1";

// Records the last request; answers by path.
class Loopback {
public:
    Loopback() {
        server_.Get("/items", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            res.set_header("X-Trace", "a");
            res.set_content(R"({"items":[1,2]})", "application/json");
        });
        server_.Post("/items", [this](const httplib::Request& r, httplib::Response& res) {
            keep(r);
            res.status = 201;
            res.set_content("created", "text/plain");
        });
        server_.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
            res.status = 404;
            res.set_content(R"({"message":"no such item"})", "application/json");
        });
        server_.Get("/broken", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
        server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
            std::this_thread::sleep_for(std::chrono::seconds(3));
            res.set_content("late", "text/plain");
        });
        server_.Post("/token", [this](const httplib::Request& r, httplib::Response& res) {
            keep_token(r);
            res.set_content(R"({"access_token":"tok-123","token_type":"Bearer"})", "application/json");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~Loopback() {
        server_.stop();
        thread_.join();
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    httplib::Request last() {
        std::lock_guard lock(mutex_);
        return last_;
    }
    httplib::Request token_request() {
        std::lock_guard lock(mutex_);
        return token_;
    }

private:
    void keep(const httplib::Request& r) {
        std::lock_guard lock(mutex_);
        last_ = r;
    }
    void keep_token(const httplib::Request& r) {
        std::lock_guard lock(mutex_);
        token_ = r;
    }
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    httplib::Request last_;
    httplib::Request token_;
};

class FixedConnections final : public ConnectionResolver {
public:
    explicit FixedConnections(std::string token_url) {
        connections_[api_key_arn] = parse_connection(json::parse(R"({"AuthorizationType": "API_KEY",
            "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "s3cr3t"},
              "InvocationHttpParameters": {"HeaderParameters": [{"Key": "x-team", "Value": "orders"}],
                "QueryStringParameters": [{"Key": "tenant", "Value": "t1"}],
                "BodyParameters": [{"Key": "source", "Value": "sfn"}]}}})"), "key");
        connections_[basic_arn] = parse_connection(json::parse(R"({"AuthorizationType": "BASIC",
            "AuthParameters": {"BasicAuthParameters": {"Username": "user", "Password": "pass"}}})"), "basic");
        json oauth = json::parse(R"({"AuthorizationType": "OAUTH_CLIENT_CREDENTIALS", "AuthParameters": {
            "OAuthParameters": {"HttpMethod": "POST", "ClientParameters": {"ClientID": "id", "ClientSecret": "sec"},
              "OAuthHttpParameters": {"BodyParameters": [{"Key": "scope", "Value": "read"}]}}}})");
        oauth["AuthParameters"]["OAuthParameters"]["AuthorizationEndpoint"] = token_url;
        connections_[oauth_arn] = parse_connection(oauth, "oauth");
    }
    Connection resolve(const std::string& arn) const override {
        auto it = connections_.find(arn);
        if (it == connections_.end()) throw ConnectionError("Events.ConnectionResource.ResourceNotFound", "unknown " + arn);
        return it->second;
    }

private:
    std::map<std::string, Connection> connections_;
};

struct HttpTask : ::testing::Test {
    Loopback server;
    HttpTaskOptions options{.connections = std::make_shared<FixedConnections>(server.url("/token")),
                            .region = "eu-west-1", .timeout = std::chrono::seconds(60), .transport = {}};

    engine::TaskOutcome invoke(json parameters) {
        engine::TaskRequest request;
        request.resource = http_task_resource;
        request.state_name = "Call";
        request.parameters = Value::from_json(parameters);
        return invoke_http_task(request, options);
    }
    json params(const std::string& path, const std::string& method, const std::string& connection = basic_arn) {
        return {{"ApiEndpoint", server.url(path)}, {"Method", method},
                {"Authentication", {{"ConnectionArn", connection}}}};
    }
};

TEST_F(HttpTask, GetSendsHeadersQueryAndConnectionAndShapesTheAnswer) {
    // GIVEN a GET with headers, query parameters and an API-key connection with invocation parameters
    auto p = params("/items", "GET", api_key_arn);
    p["Headers"] = {{"Accept", "application/json"}, {"x-count", 3}};
    p["QueryParameters"] = {{"q", "a b"}, {"ids", json::array({"1", "2"})}};
    // WHEN it runs
    const auto outcome = invoke(p);
    // THEN the server saw every field, and the result has AWS's shape
    ASSERT_EQ(outcome.kind, engine::TaskOutcome::Kind::RawResult) << outcome.error << ": " << outcome.cause;
    const auto seen = server.last();
    EXPECT_EQ(seen.get_header_value("x-api-key"), "s3cr3t");
    EXPECT_EQ(seen.get_header_value("x-team"), "orders");
    EXPECT_EQ(seen.get_header_value("x-count"), "3");
    EXPECT_EQ(seen.get_header_value("User-Agent"), "Amazon|StepFunctions|HttpInvoke|eu-west-1");
    EXPECT_EQ(seen.get_header_value("Range"), "bytes=0-262144");
    EXPECT_EQ(seen.get_param_value("q"), "a b");
    EXPECT_EQ(seen.get_param_value_count("ids"), 2U);
    EXPECT_EQ(seen.get_param_value("tenant"), "t1");
    const json result = json::parse(outcome.value.dump());
    // httplib honours the Range header Step Functions sends (bytes=0-262144): a partial answer of the whole body.
    EXPECT_EQ(result["StatusCode"], 206);
    EXPECT_EQ(result["StatusText"], "Partial Content");
    EXPECT_EQ(result["ResponseBody"], (json{{"items", {1, 2}}}));
    EXPECT_EQ(result["Headers"]["X-Trace"], json::array({"a"}));
}

TEST_F(HttpTask, PostSendsTheJsonBodyMergedWithTheConnectionsBodyParameters) {
    auto p = params("/items", "POST", api_key_arn);
    p["RequestBody"] = {{"name", "x"}, {"source", "mine"}};
    const auto outcome = invoke(p);
    ASSERT_EQ(outcome.kind, engine::TaskOutcome::Kind::RawResult) << outcome.cause;
    const auto seen = server.last();
    EXPECT_EQ(json::parse(seen.body), (json{{"name", "x"}, {"source", "sfn"}}));
    EXPECT_EQ(seen.get_header_value("Content-Type"), "application/json; charset=UTF-8");
    const json result = json::parse(outcome.value.dump());
    EXPECT_EQ(result["StatusCode"], 201);
    EXPECT_EQ(result["StatusText"], "Created");
    EXPECT_EQ(result["ResponseBody"], "created");
}

TEST_F(HttpTask, UrlEncodedBodiesFollowTheArrayFormat) {
    const Value body = Value::parse(R"({"array":["a","b","c"],"s":"x y","o":{"k":1}})");
    EXPECT_EQ(url_encode_form(body), "array[0]=a&array[1]=b&array[2]=c&s=x%20y&o[k]=1");
    EXPECT_EQ(url_encode_form(body, "REPEAT"), "array=a&array=b&array=c&s=x%20y&o[k]=1");
    EXPECT_EQ(url_encode_form(body, "COMMAS"), "array=a%2Cb%2Cc&s=x%20y&o[k]=1");
    EXPECT_EQ(url_encode_form(body, "BRACKETS"), "array[]=a&array[]=b&array[]=c&s=x%20y&o[k]=1");
    EXPECT_THROW((void)url_encode_form(body, "COMMA"), sfn::Error);

    auto p = params("/items", "POST");
    p["RequestBody"] = {{"array", {"a", "b"}}};
    p["Transform"] = {{"RequestBodyEncoding", "URL_ENCODED"}, {"RequestEncodingOptions", {{"ArrayFormat", "BRACKETS"}}}};
    ASSERT_EQ(invoke(p).kind, engine::TaskOutcome::Kind::RawResult);
    EXPECT_EQ(server.last().body, "array[]=a&array[]=b");
    EXPECT_EQ(server.last().get_header_value("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(server.last().get_header_value("Authorization"), "Basic dXNlcjpwYXNz");
}

TEST_F(HttpTask, OAuthClientCredentialsFetchesABearerToken) {
    ASSERT_EQ(invoke(params("/items", "GET", oauth_arn)).kind, engine::TaskOutcome::Kind::RawResult);
    EXPECT_EQ(server.last().get_header_value("Authorization"), "Bearer tok-123");
    const auto token = server.token_request();
    EXPECT_EQ(token.get_header_value("Authorization"), "Basic aWQ6c2Vj");
    EXPECT_EQ(token.body, "grant_type=client_credentials&scope=read");
}

TEST_F(HttpTask, ErrorStatusesFailWithTheStatusCodeAndText) {
    auto missing = invoke(params("/missing", "GET"));
    EXPECT_EQ(missing.kind, engine::TaskOutcome::Kind::Failure);
    EXPECT_EQ(missing.error, "States.Http.StatusCode.404");
    EXPECT_EQ(missing.cause, "Not Found");
    auto broken = invoke(params("/broken", "GET"));
    EXPECT_EQ(broken.error, "States.Http.StatusCode.503");
    EXPECT_EQ(broken.cause, "Service Unavailable");
}

TEST_F(HttpTask, NoAnswerInTimeIsAnHttpSocketError) {
    options.timeout = std::chrono::seconds(1);
    const auto outcome = invoke(params("/slow", "GET"));
    EXPECT_EQ(outcome.error, "States.Http.Socket");
    EXPECT_NE(outcome.cause.find(server.url("/slow")), std::string::npos) << outcome.cause;
}

TEST_F(HttpTask, BadParametersAndConnectionsFailClearly) {
    auto p = params("/items", "GET");
    p["Headers"] = {{"Host", "evil"}};
    auto outcome = invoke(p);
    EXPECT_EQ(outcome.error, "States.Runtime");
    EXPECT_EQ(outcome.cause, "An error occurred while executing the state 'Call': Headers: the header 'Host' cannot be "
                             "set by an HTTP Task");
    outcome = invoke({{"ApiEndpoint", server.url("/items")}, {"Method", "GET"}});
    EXPECT_EQ(outcome.error, "States.Runtime");
    EXPECT_NE(outcome.cause.find("Authentication.ConnectionArn is required"), std::string::npos);
    outcome = invoke(params("/items", "FETCH"));
    EXPECT_NE(outcome.cause.find("Method must be one of"), std::string::npos);
    outcome = invoke(params("/items", "GET", "arn:aws:events:us-east-1:123456789012:connection/none/1"));
    EXPECT_EQ(outcome.error, "Events.ConnectionResource.ResourceNotFound");
}

TEST(Connections, MalformedFileEntriesNameThePointer) {
    EXPECT_THROW(
        {
            try {
                (void)parse_connection(json::parse(R"({"AuthorizationType":"API_KEY","AuthParameters":{}})"), "f: /c");
            } catch (const sfn::Error& e) {
                EXPECT_STREQ(e.what(), "[sfn.integrations.E002] f: /c/AuthParameters/ApiKeyAuthParameters: expected an object");
                throw;
            }
        },
        sfn::Error);
}

}  // namespace
}  // namespace sfn::integrations
