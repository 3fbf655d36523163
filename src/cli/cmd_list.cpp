// sfn list [--executions NAME|ARN]: state machines, or the executions of one.
#include "cli/command.hpp"
#include "sfn/session/session.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace {

std::function<int()> setup(CLI::App& app) {
    auto o = std::make_shared<std::map<std::string, std::string>>();
    auto json_out = std::make_shared<bool>(false);
    app.description("list state machines, or the executions of one (--executions)");
    app.add_option("--executions", (*o)["machine"], "list the executions of this state machine (name or ARN)");
    sfn::cli::add_target_options(app, *o);
    app.add_flag("--json", *json_out, "print JSON");
    return [o, json_out]() -> int {
        auto session = sfn::session::Session::for_target(sfn::cli::target_of(*o));
        const std::string m = (*o)["machine"];
        if (m.empty()) {
            auto machines = session.sfn().list_all_state_machines();
            if (*json_out) {
                std::cout << nlohmann::json(machines).dump(2) << std::endl;
                return 0;
            }
            for (const auto& sm : machines) {
                std::cout << sm.name << "\t" << sfn::aws::sfn_api::to_string(sm.type) << "\t" << sm.state_machine_arn
                          << "\n";
            }
            return 0;
        }
        sfn::aws::sfn_api::ListExecutionsInput in;
        in.state_machine_arn = m.starts_with("arn:") ? m : session.state_machine_arn(m);
        auto executions = session.sfn().list_all_executions(in);
        if (*json_out) {
            std::cout << nlohmann::json(executions).dump(2) << std::endl;
            return 0;
        }
        for (const auto& e : executions) {
            std::cout << e.name << "\t" << sfn::aws::sfn_api::to_string(e.status) << "\t" << e.execution_arn << "\n";
        }
        return 0;
    };
}

sfn::cli::Registration reg{"list", setup};

}  // namespace
