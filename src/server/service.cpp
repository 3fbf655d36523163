#include "sfn/server/service.hpp"

#include "sfn/asl/validate.hpp"
#include "sfn/core/text.hpp"
#include "sfn/engine/error.hpp"
#include "sfn/integrations/start_execution.hpp"
#include "server/detail_api_model.hpp"
#include "server/detail_names.hpp"
#include "server/detail_service.hpp"

#include <cstdlib>
#include <fstream>
#include <random>

namespace sfn::server {

using detail::Table;

Service::Impl::Impl(ServiceOptions opts)
    : options(std::move(opts)), store(options.db_path), real_clock(std::make_shared<engine::RealClock>()),
      pool(options.workers) {
    // Nested workflows run on this service: the child is one of its executions (explicit handlers of the
    // user, registered afterwards, win over it).
    registry.add(std::string(integrations::start_execution_glob), nested_execution_handler());
    for (const auto& [glob, command] : options.command_handlers) registry.add_command(glob, command);
    // Activity tasks wait in a queue until a worker takes them with GetActivityTask (ActivityStarted); the
    // worker answers with SendTaskSuccess/Failure/Heartbeat under the task's token, which the engine waits for.
    registry.add("arn:aws:states:*:*:activity:*",
                 [this](const engine::TaskRequest& request) { return run_activity(request); });
    if (options.fallback_handler) registry.set_fallback(options.fallback_handler);
    registry_snapshot = std::make_shared<const engine::HandlerRegistry>(registry);
    if (options.mock_config) {
        std::ifstream in(*options.mock_config);
        if (!in) throw sfn::Error("sfn.server.E003", "cannot read the mock config '" + options.mock_config->string() + "'");
        auto parsed = json::parse(in, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object()) {
            throw sfn::Error("sfn.server.E003", "the mock config '" + options.mock_config->string() + "' is not a JSON object");
        }
        mock_config = std::move(parsed);
    }
    recover();
    map_runs.attach(store, [this] {
        std::lock_guard lock(mutex_);
        return next_seq++;
    });
    settle_interrupted_children();
}

Service::Impl::~Impl() {
    std::vector<std::shared_ptr<Live>> running;
    {
        std::lock_guard lock(mutex_);
        shutting_down = true;
        for (auto& [arn, l] : live) running.push_back(l);
    }
    // Executions still running stay RUNNING in the store (their abort is not recorded): the next start
    // resumes them from their last checkpoint (see recover()).
    {
        std::lock_guard lock(activity_mutex_);
        activity_stopping = true;
    }
    activity_cv.notify_all();
    for (auto& l : running) l->execution->stop({.error = "States.Runtime", .cause = "The local service shut down"});
    cancel_activities("");
    for (auto& l : running) l->done.wait();
}

void Service::Impl::persist(Table table, const json& doc, const char* key_member) {
    store.put(table, doc.at(key_member).get<std::string>(), doc);
}

void Service::Impl::recover() {
    for (auto& doc : store.load(Table::machines)) machines[doc["stateMachineArn"]] = doc;
    for (auto& doc : store.load(Table::versions)) versions[doc["stateMachineArn"]] = doc;
    for (auto& doc : store.load(Table::aliases)) aliases[doc["stateMachineAliasArn"]] = doc;
    for (auto& doc : store.load(Table::tags)) tags[doc["resourceArn"]] = doc;
    for (auto& doc : store.load(Table::activities)) activities[doc["activityArn"]] = doc;
    next_seq = store.last_execution_seq() + 1;
    // Executions the previous process left RUNNING continue once the handlers are registered (see
    // resume_executions(), service_resume.cpp).
    interrupted = store.running_executions();
    // A Map Run's child is not resumed on its own: its parent runs it again (see settle_interrupted_children()).
    std::erase_if(interrupted, [&](json& doc) {
        if (!doc.contains("mapRunArn")) return false;
        interrupted_children.push_back(std::move(doc));
        return true;
    });
}

std::string Service::Impl::machine_arn(const std::string& name) const {
    return "arn:aws:states:" + options.region + ":" + options.account + ":stateMachine:" + name;
}

json definition_diagnostics(const std::string& definition, const DiagnosticsOptions& options) {
    json out = json::array();
    // Validation and compilation walk the document recursively: refuse hostile depth first.
    if (auto problem = text::json_nesting_problem(definition, Value::max_depth)) {
        out.push_back({{"severity", "ERROR"}, {"code", "INVALID_JSON_DESCRIPTION"},
                       {"message", "the definition is not valid JSON: " + *problem}, {"location", ""}});
        return out;
    }
    if (definition.find_first_not_of(" \t\r\n") == std::string::npos) {
        out.push_back({{"severity", "ERROR"}, {"code", "MISSING_DESCRIPTION"},
                       {"message", "the definition is empty"}, {"location", ""}});
        return out;
    }
    auto parsed = nlohmann::ordered_json::parse(definition, nullptr, false);
    if (parsed.is_discarded()) {
        out.push_back({{"severity", "ERROR"}, {"code", "INVALID_JSON_DESCRIPTION"},
                       {"message", "the definition is not valid JSON"}, {"location", ""}});
        return out;
    }
    if (!parsed.is_object()) {
        out.push_back({{"severity", "ERROR"}, {"code", "SCHEMA_VALIDATION_FAILED"},
                       {"message", "the definition must be a JSON object"}, {"location", ""}});
        return out;
    }
    // The ASL validator's findings under AWS's codes; our stable code (sfn.asl.Exxx/Wxxx) leads the message.
    for (const auto& d : asl::check(parsed, {.express = options.express})) {
        out.push_back({{"severity", d.severity == asl::Severity::Error ? "ERROR" : "WARNING"},
                       {"code", std::string(asl::aws_code(d.code))},
                       {"message", "[" + d.code + "] " + d.message},
                       {"location", d.pointer}});
    }
    bool has_error = false;
    for (const auto& d : out) has_error = has_error || d["severity"] == "ERROR";
    if (!has_error && options.engine_checks) {
        // What the validator accepts the engine must compile; report it the same way if it does not.
        try {
            (void)engine::compile(parsed);
        } catch (const engine::CompileError& e) {
            std::string message = e.what();
            const auto prefix = "[" + e.code() + "] " + e.pointer() + ": ";
            if (message.rfind(prefix, 0) == 0) message = "[" + e.code() + "] " + message.substr(prefix.size());
            out.push_back({{"severity", "ERROR"}, {"code", "SCHEMA_VALIDATION_FAILED"}, {"message", message},
                           {"location", e.pointer()}});
        }
    }
    return out;
}

void check_express_definition(const std::string& definition) {
    throw_if_invalid(definition_diagnostics(definition, {.engine_checks = false, .express = true}));
}

void throw_if_invalid(const json& diagnostics) {
    std::string problems;
    for (const auto& d : diagnostics) {
        if (d["severity"] != "ERROR") continue;
        const std::string where = d["location"].get<std::string>().empty() ? "/" : d["location"].get<std::string>();
        problems += (problems.empty() ? "" : ", ") + d["code"].get<std::string>() + ": " +
                    d["message"].get<std::string>() + " at " + where;
    }
    if (!problems.empty()) throw ApiError("InvalidDefinition", "Invalid State Machine Definition: '" + problems + "'");
}

engine::CompiledMachine Service::Impl::compile(const std::string& definition) {
    {
        std::lock_guard lock(compiled_mutex_);
        auto it = compiled.find(definition);
        if (it != compiled.end()) return it->second;
    }
    throw_if_invalid(definition_diagnostics(definition));
    auto machine = engine::compile(nlohmann::ordered_json::parse(definition));
    std::lock_guard lock(compiled_mutex_);
    if (compiled.size() > 4096) compiled.clear();
    compiled.emplace(definition, machine);
    return machine;
}

Target Service::Impl::resolve(const std::string& text) {
    Target target;
    std::string arn = text;
    if (const auto hash = arn.find('#'); hash != std::string::npos) {
        target.test_case = arn.substr(hash + 1);
        arn.resize(hash);
    }
    const auto ref = detail::parse_machine_arn(arn);
    auto it = machines.find(ref.machine_arn);
    if (it == machines.end()) {
        throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }
    target.machine = it->second;
    target.definition = it->second["definition"];
    target.role_arn = it->second["roleArn"];
    target.revision_id = it->second.value("revisionId", "");
    std::string version_arn;
    if (ref.alias) {
        auto a = aliases.find(arn);
        if (a == aliases.end()) throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        target.alias_arn = arn;
        const auto& routes = a->second["routingConfiguration"];
        thread_local std::mt19937 rng{std::random_device{}()};
        int pick = std::uniform_int_distribution<int>(0, 99)(rng);
        for (const auto& route : routes) {
            version_arn = route["stateMachineVersionArn"];
            pick -= route["weight"].get<int>();
            if (pick < 0) break;
        }
    } else if (ref.version) {
        version_arn = arn;
    }
    if (!version_arn.empty()) {
        auto v = versions.find(version_arn);
        if (v == versions.end()) {
            throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + version_arn + "'");
        }
        target.version_arn = version_arn;
        target.definition = v->second["definition"];
        target.role_arn = v->second["roleArn"];
        target.revision_id = v->second.value("revisionId", "");
    }
    return target;
}

