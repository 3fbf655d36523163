// Task failures for service errors and failed calls, named the way Step Functions names them.
#include "integrations/detail_errors.hpp"

#include <cctype>

namespace sfn::integrations::detail {
namespace {

std::string message_of(const aws::ServiceError& error) {
    return error.error_message().empty() ? error.error_code() : error.error_message();
}

}  // namespace

std::string exception_name(const aws::ServiceModel& model, std::string_view code) {
    std::string shape = model.error_shape_name(code);
    if (shape.empty()) return {};
    if (!shape.ends_with("Exception")) shape += "Exception";
    return shape;
}

std::string java_v2_service_name(const aws::ServiceModel& model) {
    // Words are split at spaces and dashes and where a capital follows a small letter; each word keeps its
    // first letter capital and has the rest in small letters ("DynamoDB" → Dynamo|DB → "DynamoDb").
    const std::string& id = model.service_id().empty() ? model.service_name() : model.service_id();
    std::string out;
    bool word_start = true;
    char previous = ' ';
    for (char c : id) {
        if (c == ' ' || c == '-' || c == '_') {
            word_start = true;
            previous = c;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        if (std::isupper(u) && std::islower(static_cast<unsigned char>(previous))) word_start = true;
        out += word_start ? static_cast<char>(std::toupper(u)) : static_cast<char>(std::tolower(u));
        word_start = false;
        previous = c;
    }
    return out;
}

engine::TaskOutcome sdk_failure(const aws::ServiceModel& model, const aws::ServiceError& error) {
    const std::string service = java_v2_service_name(model);
    std::string name = exception_name(model, error.error_code());
    if (name.empty()) name = service + "Exception";
    std::string cause = message_of(error) + " (Service: " + service +
                        ", Status Code: " + std::to_string(error.http_status()) +
                        ", Request ID: " + error.request_id() +
                        (error.extended_request_id().empty() ? std::string()
                                                             : ", Extended Request ID: " + error.extended_request_id()) +
                        ")";
    return engine::TaskOutcome::failure(service + "." + name, std::move(cause));
}

engine::TaskOutcome optimized_failure(const aws::ServiceModel& model, std::string_view prefix,
                                      std::string_view java_service, std::string_view java_exception,
                                      const aws::ServiceError& error) {
    std::string name = exception_name(model, error.error_code());
    if (name.empty()) name = java_exception;
    std::string cause = message_of(error) + " (Service: " + std::string(java_service) +
                        "; Status Code: " + std::to_string(error.http_status()) +
                        "; Error Code: " + error.error_code() + "; Request ID: " + error.request_id() +
                        "; Proxy: null)";
    return engine::TaskOutcome::failure(std::string(prefix) + "." + name, std::move(cause));
}

engine::TaskOutcome unreachable_failure(const CallSite& site, std::string_view detail, std::string error) {
    constexpr std::string_view head = "Unable to execute HTTP request: ";
    std::string cause;
    cause.reserve(head.size() + detail.size() + site.service.size() + site.operation.size() + site.endpoint.size() +
                  16);
    for (std::string_view part : {head, detail, std::string_view(" (calling "), site.service, std::string_view(" "),
                                  site.operation, std::string_view(" at "), site.endpoint, std::string_view(")")})
        cause.append(part);
    return engine::TaskOutcome::failure(std::move(error), std::move(cause));
}

engine::TaskOutcome call_failure(const CallSite& site, std::string_view what, std::string_view detail,
                                 std::string_view error) {
    return engine::TaskOutcome::failure(std::string(error),
                                        std::string(what) + " calling " + std::string(site.service) + " " +
                                            std::string(site.operation) + " at " + std::string(site.endpoint) + ": " +
                                            std::string(detail));
}

}  // namespace sfn::integrations::detail
