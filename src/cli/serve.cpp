// The serving loop of `sfn serve` and `sfn console` (serve.hpp): builds the service and the HTTP server,
// prints where they listen (and the console's address), and stops on SIGINT/SIGTERM.
#include "cli/serve.hpp"

#include "sfn/server/http_server.hpp"
#include "sfn/server/service.hpp"

#include <pthread.h>
#include <csignal>
#include <iostream>
#include <thread>

namespace sfn::cli {

void add_serve_options(CLI::App& app, ServeArgs& args, bool console_optional) {
    app.add_option("--host", args.host, "Address to listen on (default 127.0.0.1: loopback only)");
    app.add_option("--port", args.port, "Port (0 picks a free one; the address is printed)")
        ->check(CLI::Range(0, 65535));
    auto* db =
        app.add_option("--db", args.db, "SQLite file (default $SFN_HOME/local.db or ~/.local/share/sfn/local.db)");
    app.add_flag("--in-memory", args.in_memory, "Keep everything in memory (nothing persisted)")->excludes(db);
    if (console_optional) app.add_flag("--no-console", args.no_console, "Do not serve the web console at /");
    app.add_flag("--no-checkpoints", args.no_checkpoints,
                 "Do not checkpoint STANDARD executions (faster; those running at a crash end FAILED on restart "
                 "instead of resuming)");
    app.add_option("--clock", args.clock, "real (Wait really waits) or virtual (Waits are instant)")
        ->check(CLI::IsMember({"real", "virtual"}));
    app.add_option("--handler", args.handlers, "GLOB=COMMAND: Task resources matching GLOB run COMMAND (repeatable)");
    app.add_option("--mock-config", args.mock_config, "Step Functions Local MockConfigFile.json (test case: ARN#Case)")
        ->check(CLI::ExistingFile);
    app.add_option("--integrations", args.integrations.integrations,
                   "'aws': Task resources without a handler or mock call the service they name (AWS_ENDPOINT_URL[_<SERVICE>] "
                   "and the credentials chain as the AWS CLI)");
    add_s3_dir_option(app, args.integrations);
    app.add_option("--connections", args.integrations.connections, "HTTP Task connections file")
        ->check(CLI::ExistingFile);
    app.add_option(
        "--require-sigv4", args.require_sigv4,
        "ACCESS_KEY:SECRET: reject requests not signed with it (the console then needs the login URL printed)");
    app.add_option("--region", args.region, "Region used in the ARNs the service makes (default us-east-1)");
    app.add_option("--account", args.account, "Account id used in ARNs (default 123456789012)")
        ->check([](const std::string& v) {
            return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos ? std::string()
                                                                                            : "must be 12 digits";
        });
    app.add_option("--workers", args.workers, "Threads kept ready for STANDARD executions")->check(CLI::Range(1, 1024));
    app.add_option("--http-threads", args.threads, "HTTP worker threads started at once (one per open connection)")
        ->check(CLI::Range(1, 4096));
    app.add_option("--http-max-threads", args.max_threads,
                   "More HTTP threads start while all are busy, up to this many (default 1024)")
        ->check(CLI::Range(1, 65536));
}

int serve(const ServeArgs& args, const std::string& banner) {
    server::ServiceOptions options;
    if (!args.in_memory) options.db_path = args.db.empty() ? server::default_db_path() : std::filesystem::path(args.db);
    options.clock = args.clock == "virtual" ? server::ClockMode::virtual_time : server::ClockMode::real;
    options.workers = args.workers;
    options.checkpoint_executions = !args.no_checkpoints;
    options.region = args.region;
    options.account = args.account;
    for (const auto& spec : args.handlers) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
            std::cerr << banner << ": --handler '" << spec << "' must look like 'GLOB=COMMAND'\n";
            return 2;
        }
        options.command_handlers.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    }
    if (!args.mock_config.empty()) options.mock_config = args.mock_config;
    try {
        options.objects = make_object_store(args.integrations, args.region);
    } catch (const sfn::Error& e) {
        std::cerr << banner << ": " << e.what() << "\n";
        return 2;
    }
    server::HttpOptions http;
    http.host = args.host;
    http.port = static_cast<std::uint16_t>(args.port);
    http.threads = args.threads;
    http.max_threads = args.max_threads;
    http.console = !args.no_console;
    if (!args.require_sigv4.empty()) {
        const auto colon = args.require_sigv4.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == args.require_sigv4.size()) {
            std::cerr << banner << ": --require-sigv4 must look like 'ACCESS_KEY:SECRET'\n";
            return 2;
        }
        http.require_sigv4 = std::make_pair(args.require_sigv4.substr(0, colon), args.require_sigv4.substr(colon + 1));
    }
    // Signals go to one waiting thread (set up before any other thread starts), which stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // Nested executions always run on this service; --integrations aws calls out for the other tasks.
    options.fallback_handler = integrations_handler(args.integrations, args.region, nullptr);
    auto service = std::make_shared<server::Service>(options);
    // With every handler registered, executions the last process left RUNNING continue.
    const auto resumed = service->resume_executions();
    server::HttpServer server(service, http);
    std::cout << banner << ": listening on http://" << args.host << ":" << server.port() << " ("
              << (options.db_path ? "store " + options.db_path->string() : std::string("in memory")) << ", "
              << args.clock << " clock)" << std::endl;
    if (resumed.resumed + resumed.failed > 0) {
        std::cout << banner << ": resumed " << resumed.resumed << " execution(s) interrupted by the previous process"
                  << (resumed.failed ? " (" + std::to_string(resumed.failed) + " could not be resumed: FAILED)" : "")
                  << std::endl;
    }
    if (const auto url = server.console_url(); !url.empty()) std::cout << banner << ": console at " << url << std::endl;
    std::thread waiter([&server, signals] {
        int sig = 0;
        sigwait(&signals, &sig);
        server.stop();
    });
    server.run();
    // run() also returns when listening fails; wake the waiter in any case.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 0;
}

}  // namespace sfn::cli