json Service::Impl::execution_record(const std::string& arn) {
    if (auto doc = store.get(Table::executions, arn)) return std::move(*doc);
    const auto parsed = detail::parse_arn(arn);
    if (!parsed || parsed->service != "states" ||
        (parsed->resource_type != "execution" && parsed->resource_type != "express")) {
        throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    }
    // EXPRESS executions keep no record the API can describe, stop or list the history of: AWS rejects their
    // ARNs by type.
    if (parsed->resource_type == "express") {
        throw ApiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'");
    }
    throw ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
}

std::shared_ptr<const engine::HandlerRegistry> Service::Impl::handlers_for(const Target& target) {
    std::lock_guard lock(handlers_mutex_);
    if (target.test_case.empty()) return registry_snapshot;
    if (!mock_config) {
        throw ApiError("ValidationException", "Test case '" + target.test_case +
                                                  "' requested but the service was started without --mock-config");
    }
    auto copy = std::make_shared<engine::HandlerRegistry>(registry);
    try {
        copy->use_mock_config(*mock_config, target.machine["name"].get<std::string>(), target.test_case);
    } catch (const sfn::Error& e) {
        throw ApiError("ValidationException", std::string("Mock config: ") + e.what());
    }
    return copy;
}

std::shared_ptr<engine::Clock> Service::Impl::make_clock() const {
    // Each execution gets its own virtual clock so one execution's skipped Waits never move another's time.
    if (options.clock == ClockMode::virtual_time) return std::make_shared<engine::VirtualClock>();
    return real_clock;
}

