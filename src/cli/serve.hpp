#pragma once
// What `sfn serve` and `sfn console` share: their options and the loop that serves until SIGINT/SIGTERM.

#include "cli/integrations_setup.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace sfn::cli {

struct ServeArgs {
    std::string host = "127.0.0.1";
    int port = 8083;
    std::string db;
    bool in_memory = false;
    bool no_console = false;
    bool no_checkpoints = false;
    std::string clock = "real";
    std::vector<std::string> handlers;
    std::string mock_config;
    std::string require_sigv4;
    unsigned workers = 4;
    unsigned threads = 64;
    unsigned max_threads = 1024;
    std::string region = "us-east-1";
    std::string account = "123456789012";
    IntegrationsChoice integrations;
};

/// Adds the options of ServeArgs to `app`, `--no-console` only when `console_optional`.
void add_serve_options(CLI::App& app, ServeArgs& args, bool console_optional);

/// Serves until a signal arrives; `banner` names the command in the first line ("sfn serve"). Returns the
/// exit code.
int serve(const ServeArgs& args, const std::string& banner);

}  // namespace sfn::cli
