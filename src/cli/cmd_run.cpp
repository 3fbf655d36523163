// `sfn run`: executes a definition on the local engine and prints the outcome (a coloured timeline, or one
// JSON object with --json), optionally the history, or throughput figures with --repeat.
#include "cli/command.hpp"
#include "cli/files.hpp"
#include "cli/integrations_setup.hpp"

#include "sfn/asl/parse.hpp"
#include "sfn/asl/validate.hpp"
#include "sfn/engine/error.hpp"
#include "sfn/engine/execution.hpp"
#include "sfn/engine/recorder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <unistd.h>

namespace sfn::cli {

namespace {

namespace engine = sfn::engine;

struct RunOptions {
    std::string definition;
    std::string input;
    std::string input_file;
    std::string type = "STANDARD";
    std::string clock;
    std::vector<std::string> handlers;
    std::string mock_config;
    std::string test_case;
    std::string state_machine;
    std::string record;
    IntegrationsChoice integrations;
    std::map<std::string, std::string> target;
    bool json = false;
    bool history = false;
    int repeat = 0;
};

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw sfn::Error("sfn.cli.E010", std::string("cannot read ") + what + " '" + path + "'");
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

Value read_input(const RunOptions& o) {
    const std::string text = !o.input_file.empty() ? read_file(o.input_file, "input file") : (o.input.empty() ? "{}" : o.input);
    try {
        return Value::parse(text);
    } catch (const sfn::Error& e) {
        throw sfn::Error("sfn.cli.E011", std::string(o.input_file.empty() ? "--input" : o.input_file) +
                                             " is not valid JSON: " + e.what());
    }
}

std::shared_ptr<engine::HandlerRegistry> make_handlers(const RunOptions& o) {
    auto registry = std::make_shared<engine::HandlerRegistry>();
    for (const auto& h : o.handlers) {
        const auto eq = h.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == h.size())
            throw sfn::Error("sfn.cli.E012", "--handler '" + h + "': expected GLOB=COMMAND");
        registry->add_command(h.substr(0, eq), h.substr(eq + 1));
    }
    check_integrations(o.integrations);
    if (!o.integrations.integrations.empty()) {
        // No local service here: nested executions start through the configured Step Functions endpoint.
        auto target = o.target;
        const auto session = session::Session::for_target(target_of(target));
        registry->set_fallback(integrations_handler(o.integrations, session.region(), &session));
    }
    if (!o.mock_config.empty()) {
        if (!o.record.empty()) throw sfn::Error("sfn.cli.E021", "--record and --mock-config exclude each other");
        if (o.test_case.empty()) throw sfn::Error("sfn.cli.E013", "--mock-config needs --test-case NAME");
        std::string machine = o.state_machine;
        if (machine.empty()) {
            // Default: the only state machine of the file, else the definition's file name without extension.
            const auto config = nlohmann::json::parse(read_file(o.mock_config, "mock config"), nullptr, false);
            if (config.is_object() && config.contains("StateMachines") && config["StateMachines"].size() == 1)
                machine = config["StateMachines"].begin().key();
            else
                machine = std::filesystem::path(o.definition).stem().string();
        }
        registry->use_mock_config_file(o.mock_config, machine, o.test_case);
    }
    return registry;
}

struct Palette {
    bool on;
    const char* green() const { return on ? "\033[32m" : ""; }
    const char* red() const { return on ? "\033[31m" : ""; }
    const char* yellow() const { return on ? "\033[33m" : ""; }
    const char* dim() const { return on ? "\033[2m" : ""; }
    const char* bold() const { return on ? "\033[1m" : ""; }
    const char* reset() const { return on ? "\033[0m" : ""; }
};

std::string duration_text(engine::TimePoint a, engine::TimePoint b) {
    const double ms = std::chrono::duration<double, std::milli>(b - a).count();
    char buf[32];
    if (ms >= 1000) {
        std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
    } else {
        std::snprintf(buf, sizeof buf, "%.2f ms", ms);
    }
    return buf;
}

bool is_entered(engine::EventType t) {
    const auto name = engine::to_string(t);
    return name.size() > 12 && name.substr(name.size() - 12) == "StateEntered";
}

// One line per state: a mark (✓ exited, ✗ failed), its name, type and time spent.
void print_timeline(const engine::History& history, const Palette& p) {
    std::map<std::int64_t, std::size_t> open;  // Entered id -> index
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const auto& e = history[i];
        const auto name = engine::to_string(e.type);
        if (is_entered(e.type)) {
            // Find the matching Exited: the next event of the same state name that ends with StateExited.
            std::size_t j = i + 1;
            for (; j < history.size(); ++j) {
                const auto n = engine::to_string(history[j].type);
                if (history[j].name == e.name && n.size() > 11 && n.substr(n.size() - 11) == "StateExited") break;
            }
            const std::string type(name.substr(0, name.size() - 12));
            const bool exited = j < history.size();
            const auto end = exited ? history[j].timestamp : history.back().timestamp;
            std::cout << "  " << (exited ? p.green() : p.red()) << (exited ? "\u2713" : "\u2717") << p.reset() << ' '
                      << p.bold() << e.name << p.reset() << ' ' << p.dim() << type << ' ' << duration_text(e.timestamp, end)
                      << p.reset() << '\n';
        } else if (name.find("Failed") != std::string_view::npos && e.type != engine::EventType::ExecutionFailed) {
            std::cout << "    " << p.yellow() << name << p.reset();
            if (e.detail().has_error) std::cout << ' ' << e.detail().error;
            std::cout << '\n';
        }
    }
}

