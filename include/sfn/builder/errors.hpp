#pragma once
/// \file
/// The builder's exception type and the well-known ASL error names, as constants.
///
/// **Example**
/// \code
///   task.add_retry(sfn::Retry{sfn::errors::TIMEOUT}.max_attempts(2))
///       .add_catch(sfn::Catch{{sfn::errors::ALL}, handler});
/// \endcode

#include "sfn/core/error.hpp"

namespace sfn::builder {

/// Builder misuse, thrown at once and naming the state. Codes (docs/errors.md):
///  - sfn.build.E001 a state name longer than 80 characters
///  - sfn.build.E002 a state already has a different next state, or is already an end state
///  - sfn.build.E003 a state cannot be continued (Succeed, Fail, Choice) or cannot end (Choice)
///  - sfn.build.E004 duplicate state name in one scope
///  - sfn.build.E005 a workflow operation needs a current state (start_from first)
///  - sfn.build.E006 a Retry/Catch is malformed (e.g. States.ALL not alone)
///  - sfn.build.E007 a Choice rule or condition is malformed
///  - sfn.build.E008 a workflow, branch or processor has no start state
///  - sfn.build.E009 a canned action was given an unusable argument
///  - sfn.build.E010 a branch or processor sets a top-level-only field (Version, TimeoutSeconds)
///  - sfn.build.E011 a JSONata expression does not parse (names the expression and the position)
class BuildError : public sfn::Error {
public:
    using sfn::Error::Error;
};

}  // namespace sfn::builder

/// ASL's predefined error names (States.*), for ErrorEquals and Fail.Error.
namespace sfn::errors {
inline constexpr const char* ALL = "States.ALL";
inline constexpr const char* HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
inline constexpr const char* TIMEOUT = "States.Timeout";
inline constexpr const char* TASK_FAILED = "States.TaskFailed";
inline constexpr const char* PERMISSIONS = "States.Permissions";
inline constexpr const char* RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
inline constexpr const char* PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
inline constexpr const char* QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
inline constexpr const char* BRANCH_FAILED = "States.BranchFailed";
inline constexpr const char* NO_CHOICE_MATCHED = "States.NoChoiceMatched";
inline constexpr const char* INTRINSIC_FAILURE = "States.IntrinsicFailure";
inline constexpr const char* EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
inline constexpr const char* ITEM_READER_FAILED = "States.ItemReaderFailed";
inline constexpr const char* RESULT_WRITER_FAILED = "States.ResultWriterFailed";
inline constexpr const char* RUNTIME = "States.Runtime";
}  // namespace sfn::errors