const std::unordered_map<std::string, Service::Impl::Op>& Service::Impl::operations() {
    static const std::unordered_map<std::string, Op> ops = {
        {"CreateStateMachine", &Impl::create_state_machine},
        {"DescribeStateMachine", &Impl::describe_state_machine},
        {"UpdateStateMachine", &Impl::update_state_machine},
        {"DeleteStateMachine", &Impl::delete_state_machine},
        {"ListStateMachines", &Impl::list_state_machines},
        {"PublishStateMachineVersion", &Impl::publish_state_machine_version},
        {"ListStateMachineVersions", &Impl::list_state_machine_versions},
        {"DeleteStateMachineVersion", &Impl::delete_state_machine_version},
        {"CreateStateMachineAlias", &Impl::create_state_machine_alias},
        {"DescribeStateMachineAlias", &Impl::describe_state_machine_alias},
        {"UpdateStateMachineAlias", &Impl::update_state_machine_alias},
        {"ListStateMachineAliases", &Impl::list_state_machine_aliases},
        {"DeleteStateMachineAlias", &Impl::delete_state_machine_alias},
        {"ValidateStateMachineDefinition", &Impl::validate_state_machine_definition},
        {"StartExecution", &Impl::start_execution},
        {"StartSyncExecution", &Impl::start_sync_execution},
        {"DescribeExecution", &Impl::describe_execution},
        {"DescribeStateMachineForExecution", &Impl::describe_state_machine_for_execution},
        {"StopExecution", &Impl::stop_execution},
        {"ListExecutions", &Impl::list_executions},
        {"GetExecutionHistory", &Impl::get_execution_history},
        {"RedriveExecution", &Impl::redrive_execution},
        {"DescribeMapRun", &Impl::describe_map_run},
        {"ListMapRuns", &Impl::list_map_runs},
        {"UpdateMapRun", &Impl::update_map_run},
        {"SendTaskSuccess", &Impl::send_task_success},
        {"SendTaskFailure", &Impl::send_task_failure},
        {"SendTaskHeartbeat", &Impl::send_task_heartbeat},
        {"TestState", &Impl::test_state},
        {"TagResource", &Impl::tag_resource},
        {"UntagResource", &Impl::untag_resource},
        {"ListTagsForResource", &Impl::list_tags_for_resource},
        {"CreateActivity", &Impl::create_activity},
        {"DescribeActivity", &Impl::describe_activity},
        {"ListActivities", &Impl::list_activities},
        {"DeleteActivity", &Impl::delete_activity},
        {"GetActivityTask", &Impl::get_activity_task},
    };
    return ops;
}

