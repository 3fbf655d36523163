// The StateMachine lifecycle. The progress lines and console URLs follow the Python original exactly
// (its `deploy`, `execute` and `delete` print them), so users moving over see the same output.
#include "sfn/session/state_machine.hpp"

#include "sfn/aws/errors.hpp"
#include "sfn/builder/workflow.hpp"

#include <iostream>
#include <thread>

namespace sfn::session {

namespace api = aws::sfn_api;

namespace {

std::string repr(const std::string& s) { return "'" + s + "'"; }

ExecutionStatus from_sync(api::SyncExecutionStatus s) {
    switch (s) {
        case api::SyncExecutionStatus::Succeeded: return ExecutionStatus::Succeeded;
        case api::SyncExecutionStatus::Failed: return ExecutionStatus::Failed;
        case api::SyncExecutionStatus::TimedOut: return ExecutionStatus::TimedOut;
        case api::SyncExecutionStatus::Unknown: break;
    }
    return ExecutionStatus::Unknown;
}

nlohmann::json parse_document(const std::optional<std::string>& text, const std::string& what) {
    if (!text || text->empty()) return nullptr;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded()) throw aws::ProtocolError(what + " is not valid JSON: " + text->substr(0, 200));
    return j;
}

template <typename Described>
ExecutionResult to_result(const Described& d) {
    ExecutionResult r;
    r.execution_arn = d.execution_arn;
    r.start_date = d.start_date;
    r.input = parse_document(d.input, "the execution input");
    r.output = d.output ? std::optional<nlohmann::json>(parse_document(d.output, "the execution output"))
                        : std::nullopt;
    r.error = d.error;
    r.cause = d.cause;
    r.name = d.name.value_or("");
    return r;
}

api::StateMachineType wire_type(StateMachineType t) {
    return t == StateMachineType::Express ? api::StateMachineType::Express : api::StateMachineType::Standard;
}

void require(const StateMachine& sm) {
    if (sm.name.empty()) throw SessionError("sfn.session.E001", "StateMachine: name is empty");
    if (!sm.workflow) throw SessionError("sfn.session.E001", "StateMachine '" + sm.name + "': no workflow/definition");
}

}  // namespace

Logger stdout_logger() {
    return [](const std::string& line) { std::cout << line << std::endl; };
}

Logger null_logger() {
    return [](const std::string&) {};
}

void ExecutionResult::throw_if_failed() const {
    if (status == ExecutionStatus::Succeeded || status == ExecutionStatus::Running) return;
    std::string message = "execution " + repr(execution_arn) + " " + std::string(api::to_string(status));
    if (error) message += ": " + *error;
    if (cause) message += ": " + *cause;
    throw SessionError("sfn.session.E002", message);
}

Definition::Definition(const Workflow& workflow) : render_([workflow] { return workflow.serialize(); }) {}
Definition::Definition(nlohmann::ordered_json asl) : render_([asl = std::move(asl)] { return asl; }) {}
Definition::Definition(std::function<nlohmann::ordered_json()> render) : render_(std::move(render)) {}

nlohmann::ordered_json Definition::render() const {
    if (!render_) throw SessionError("sfn.session.E001", "no workflow/definition to render");
    return render_();
}

nlohmann::ordered_json StateMachine::definition() const {
    require(*this);
    return workflow.render();
}

std::string StateMachine::arn(const Session& session) const { return session.state_machine_arn(name); }

std::string StateMachine::console_url(const Session& session) const {
    if (const auto local = session.local_console()) return *local + "#/statemachines/" + arn(session);
    return session.console_base() + "/states/home?region=" + session.region() + "#/statemachines/view/" + arn(session);
}

std::string StateMachine::visual_editor_console_url(const Session& session) const {
    if (const auto local = session.local_console()) return *local + "#/statemachines/" + arn(session);
    return session.console_base() + "/states/home?region=" + session.region() +
           "#/visual-editor?stateMachineArn=" + arn(session);
}

std::string StateMachine::execution_console_url(const Session& session, const std::string& execution_arn,
                                                api::Timestamp start_date) const {
    if (const auto local = session.local_console()) {
        // The local service keeps no record of EXPRESS executions (as AWS keeps no history): their machine's page.
        return *local + (is_express() ? "#/statemachines/" + arn(session) : "#/executions/" + execution_arn);
    }
    const std::string base = session.console_base() + "/states/home?region=" + session.region();
    if (is_express()) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(start_date.time_since_epoch()).count();
        return base + "#/express-executions/details/" + execution_arn + "?startDate=" + std::to_string(ms);
    }
    return base + "#/v2/executions/details/" + execution_arn;
}

api::DescribeStateMachineOutput StateMachine::describe(const Session& session) const {
    return session.sfn().describe_state_machine({arn(session), std::nullopt});
}

bool StateMachine::exists(const Session& session) const {
    try {
        static_cast<void>(describe(session));
        return true;
    } catch (const aws::ServiceError& e) {
        if (e.is("StateMachineDoesNotExist")) return false;
        throw;
    }
}

