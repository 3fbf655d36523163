// `--integrations aws` / `--connections` (integrations_setup.hpp).
#include "cli/integrations_setup.hpp"

#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/integrations/http_task.hpp"
#include "sfn/integrations/start_execution.hpp"

namespace sfn::cli {

void check_integrations(const IntegrationsChoice& choice) {
    if (!choice.integrations.empty() && choice.integrations != "aws")
        throw sfn::Error("sfn.cli.E020", "--integrations must be 'aws', got '" + choice.integrations + "'");
    if (!choice.connections.empty() && choice.integrations.empty())
        throw sfn::Error("sfn.cli.E020", "--connections needs --integrations aws");
}

void add_integrations(const IntegrationsChoice& choice, const std::string& region,
                      const std::function<void(std::string glob, engine::TaskHandler handler)>& add,
                      const session::Session* sfn_api) {
    check_integrations(choice);
    if (choice.integrations.empty()) return;
    integrations::HttpTaskOptions http;
    http.region = region;
    if (!choice.connections.empty()) http.connections = integrations::load_connections_file(choice.connections);
    add(std::string(integrations::http_task_resource), integrations::make_http_task_handler(std::move(http)));
    if (!sfn_api) return;
    integrations::StartExecutionOptions nested;
    nested.endpoint_name = sfn_api->describe();
    nested.call = [session = *sfn_api](std::string_view operation, const nlohmann::json& request) {
        try {
            return session.sfn().call(operation, request);
        } catch (const aws::ServiceError& e) {
            throw integrations::StepFunctionsApiError(e.error_code(), e.error_message(), e.http_status(), e.request_id());
        }
    };
    // AWS's own endpoint is polled gently; DescribeExecution costs a request each time.
    nested.poll_interval = std::chrono::seconds(1);
    add(std::string(integrations::start_execution_glob), integrations::make_start_execution_handler(std::move(nested)));
}

}  // namespace sfn::cli
