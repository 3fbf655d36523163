#pragma once
/// \file
/// The engine's exception type. Runtime failures inside an execution (States.TaskFailed, ...) are values
/// that flow through Retry/Catch; CompileError is thrown only when a definition cannot be compiled.

#include "sfn/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sfn::engine {

/// A definition the engine cannot compile. The message names the JSON pointer of the offending field,
/// e.g. `[sfn.engine.E001] /States/Check/Choices/0: no comparison operator`.
class CompileError : public sfn::Error {
public:
    CompileError(const std::string& pointer, const std::string& message)
        : sfn::Error("sfn.engine.E001", pointer.empty() ? message + " (at the document root)" : pointer + ": " + message),
          pointer_(pointer) {}

    /// The JSON pointer of the field that failed to compile ("" for the document root).
    [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }

private:
    std::string pointer_;
};

/// Misuse of the execution API (for example reading a result before the execution finished).
class UsageError : public sfn::Error {
public:
    explicit UsageError(const std::string& message) : sfn::Error("sfn.engine.E002", message) {}
};

/// Whether a Retrier's or Catcher's `ErrorEquals` list handles `error`, by the engine's rules (States.ALL
/// and States.TaskFailed are wildcards; States.Runtime and States.DataLimitExceeded match only by name).
[[nodiscard]] bool error_equals_matches(const std::vector<std::string>& error_equals, std::string_view error);

}  // namespace sfn::engine
