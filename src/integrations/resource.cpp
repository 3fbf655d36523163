// Resource ARNs taken apart, and the names behind them: botocore service folders and API operation names.
#include "integrations/detail_sync.hpp"
#include "integrations/detail_table.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_model.hpp"
#include "sfn/integrations/aws.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <utility>

namespace sfn::integrations {
namespace {

// "arn:<partition>:" with any partition (aws, aws-cn, aws-us-gov).
std::string_view after_partition(std::string_view arn) {
    if (!arn.starts_with("arn:")) return {};
    const auto colon = arn.find(':', 4);
    return colon == std::string_view::npos ? std::string_view{} : arn.substr(colon + 1);
}

}  // namespace

ResourceName parse_resource(std::string_view resource) {
    ResourceName out;
    const std::string_view rest = after_partition(resource);
    if (rest.starts_with("lambda:") && rest.find(":function:") != std::string_view::npos) {
        out.kind = ResourceKind::Lambda;
        out.service = "lambda";
        return out;
    }
    if (!rest.starts_with("states:::")) return out;
    std::string_view tail = rest.substr(9);
    if (const auto dot = tail.find('.'); dot != std::string_view::npos) {
        out.pattern = std::string(tail.substr(dot + 1));
        tail = tail.substr(0, dot);
    }
    if (tail.starts_with("aws-sdk:")) {
        tail.remove_prefix(8);
        const auto colon = tail.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == tail.size()) return out;
        out.kind = ResourceKind::Sdk;
        out.service = std::string(tail.substr(0, colon));
        out.action = std::string(tail.substr(colon + 1));
        return out;
    }
    const auto colon = tail.find(':');
    if (colon == std::string_view::npos) return out;
    out.service = std::string(tail.substr(0, colon));
    out.action = std::string(tail.substr(colon + 1));
    if (out.service == "http" && out.action == "invoke") {
        out.kind = ResourceKind::Http;
    } else if (out.service == "lambda" && out.action == "invoke") {
        out.kind = ResourceKind::Lambda;
    } else {
        out.kind = ResourceKind::Optimized;
    }
    return out;
}

std::string operation_name(std::string_view action) {
    std::string out(action);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

std::string botocore_service_name(std::string_view sdk_service) {
    // Step Functions names SDK services after the AWS SDK for Java v2 clients, lower-cased (SfnClient → "sfn",
    // CloudWatchLogsClient → "cloudwatchlogs"); botocore's folders mostly use the endpoint prefix. The names
    // that differ beyond dashes:
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> renamed{{
        {"sfn", "stepfunctions"},
        {"eventbridge", "events"},
        {"cloudwatchevents", "events"},
        {"cloudwatchlogs", "logs"},
        {"cloudwatch", "cloudwatch"},
        {"elasticloadbalancingv2", "elbv2"},
        {"elasticloadbalancing", "elb"},
        {"costexplorer", "ce"},
        {"databasemigration", "dms"},
        {"cognitoidentityprovider", "cognito-idp"},
        {"cognitoidentity", "cognito-identity"},
        {"iotdataplane", "iot-data"},
        {"applicationautoscaling", "application-autoscaling"},
        {"emrcontainers", "emr-containers"},
        {"emrserverless", "emr-serverless"},
        {"sagemakerruntime", "sagemaker-runtime"},
        {"bedrockruntime", "bedrock-runtime"},
        {"bedrockagentruntime", "bedrock-agent-runtime"},
        {"bedrockagent", "bedrock-agent"},
        {"lexruntimev2", "lexv2-runtime"},
        {"acmpca", "acm-pca"},
        {"apigatewaymanagementapi", "apigatewaymanagementapi"},
        {"opensearch", "opensearch"},
        {"mediaconvert", "mediaconvert"},
    }};
    for (const auto& [sdk, botocore] : renamed) {
        if (sdk == sdk_service) return std::string(botocore);
    }
    // Otherwise the folder whose name, without dashes, is the SDK name ("sagemaker-geospatial").
    std::error_code ec;
    for (const auto& dir : aws::model_search_path()) {
        if (std::filesystem::exists(std::filesystem::path(dir) / std::string(sdk_service), ec))
            return std::string(sdk_service);
    }
    for (const auto& dir : aws::model_search_path()) {
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
            std::string name = entry.path().filename().string();
            std::string plain = name;
            std::erase(plain, '-');
            if (plain == sdk_service) return name;
        }
    }
    return std::string(sdk_service);
}

std::vector<OptimizedIntegration> optimized_integrations() {
    std::vector<OptimizedIntegration> out;
    for (const auto& spec : detail::optimized_table()) {
        OptimizedIntegration row{"arn:aws:states:::" + std::string(spec.service) + ":" + std::string(spec.action),
                                 {""}};
        if (detail::find_sync(spec.service, spec.action)) row.patterns.emplace_back("sync");
        if (spec.wait_for_task_token) row.patterns.emplace_back("waitForTaskToken");
        out.push_back(std::move(row));
    }
    return out;
}

bool handles_resource(std::string_view resource) {
    const ResourceName name = parse_resource(resource);
    switch (name.kind) {
        case ResourceKind::Lambda:
            return name.pattern.empty() || name.pattern == "waitForTaskToken";
        case ResourceKind::Sdk: {
            if (!name.pattern.empty() && name.pattern != "waitForTaskToken") return false;
            try {
                return aws::ServiceModel::load(botocore_service_name(name.service))
                    ->has_operation(operation_name(name.action));
            } catch (const aws::ConfigError&) {
                return false;  // botocore has no such service
            }
        }
        case ResourceKind::Optimized: {
            if (name.service == "states" && name.action == "startExecution") {
                return name.pattern.empty() || name.pattern == "sync" || name.pattern == "sync:2" ||
                       name.pattern == "waitForTaskToken";
            }
            const auto* spec = detail::find_optimized(name.service, name.action);
            return spec && (name.pattern.empty() || (name.pattern == "waitForTaskToken" && spec->wait_for_task_token) ||
                            (name.pattern == "sync" && detail::find_sync(name.service, name.action)));
        }
        case ResourceKind::Http:
            return name.pattern.empty();
        case ResourceKind::Unknown:
            return false;
    }
    return false;
}

}  // namespace sfn::integrations
