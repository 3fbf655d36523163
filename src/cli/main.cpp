// sfn: the command-line tool. Subcommands live in cmd_*.cpp and register themselves.
#include "cli/command.hpp"

#include "sfn/core/error.hpp"

#include <algorithm>
#include <iostream>
#include <map>

namespace sfn::cli {
std::vector<Command>& registry() {
    static std::vector<Command> commands;
    return commands;
}
}  // namespace sfn::cli

int main(int argc, char** argv) {
    CLI::App app{"sfn: write, validate, run and deploy AWS Step Functions state machines"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("sfn ") + SFN_VERSION);
    auto& commands = sfn::cli::registry();
    std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::map<CLI::App*, std::function<int()>> runners;
    for (auto& command : commands) {
        CLI::App* sub = app.add_subcommand(command.name);
        runners[sub] = command.setup(*sub);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; a usage error exits 2, as every other error of the tool does.
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        for (auto& [sub, run] : runners) {
            if (sub->parsed()) return run();
        }
    } catch (const sfn::Error& e) {
        std::cerr << "sfn: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "sfn: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
