// The AWS task handler: takes the resource apart and calls the service through the generic ServiceClient —
// Lambda Invoke, the optimised integrations and aws-sdk:* — shaping results and failures as Step Functions does.
#include "integrations/detail_errors.hpp"
#include "integrations/detail_put_events.hpp"
#include "integrations/detail_shapes.hpp"
#include "integrations/detail_sync.hpp"
#include "integrations/detail_table.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"
#include "sfn/aws/service_model.hpp"
#include "sfn/integrations/aws.hpp"
#include "sfn/integrations/start_execution.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <thread>

namespace sfn::integrations {
namespace {

using engine::TaskOutcome;
using engine::TaskRequest;

// The headers of an answer in the form the optimised integrations report them.
Value http_metadata(const aws::ServiceClient::Response& response) {
    std::vector<Member> all;
    std::vector<Member> single;
    for (const auto& [name, value] : response.headers) {
        all.emplace_back(name, Value::array({Value(value)}));
        single.emplace_back(name, Value(value));
    }
    return Value::object({{"AllHttpHeaders", Value::object(std::move(all))},
                          {"HttpHeaders", Value::object(std::move(single))},
                          {"HttpStatusCode", Value(static_cast<std::int64_t>(response.status))}});
}

Value with_metadata(Value result, const aws::ServiceClient::Response& response) {
    if (!result.is_object()) result = Value::object();
    return result.with_member("SdkHttpMetadata", http_metadata(response))
        .with_member("SdkResponseMetadata", Value::object({{"RequestId", Value(response.request_id)}}));
}

// A blob answered as text (Lambda's Payload, Bedrock's body): the JSON it holds, else the text itself.
Value parse_text(const Value& text) {
    if (!text.is_string()) return text;
    const std::string& s = text.as_string();
    if (s.empty()) return Value(s);
    try {
        return Value::parse(s);
    } catch (const sfn::Error&) {
        return text;  // not JSON: the function answered plain text, which Step Functions keeps as a string
    }
}

// aws-sdk:s3:putObject: Step Functions stores the Body as its JSON text (a string too: "text" is stored as
// "\"text\"") and, unless the parameters name one, with the content type text/plain; charset=UTF-8 (as the
// recorded objects of shared/conformance-integrations show).
void json_encoded_body(nlohmann::json& input, const Value& parameters) {
    const Value* body = parameters.find("Body");
    if (!body) return;
    input["Body"] = body->dump();
    if (!input.contains("ContentType")) input["ContentType"] = "text/plain; charset=UTF-8";
}

class Integrations {
public:
    explicit Integrations(IntegrationOptions options) : options_(std::move(options)) {
        // A synchronous Lambda invocation may run 15 minutes without sending a byte; TimeoutSeconds and
        // stops end calls earlier (CallControl).
        if (!options_.transport) {
            options_.transport = aws::make_curl_transport({.connect_timeout = std::chrono::seconds(10),
                                                           .read_timeout = std::chrono::minutes(16),
                                                           .proxy = {},
                                                           .ca_bundle = {},
                                                           .verify_tls = true});
        }
    }

    TaskOutcome operator()(const TaskRequest& request) {
        const ResourceName name = parse_resource(request.resource);
        switch (name.kind) {
            case ResourceKind::Lambda:
                return invoke_lambda(request, name);
            case ResourceKind::Optimized:
                if (name.service == "states" && name.action == "startExecution") return start_execution(request);
                return optimized(request, name);
            case ResourceKind::Sdk:
                return sdk(request, name);
            case ResourceKind::Http:
                return invoke_http_task(request, options_.http_task);
            case ResourceKind::Unknown:
                break;
        }
        return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) + "': resource '" +
                                                          std::string(request.resource) +
                                                          "' is not an AWS service integration sfn knows");
    }

private:
    struct Client {
        std::shared_ptr<const aws::ServiceModel> model;
        std::shared_ptr<aws::ServiceClient> client;
    };

    // One client per service, made on first use. Throws aws::ConfigError (no model, region or profile).
    Client client(const std::string& service) {
        std::lock_guard lock(mutex_);
        if (auto it = clients_.find(service); it != clients_.end()) return it->second;
        const std::optional<std::string> profile =
            options_.profile.empty() ? std::nullopt : std::optional<std::string>(options_.profile);
        if (region_.empty()) {
            region_ = options_.region;
            if (region_.empty()) {
                try {
                    region_ = aws::resolve_region({.profile = profile, .region = std::nullopt}, options_.environment);
                } catch (const aws::ConfigError&) {
                    region_ = "us-east-1";  // nothing configured: the AWS CLI's usual default for emulators
                }
            }
        }
        if (!credentials_) {
            credentials_ = options_.credentials
                               ? options_.credentials
                               : aws::default_credentials_chain({.profile = profile, .region = region_},
                                                                options_.environment, options_.transport);
        }
        auto model = aws::ServiceModel::load(service);
        const std::string endpoint = aws::resolve_endpoint(*model, region_, options_.environment, profile);
        Client c{model, std::make_shared<aws::ServiceClient>(model, options_.transport, credentials_,
                                                             aws::ServiceClientOptions{.region = region_,
                                                                                       .endpoint_url = endpoint,
                                                                                       .retry = options_.retry,
                                                                                       .user_agent = "sfn-cpp/0.1",
                                                                                       .clock = {}})};
        clients_.emplace(service, c);
        return c;
    }

