// Endpoint resolution for any service: the configured overrides as botocore reads them, else AWS's endpoint
// for the region and partition (regional by default; the global services' single endpoints).
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"

#include <array>
#include <cctype>

namespace sfn::aws {
namespace {

struct GlobalEndpoint {
    std::string_view endpoint_prefix;
    std::string_view aws, aws_cn, aws_us_gov;  // host per partition; empty = regional there
};

// Services with one endpoint per partition instead of one per region (botocore's endpoint rules for them).
constexpr std::array<GlobalEndpoint, 6> kGlobalEndpoints{{
    {"iam", "iam.amazonaws.com", "iam.cn-north-1.amazonaws.com.cn", "iam.us-gov.amazonaws.com"},
    {"route53", "route53.amazonaws.com", "route53.amazonaws.com.cn", "route53.us-gov.amazonaws.com"},
    {"cloudfront", "cloudfront.amazonaws.com", "cloudfront.cn-northwest-1.amazonaws.com.cn", ""},
    {"organizations", "organizations.us-east-1.amazonaws.com", "organizations.cn-northwest-1.amazonaws.com.cn",
     "organizations.us-gov-west-1.amazonaws.com"},
    {"waf", "waf.amazonaws.com", "", ""},
    {"globalaccelerator", "globalaccelerator.us-west-2.amazonaws.com", "", ""},
}};

enum class Partition { Aws, AwsCn, AwsUsGov };

Partition partition_of(std::string_view region) {
    if (region.starts_with("cn-")) return Partition::AwsCn;
    if (region.starts_with("us-gov-")) return Partition::AwsUsGov;
    return Partition::Aws;
}

/// serviceId as the endpoint settings spell it: "Service Catalog" → "service_catalog".
std::string snake_service_id(const ServiceModel& model) {
    std::string id = model.service_id().empty() ? model.service_name() : model.service_id();
    for (char& c : id) {
        c = (c == ' ' || c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return id;
}

}  // namespace

std::string resolve_endpoint(const ServiceModel& model, std::string_view region, const Environment& env,
                             const std::optional<std::string>& profile) {
    if (auto configured = resolve_endpoint_url({.profile = profile, .region = std::nullopt}, env,
                                               snake_service_id(model))) {
        return *configured;
    }
    if (region.empty()) throw ConfigError(model.service_name() + ": no region to resolve its endpoint in");
    const auto partition = partition_of(region);
    const std::string_view prefix = model.endpoint_prefix();
    for (const auto& global : kGlobalEndpoints) {
        if (global.endpoint_prefix != prefix) continue;
        auto host = partition == Partition::Aws     ? global.aws
                    : partition == Partition::AwsCn ? global.aws_cn
                                                    : global.aws_us_gov;
        if (!host.empty()) return "https://" + std::string(host);
    }
    // S3's legacy us-east-1 endpoint, which the AWS CLI still uses there.
    if (prefix == "s3" && region == "us-east-1") return "https://s3.amazonaws.com";
    return default_endpoint(prefix, region);
}

}  // namespace sfn::aws
