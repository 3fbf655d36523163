// sfn delete NAME|ARN: delete a state machine.
#include "cli/command.hpp"
#include "sfn/session/session.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace {

std::function<int()> setup(CLI::App& app) {
    auto o = std::make_shared<std::map<std::string, std::string>>();
    auto json_out = std::make_shared<bool>(false);
    app.description("delete a state machine");
    app.add_option("machine", (*o)["machine"], "state machine name or ARN")->required();
    sfn::cli::add_target_options(app, *o);
    app.add_flag("--json", *json_out, "print the result as JSON");
    return [o, json_out]() -> int {
        auto session = sfn::session::Session::for_target(sfn::cli::target_of(*o));
        const std::string m = (*o)["machine"];
        const std::string arn = m.starts_with("arn:") ? m : session.state_machine_arn(m);
        session.sfn().delete_state_machine({arn});
        if (*json_out) {
            std::cout << nlohmann::json({{"deleted", arn}}).dump(2) << std::endl;
        } else {
            std::cout << "deleted " << arn << std::endl;
        }
        return 0;
    };
}

sfn::cli::Registration reg{"delete", setup};

}  // namespace
