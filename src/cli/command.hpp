#pragma once
// The subcommand registry of the `sfn` tool. Each cmd_*.cpp defines one static Registration that
// adds its subcommand to the CLI11 app; main.cpp runs whichever was chosen.

#include <CLI/CLI.hpp>

#include <functional>
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

}  // namespace sfn::cli
