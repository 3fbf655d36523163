#pragma once
/// \file
/// sfn::session::StateMachine — a workflow deployed as an AWS Step Functions state machine: create, update,
/// deploy (create or update), execute (optionally waiting), describe, history, delete; versions and aliases
/// (publish, move, roll back); the console URLs; and the original's progress lines through a logger.
///
/// **Example** (the flagship scenario)
/// @code
///   auto hello = sfn::Pass("Input Argument Handling").result({{"message", "Hello Alice"}});
///   sfn::Workflow workflow;
///   workflow.start_from(hello).next_then(sfn::Pass("Task 1")).next_then(sfn::Pass("Task 2")).end();
///   sfn::StateMachine sm{.name = "stepfunction_deployment_example", .workflow = workflow,
///                        .role_arn = role_arn, .type = sfn::StateMachineType::Express};
///   auto session = sfn::Session::from_environment();
///   sm.deploy(session);
///   auto run = sm.execute(session, {.sync = true});   // run.output == {"message": "Hello Alice"}
///   hello.result({{"message", "Hello Bob"}});
///   sm.deploy(session);                               // an update
///   sm.delete_(session);
/// @endcode

#include "sfn/aws/shapes.hpp"
#include "sfn/core/error.hpp"
#include "sfn/session/session.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sfn {
class Workflow;
}

namespace sfn::session {

/// Receives each progress line (without newline). The default prints to stdout.
using Logger = std::function<void(const std::string& line)>;
[[nodiscard]] Logger stdout_logger();
/// Discards everything.
[[nodiscard]] Logger null_logger();

/// Errors of this component:
/// - sfn.session.E001 UsageError: a StateMachine without name, definition or role.
/// - sfn.session.E002 ExecutionFailed: an execution ended FAILED/TIMED_OUT/ABORTED and throwing was asked for.
/// - sfn.session.E003 WaitTimeout: an execution did not finish in time.
class SessionError : public sfn::Error {
public:
    SessionError(std::string code, const std::string& message) : sfn::Error(std::move(code), message) {}
};

/// Anything that yields an ASL definition: a Workflow (rendered at each deploy, so later edits of its
/// states show), a fixed JSON document, or a function.
class Definition {
public:
    Definition() = default;
    Definition(const Workflow& workflow);                   // NOLINT(google-explicit-constructor)
    Definition(nlohmann::ordered_json asl);                  // NOLINT(google-explicit-constructor)
    Definition(std::function<nlohmann::ordered_json()> render);  // NOLINT(google-explicit-constructor)
    /// Throws SessionError E001 when empty.
    [[nodiscard]] nlohmann::ordered_json render() const;
    [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(render_); }

private:
    std::function<nlohmann::ordered_json()> render_;
};

enum class StateMachineType { Standard, Express };

using ExecutionStatus = aws::sfn_api::ExecutionStatus;

/// The outcome of execute()/wait_for_execution(). A failed execution is a value: check succeeded(), or call
/// throw_if_failed() (or set StateMachine::throw_on_failure).
struct ExecutionResult {
    std::string execution_arn;
    std::string state_machine_arn;
    std::string name;
    ExecutionStatus status = ExecutionStatus::Unknown;
    aws::sfn_api::Timestamp start_date;
    std::optional<aws::sfn_api::Timestamp> stop_date;
    nlohmann::json input;
    /// The parsed output JSON, when the execution succeeded.
    std::optional<nlohmann::json> output;
    std::optional<std::string> error;
    std::optional<std::string> cause;
    std::string console_url;

    [[nodiscard]] bool finished() const noexcept { return status != ExecutionStatus::Running; }
    [[nodiscard]] bool succeeded() const noexcept { return status == ExecutionStatus::Succeeded; }
    /// Throws SessionError E002 "execution '<arn>' FAILED: <error>: <cause>" unless it succeeded or is running.
    void throw_if_failed() const;
};

/// Polling for STANDARD executions: exponential backoff from `initial` up to `max`, giving up after `timeout`.
struct WaitOptions {
    std::chrono::milliseconds initial{50};
    std::chrono::milliseconds max{2000};
    std::chrono::milliseconds timeout{std::chrono::minutes(10)};
};

/// Beyond the original: versions, aliases, diff.
struct DeployOptions {
    /// Publish a version with this deploy (its description, e.g. a semantic version "1.4.0").
    bool publish = false;
    std::string version_description;
    /// Point this alias at the published version (created if absent). Requires publish.
    std::optional<std::string> alias;
    /// Log the JSON diff (RFC 6902) of the deployed definition vs the local one before updating.
    bool show_diff = false;
};

struct DeployResult {
    enum class Action { Created, Updated };
    Action action = Action::Created;
    std::string state_machine_arn;
    std::optional<std::string> version_arn;
    std::optional<std::string> alias_arn;
    /// JSON Patch from the deployed definition to the local one (empty array when equal or just created).
    nlohmann::json diff = nlohmann::json::array();
};

/// What execute() starts.
///
/// **Example**
/// @code
///   sm.execute(session, {.sync = true});                                    // no input, wait for the end
///   sm.execute(session, {.input = {{"order", 42}}, .name = "order-42"});    // start and return at once
/// @endcode
struct ExecuteOptions {
    /// The execution's input (null = no input, which the service reads as `{}`).
    nlohmann::json input = nullptr;
    /// The execution name (default: a generated one).
    std::optional<std::string> name;
    /// Wait for the end: EXPRESS machines run through StartSyncExecution, STANDARD ones are polled.
    bool sync = false;
    /// An AWS X-Ray trace header.
    std::optional<std::string> trace_header;
};

/// A state machine described in code: an aggregate, so the original's keyword arguments read the same:
/// @code
///   sfn::StateMachine sm{.name = "orders", .workflow = workflow, .role_arn = role,
///                        .type = sfn::StateMachineType::Express, .tags = {{"team", "shop"}}};
/// @endcode
struct StateMachine {
    std::string name;
    Definition workflow;
    std::string role_arn;
    StateMachineType type = StateMachineType::Standard;
    std::optional<aws::sfn_api::LoggingConfiguration> logging_configuration;
    std::optional<aws::sfn_api::TracingConfiguration> tracing_configuration;
    std::map<std::string, std::string> tags;
    /// Where the progress lines go (stdout_logger() by default; null_logger() silences).
    Logger logger = stdout_logger();
    /// Make execute(sync)/wait_for_execution throw SessionError E002 when the execution did not succeed.
    bool throw_on_failure = false;
    WaitOptions wait_options;

