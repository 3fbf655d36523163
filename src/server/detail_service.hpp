#pragma once
// The state behind server::Service: records (JSON documents, the same as the Describe* outputs plus
// `_`-prefixed internal members), running executions, the store and the worker pool. Operations are
// split by topic over service_*.cpp. Machines, versions, aliases, tags and activities are few and kept in
// memory; execution records are many and live in the store only (read back when asked), so memory holds
// just the executions that are running.

#include "sfn/engine/execution.hpp"
#include "sfn/engine/machine.hpp"
#include "sfn/server/service.hpp"

#include "server/detail_map_runs.hpp"
#include "server/detail_pool.hpp"
#include "server/detail_store.hpp"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sfn::server {

using nlohmann::json;

/// A record without its internal (`_`-prefixed) members: what Describe* returns.
inline json public_view(const json& doc) {
    json out = json::object();
    for (const auto& [k, v] : doc.items()) {
        if (!k.empty() && k[0] != '_') out[k] = v;
    }
    return out;
}

/// What definition_diagnostics() checks.
struct DiagnosticsOptions {
    /// Also report what the engine cannot compile (off where the engine will not run the state as
    /// written, e.g. a mocked Map's ItemReader under TestState).
    bool engine_checks = true;
    /// The definition is for an EXPRESS state machine (no activities, `.sync` or `.waitForTaskToken`).
    bool express = false;
};

/// InvalidDefinition when an EXPRESS state machine's definition uses what EXPRESS machines cannot run.
void check_express_definition(const std::string& definition);

/// ValidateStateMachineDefinition's diagnostics ({severity, code, message, location}) for a definition text:
/// JSON problems, the ASL validator's findings, and anything the engine cannot compile.
json definition_diagnostics(const std::string& definition, const DiagnosticsOptions& options = {});

/// \throws ApiError InvalidDefinition listing the ERROR diagnostics ("CODE: message at location, ..."), if any.
void throw_if_invalid(const json& diagnostics);

/// One running STANDARD execution.
struct Live {
    std::unique_ptr<engine::Execution> execution;
    std::shared_future<void> done;
    json record;  ///< its record as stored when it started (or was redriven)
};

/// What an execution runs: the resolved machine, definition and qualifiers of a (possibly qualified) ARN.
struct Target {
    json machine;                  ///< the base machine record
    std::string definition;        ///< the definition text to run (the version's when qualified)
    std::string role_arn;
    std::string revision_id;       ///< the revision of `definition` (the version's when qualified)
    std::string version_arn;       ///< "" when unqualified
    std::string alias_arn;         ///< "" when not through an alias
    std::string test_case;         ///< mock-config test case (the `#Name` suffix)
};

/// A task waiting in an activity's queue for GetActivityTask. The engine waits for the worker's answer under
/// the token (SendTask* go to `tokens`); `started` hands the task to a worker (TaskRequest::started).
struct ActivityTask {
    std::string token;
    std::string input;
    std::string execution_arn;
    std::function<bool(std::string_view worker_name)> started;
};

/// Runs an execution to its end on a pool thread, recording history (and, for STANDARD executions, checkpoints)
/// through the store, then records the outcome. `offset` shifts event ids (a redrive appends to the existing
/// history). Caller holds s.mutex_; `record` is the execution's stored record.
void launch(Service::Impl& s, const std::string& arn, json record, engine::CompiledMachine machine, sfn::Value input,
            engine::ExecutionOptions options, std::int64_t offset);

struct Service::Impl {
    explicit Impl(ServiceOptions opts);
    ~Impl();

    // The web console serving this service (Service::console_url()).
    mutable std::mutex console_mutex;
    std::string console_url;

    using Op = json (Impl::*)(const json&);
    static const std::unordered_map<std::string, Op>& operations();

