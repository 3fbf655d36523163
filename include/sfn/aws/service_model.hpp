#pragma once
/// \file
/// One AWS service's API model: botocore's `service-2.json` (a data file, not code), found on the model search
/// path, loaded once per service and shared. The generic ServiceClient (service_client.hpp) serialises requests
/// and parses responses from it for the json, rest-json, rest-xml, query and ec2 protocols.
///
/// **Example**
/// @code
///   auto dynamodb = aws::ServiceModel::load("dynamodb");   // throws ConfigError naming where it looked
///   dynamodb->protocol();                                  // "json"
///   dynamodb->has_operation("PutItem");                    // true
/// @endcode

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::aws {

/// One AWS service's API model (botocore's service-2.json; immutable, shareable across threads).
class ServiceModel {
public:
    /// Loads `<dir>/<service>/<newest api version>/service-2.json` or `.json.gz` from the first directory of
    /// model_search_path() that has the service; the result is cached per file. Throws aws::ConfigError naming
    /// the service and every directory looked in.
    static std::shared_ptr<const ServiceModel> load(std::string_view service_name);
    /// Loads one model file (plain or gzip). Throws ConfigError naming the file when it is missing or not a model.
    static std::shared_ptr<const ServiceModel> load_file(const std::string& path, std::string_view service_name);
    /// From an already parsed document (tests). Throws ConfigError when `metadata` or `operations` is missing.
    static std::shared_ptr<const ServiceModel> from_json(nlohmann::json document, std::string_view service_name);

    [[nodiscard]] const std::string& service_name() const noexcept { return service_name_; }  ///< botocore folder name
    [[nodiscard]] const std::string& protocol() const noexcept { return protocol_; }  ///< json, rest-json, query, rest-xml, ec2
    [[nodiscard]] const std::string& endpoint_prefix() const noexcept { return endpoint_prefix_; }
    /// metadata.signingName, else the endpoint prefix.
    [[nodiscard]] const std::string& signing_name() const noexcept { return signing_name_; }
    /// metadata.serviceId ("DynamoDB", "Service Catalog").
    [[nodiscard]] const std::string& service_id() const noexcept { return service_id_; }
    [[nodiscard]] const std::string& api_version() const noexcept { return api_version_; }
    /// metadata.jsonVersion ("1.0", "1.1"; json protocol).
    [[nodiscard]] const std::string& json_version() const noexcept { return json_version_; }
    /// metadata.targetPrefix ("DynamoDB_20120810"; json protocol).
    [[nodiscard]] const std::string& target_prefix() const noexcept { return target_prefix_; }
    /// metadata.globalEndpoint when the service has one ("sts.amazonaws.com"), else empty.
    [[nodiscard]] const std::string& global_endpoint() const noexcept { return global_endpoint_; }
    /// Where the model was read from (empty for from_json).
    [[nodiscard]] const std::string& source() const noexcept { return source_; }

    /// PascalCase operation name, e.g. "PutItem".
    [[nodiscard]] bool has_operation(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> operation_names() const;
    /// The operation's model object (`http`, `input`, `output`, `errors`, ...). Throws UsageError naming the
    /// service and operation when there is no such operation.
    [[nodiscard]] const nlohmann::json& operation(std::string_view name) const;
    /// The operation's input / output shape name; empty when it has none.
    [[nodiscard]] std::string input_shape_name(std::string_view operation) const;
    [[nodiscard]] std::string output_shape_name(std::string_view operation) const;
    /// The names of the error shapes the operation declares.
    [[nodiscard]] std::vector<std::string> error_shape_names(std::string_view operation) const;
    /// The exception shape an AWS error code stands for: the shape whose `error.code` is `code` (query-style codes
    /// such as "AWS.SimpleQueueService.NonExistentQueue"), else the shape named `code`; empty when none is.
    /// Step Functions names SDK-integration errors after this shape ("QueueDoesNotExist").
    [[nodiscard]] std::string error_shape_name(std::string_view code) const;
    [[nodiscard]] bool has_shape(std::string_view name) const;
    /// A shape definition (`type`, `members`, ...). Throws ConfigError when the model does not define it.
    [[nodiscard]] const nlohmann::json& shape(std::string_view name) const;

private:
    ServiceModel() = default;

    std::string service_name_, protocol_, endpoint_prefix_, signing_name_, service_id_, api_version_;
    std::string json_version_, target_prefix_, global_endpoint_, source_;
    nlohmann::json operations_;
    nlohmann::json shapes_;
};

/// Where models are looked up, in order: $SFN_AWS_MODELS (a directory laid out like botocore/data), Debian's
/// python3-botocore (/usr/lib/python3/dist-packages/botocore/data), then the `data` folder of the botocore that
/// `python3 -c 'import botocore'` finds (asked once per process). Only existing directories are listed.
[[nodiscard]] std::vector<std::string> model_search_path();

}  // namespace sfn::aws