Service::Service(ServiceOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Service::~Service() = default;

const ServiceOptions& Service::options() const noexcept { return impl_->options; }

std::optional<std::string> Service::console_url() const {
    std::lock_guard lock(impl_->console_mutex);
    if (impl_->console_url.empty()) return std::nullopt;
    return impl_->console_url;
}

void Service::set_console_url(std::string url) {
    std::lock_guard lock(impl_->console_mutex);
    impl_->console_url = std::move(url);
}

json Service::call(std::string_view operation, const json& request) { return impl_->call(operation, request); }

json Service::Impl::call(std::string_view operation, const json& request) {
    resume_executions();
    const auto& ops = operations();
    auto it = ops.find(std::string(operation));
    if (it == ops.end()) {
        if (detail::ApiModel::instance().has_operation(operation)) {
            throw ApiError("UnknownOperationException",
                           "Operation " + std::string(operation) + " is not supported by the local service");
        }
        throw ApiError("UnknownOperationException", "Unknown operation: '" + std::string(operation) + "'");
    }
    // Clients may send explicit nulls; they mean "absent" (PROTOCOL.md §1).
    json cleaned = request.is_null() ? json::object() : request;
    if (cleaned.is_object()) {
        for (auto m = cleaned.begin(); m != cleaned.end();) {
            m = m->is_null() ? cleaned.erase(m) : std::next(m);
        }
    }
    detail::ApiModel::instance().validate(operation, cleaned);
    return (this->*(it->second))(cleaned);
}

engine::TaskHandler Service::Impl::nested_execution_handler() {
    integrations::StartExecutionOptions nested;
    nested.endpoint_name = "the local service";
    nested.call = [this](std::string_view operation, const json& request) {
        try {
            return call(operation, request);
        } catch (const ApiError& e) {
            throw integrations::StepFunctionsApiError(e.type(), e.message(), e.status());
        }
    };
    // A running child is in `live` until its final record is queued; its future tells when it ended.
    nested.wait_for_end = [this](const std::string& arn, std::chrono::steady_clock::time_point until) {
        std::shared_ptr<Live> running;
        {
            std::lock_guard lock(mutex_);
            if (auto it = live.find(arn); it != live.end()) running = it->second;
        }
        if (running) running->done.wait_until(until);
        store.flush();
    };
    // A child started without a Name gets one derived from its parent's task (execution and invocation key:
    // the same when a durable execution resumes and invokes the task in doubt again), so that the
    // re-invocation finds the child it started before instead of starting a second one: a RUNNING child by
    // StartExecution's idempotency (same name and input), an ended one by attaching to it here.
    return [nested = std::move(nested)](const engine::TaskRequest& request) {
        if (!request.parameters.is_object() || request.parameters.contains("Name"))
            return integrations::start_execution_task(request, nested);
        const std::string name = detail::uuid_from(std::string(request.execution_arn) + '\n' + request.invocation_key);
        engine::TaskRequest named = request;
        named.parameters = request.parameters.with_member("Name", Value(name));
        integrations::StartExecutionOptions attaching = nested;
        attaching.call = [&nested, &name](std::string_view operation, const json& r) {
            try {
                return nested.call(operation, r);
            } catch (const integrations::StepFunctionsApiError& e) {
                if (operation != "StartExecution" || e.code() != "ExecutionAlreadyExists" || r.value("name", "") != name)
                    throw;
                // Ours, and ended: the same child if it ran the same input (AWS's test for the same start).
                const auto machine = detail::parse_machine_arn(r.value("stateMachineArn", ""));
                std::string arn = machine.machine_arn;
                const auto at = arn.rfind(":stateMachine:");
                if (at == std::string::npos) throw;
                arn.replace(at, 14, ":execution:");
                const json child = nested.call("DescribeExecution", {{"executionArn", arn + ":" + name}});
                if (child.value("input", "") != r.value("input", "{}")) throw;
                return json{{"executionArn", child["executionArn"]}, {"startDate", child["startDate"]}};
            }
        };
        return integrations::start_execution_task(named, attaching);
    };
}

WireResponse Service::handle(std::string_view target, std::string_view body) noexcept {
    const auto error = [](const ApiError& e) {
        json shape = {{"__type", e.type()}, {"message", e.message()}};
        for (const auto& [k, v] : e.extra()) shape[k] = v;
        // Messages quote request bytes (the target, names), which need not be UTF-8: replace, never throw.
        return WireResponse{e.status(), shape.dump(-1, ' ', false, json::error_handler_t::replace), e.type()};
    };
    try {
        constexpr std::string_view prefix = "AWSStepFunctions.";
        if (target.substr(0, prefix.size()) != prefix) {
            throw ApiError("UnknownOperationException", "Unknown operation: X-Amz-Target '" + std::string(target) +
                                                            "' (expected AWSStepFunctions.<Operation>)");
        }
        json request = json::object();
        if (!body.empty()) {
            // Requests are copied and walked recursively; refuse hostile depth before parsing.
            if (auto problem = text::json_nesting_problem(body, Value::max_depth)) {
                throw ApiError("SerializationException", "The request body is not valid JSON: " + *problem);
            }
            request = json::parse(body, nullptr, false);
            if (request.is_discarded()) throw ApiError("SerializationException", "The request body is not valid JSON");
        }
        return WireResponse{200, call(target.substr(prefix.size()), request).dump(), {}};
    } catch (const ApiError& e) {
        return error(e);
    } catch (const std::exception& e) {
        return error(ApiError("InternalFailure", e.what(), 500));
    }
}

void Service::register_handler(std::string glob, engine::TaskHandler handler) {
    std::lock_guard lock(impl_->handlers_mutex_);
    impl_->registry.add(std::move(glob), std::move(handler));
    impl_->registry_snapshot = std::make_shared<const engine::HandlerRegistry>(impl_->registry);
}

void Service::drain() {
    {
        std::unique_lock lock(impl_->mutex_);
        impl_->live_cv.wait(lock, [this] { return impl_->live.empty(); });
    }
    // The final records are queued; once committed, every reader shows them.
    impl_->store.flush();
}

std::filesystem::path default_db_path() {
    if (const char* home = std::getenv("SFN_HOME"); home && *home) return std::filesystem::path(home) / "local.db";
    if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data) {
        return std::filesystem::path(data) / "sfn" / "local.db";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::filesystem::path(home) / ".local" / "share" / "sfn" / "local.db";
    }
    return std::filesystem::path("sfn-local.db");
}

}  // namespace sfn::server
