// Finding and reading botocore service models: the search path, the newest API version that has a model,
// plain and gzip files, the metadata accessors.
#include "sfn/aws/service_model.hpp"
#include "sfn/aws/errors.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>

using namespace sfn::aws;
namespace fs = std::filesystem;

namespace {

const char* kModel = R"({"version":"2.0","metadata":{"apiVersion":"%s","endpointPrefix":"demo-api","protocol":"json",
  "jsonVersion":"1.1","serviceId":"Demo Service","signingName":"demosign","targetPrefix":"Demo_%s"},
  "operations":{"DoThing":{"name":"DoThing","input":{"shape":"In"},"output":{"shape":"Out"},
                           "errors":[{"shape":"Gone"}]}},
  "shapes":{"In":{"type":"structure","members":{}},"Out":{"type":"structure","members":{}},
            "Gone":{"type":"structure","members":{},"exception":true,"error":{"code":"Demo.Gone"}}}})";

std::string model_text(const std::string& version) {
    char buffer[2048];
    std::snprintf(buffer, sizeof buffer, kModel, version.c_str(), version.c_str());
    return buffer;
}

void write_gzip(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
}

struct ModelDir : ::testing::Test {
    sfn::testing::TempDir dir;
    void SetUp() override { ::setenv("SFN_AWS_MODELS", dir.path().c_str(), 1); }
    void TearDown() override { ::unsetenv("SFN_AWS_MODELS"); }
    void write_plain(const std::string& relative, const std::string& text) {
        fs::create_directories((dir.path() / relative).parent_path());
        (void)dir.write(relative, text);
    }
};

}  // namespace

TEST_F(ModelDir, NewestVersionWithAModelWinsPlainOrGzip) {
    // GIVEN an older plain model, a newer gzip one, and a newest folder with only examples
    write_plain("demo/2019-01-01/service-2.json", model_text("2019-01-01"));
    write_gzip(dir.path() / "demo/2020-01-01/service-2.json.gz", model_text("2020-01-01"));
    write_plain("demo/2021-01-01/examples-1.json", "{}");
    // WHEN the service is loaded
    auto model = ServiceModel::load("demo");
    // THEN the gzip model of 2020 is read, with its metadata
    EXPECT_EQ(model->api_version(), "2020-01-01");
    EXPECT_EQ(model->source(), (dir.path() / "demo/2020-01-01/service-2.json.gz").string());
    EXPECT_EQ(model->service_name(), "demo");
    EXPECT_EQ(model->protocol(), "json");
    EXPECT_EQ(model->endpoint_prefix(), "demo-api");
    EXPECT_EQ(model->signing_name(), "demosign");
    EXPECT_EQ(model->service_id(), "Demo Service");
    EXPECT_EQ(model->json_version(), "1.1");
    EXPECT_EQ(model->target_prefix(), "Demo_2020-01-01");
    EXPECT_TRUE(model->has_operation("DoThing"));
    EXPECT_FALSE(model->has_operation("doThing"));
    EXPECT_EQ(model->operation_names(), std::vector<std::string>{"DoThing"});
    EXPECT_EQ(model->output_shape_name("DoThing"), "Out");
    EXPECT_EQ(model->error_shape_names("DoThing"), std::vector<std::string>{"Gone"});
    EXPECT_EQ(model->error_shape_name("Demo.Gone"), "Gone");
    EXPECT_EQ(model->error_shape_name("Gone"), "Gone");
    EXPECT_EQ(model->error_shape_name("Out"), "");
    // AND a second load is the same shared object
    EXPECT_EQ(ServiceModel::load("demo").get(), model.get());
    EXPECT_EQ(model_search_path().front(), dir.path().string());
}

TEST_F(ModelDir, BrokenModelsAreConfigErrorsNamingTheFile) {
    write_plain("broken/2020-01-01/service-2.json", "{not json");
    try {
        (void)ServiceModel::load("broken");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.aws.E004] AWS service model " +
                                             (dir.path() / "broken/2020-01-01/service-2.json").string() +
                                             " is not valid JSON");
    }
    EXPECT_THROW((void)ServiceModel::load("../etc"), ConfigError);
}

TEST(ServiceModel, InstalledModelsCoverTheCommonServices) {
    for (const char* service : {"dynamodb", "sqs", "sns", "s3", "events", "sts", "lambda", "ec2", "secretsmanager",
                                "stepfunctions", "athena", "glue", "ecs", "batch", "bedrock-runtime"}) {
        SCOPED_TRACE(service);
        auto model = ServiceModel::load(service);
        EXPECT_FALSE(model->protocol().empty());
        EXPECT_FALSE(model->operation_names().empty());
    }
}
