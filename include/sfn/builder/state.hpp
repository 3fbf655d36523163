#pragma once
/// \file
/// sfn::State, the shared handle every authoring state type derives from, and the small mixins
/// that give each type exactly the ASL fields it has (STYLE §3: handles for authoring).
///
/// A handle is cheap to copy; copies refer to the same node, and `==` compares identity. Nodes
/// live in a pool that every handle, chain and workflow referring to them keeps alive; linking
/// two states (next, a Choice rule, a branch) merges their pools, so nothing dangles and cycles
/// cannot leak. Changing a field through any handle shows in the next serialize().

#include "sfn/builder/jsonata.hpp"
#include "sfn/builder/path.hpp"
#include "sfn/model/state.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sfn {

namespace builder::detail {
struct Node;
class Pool;
}  // namespace builder::detail

class Chain;
class Retry;
class Catch;

/// The handle shared by all eight state types.
class State {
public:
    /// The state's name (its key under `States`).
    [[nodiscard]] const std::string& id() const noexcept;
    /// The ASL `Type`: "Task", "Pass", ...
    [[nodiscard]] std::string_view type() const noexcept;
    /// This state alone, with Next, Default, Choices, Catch targets and branches resolved to names.
    /// \throws builder::BuildError when a nested branch or processor has no start state.
    [[nodiscard]] model::State to_model() const;
    /// This state alone as ASL, as it would appear under `States`.
    [[nodiscard]] nlohmann::ordered_json serialize() const;
    /// A chain starting here: `a.next(b).next(c)` wires a → b → c.
    /// \throws builder::BuildError E002/E003 as Chain::next.
    Chain next(const Chain& then) const;

    /// Identity, not field equality.
    friend bool operator==(const State& a, const State& b) noexcept { return a.node_ == b.node_; }

    /// Internal: the node this handle refers to.
    [[nodiscard]] builder::detail::Node& node() const noexcept { return *node_; }
    /// Internal: another handle to an existing node.
    [[nodiscard]] static State from_node(builder::detail::Node& node);

protected:
    /// A new node. An empty `id` generates `<Type>-<7 hex digits>`, as the original does.
    /// \throws builder::BuildError E001 when `id` is longer than 80 characters.
    State(std::string_view id, model::State value);

private:
    State(std::shared_ptr<builder::detail::Pool> pool, builder::detail::Node* node)
        : pool_(std::move(pool)), node_(node) {}
    std::shared_ptr<builder::detail::Pool> pool_;
    builder::detail::Node* node_;
};

namespace builder::detail {

/// Comment and QueryLanguage: every state type.
template <class Self>
class Described {
public:
    Self& comment(std::string text);
    Self& query_language(model::QueryLanguage language);
};

/// InputPath, OutputPath, Output, Assign: every type but Fail.
template <class Self>
class Filtered {
public:
    Self& input_path(const Path& path);
    /// `InputPath: null`: the state sees `{}`.
    Self& input_path(std::nullptr_t);
    Self& output_path(const Path& path);
    /// `OutputPath: null`: the state passes on `{}`.
    Self& output_path(std::nullptr_t);
    /// JSONata `Output`: a template whose strings may be expressions (`{{"n", "$states.input.n"_jsonata}}`),
    /// or one expression. \throws builder::BuildError E011 when a `{% %}` string in it does not parse.
    Self& output(model::Json value);
    /// `Assign`: variable name → value (JSONPath states: `"x.$": "$.path"`; JSONata states: Jsonata values).
    /// \throws builder::BuildError E011 when a `{% %}` string in it does not parse.
    Self& assign(model::Json variables);
};

/// Next and End: Task, Pass, Wait, Parallel, Map.
template <class Self>
class Nextable {
public:
    /// Marks the state as an end state.
    /// \throws builder::BuildError E002 when it already has a next state.
    Self& end();
};

/// ResultPath and Parameters: Task, Pass, Parallel, Map.
template <class Self>
class Resulting {
public:
    Self& result_path(const ReferencePath& path);
    /// `ResultPath: null`: discard the result, keep the input.
    Self& result_path(std::nullptr_t);
    /// A JSONPath payload template (`"key.$": "$.path"`).
    Self& parameters(model::Json payload);
};

/// ResultSelector, Retry, Catch: Task, Parallel, Map.
template <class Self>
class Recovering {
public:
    Self& result_selector(model::Json payload);
    /// Appends a retrier (catch-alls are written last).
    /// \throws builder::BuildError E006 when States.ALL is not alone in its ErrorEquals.
    Self& add_retry(const Retry& retry);
    /// Appends a catcher; its target joins this state's scope.
    /// \throws builder::BuildError E006 when States.ALL is not alone in its ErrorEquals.
    Self& add_catch(const Catch& handler);
};

}  // namespace builder::detail
}  // namespace sfn