    // Calls `operation`, turning what can go wrong into a failure; `on_error` names service errors,
    // `client_error` the SDK's prefix for a call that got no answer (`<prefix>.SdkClientException`).
    template <typename ClientError, typename OnError, typename OnSuccess>
    TaskOutcome call(const TaskRequest& request, const std::string& service, const std::string& operation,
                     const std::function<nlohmann::json(const aws::ServiceModel&)>& input, ClientError client_error,
                     OnError on_error, OnSuccess on_success) {
        Client c;
        try {
            c = client(service);
        } catch (const aws::ConfigError& e) {
            return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) + "' (" +
                                                              std::string(request.resource) + "): " + e.what());
        }
        const detail::CallSite site{service, operation, c.client->endpoint()};
        if (!c.model->has_operation(operation)) {
            return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) + "' (" +
                                                              std::string(request.resource) + "): service " + service +
                                                              " has no operation " + operation);
        }
        try {
            const auto stop = request.stop_signal;
            const aws::CallControl control{.deadline = request.deadline,
                                           .cancelled = [stop] { return stop && stop->signalled(); }};
            const nlohmann::json sent = input(*c.model);
            auto response = c.client->call_with_metadata(operation, sent, control);
            return on_success(c, sent, response);
        } catch (const aws::ServiceError& e) {
            return on_error(*c.model, e);
        } catch (const aws::UsageError& e) {
            return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) +
                                                              "': the parameters do not fit " + service + " " +
                                                              operation + ": " + e.what());
        } catch (const aws::TransportError& e) {
            // Step Functions reports a service it cannot reach as the Java SDK's client-side failure.
            return detail::unreachable_failure(site, e.what(), client_error(*c.model) + ".SdkClientException");
        } catch (const aws::CredentialsError& e) {
            return detail::call_failure(site, "no credentials", e.what());
        } catch (const aws::ProtocolError& e) {
            return detail::call_failure(site, "an answer the model cannot parse", e.what());
        } catch (const aws::ConfigError& e) {
            return detail::call_failure(site, "a configuration error", e.what());
        }
    }

    // `.waitForTaskToken`: the answer to the request goes to TaskSubmitted; the result comes with the token.
    static TaskOutcome finish(const TaskRequest& request, std::string_view pattern, Value result) {
        if (pattern == "waitForTaskToken") {
            if (request.submitted) request.submitted(std::move(result));
            return TaskOutcome::pending();
        }
        return TaskOutcome::raw_result(std::move(result));
    }

    static TaskOutcome unsupported_pattern(const TaskRequest& request, const ResourceName& name) {
        return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) + "': resource '" +
                                                          std::string(request.resource) + "' does not support ." +
                                                          name.pattern + " with --integrations aws");
    }

    TaskOutcome invoke_lambda(const TaskRequest& request, const ResourceName& name) {
        if (!name.pattern.empty() && name.pattern != "waitForTaskToken") return unsupported_pattern(request, name);
        const bool plain_arn = name.action.empty();
        const auto* spec = detail::find_optimized("lambda", "invoke");
        return call(
            request, "lambda", "Invoke",
            [&](const aws::ServiceModel& model) {
                Value params = plain_arn ? Value::object({{"FunctionName", Value(std::string(request.resource))}})
                                         : request.parameters.without_member("Payload");
                nlohmann::json input = detail::to_model_input(model, "Invoke", params, detail::Coercion::None);
                // The payload blob is sent as the JSON text of the event.
                input["Payload"] = nlohmann::json::parse(
                    request.payload.is_null() && !plain_arn ? std::string("{}") : request.payload.dump());
                return input;
            },
            [](const aws::ServiceModel&) { return std::string("Lambda"); },
            [&](const aws::ServiceModel& model, const aws::ServiceError& e) {
                return detail::optimized_failure(model, spec->error_prefix, spec->java_service, spec->java_exception,
                                                 e);
            },
            [&](const Client& c, const nlohmann::json&, const aws::ServiceClient::Response& response) {
                Value out = detail::from_model_output(*c.model, "Invoke", response.output);
                const Value* raw = out.find("Payload");
                Value payload = raw ? parse_text(*raw) : Value("");
                if (const Value* fe = out.find("FunctionError"); fe && fe->is_string()) {
                    // Step Functions names a function error after the errorType the function reported; its cause
                    // is the payload (re-written compactly by lambda:invoke, as sent for a plain function ARN).
                    const std::string text = raw && raw->is_string() ? raw->as_string() : payload.dump();
                    const Value* type = payload.find("errorType");
                    if (!type || !type->is_string()) {
                        return TaskOutcome::function_error("Lambda.Unknown",
                                                           "The cause could not be determined because Lambda did not "
                                                           "return an error type. Returned payload: " +
                                                               text);
                    }
                    return TaskOutcome::function_error(type->as_string(), plain_arn ? text : payload.dump());
                }
                if (plain_arn) return TaskOutcome::result(std::move(payload));
                Value result = Value::object(
                    {{"ExecutedVersion", out.find("ExecutedVersion") ? *out.find("ExecutedVersion") : Value("$LATEST")},
                     {"Payload", std::move(payload)}});
                result = with_metadata(std::move(result), response)
                             .with_member("StatusCode", Value(static_cast<std::int64_t>(response.status)));
                if (const Value* log = out.find("LogResult")) result = result.with_member("LogResult", *log);
                return finish(request, name.pattern, std::move(result));
            });
    }

    TaskOutcome optimized(const TaskRequest& request, const ResourceName& name) {
        const auto* spec = detail::find_optimized(name.service, name.action);
        if (!spec) {
            return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) + "': '" +
                                                              std::string(request.resource) +
                                                              "' is not an optimised integration sfn supports (" +
                                                              "use arn:aws:states:::aws-sdk:" + name.service + ":" +
                                                              name.action + " for the SDK integration)");
        }
        const detail::SyncSpec* sync =
            name.pattern == "sync" ? detail::find_sync(spec->service, spec->action) : nullptr;
        if (!name.pattern.empty() && !(name.pattern == "waitForTaskToken" && spec->wait_for_task_token) && !sync) {
            return unsupported_pattern(request, name);
        }
        const std::string service(spec->botocore);
        const std::string operation(spec->operation);
        const bool bedrock = spec->service == "bedrock";
        const bool put_events = spec->service == "events" && spec->action == "putEvents";
        return call(
            request, service, operation,
            [&](const aws::ServiceModel& model) {
                if (bedrock) {
                    // InvokeModel's Body is the request document, sent as its JSON text.
                    nlohmann::json input = detail::to_model_input(
                        model, operation, request.parameters.without_member("Body"), detail::Coercion::StringifyJson);
                    if (const Value* body = request.parameters.find("Body"))
                        input["body"] = nlohmann::json::parse(body->dump());
                    return input;
                }
                const Value params = put_events
                                         ? detail::with_execution_resources(request.parameters, request.execution_arn)
                                         : request.parameters;
                return detail::to_model_input(model, operation, params, detail::Coercion::StringifyJson);
            },
            [&](const aws::ServiceModel&) { return std::string(spec->error_prefix); },
            [&](const aws::ServiceModel& model, const aws::ServiceError& e) {
                return detail::optimized_failure(model, spec->error_prefix, spec->java_service, spec->java_exception,
                                                 e);
            },
            [&](const Client& c, const nlohmann::json& sent, const aws::ServiceClient::Response& response) {
                Value result = detail::from_model_output(*c.model, operation, response.output);
                if (bedrock) {
                    if (const Value* body = result.find("Body")) result = result.with_member("Body", parse_text(*body));
                }
                if (put_events && detail::has_failed_entries(result)) {
                    // Step Functions fails the task with the service's answer as the cause.
                    return TaskOutcome::failure("EventBridge.FailedEntry", result.dump());
                }
                if (spec->http_metadata) result = with_metadata(std::move(result), response);
                if (sync) {
                    if (request.submitted) request.submitted(std::move(result));
                    return follow_job(request, *sync, c, sent, response.output);
                }
                return finish(request, name.pattern, std::move(result));
            });
    }

    TaskOutcome sdk(const TaskRequest& request, const ResourceName& name) {
        if (!name.pattern.empty() && name.pattern != "waitForTaskToken") return unsupported_pattern(request, name);
        const std::string service = botocore_service_name(name.service);
        const std::string operation = operation_name(name.action);
        return call(
            request, service, operation,
            [&](const aws::ServiceModel& model) {
                nlohmann::json input =
                    detail::to_model_input(model, operation, request.parameters, detail::Coercion::None);
                if (service == "s3" && operation == "PutObject") json_encoded_body(input, request.parameters);
                return input;
            },
            [](const aws::ServiceModel& model) { return detail::java_v2_service_name(model); },
            [&](const aws::ServiceModel& model, const aws::ServiceError& e) { return detail::sdk_failure(model, e); },
            [&](const Client& c, const nlohmann::json&, const aws::ServiceClient::Response& response) {
                return finish(request, name.pattern, detail::from_model_output(*c.model, operation, response.output));
            });
    }

    // `.sync`: polls the job until it ends; a task that is stopped or times out stops the job (best effort).
    TaskOutcome follow_job(const TaskRequest& request, const detail::SyncSpec& sync, const Client& c,
                           const nlohmann::json& sent, const nlohmann::json& answer) const {
        const nlohmann::json poll_input = sync.poll_input(sent, answer);
        const auto stop = request.stop_signal;
        const aws::CallControl control{.deadline = request.deadline,
                                       .cancelled = [stop] { return stop && stop->signalled(); }};
        // A poll's own failures name the poll (the job was submitted); service errors are named by `call`.
        const detail::CallSite poll_site{c.model->service_name(), sync.poll, c.client->endpoint()};
        for (;;) {
            if (request.cancelled()) {
                if (!sync.stop.empty()) {
                    try {
                        (void)c.client->call(sync.stop, sync.stop_input(sent, answer));
                    } catch (const sfn::Error&) {
                        // The job ended meanwhile or cannot be reached: nothing is left to stop.
                    }
                }
                return TaskOutcome::failure("States.TaskFailed", "the task stopped waiting for its job");
            }
            aws::ServiceClient::Response polled;
            try {
                polled = c.client->call_with_metadata(sync.poll, poll_input, control);
            } catch (const aws::TransportError& e) {
                if (request.cancelled()) continue;  // the loop's start stops the job
                return detail::call_failure(poll_site, "no answer", e.what());
            } catch (const aws::ProtocolError& e) {
                return detail::call_failure(poll_site, "an answer the model cannot parse", e.what());
            }
            const nlohmann::json shown = detail::pascal_output(*c.model, sync.poll, polled.output);
            switch (sync.state(shown)) {
                case detail::JobState::Succeeded:
                    return TaskOutcome::raw_result(Value::from_json(sync.result(shown)));
                case detail::JobState::Failed:
                    return TaskOutcome::failure("States.TaskFailed", sync.result(shown).dump());
                case detail::JobState::Running:
                    break;
            }
            const auto wake = std::min(request.deadline, std::chrono::steady_clock::now() + options_.poll_interval);
            if (request.stop_signal) {
                (void)request.stop_signal->wait_until(std::chrono::system_clock::now() +
                                                      (wake - std::chrono::steady_clock::now()));
            } else {
                std::this_thread::sleep_until(wake);
            }
        }
    }

    // Nested executions: the handler given, else the Step Functions API at the endpoint resolved for "sfn".
    TaskOutcome start_execution(const TaskRequest& request) {
        if (options_.start_execution) return options_.start_execution(request);
        std::shared_ptr<aws::SfnClient> sfn;
        std::string endpoint;
        try {
            const Client c = client("stepfunctions");
            endpoint = c.client->endpoint();
            std::lock_guard lock(mutex_);
            if (!sfn_) {
                sfn_ = std::make_shared<aws::SfnClient>(options_.transport, credentials_,
                                                        aws::ClientConfig{.region = region_,
                                                                          .endpoint_url = endpoint,
                                                                          .inject_host_prefix = std::nullopt,
                                                                          .retry = options_.retry,
                                                                          .user_agent = "sfn-cpp/0.1",
                                                                          .clock = {}});
            }
            sfn = sfn_;
        } catch (const aws::ConfigError& e) {
            return TaskOutcome::failure("States.Runtime", "state '" + std::string(request.state_name) + "' (" +
                                                              std::string(request.resource) + "): " + e.what());
        }
        StartExecutionOptions nested;
        nested.endpoint_name = endpoint;
        nested.call = [sfn](std::string_view operation, const nlohmann::json& body) {
            try {
                return sfn->call(operation, body);
            } catch (const aws::ServiceError& e) {
                throw StepFunctionsApiError(e.error_code(), e.error_message(), e.http_status(), e.request_id());
            }
        };
        nested.poll_interval = std::chrono::seconds(1);
        return start_execution_task(request, nested);
    }

    IntegrationOptions options_;
    std::shared_ptr<aws::SfnClient> sfn_;
    std::mutex mutex_;
    std::string region_;
    std::shared_ptr<aws::CredentialsProvider> credentials_;
    std::map<std::string, Client> clients_;
};

}  // namespace

engine::TaskHandler make_aws_handler(IntegrationOptions options) {
    auto integrations = std::make_shared<Integrations>(std::move(options));
    return [integrations](const TaskRequest& request) { return (*integrations)(request); };
}

void enable_aws_integrations(engine::HandlerRegistry& registry, IntegrationOptions options) {
    registry.set_fallback(make_aws_handler(std::move(options)));
}

}  // namespace sfn::integrations
