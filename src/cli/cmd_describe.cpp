// sfn describe NAME|ARN: a state machine (or, for an execution ARN, an execution).
// The definition is printed with its keys in the order they were stored; the last line links to the console
// (the sfn web console when the target serves one, else AWS's).
#include "cli/command.hpp"
#include "sfn/session/session.hpp"
#include "sfn/session/state_machine.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace {

std::function<int()> setup(CLI::App& app) {
    auto o = std::make_shared<std::map<std::string, std::string>>();
    auto json_out = std::make_shared<bool>(false);
    app.description("describe a state machine (name or ARN) or an execution (ARN)");
    app.add_option("target", (*o)["target"], "state machine name/ARN or execution ARN")->required();
    sfn::cli::add_target_options(app, *o);
    app.add_flag("--json", *json_out, "print the raw API response");
    return [o, json_out]() -> int {
        auto session = sfn::session::Session::for_target(sfn::cli::target_of(*o));
        const std::string target = (*o)["target"];
        const bool execution = target.find(":execution:") != std::string::npos || target.find(":express:") != std::string::npos;
        auto out = execution ? session.sfn().call("DescribeExecution", {{"executionArn", target}})
                             : session.sfn().call("DescribeStateMachine",
                                                  {{"stateMachineArn", target.starts_with("arn:")
                                                                           ? target
                                                                           : session.state_machine_arn(target)}});
        if (*json_out) {
            std::cout << out.dump(2) << std::endl;
            return 0;
        }
        for (const auto& [key, value] : out.items()) {
            if (key == "definition" && value.is_string()) {
                std::cout << key << ":\n" << nlohmann::ordered_json::parse(value.get<std::string>()).dump(2) << "\n";
            } else {
                std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
            }
        }
        const auto machine_arn = out.value("stateMachineArn", std::string());
        sfn::StateMachine sm;
        sm.name = machine_arn.substr(machine_arn.rfind(':') + 1);
        sm.workflow = nlohmann::ordered_json::object();
        if (!execution) {
            std::cout << "console: " << sm.console_url(session) << "\n";
        } else {
            if (target.find(":express:") != std::string::npos) sm.set_type_as_express();
            const auto started =
                std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                    std::chrono::duration<double>(out.value("startDate", 0.0))));
            std::cout << "console: " << sm.execution_console_url(session, target, started) << "\n";
        }
        return 0;
    };
}

sfn::cli::Registration reg{"describe", setup};

}  // namespace