api::CreateStateMachineOutput StateMachine::create(const Session& session, const DeployOptions& options) const {
    require(*this);
    api::CreateStateMachineInput in;
    in.name = name;
    in.definition = workflow.render().dump();
    in.role_arn = role_arn;
    in.type = wire_type(type);
    in.logging_configuration = logging_configuration;
    in.tracing_configuration = tracing_configuration;
    for (const auto& [k, v] : tags) in.tags.push_back({k, v});
    if (options.publish) {
        in.publish = true;
        if (!options.version_description.empty()) in.version_description = options.version_description;
    }
    return session.sfn().create_state_machine(in);
}

api::UpdateStateMachineOutput StateMachine::update(const Session& session, const DeployOptions& options) const {
    require(*this);
    api::UpdateStateMachineInput in;
    in.state_machine_arn = arn(session);
    in.definition = workflow.render().dump();
    in.role_arn = role_arn.empty() ? std::nullopt : std::optional<std::string>(role_arn);
    in.logging_configuration = logging_configuration;
    in.tracing_configuration = tracing_configuration;
    if (options.publish) {
        in.publish = true;
        if (!options.version_description.empty()) in.version_description = options.version_description;
    }
    return session.sfn().update_state_machine(in);
}

DeployResult StateMachine::deploy(const Session& session, const DeployOptions& options) const {
    require(*this);
    if (options.alias && !options.publish) {
        throw SessionError("sfn.session.E001", "StateMachine '" + name + "': an alias needs publish = true");
    }
    DeployResult result;
    result.state_machine_arn = arn(session);
    logger("deploy state machine to " + repr(result.state_machine_arn) + " ...");
    std::optional<api::DescribeStateMachineOutput> deployed;
    try {
        deployed = describe(session);
    } catch (const aws::ServiceError& e) {
        if (!e.is("StateMachineDoesNotExist")) throw;
    }
    // UpdateStateMachine cannot change the type: an update would leave the other type deployed, silently.
    if (deployed && deployed->type != api::StateMachineType::Unknown && deployed->type != wire_type(type)) {
        throw SessionError("sfn.session.E004", "StateMachine '" + name + "': the deployed state machine is " +
                                                   std::string(api::to_string(deployed->type)) +
                                                   " and a state machine's type cannot change to " +
                                                   std::string(api::to_string(wire_type(type))) +
                                                   " (delete it first, or deploy under another name)");
    }
    if (deployed) {
        logger("  already exists, update state machine ...");
        if (options.show_diff) {
            result.diff = diff(session);
            logger(result.diff.empty() ? "  no changes to the definition" : "  definition diff: " + result.diff.dump());
        }
        auto out = update(session, options);
        result.action = DeployResult::Action::Updated;
        result.version_arn = out.state_machine_version_arn;
    } else {
        logger("  not exists, create state machine ...");
        auto out = create(session, options);
        result.action = DeployResult::Action::Created;
        result.version_arn = out.state_machine_version_arn;
    }
    logger("  done, preview at: " + visual_editor_console_url(session));
    if (options.alias && result.version_arn) {
        result.alias_arn = set_alias(session, *options.alias, *result.version_arn, options.version_description);
        logger("  alias " + repr(*options.alias) + " now points at " + repr(*result.version_arn));
    }
    return result;
}

void StateMachine::remove(const Session& session) const {
    const auto sm_arn = arn(session);
    logger("delete state machine " + repr(sm_arn));
    session.sfn().delete_state_machine({sm_arn});
    logger("  done, exam at: " + console_url(session));
}

ExecutionResult StateMachine::execute(const Session& session, const ExecuteOptions& options) const {
    const auto& [payload, execution_name, sync, trace_header] = options;
    const auto sm_arn = arn(session);
    logger("execute state machine " + repr(sm_arn));
    std::optional<std::string> input;
    if (!payload.is_null()) input = payload.dump();
    ExecutionResult result;
    if (sync && is_express()) {
        api::StartSyncExecutionInput in;
        in.state_machine_arn = sm_arn;
        in.name = execution_name;
        in.input = input;
        in.trace_header = trace_header;
        auto out = session.sfn().start_sync_execution(in);
        result = to_result(out);
        result.state_machine_arn = out.state_machine_arn.value_or(sm_arn);
        result.status = from_sync(out.status);
        result.stop_date = out.stop_date;
        result.console_url = execution_console_url(session, result.execution_arn, result.start_date);
        logger("  preview at: " + result.console_url);
    } else {
        auto started = session.sfn().start_execution({sm_arn, execution_name, input, trace_header});
        result.execution_arn = started.execution_arn;
        result.state_machine_arn = sm_arn;
        result.start_date = started.start_date;
        result.status = ExecutionStatus::Running;
        result.input = payload;
        result.console_url = execution_console_url(session, result.execution_arn, result.start_date);
        logger("  preview at: " + result.console_url);
        // EXPRESS executions cannot be described; only STANDARD ones are polled.
        if (sync) result = wait_for_execution(session, started.execution_arn);
    }
    if (throw_on_failure) result.throw_if_failed();
    return result;
}

