// sfn history EXECUTION_ARN [--reverse]: every event of an execution's history.
#include "cli/command.hpp"
#include "sfn/session/session.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace {

std::function<int()> setup(CLI::App& app) {
    auto o = std::make_shared<std::map<std::string, std::string>>();
    auto flags = std::make_shared<std::map<std::string, bool>>();
    app.description("print the history events of an execution");
    app.add_option("execution", (*o)["execution"], "execution ARN")->required();
    app.add_flag("--reverse", (*flags)["reverse"], "newest first");
    sfn::cli::add_target_options(app, *o);
    app.add_flag("--json", (*flags)["json"], "print the events as a JSON array");
    return [o, flags]() -> int {
        auto session = sfn::session::Session::for_target(sfn::cli::target_of(*o));
        sfn::aws::sfn_api::GetExecutionHistoryInput in;
        in.execution_arn = (*o)["execution"];
        if ((*flags)["reverse"]) in.reverse_order = true;
        auto events = session.sfn().get_full_execution_history(in);
        if ((*flags)["json"]) {
            std::cout << nlohmann::json(events).dump(2) << std::endl;
            return 0;
        }
        for (const auto& e : events) {
            std::cout << e.id << "\t" << e.previous_event_id.value_or(0) << "\t"
                      << sfn::aws::sfn_api::to_string(e.type) << "\n";
        }
        return 0;
    };
}

sfn::cli::Registration reg{"history", setup};

}  // namespace