// --record FILE: the run's task outcomes become test case --test-case of the file (other cases are kept).
void write_recording(const RunOptions& o, const engine::TaskRecorder& recorder, const std::string& machine) {
    nlohmann::json config = nlohmann::json::object();
    if (std::filesystem::exists(o.record)) {
        config = nlohmann::json::parse(read_file(o.record, "mock config"), nullptr, false);
        if (!config.is_object())
            throw sfn::Error("sfn.cli.E021", "--record '" + o.record + "' exists and is not a mock-config JSON object");
    }
    config = recorder.mock_config(machine, o.test_case, std::move(config));
    replace_file(o.record, config.dump(2) + '\n', "--record file");
}

int run(const RunOptions& o) {
    const auto document = read_definition_document(o.definition);
    // What AWS would refuse to deploy does not run here either (a misspelt field would be ignored otherwise).
    auto diagnostics = asl::check(document, {.express = o.type == "EXPRESS"});
    std::erase_if(diagnostics, [](const asl::Diagnostic& d) { return d.severity != asl::Severity::Error; });
    if (!diagnostics.empty()) {
        throw sfn::Error("sfn.cli.E022", "'" + o.definition + "' is not a valid state machine definition (as `sfn validate` reports):\n" +
                                             asl::to_string(diagnostics));
    }
    const auto machine = engine::compile(document);
    const Value input = read_input(o);

    engine::ExecutionOptions options;
    if (o.type == "EXPRESS") {
        options.type = engine::ExecutionType::Express;
    } else if (o.type != "STANDARD") {
        throw sfn::Error("sfn.cli.E014", "--type must be STANDARD or EXPRESS, got '" + o.type + "'");
    }
    if (!o.clock.empty() && o.clock != "virtual" && o.clock != "real")
        throw sfn::Error("sfn.cli.E015", "--clock must be 'virtual' or 'real', got '" + o.clock + "'");
    options.state_machine_name = o.state_machine.empty() ? std::filesystem::path(o.definition).stem().string() : o.state_machine;
    options.handlers = make_handlers(o);
    options.objects = make_object_store(o.integrations, options.region);
    auto make_clock = [&]() -> std::shared_ptr<engine::Clock> {
        if (o.clock == "virtual") return std::make_shared<engine::VirtualClock>();
        return std::make_shared<engine::RealClock>();
    };

    if (o.repeat > 0) {
        // One warm-up, then N timed runs (history recorded, as the service records it).
        std::vector<double> times;
        std::uint64_t transitions = 0;
        for (int i = 0; i <= o.repeat; ++i) {
            auto opts = options;
            opts.clock = make_clock();
            opts.name = "run-" + std::to_string(i);
            const auto start = std::chrono::steady_clock::now();
            const auto r = engine::run(machine, input, opts);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            transitions = r.transitions;
            if (i > 0) times.push_back(s);
        }
        std::sort(times.begin(), times.end());
        const double median = times[times.size() / 2];
        std::fprintf(stderr, "%d runs: min %.6f s, median %.6f s, max %.6f s per execution; %.0f transitions/s (median)\n",
                     o.repeat, times.front(), median, times.back(), static_cast<double>(transitions) / median);
    }

    options.clock = make_clock();
    if (!o.record.empty()) {
        if (o.test_case.empty()) throw sfn::Error("sfn.cli.E021", "--record needs --test-case NAME");
        options.task_recorder = std::make_shared<engine::TaskRecorder>();
    }
    engine::Execution execution(machine, input, options);
    const auto result = execution.run();
    if (options.task_recorder) write_recording(o, *options.task_recorder, options.state_machine_name);

    if (o.json) {
        // Printed by Value, so that the output's numbers read as everywhere else (1, not 1.0; 1e-7, not 1e-07).
        std::vector<Member> out{{"status", Value(std::string(engine::to_string(result.status)))}};
        if (result.status == engine::ExecutionStatus::Succeeded) {
            out.emplace_back("output", result.output);
        } else {
            out.emplace_back("error", result.error ? Value(*result.error) : Value());
            out.emplace_back("cause", result.cause ? Value(*result.cause) : Value());
        }
        if (o.history) {
            std::vector<Value> events;
            for (const auto& e : execution.history()) events.push_back(Value::parse(e.to_json().dump()));
            out.emplace_back("history", Value::array(std::move(events)));
        }
        std::cout << Value::object(std::move(out)).dump() << '\n';
        return 0;
    }
    const Palette p{isatty(STDOUT_FILENO) != 0};
    print_timeline(execution.history(), p);
    if (o.history) {
        for (const auto& e : execution.history()) std::cout << e.to_json().dump() << '\n';
    }
    const bool ok = result.status == engine::ExecutionStatus::Succeeded;
    std::cout << (ok ? p.green() : p.red()) << p.bold() << engine::to_string(result.status) << p.reset() << ' '
              << p.dim() << duration_text(result.start_time, result.stop_time) << ", " << result.transitions
              << " transitions" << p.reset() << '\n';
    if (ok) {
        std::cout << result.output_json() << '\n';
        return 0;
    }
    if (result.error) std::cout << "error: " << *result.error << '\n';
    if (result.cause) std::cout << "cause: " << *result.cause << '\n';
    return 1;
}