ExecutionResult StateMachine::wait_for_execution(const Session& session, const std::string& execution_arn) const {
    const auto deadline = std::chrono::steady_clock::now() + wait_options.timeout;
    auto delay = wait_options.initial;
    while (true) {
        auto d = session.sfn().describe_execution({execution_arn, std::nullopt});
        if (d.status != ExecutionStatus::Running && d.status != ExecutionStatus::PendingRedrive) {
            ExecutionResult r = to_result(d);
            r.state_machine_arn = d.state_machine_arn;
            r.status = d.status;
            r.stop_date = d.stop_date;
            r.console_url = execution_console_url(session, execution_arn, r.start_date);
            if (throw_on_failure) r.throw_if_failed();
            return r;
        }
        if (std::chrono::steady_clock::now() + delay > deadline) {
            throw SessionError("sfn.session.E003", "execution " + repr(execution_arn) + " still RUNNING after " +
                                                       std::to_string(wait_options.timeout.count()) + " ms");
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(wait_options.max, delay * 2);
    }
}

std::vector<api::HistoryEvent> StateMachine::history(const Session& session, const std::string& execution_arn) const {
    api::GetExecutionHistoryInput in;
    in.execution_arn = execution_arn;
    return session.sfn().get_full_execution_history(in);
}

nlohmann::json StateMachine::diff(const Session& session) const {
    nlohmann::json local = nlohmann::json::parse(definition().dump());
    nlohmann::json deployed;
    try {
        deployed = nlohmann::json::parse(describe(session).definition, nullptr, false);
    } catch (const aws::ServiceError& e) {
        if (!e.is("StateMachineDoesNotExist")) throw;
        return nlohmann::json::array({{{"op", "add"}, {"path", ""}, {"value", local}}});
    }
    if (deployed.is_discarded()) deployed = nullptr;
    return nlohmann::json::diff(deployed, local);
}

std::string StateMachine::publish(const Session& session, const std::string& description) const {
    api::PublishStateMachineVersionInput in;
    in.state_machine_arn = arn(session);
    if (!description.empty()) in.description = description;
    auto out = session.sfn().publish_state_machine_version(in);
    logger("published version " + repr(out.state_machine_version_arn));
    return out.state_machine_version_arn;
}

std::string StateMachine::set_alias(const Session& session, const std::string& alias, const std::string& version_arn,
                                    const std::string& description) const {
    const std::string alias_arn = arn(session) + ":" + alias;
    std::vector<api::RoutingConfigurationListItem> routing{{version_arn, 100}};
    try {
        api::UpdateStateMachineAliasInput in;
        in.state_machine_alias_arn = alias_arn;
        in.routing_configuration = routing;
        if (!description.empty()) in.description = description;
        session.sfn().update_state_machine_alias(in);
        return alias_arn;
    } catch (const aws::ServiceError& e) {
        if (!e.is("ResourceNotFound")) throw;
    }
    api::CreateStateMachineAliasInput in;
    in.name = alias;
    in.routing_configuration = routing;
    if (!description.empty()) in.description = description;
    return session.sfn().create_state_machine_alias(in).state_machine_alias_arn;
}

std::vector<api::StateMachineVersionListItem> StateMachine::versions(const Session& session) const {
    std::vector<api::StateMachineVersionListItem> out;
    api::ListStateMachineVersionsInput in;
    in.state_machine_arn = arn(session);
    while (true) {
        auto page = session.sfn().list_state_machine_versions(in);
        out.insert(out.end(), page.state_machine_versions.begin(), page.state_machine_versions.end());
        if (!page.next_token) return out;
        in.next_token = page.next_token;
    }
}

std::string StateMachine::rollback(const Session& session, const std::string& alias,
                                   const std::string& version_arn) const {
    std::string target = version_arn;
    if (target.empty()) {
        const std::string alias_arn = arn(session) + ":" + alias;
        auto current = session.sfn().describe_state_machine_alias({alias_arn});
        if (current.routing_configuration.empty()) {
            throw SessionError("sfn.session.E001", "alias " + repr(alias_arn) + " routes to no version");
        }
        const auto& now = current.routing_configuration.front().state_machine_version_arn;
        auto number = [](const std::string& v) { return std::stoll(v.substr(v.rfind(':') + 1)); };
        long long best = 0;
        for (const auto& v : versions(session)) {
            long long n = number(v.state_machine_version_arn);
            if (n < number(now) && n > best) {
                best = n;
                target = v.state_machine_version_arn;
            }
        }
        if (target.empty()) {
            throw SessionError("sfn.session.E001", "alias " + repr(alias_arn) + " points at " + repr(now) +
                                                       ", which has no earlier version to roll back to");
        }
    }
    set_alias(session, alias, target);
    logger("rolled back alias " + repr(alias) + " to " + repr(target));
    return target;
}

}  // namespace sfn::session
