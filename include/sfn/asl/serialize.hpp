#pragma once
/// \file
/// Serialize the model to ASL JSON in canonical field order.
///
/// Canonical order: the Python original's, pinned by ../shared/seed-examples. Fields the original
/// lacks sit next to their relatives:
/// - top level: StartAt, Comment, Version, TimeoutSeconds, QueryLanguage, States
/// - every state opens with Type, Comment, QueryLanguage, then its own fields, then
///   Next, End, InputPath, Parameters, Arguments, ResultSelector, ResultPath, OutputPath, Output,
///   Assign, Retry, Catch (each only where the type has it)
/// - Task: Resource, Credentials, TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds,
///   HeartbeatSecondsPath; Pass: Result; Wait: Seconds, Timestamp, SecondsPath, TimestampPath;
///   Choice: Choices, Default; Fail: Cause, CausePath, Error, ErrorPath; Parallel: Branches;
///   Map: ItemProcessor, Iterator, ItemReader, ItemsPath, Items, ItemSelector, ItemBatcher,
///   MaxConcurrency(Path), ToleratedFailurePercentage(Path), ToleratedFailureCount(Path), Label,
///   ResultWriter
/// - Retrier: ErrorEquals, IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds,
///   JitterStrategy, Comment; Catcher: ErrorEquals, Next, ResultPath, Output, Assign, Comment
/// - choice rule: Variable + operator | And | Or | Not | Condition, Comment, then (top level)
///   Next, Assign, Output; branch/processor: ProcessorConfig, StartAt, Comment, QueryLanguage, States
/// Absent fields are left out (so an explicit empty "Retry": [] is not written back). Retriers and
/// catchers whose ErrorEquals holds "States.ALL" are written last. Whole numbers print as integers.

#include "sfn/model/state_machine.hpp"

namespace sfn::asl {

/// The whole definition as ASL.
[[nodiscard]] model::Json serialize(const model::StateMachine& machine);
/// One state as it appears under `States` (without its name).
[[nodiscard]] model::Json serialize_state(const model::State& state);

}  // namespace sfn::asl
