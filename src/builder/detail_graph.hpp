#pragma once
// The builder's object graph: nodes (one per state) and scopes (a workflow, a Parallel branch,
// a Map processor), owned by a Pool. Linking two objects unites their pools, union-find style:
// the smaller pool's nodes move into the larger one and the emptied pool forwards to it, so every
// handle that still holds the old pool keeps the nodes alive. Nodes point at each other with raw
// pointers (they never own one another), so loops in a workflow cannot leak.

#include "sfn/builder/errors.hpp"
#include "sfn/model/state_machine.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sfn::builder::detail {

class Pool;
struct Scope;

struct RuleEdge {
    model::ChoiceRule rule;  // `next` is filled in from `target` at snapshot time
    struct Node* target;
};

struct CatchEdge {
    model::Catcher catcher;  // `next` likewise
    struct Node* target;
};

struct Node {
    Pool* pool = nullptr;
    std::string id;
    model::State value;           // every field except the links below
    Node* next = nullptr;         // Next
    std::vector<RuleEdge> rules;  // Choice
    Node* default_target = nullptr;
    std::vector<Node*> open_ends;  // Choice: ends of the when()/otherwise() chains
    std::vector<CatchEdge> catches;
    std::vector<Scope*> branches;  // Parallel
    Scope* processor = nullptr;    // Map
    bool legacy_iterator = false;  // Map: write `Iterator` rather than `ItemProcessor`
    std::optional<model::ProcessorConfig> processor_config;
};

struct Scope {
    Pool* pool = nullptr;
    std::string label;  // for messages: "workflow", "branch 2 of 'P'", ...
    Node* start = nullptr;
    std::vector<Node*> states;  // added, in order
    std::unordered_map<std::string, Node*> by_id;
    std::vector<Node*> cursor;  // open ends for the next next_then()
    std::optional<std::string> comment;
    std::optional<std::string> version;
    std::optional<std::int64_t> timeout_seconds;
    std::optional<model::QueryLanguage> query_language;
};

class Pool : public std::enable_shared_from_this<Pool> {
public:
    std::vector<std::unique_ptr<Node>> nodes;
    std::vector<std::unique_ptr<Scope>> scopes;
    std::shared_ptr<Pool> forward;  // set once this pool was merged into another one
};

/// A fresh pool holding one new node.
std::shared_ptr<Pool> make_node(std::string id, model::State value, Node*& out);
/// A fresh scope in `pool`.
Scope* make_scope(Pool& pool, std::string label);
/// Makes a and b live in the same pool (no-op when they already do).
void unite(Pool& a, Pool& b);

/// "Task", "Pass", ...
std::string_view type_of(const Node& node) noexcept;
bool is_terminal(const Node& node) noexcept;  // Succeed, Fail
bool is_choice(const Node& node) noexcept;

/// Throws what link() would throw, changing nothing.
void check_link(const Node& from, const Node& to);
/// from.Next = to, with the builder's misuse checks (E002, E003); unites the pools.
void link(Node& from, Node& to);
/// Marks `node` as an end state (E002 when it has a next state, E003 for a Choice).
void mark_end(Node& node);
/// Adds `node` to `scope` unless it is there already (E004 on a name clash).
void add_to_scope(Scope& scope, Node& node);

/// `<Type>-<7 hex digits>`, as the original's uuid-based ids.
std::string random_id(std::string_view type);
/// \throws BuildError E001 for an empty name or one longer than 80 characters.
void check_name(std::string_view id);

/// The definition of one scope: added states in order, then reachable ones not added.
/// \throws BuildError E008 without a start state, E004 on a name clash.
model::StateMachine snapshot(const Scope& scope);
/// One state with every link resolved.
model::State snapshot(const Node& node);

/// "States.ALL must appear alone ..." (E006) when `errors` is malformed; `what` names the field.
void check_error_equals(const std::vector<std::string>& errors, std::string_view what);

/// Parses every whole `{% %}` string in `value` (a template); E011 naming `where` and the JSON path inside it.
void check_expressions(const model::Json& value, const std::string& where);

/// Builder misuse: throws BuildError with the code "sfn.build.<code>".
[[noreturn]] void fail(std::string_view code, const std::string& message);

}  // namespace sfn::builder::detail

namespace sfn::builder::detail {
/// Adds `node` and every state reachable from it that `scope` does not hold yet, breadth first.
void add_with_successors(Scope& scope, Node& node);
}  // namespace sfn::builder::detail

namespace sfn::builder::detail {
/// The model struct behind a typed handle (Task → model::Task, ...).
template <class Handle>
auto& fields_of(const Handle& handle) {
    return std::get<typename Handle::model_type>(handle.node().value);
}
}  // namespace sfn::builder::detail

namespace sfn::builder::detail {
/// `handle.<field> = value; return handle;` for the one-line setters of the typed handles.
template <class Handle, class Field, class Value>
Handle& set_field(Handle& handle, Field Handle::model_type::*field, Value&& value) {
    fields_of(handle).*field = std::forward<Value>(value);
    return handle;
}
/// The same for the fields every state has (Comment, InputPath, ...).
template <class Handle, class Field, class Value>
Handle& set_common(Handle& handle, Field model::StateCommon::*field, Value&& value) {
    model::common(handle.node().value).*field = std::forward<Value>(value);
    return handle;
}
}  // namespace sfn::builder::detail
