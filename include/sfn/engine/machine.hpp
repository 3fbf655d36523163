#pragma once
/// \file
/// Compiling an ASL document into an immutable machine: every path, payload template, intrinsic function
/// and Choice rule is parsed once, so executions never re-parse anything.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace sfn::engine {

namespace detail {
struct Machine;
}

/// A compiled state machine. Cheap to copy (shared), immutable, safe to run from many threads at once.
class CompiledMachine {
public:
    explicit CompiledMachine(std::shared_ptr<const detail::Machine> impl) : impl_(std::move(impl)) {}

    /// The StartAt state of the top-level machine.
    [[nodiscard]] std::string_view start_at() const noexcept;
    /// Number of states, counting those nested in Parallel branches and Map processors.
    [[nodiscard]] std::size_t state_count() const noexcept;
    /// True when some state uses the JSONata query language (those states fail at run time with
    /// `States.Runtime`: JSONata is not supported by this engine yet).
    [[nodiscard]] bool uses_jsonata() const noexcept;
    /// The machine-level TimeoutSeconds, or 0 when none.
    [[nodiscard]] std::int64_t timeout_seconds() const noexcept;

    [[nodiscard]] const detail::Machine& impl() const noexcept { return *impl_; }

private:
    std::shared_ptr<const detail::Machine> impl_;
};

/// Compiles an ASL definition.
/// \throws CompileError naming the JSON pointer of the first field that cannot be compiled
///         (e.g. `/States/Check/Choices/0/Next: unknown state 'Nope'`).
[[nodiscard]] CompiledMachine compile(const nlohmann::ordered_json& definition);
/// The same, for an unordered document.
[[nodiscard]] CompiledMachine compile(const nlohmann::json& definition);
/// Parses `asl_json` (JSON text) and compiles it. \throws CompileError on malformed JSON too.
[[nodiscard]] CompiledMachine compile(std::string_view asl_json);

}  // namespace sfn::engine