    // service_machines.cpp
    json create_state_machine(const json& r);
    json describe_state_machine(const json& r);
    json update_state_machine(const json& r);
    json delete_state_machine(const json& r);
    json list_state_machines(const json& r);
    json publish_state_machine_version(const json& r);
    json list_state_machine_versions(const json& r);
    json delete_state_machine_version(const json& r);
    json create_state_machine_alias(const json& r);
    json describe_state_machine_alias(const json& r);
    json update_state_machine_alias(const json& r);
    json list_state_machine_aliases(const json& r);
    json delete_state_machine_alias(const json& r);
    json validate_state_machine_definition(const json& r);
    // service_executions.cpp
    json start_execution(const json& r);
    json start_sync_execution(const json& r);
    json describe_execution(const json& r);
    json describe_state_machine_for_execution(const json& r);
    json stop_execution(const json& r);
    json list_executions(const json& r);
    json describe_map_run(const json& r) { return map_runs.describe(r); }
    json list_map_runs(const json& r) { return map_runs.list(r); }
    json update_map_run(const json& r) { return map_runs.update(r); }
    json get_execution_history(const json& r);
    json redrive_execution(const json& r);
    json send_task_success(const json& r);
    json send_task_failure(const json& r);
    json send_task_heartbeat(const json& r);
    json test_state(const json& r);
    // service_resources.cpp
    json tag_resource(const json& r);
    json untag_resource(const json& r);
    json list_tags_for_resource(const json& r);
    json create_activity(const json& r);
    json describe_activity(const json& r);
    json list_activities(const json& r);
    json delete_activity(const json& r);
    json get_activity_task(const json& r);

    // helpers (service.cpp)
    /// Service::call: validates `request` against the API model and runs `operation`. \throws ApiError
    json call(std::string_view operation, const json& request);
    /// The `states:startExecution*` integration, starting children on this service.
    engine::TaskHandler nested_execution_handler();
    std::string machine_arn(const std::string& name) const;
    /// Parses + compiles a definition; throws InvalidDefinition naming the problem.
    engine::CompiledMachine compile(const std::string& definition);
    /// Resolves a machine / version / alias ARN (with an optional `#TestCase`). Caller holds mutex_.
    Target resolve(const std::string& arn);
    /// The committed record of an execution. Caller need not hold mutex_.
    /// \throws ApiError ExecutionDoesNotExist (InvalidArn when `arn` is not an execution ARN)
    json execution_record(const std::string& arn);
    std::shared_ptr<const engine::HandlerRegistry> handlers_for(const Target& target);
    std::shared_ptr<engine::Clock> make_clock() const;
    std::string options_region() const;
    void persist(detail::Table table, const json& doc, const char* key_member);
    void recover();
    // Durable executions (service_resume.cpp): RUNNING records found by recover(), resumed once.
    std::vector<json> interrupted;
    // Map Run children recover() found RUNNING: they continue with their run when their parent resumes inside
    // the top-level Map state that runs it; the others end ABORTED (settle_interrupted_children()).
    std::vector<json> interrupted_children;
    void settle_interrupted_children();
    std::once_flag resume_once;
    Service::Resumed resumed;
    Service::Resumed resume_executions();
    void resume(json doc);
    void fail_interrupted(json doc, const std::string& why);

    ServiceOptions options;
    detail::Store store;
    std::mutex mutex_;  // guards every map below
    std::map<std::string, json> machines;
    std::map<std::string, json> versions;
    std::map<std::string, json> aliases;
    std::map<std::string, json> tags;
    std::map<std::string, json> activities;
    /// Executions whose StartExecution is checking or committing its record: the name is taken until the
    /// execution runs (it is in `live`) or the start failed.
    std::unordered_set<std::string> starting;
    std::condition_variable started_cv;
    std::int64_t next_seq = 1;  ///< start order of the next execution (ListExecutions sorts by it)
    std::unordered_map<std::string, std::shared_ptr<Live>> live;  ///< running STANDARD executions
    std::condition_variable live_cv;
    bool shutting_down = false;

    std::mutex compiled_mutex_;
    std::unordered_map<std::string, engine::CompiledMachine> compiled;

    std::mutex handlers_mutex_;
    engine::HandlerRegistry registry;
    std::shared_ptr<const engine::HandlerRegistry> registry_snapshot;
    std::optional<json> mock_config;

    std::shared_ptr<engine::TaskTokens> tokens = std::make_shared<engine::TaskTokens>();
    std::shared_ptr<engine::Clock> real_clock;

    std::mutex activity_mutex_;
    std::condition_variable activity_cv;
    std::map<std::string, std::deque<ActivityTask>> activity_queues;
    bool activity_stopping = false;
    /// Schedules an activity task: queues it for GetActivityTask and answers pending (the worker answers with
    /// SendTask* under the task's token); not_scheduled when the activity does not exist.
    engine::TaskOutcome run_activity(const engine::TaskRequest& request);
    /// Drops the queued tasks of `execution_arn` ("" = all), e.g. when it is stopped.
    void cancel_activities(const std::string& execution_arn);

    detail::MapRuns map_runs;
    detail::WorkerPool pool;
};

}  // namespace sfn::server
