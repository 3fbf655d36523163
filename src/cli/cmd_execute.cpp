// sfn execute NAME|ARN [--input JSON] [--name EXEC] [--sync]: start an execution, optionally waiting for it.
#include "cli/command.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/session/state_machine.hpp"

#include <iostream>

namespace {

std::function<int()> setup(CLI::App& app) {
    auto o = std::make_shared<std::map<std::string, std::string>>();
    auto flags = std::make_shared<std::map<std::string, bool>>();
    app.description("start an execution of a deployed state machine");
    app.add_option("machine", (*o)["machine"], "state machine name or ARN")->required();
    app.add_option("--input", (*o)["input"], "input JSON (default {})");
    app.add_option("--name", (*o)["name"], "execution name");
    app.add_flag("--sync", (*flags)["sync"], "wait for the result (EXPRESS: StartSyncExecution)");
    sfn::cli::add_target_options(app, *o);
    app.add_flag("--json", (*flags)["json"], "print the result as JSON");
    return [o, flags]() -> int {
        auto session = sfn::session::Session::for_target(sfn::cli::target_of(*o));
        std::string machine = (*o)["machine"];
        std::string name = machine.starts_with("arn:") ? machine.substr(machine.rfind(':') + 1) : machine;
        nlohmann::json input = nlohmann::json::object();
        if (!(*o)["input"].empty()) {
            input = nlohmann::json::parse((*o)["input"], nullptr, false);
            if (input.is_discarded()) throw sfn::aws::ConfigError("--input is not valid JSON: " + (*o)["input"]);
        }
        sfn::StateMachine sm{.name = name, .workflow = nlohmann::ordered_json::object()};
        auto described = session.sfn().describe_state_machine(
            {machine.starts_with("arn:") ? machine : session.state_machine_arn(name), std::nullopt});
        if (described.type == sfn::aws::sfn_api::StateMachineType::Express) sm.set_type_as_express();
        const bool json_out = (*flags)["json"];
        if (json_out) sm.logger = sfn::session::null_logger();
        std::optional<std::string> exec_name;
        if (!(*o)["name"].empty()) exec_name = (*o)["name"];
        auto r = sm.execute(session, {.input = input, .name = exec_name, .sync = (*flags)["sync"]});
        nlohmann::json j = {{"executionArn", r.execution_arn},
                            {"status", std::string(sfn::aws::sfn_api::to_string(r.status))}};
        if (r.output) j["output"] = *r.output;
        if (r.error) j["error"] = *r.error;
        if (r.cause) j["cause"] = *r.cause;
        std::cout << (json_out ? j.dump(2) : (r.output ? r.output->dump() : j.dump())) << std::endl;
        return r.succeeded() || r.status == sfn::aws::sfn_api::ExecutionStatus::Running ? 0 : 1;
    };
}

sfn::cli::Registration reg{"execute", setup};

}  // namespace
