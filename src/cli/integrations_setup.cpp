// `--integrations aws` / `--connections` (integrations_setup.hpp).
#include "cli/integrations_setup.hpp"

#include "sfn/aws/client.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"
#include "sfn/aws/service_model.hpp"
#include "sfn/aws/transport.hpp"
#include "sfn/integrations/aws.hpp"
#include "sfn/integrations/http_task.hpp"
#include "sfn/integrations/s3_objects.hpp"
#include "sfn/integrations/start_execution.hpp"

#include <filesystem>
#include <map>
#include <mutex>

namespace sfn::cli {

namespace {

// EventBridge connections, set up on the first HTTP Task (a run without one needs no service models).
class LazyEventBridge final : public integrations::ConnectionResolver {
public:
    explicit LazyEventBridge(std::string region) : region_(std::move(region)) {}

    integrations::Connection resolve(const std::string& arn) const override {
        std::call_once(once_, [this] {
            try {
                const auto env = aws::Environment::process();
                const auto credentials =
                    aws::default_credentials_chain({.profile = std::nullopt, .region = region_}, env);
                const auto transport = aws::make_curl_transport();
                const auto client = [&](const char* service) {
                    const auto model = aws::ServiceModel::load(service);
                    aws::ServiceClientOptions options;
                    options.region = region_;
                    options.endpoint_url = aws::resolve_endpoint(*model, region_, env, std::nullopt);
                    return std::make_shared<const aws::ServiceClient>(model, transport, credentials, options);
                };
                inner_ = integrations::eventbridge_connections(client("events"), client("secretsmanager"));
            } catch (const sfn::Error& e) {
                problem_ = e.what();
            }
        });
        if (!inner_)
            throw integrations::ConnectionError("Events.ConnectionResource.InternalError",
                                                "Connection '" + arn + "': EventBridge cannot be called: " + problem_ +
                                                    " (or give a local file with --connections)");
        return inner_->resolve(arn);
    }

private:
    std::string region_;
    mutable std::once_flag once_;
    mutable std::shared_ptr<const integrations::ConnectionResolver> inner_;
    mutable std::string problem_;
};

}  // namespace

void check_integrations(const IntegrationsChoice& choice) {
    if (!choice.integrations.empty() && choice.integrations != "aws")
        throw sfn::Error("sfn.cli.E020", "--integrations must be 'aws', got '" + choice.integrations + "'");
    if (!choice.connections.empty() && choice.integrations.empty())
        throw sfn::Error("sfn.cli.E020", "--connections needs --integrations aws");
}

engine::TaskHandler integrations_handler(const IntegrationsChoice& choice, const std::string& region,
                                         const session::Session* sfn_api) {
    check_integrations(choice);
    if (choice.integrations.empty()) return {};
    integrations::IntegrationOptions options;
    options.region = region;
    options.http_task.region = region.empty() ? "us-east-1" : region;
    if (!choice.connections.empty()) {
        options.http_task.connections = integrations::load_connections_file(choice.connections);
    } else {
        options.http_task.connections = std::make_shared<LazyEventBridge>(options.http_task.region);
    }
    if (sfn_api) {
        integrations::StartExecutionOptions nested;
        nested.endpoint_name = sfn_api->describe();
        nested.call = [session = *sfn_api](std::string_view operation, const nlohmann::json& request) {
            try {
                return session.sfn().call(operation, request);
            } catch (const aws::ServiceError& e) {
                throw integrations::StepFunctionsApiError(e.error_code(), e.error_message(), e.http_status(),
                                                          e.request_id());
            }
        };
        // AWS's own endpoint is polled gently; DescribeExecution costs a request each time.
        nested.poll_interval = std::chrono::seconds(1);
        options.start_execution = integrations::make_start_execution_handler(std::move(nested));
    }
    return integrations::make_aws_handler(std::move(options));
}

void add_s3_dir_option(CLI::App& app, IntegrationsChoice& choice) {
    app.add_option("--s3-dir", choice.s3_dirs,
                   "BUCKET=DIR: Distributed Map ItemReaders and ResultWriters use DIR as the S3 bucket BUCKET "
                   "(repeatable; without it, --integrations aws reads and writes S3 itself)");
}

std::shared_ptr<const engine::ObjectStore> make_object_store(const IntegrationsChoice& choice, const std::string& region) {
    if (!choice.s3_dirs.empty()) {
        std::map<std::string, std::filesystem::path> buckets;
        for (const auto& spec : choice.s3_dirs) engine::add_bucket_directory(buckets, spec);
        return engine::directory_object_store(std::move(buckets));
    }
    if (choice.integrations != "aws") return nullptr;
    const auto env = aws::Environment::process();
    const auto model = aws::ServiceModel::load("s3");
    aws::ServiceClientOptions options;
    options.region = region;
    options.endpoint_url = aws::resolve_endpoint(*model, region, env, std::nullopt);
    auto client = std::make_shared<const aws::ServiceClient>(
        model, aws::make_curl_transport(),
        aws::default_credentials_chain({.profile = std::nullopt, .region = region}, env), options);
    return integrations::s3_object_store(std::move(client));
}

}  // namespace sfn::cli
