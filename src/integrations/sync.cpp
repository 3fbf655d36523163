// How the `.sync` optimised integrations follow their jobs (detail_sync.hpp), from the AWS documentation of each:
// Athena GetQueryExecution (QueryExecution.Status.State), Batch DescribeJobs (jobs[0].status), Glue GetJobRun
// (JobRun.JobRunState), ECS DescribeTasks (tasks[0].lastStatus STOPPED, every essential container exit code 0).
#include "integrations/detail_sync.hpp"

#include <array>
#include <string>

namespace sfn::integrations::detail {
namespace {

using nlohmann::json;

const json& member(const json& object, const char* name) {
    static const json none;
    if (!object.is_object()) return none;
    const auto it = object.find(name);
    return it == object.end() ? none : *it;
}

std::string text(const json& value) { return value.is_string() ? value.get<std::string>() : std::string(); }

const json& first(const json& list) {
    static const json none;
    return list.is_array() && !list.empty() ? list.front() : none;
}

JobState athena_state(const json& polled) {
    const std::string s = text(member(member(member(polled, "QueryExecution"), "Status"), "State"));
    if (s == "SUCCEEDED") return JobState::Succeeded;
    if (s == "FAILED" || s == "CANCELLED") return JobState::Failed;
    return JobState::Running;
}

JobState batch_state(const json& polled) {
    const std::string s = text(member(first(member(polled, "Jobs")), "Status"));
    if (s == "SUCCEEDED") return JobState::Succeeded;
    if (s == "FAILED") return JobState::Failed;
    return JobState::Running;
}

JobState glue_state(const json& polled) {
    const std::string s = text(member(member(polled, "JobRun"), "JobRunState"));
    if (s == "SUCCEEDED") return JobState::Succeeded;
    if (s == "FAILED" || s == "STOPPED" || s == "TIMEOUT" || s == "ERROR" || s == "EXPIRED") return JobState::Failed;
    return JobState::Running;
}

JobState ecs_state(const json& polled) {
    const json& task = first(member(polled, "Tasks"));
    if (text(member(task, "LastStatus")) != "STOPPED") return task.is_null() ? JobState::Failed : JobState::Running;
    for (const auto& container : member(task, "Containers")) {
        const json& code = member(container, "ExitCode");
        if (!code.is_number_integer() || code.get<int>() != 0) return JobState::Failed;
    }
    return JobState::Succeeded;
}

const std::array<std::pair<std::pair<std::string_view, std::string_view>, SyncSpec>, 4>& table() {
    static const std::array<std::pair<std::pair<std::string_view, std::string_view>, SyncSpec>, 4> specs{{
        {{"athena", "startQueryExecution"},
         {"GetQueryExecution",
          [](const json&, const json& answer) {
              return json{{"QueryExecutionId", member(answer, "QueryExecutionId")}};
          },
          athena_state, [](const json& polled) { return polled; }, "StopQueryExecution",
          [](const json&, const json& answer) {
              return json{{"QueryExecutionId", member(answer, "QueryExecutionId")}};
          }}},
        {{"batch", "submitJob"},
         {"DescribeJobs",
          [](const json&, const json& answer) {
              return json{{"jobs", json::array({member(answer, "jobId")})}};
          },
          batch_state, [](const json& polled) { return first(member(polled, "Jobs")); }, "TerminateJob",
          [](const json&, const json& answer) {
              return json{{"jobId", member(answer, "jobId")}, {"reason", "Stopped by AWS Step Functions"}};
          }}},
        {{"glue", "startJobRun"},
         {"GetJobRun",
          [](const json& submitted, const json& answer) {
              return json{{"JobName", member(submitted, "JobName")}, {"RunId", member(answer, "JobRunId")}};
          },
          glue_state, [](const json& polled) { return member(polled, "JobRun"); }, "BatchStopJobRun",
          [](const json& submitted, const json& answer) {
              return json{{"JobName", member(submitted, "JobName")},
                          {"JobRunIds", json::array({member(answer, "JobRunId")})}};
          }}},
        {{"ecs", "runTask"},
         {"DescribeTasks",
          [](const json& submitted, const json& answer) {
              json input{{"tasks", json::array({member(first(member(answer, "tasks")), "taskArn")})}};
              if (submitted.contains("cluster")) input["cluster"] = submitted["cluster"];
              return input;
          },
          ecs_state, [](const json& polled) { return first(member(polled, "Tasks")); }, "StopTask",
          [](const json& submitted, const json& answer) {
              json input{{"task", member(first(member(answer, "tasks")), "taskArn")},
                         {"reason", "Stopped by AWS Step Functions"}};
              if (submitted.contains("cluster")) input["cluster"] = submitted["cluster"];
              return input;
          }}},
    }};
    return specs;
}

}  // namespace

const SyncSpec* find_sync(std::string_view service, std::string_view action) {
    for (const auto& [key, spec] : table()) {
        if (key.first == service && key.second == action) return &spec;
    }
    return nullptr;
}

}  // namespace sfn::integrations::detail
