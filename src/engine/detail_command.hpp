#pragma once
// Internal: runs an external command as a task handler (event JSON on stdin, result JSON on stdout).

#include "sfn/engine/handlers.hpp"

#include <string>

namespace sfn::engine::detail {

/// Runs `command` through /bin/sh -c with the request's payload on stdin. Exit 0: stdout is the result
/// JSON; exit 1: stdout is `{"errorType","errorMessage"}` (a function error); anything else fails the task.
TaskOutcome run_command_handler(const std::string& command, const TaskRequest& request);

}  // namespace sfn::engine::detail
