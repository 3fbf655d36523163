#pragma once
/// \file
/// sfn::Workflow: the original's cursor-style builder over shared state handles.
///
/// A Workflow is itself a handle: copies refer to the same workflow (and `==` compares identity).
/// A workflow keeps its states in the order they were added (the serialized order) and a cursor:
/// the states the next `next_then` continues from. Sub-workflows for Parallel branches and Map
/// processors come from `subflow_from`.
///
/// **Example**
/// \code
///   sfn::Workflow workflow;
///   auto hello = sfn::Pass("Input Argument Handling").result({{"message", "Hello Alice"}});
///   workflow.start_from(hello).next_then(sfn::Pass("Task 1")).next_then(sfn::Pass("Task 2")).end();
///   hello.result({{"message", "Hello Bob"}});   // shows in the next serialize()
///   nlohmann::ordered_json asl = workflow.serialize();
/// \endcode

#include "sfn/builder/chain.hpp"
#include "sfn/builder/condition.hpp"
#include "sfn/builder/state.hpp"
#include "sfn/model/state_machine.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfn {

namespace builder::detail {
struct Scope;
}

/// Arguments of Workflow::wait: set exactly one of the four.
struct WaitFor {
    std::optional<std::int64_t> seconds = std::nullopt;
    std::optional<std::string> timestamp = std::nullopt;
    std::optional<ReferencePath> seconds_path = std::nullopt;
    std::optional<ReferencePath> timestamp_path = std::nullopt;
};

/// What map() and start_from_map() take beside the iterator.
struct MapOptions {
    std::optional<ReferencePath> items_path = std::nullopt;  ///< ItemsPath (default: the whole input)
    std::optional<std::int64_t> max_concurrency = std::nullopt;
    std::string id = {};  ///< the state name (generated when empty)
};

/// What choice() and start_from_choice() take beside the rules.
struct ChoiceOptions {
    std::optional<State> default_state = std::nullopt;  ///< Default
    std::string id = {};                                ///< the state name (generated when empty)
};

/// What fail() writes.
struct FailOptions {
    std::string id = {};  ///< the state name (generated `Fail-<7 hex>` when empty)
    std::optional<std::string> error = std::nullopt;
    std::optional<std::string> cause = std::nullopt;
};

class Workflow {
public:
    /// An empty top-level workflow.
    Workflow();

    Workflow& comment(std::string text);
    Workflow& version(std::string text);
    Workflow& timeout_seconds(std::int64_t seconds);
    Workflow& query_language(model::QueryLanguage language);

    /// Sets StartAt and adds the chain's start; the cursor becomes the chain's open ends.
    /// \throws builder::BuildError E004 when another state of this workflow has the same name.
    Workflow& start_from(const Chain& start);
    /// Wires the cursor to `next`, adds it, and moves the cursor to `next`'s open ends.
    /// \throws builder::BuildError E005 without a cursor, E002/E003 as Chain::next, E004 on a name clash.
    Workflow& next_then(const Chain& next);
    /// Continues with a Parallel over `branches` (sub-workflows); `id` defaults to
    /// "Parallel-after-<current state>".
    Workflow& parallel(const std::vector<Workflow>& branches, std::string_view id = {});
    /// Continues with a Map whose legacy `Iterator` is `iterator`, e.g.
    /// `map(iterator, {.items_path = "$.items"_path, .max_concurrency = 4})`; the id defaults to
    /// "Map-after-<current state>".
    Workflow& map(const Workflow& iterator, const MapOptions& options = {});
    /// Continues with a Choice; its rule targets, then the default state, are added after it, e.g.
    /// `choice({rule1, rule2}, {.default_state = fallback})`. The id defaults to "Choice-by-<current state>".
    /// The cursor stays on the Choice: continue with continue_from(<a target>).
    Workflow& choice(const std::vector<ChoiceRule>& rules, const ChoiceOptions& options = {});
    /// Continues with a Wait; `id` defaults to "Wait-after-<current state>".
    /// \throws builder::BuildError E007 unless exactly one field of `how` is set.
    Workflow& wait(const WaitFor& how, std::string_view id = {});
    /// `wait({.seconds = seconds})`.
    Workflow& wait(std::int64_t seconds, std::string_view id = {});
    /// Continues with a Succeed (generated id `Succeed-<7 hex>` unless given).
    Workflow& succeed(std::string_view id = {});
    /// Continues with a Fail, e.g. `fail({.id = "Rejected", .error = "OrderRejected"})`.
    Workflow& fail(const FailOptions& options = {});
    /// Marks every state under the cursor as an end state (Succeed/Fail already are).
    /// \throws builder::BuildError E003 for a Choice, E002 for a state that already has a next state.
    Workflow& end();
    /// Moves the cursor to `state` (added to this workflow if it is not yet).
    Workflow& continue_from(const State& state);
    /// A sub-workflow starting at `start`, for parallel() branches and map() iterators.
    [[nodiscard]] Workflow subflow_from(const Chain& start) const;

    /// start_from(...) a Parallel/Map/Choice; without an id they get `<Type>-<7 hex>`.
    Workflow& start_from_parallel(const std::vector<Workflow>& branches, std::string_view id = {});
    Workflow& start_from_map(const Workflow& iterator, const MapOptions& options = {});
    Workflow& start_from_choice(const std::vector<ChoiceRule>& rules, const ChoiceOptions& options = {});

    /// The states added so far, in order (states only reachable through links come later in
    /// definition()).
    [[nodiscard]] std::vector<State> states() const;
    /// The state named `id` in this workflow's scope, if any.
    [[nodiscard]] std::optional<State> find(std::string_view id) const;

    /// An immutable snapshot: added states in order, then any state reachable from them that
    /// was not added (chains, Catch targets), with every link resolved to a name.
    /// \throws builder::BuildError E008 without a start state, E004 on a name clash.
    [[nodiscard]] model::StateMachine definition() const;
    /// `asl::serialize(definition())`: ASL in canonical order.
    [[nodiscard]] nlohmann::ordered_json serialize() const;

    /// Identity: two handles to the same workflow.
    friend bool operator==(const Workflow& a, const Workflow& b) noexcept { return a.scope_ == b.scope_; }

    /// Internal: the scope this handle refers to.
    [[nodiscard]] builder::detail::Scope& scope() const noexcept { return *scope_; }

private:
    Workflow(std::shared_ptr<builder::detail::Pool> pool, builder::detail::Scope* scope);
    Workflow& then_state(const State& state);
    [[nodiscard]] std::string generated_id(std::string_view prefix) const;
    std::shared_ptr<builder::detail::Pool> pool_;
    builder::detail::Scope* scope_;
};

}  // namespace sfn