std::function<int()> setup(CLI::App& app) {
    auto o = std::make_shared<RunOptions>();
    app.description("Run a state machine on the local engine");
    app.add_option("definition", o->definition, "ASL definition file (.json or .yaml)")->required();
    auto* input = app.add_option("--input", o->input, "execution input (JSON text)");
    app.add_option("--input-file", o->input_file, "file holding the execution input")->excludes(input);
    app.add_option("--type", o->type, "STANDARD (default) or EXPRESS");
    app.add_option("--clock", o->clock, "'virtual' skips Wait states and retry intervals instantly");
    app.add_option("--handler", o->handlers,
                   "GLOB=COMMAND: run COMMAND for Task resources (or Lambda FunctionNames) matching GLOB; "
                   "event JSON on stdin, result JSON on stdout");
    app.add_option("--mock-config", o->mock_config, "Step Functions Local mock-config file");
    app.add_option("--test-case", o->test_case, "test case of the mock config");
    app.add_option("--state-machine", o->state_machine, "state machine name (mock-config lookup, ARNs)");
    app.add_option("--record", o->record,
                   "write every task outcome of the run into this mock-config file as test case --test-case "
                   "(replay it offline with --mock-config FILE --test-case NAME)");
    app.add_option("--integrations", o->integrations.integrations,
                   "'aws': Task resources without a handler or mock call the service they name (Lambda, optimised, "
                   "aws-sdk:*, HTTP Task; endpoints and credentials as the AWS CLI resolves them; states:startExecution "
                   "through the Step Functions endpoint of --profile/--region/--endpoint-url)");
    add_s3_dir_option(app, o->integrations);
    app.add_option("--connections", o->integrations.connections,
                   "HTTP Task connections file (connection ARN -> authorization; see docs)")
        ->check(CLI::ExistingFile);
    add_target_options(app, o->target);
    app.add_flag("--json", o->json, "print one JSON object {status, output | error, cause}; exit 0 whatever the status");
    app.add_flag("--history", o->history, "print the execution history events too");
    app.add_option("--repeat", o->repeat, "run N more times after a warm-up; print timings to stderr")
        ->check(CLI::Range(1, 1000000));
    return [o] {
        try {
            return run(*o);
        } catch (const engine::CompileError& e) {
            throw sfn::Error("sfn.cli.E016", std::string("cannot compile '") + o->definition + "': " + e.what());
        }
    };
}

const Registration reg{"run", setup};

}  // namespace

}  // namespace sfn::cli
