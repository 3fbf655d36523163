#pragma once
// The subcommand registry of the `sfn` tool. Each cmd_*.cpp defines one static Registration that
// adds its subcommand to the CLI11 app; main.cpp runs whichever was chosen.

#include "sfn/session/session.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sfn::cli {

/// Adds a subcommand to `app` and returns the function that runs it (its exit code).
using Setup = std::function<std::function<int()>(CLI::App& app)>;

struct Command {
    std::string name;
    Setup setup;
};

std::vector<Command>& registry();

/// Create one at namespace scope in a cmd_*.cpp file: `static Registration reg{"run", setup_run};`.
struct Registration {
    Registration(std::string name, Setup setup) { registry().push_back({std::move(name), std::move(setup)}); }
};

/// Adds --profile, --region and --endpoint-url (which Step Functions to talk to) to a subcommand whose options
/// are kept in `o` under "profile", "region" and "endpoint".
inline void add_target_options(CLI::App& app, std::map<std::string, std::string>& o) {
    app.add_option("--profile", o["profile"], "AWS profile");
    app.add_option("--region", o["region"], "AWS region");
    app.add_option("--endpoint-url", o["endpoint"], "Step Functions endpoint");
}

/// The target that add_target_options() filled in.
inline sfn::session::Target target_of(std::map<std::string, std::string>& o) {
    return {.profile = o["profile"], .region = o["region"], .endpoint_url = o["endpoint"]};
}

}  // namespace sfn::cli