    StateMachine& set_type_as_standard() { type = StateMachineType::Standard; return *this; }
    StateMachine& set_type_as_express() { type = StateMachineType::Express; return *this; }
    [[nodiscard]] bool is_express() const noexcept { return type == StateMachineType::Express; }

    /// The ASL document this machine deploys (rendered now).
    [[nodiscard]] nlohmann::ordered_json definition() const;

    [[nodiscard]] std::string arn(const Session& session) const;
    /// `https://<region>.console.aws.amazon.com/states/home?region=<region>#/statemachines/view/<arn>`; when the
    /// session has an sfn web console (Session::local_console()), `<console>#/statemachines/<arn>` instead (so
    /// for the two below: `#/statemachines/<arn>` and `#/executions/<execution arn>`, EXPRESS executions, which the
    /// local service does not record, `#/statemachines/<arn>`).
    [[nodiscard]] std::string console_url(const Session& session) const;
    /// `https://<region>.console.aws.amazon.com/states/home?region=<region>#/visual-editor?stateMachineArn=<arn>`
    [[nodiscard]] std::string visual_editor_console_url(const Session& session) const;
    /// STANDARD: `...#/v2/executions/details/<arn>`; EXPRESS: `...#/express-executions/details/<arn>?startDate=<ms>`.
    [[nodiscard]] std::string execution_console_url(const Session& session, const std::string& execution_arn,
                                                    aws::sfn_api::Timestamp start_date = {}) const;

    /// Throws aws::ServiceError (StateMachineDoesNotExist when absent).
    [[nodiscard]] aws::sfn_api::DescribeStateMachineOutput describe(const Session& session) const;
    /// False only for StateMachineDoesNotExist; other errors propagate.
    [[nodiscard]] bool exists(const Session& session) const;
    aws::sfn_api::CreateStateMachineOutput create(const Session& session, const DeployOptions& options = {}) const;
    aws::sfn_api::UpdateStateMachineOutput update(const Session& session, const DeployOptions& options = {}) const;
    /// Creates the machine, or updates it when it exists; logs the original's lines.
    DeployResult deploy(const Session& session, const DeployOptions& options = {}) const;
    /// Deletes the machine; logs "delete state machine '<arn>'" and "  done, exam at: <url>".
    void remove(const Session& session) const;
    /// The original's name for remove().
    void delete_(const Session& session) const { remove(session); }

    /// Starts an execution; with `.sync = true` it waits for the end and the result has the parsed output.
    ExecutionResult execute(const Session& session, const ExecuteOptions& options = {}) const;
    /// Polls DescribeExecution with backoff until the execution leaves RUNNING.
    /// Throws SessionError E003 after wait_options.timeout.
    ExecutionResult wait_for_execution(const Session& session, const std::string& execution_arn) const;
    /// Every event of an execution's history (all pages).
    [[nodiscard]] std::vector<aws::sfn_api::HistoryEvent> history(const Session& session,
                                                                  const std::string& execution_arn) const;

    /// The deployed definition vs the local one as a JSON Patch (RFC 6902); the whole document as one "add"
    /// when not deployed.
    [[nodiscard]] nlohmann::json diff(const Session& session) const;
    /// Publishes the current revision as a version; returns its ARN.
    std::string publish(const Session& session, const std::string& description = {}) const;
    /// Points `alias` at `version_arn` (creates the alias when absent); returns the alias ARN.
    std::string set_alias(const Session& session, const std::string& alias, const std::string& version_arn,
                          const std::string& description = {}) const;
    /// Moves `alias` to `version_arn`, or when empty to the newest version older than the one it points at.
    /// Returns the version ARN the alias now points at. Throws SessionError E001 when there is none.
    std::string rollback(const Session& session, const std::string& alias,
                         const std::string& version_arn = {}) const;
    /// Versions, newest first.
    [[nodiscard]] std::vector<aws::sfn_api::StateMachineVersionListItem> versions(const Session& session) const;
};

}  // namespace sfn::session

namespace sfn {
using session::ExecuteOptions;
using session::StateMachine;
using session::StateMachineType;
}  // namespace sfn
