#pragma once
/// \file
/// server::Service: one implementation of the AWS Step Functions API (AWS JSON 1.0 shapes and error
/// names), persisted in SQLite. Both the embedded transport (Session::local()) and `sfn serve` call it.
///
/// **Example**
/// \code
///   sfn::server::Service service({.db_path = std::nullopt});   // in-memory
///   auto out = service.call("CreateStateMachine", {{"name", "Hello"}, {"definition", asl_text},
///                                                  {"roleArn", "arn:aws:iam::123456789012:role/r"}});
///   auto arn = out["stateMachineArn"].get<std::string>();
/// \endcode

#include "sfn/engine/handlers.hpp"
#include "sfn/engine/objects.hpp"
#include "sfn/server/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfn::server {

/// Whether executions read the real time (Wait really waits) or a virtual clock (Waits are instant).
enum class ClockMode { real, virtual_time };

struct ServiceOptions {
    /// SQLite database file (WAL). std::nullopt keeps everything in memory.
    std::optional<std::filesystem::path> db_path;
    std::string region = "us-east-1";
    std::string account = "123456789012";
    ClockMode clock = ClockMode::real;
    /// Threads running STANDARD executions.
    unsigned workers = 4;
    /// `--handler 'GLOB=COMMAND'`: Task resources matching GLOB run COMMAND (input on stdin, result on stdout).
    std::vector<std::pair<std::string, std::string>> command_handlers;
    /// `--mock-config F`: a Step Functions Local MockConfigFile.json.
    std::optional<std::filesystem::path> mock_config;
    /// Where Distributed Map ItemReaders read and ResultWriters write (`--s3-dir`, or S3 itself).
    std::shared_ptr<const engine::ObjectStore> objects;
    /// Asked for every Task that no mock and no registered handler covers (`--integrations aws`: pass
    /// `integrations::make_aws_handler({...})`). Nested `states:startExecution` keeps running on this service.
    /// Empty: such tasks fail with the "no task handler" error.
    engine::TaskHandler fallback_handler;
    /// Durable executions: each top-level transition of a STANDARD execution is checkpointed with its history
    /// event, so the execution resumes after a restart (engine/checkpoint.hpp). `false` (`sfn serve
    /// --no-checkpoints`) leaves the checkpoints out: a STANDARD execution running at a crash then ends FAILED
    /// on restart (redrivable), like an EXPRESS one. For measuring what durability costs.
    bool checkpoint_executions = true;
};

/// The answer to one wire request: HTTP status and JSON body (an error shape when status != 200).
struct WireResponse {
    int status = 200;
    std::string body;
    std::string error_type;  ///< the AWS error name when status != 200 (for the X-Amzn-ErrorType header)
};

/// The Step Functions API. Thread-safe: any number of threads may call it concurrently.
class Service {
public:
    /// Opens (or creates) the store and resumes its state. STANDARD executions left RUNNING by a previous
    /// process (even one killed with kill -9) continue from their last committed transition once
    /// resume_executions() runs (at the latest on the first call()); one whose checkpoint cannot be used ends
    /// FAILED (error `States.Runtime`, a cause saying why), and can be redriven.
    /// \throws sfn::Error (code sfn.server.E001) when the database cannot be opened or migrated.
    explicit Service(ServiceOptions options = {});
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    /// Runs one operation (`"StartExecution"`) on a request object with the model's camelCase members.
    /// \throws ApiError with AWS's error name and message.
    nlohmann::json call(std::string_view operation, const nlohmann::json& request);

    /// Runs one wire request: `target` is the X-Amz-Target value (`AWSStepFunctions.X`), `body` the raw
    /// JSON text (empty = `{}`). Never throws: every failure becomes an AWS error shape.
    WireResponse handle(std::string_view target, std::string_view body) noexcept;

    /// Registers a C++ task handler for Task resources (or Lambda function names) matching `glob`
    /// (`*` and `?` wildcards; see engine::HandlerRegistry). Later registrations win. Executions started
    /// afterwards use it.
    void register_handler(std::string glob, engine::TaskHandler handler);

    /// What resume_executions() did with the executions a previous process left RUNNING.
    struct Resumed {
        std::size_t resumed = 0;  ///< continue from their last committed transition
        std::size_t failed = 0;   ///< could not be resumed (checkpoint unusable): marked FAILED
    };
    /// Resumes the executions a previous process left RUNNING. Call it after register_handler() so that
    /// resumed Tasks find their handlers; the first call() does it otherwise. Idempotent: later calls
    /// return the first one's counts. \throws sfn::Error (sfn.server.E001) when the store fails.
    Resumed resume_executions();

    /// Waits until no STANDARD execution is running and their final records are committed (tests and orderly
    /// shutdown). \throws sfn::Error (sfn.server.E001) when the store cannot commit them.
    void drain();

    [[nodiscard]] const ServiceOptions& options() const noexcept;

    /// The base URL of the web console serving this service (`http://127.0.0.1:8083/`), set by an HttpServer
    /// while it serves one; std::nullopt when none does. Sessions on this service link their state machines
    /// and executions into it.
    [[nodiscard]] std::optional<std::string> console_url() const;
    /// Sets (non-empty) or clears (empty) what console_url() answers; HttpServer calls it.
    void set_console_url(std::string url);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

/// The store used when nothing else is configured: `$SFN_HOME/local.db`, else
/// `$XDG_DATA_HOME/sfn/local.db`, else `~/.local/share/sfn/local.db`.
[[nodiscard]] std::filesystem::path default_db_path();

}  // namespace sfn::server
