#include "sfn/builder/workflow.hpp"

#include "builder/detail_graph.hpp"
#include "sfn/asl/serialize.hpp"
#include "sfn/builder/choice.hpp"
#include "sfn/builder/parallel.hpp"
#include "sfn/builder/states.hpp"

namespace sfn {

using builder::detail::Node;
using builder::detail::Scope;

namespace {
std::vector<Node*> nodes_of(const std::vector<State>& states) {
    std::vector<Node*> nodes;
    nodes.reserve(states.size());
    for (const State& s : states) nodes.push_back(&s.node());
    return nodes;
}
}  // namespace

Workflow::Workflow() : pool_(std::make_shared<builder::detail::Pool>()) {
    scope_ = builder::detail::make_scope(*pool_, "workflow");
}

Workflow::Workflow(std::shared_ptr<builder::detail::Pool> pool, Scope* scope) : pool_(std::move(pool)), scope_(scope) {}

Workflow& Workflow::comment(std::string text) {
    scope_->comment = std::move(text);
    return *this;
}
Workflow& Workflow::version(std::string text) {
    scope_->version = std::move(text);
    return *this;
}
Workflow& Workflow::timeout_seconds(std::int64_t seconds) {
    scope_->timeout_seconds = seconds;
    return *this;
}
Workflow& Workflow::query_language(model::QueryLanguage language) {
    scope_->query_language = language;
    return *this;
}

Workflow& Workflow::start_from(const Chain& start) {
    Node& node = start.start().node();
    builder::detail::add_with_successors(*scope_, node);
    scope_->start = &node;
    scope_->cursor = nodes_of(start.ends());
    return *this;
}

Workflow& Workflow::next_then(const Chain& next) {
    if (scope_->cursor.empty())
        builder::detail::fail("E005", "next_then('" + next.start().id() + "'): " + scope_->label +
                         " has no current state; call start_from() first");
    Node& target = next.start().node();
    for (Node* from : scope_->cursor) builder::detail::check_link(*from, target);
    for (Node* from : scope_->cursor) builder::detail::link(*from, target);
    builder::detail::add_with_successors(*scope_, target);
    scope_->cursor = nodes_of(next.ends());
    return *this;
}

Workflow& Workflow::then_state(const State& state) { return next_then(Chain(state)); }

std::string Workflow::generated_id(std::string_view prefix) const {
    if (scope_->cursor.empty())
        builder::detail::fail("E005", std::string(prefix) + "...: " + scope_->label + " has no current state; call start_from() first");
    return std::string(prefix) + scope_->cursor.front()->id;
}

namespace {
Parallel make_parallel(const std::vector<Workflow>& branches, std::string_view id) {
    Parallel parallel(id);
    for (const Workflow& branch : branches) parallel.branch(branch);
    return parallel;
}
Map make_map(const Workflow& iterator, const std::optional<ReferencePath>& items_path,
             std::optional<std::int64_t> max_concurrency, std::string_view id) {
    Map map(id);
    map.iterator(iterator);
    if (items_path) map.items_path(*items_path);
    if (max_concurrency) map.max_concurrency(*max_concurrency);
    return map;
}
Choice make_choice(const std::vector<ChoiceRule>& rules, const std::optional<State>& default_state,
                   std::string_view id) {
    Choice choice(id);
    for (const ChoiceRule& rule : rules) choice.add_rule(rule);
    if (default_state) choice.otherwise(*default_state);
    return choice;
}
}  // namespace

Workflow& Workflow::parallel(const std::vector<Workflow>& branches, std::string_view id) {
    return then_state(make_parallel(branches, id.empty() ? generated_id("Parallel-after-") : std::string(id)));
}

Workflow& Workflow::map(const Workflow& iterator, std::optional<ReferencePath> items_path,
                        std::optional<std::int64_t> max_concurrency, std::string_view id) {
    return then_state(
        make_map(iterator, items_path, max_concurrency, id.empty() ? generated_id("Map-after-") : std::string(id)));
}

Workflow& Workflow::choice(const std::vector<ChoiceRule>& rules, std::optional<State> default_state,
                           std::string_view id) {
    // The Choice is wired and added first; walking from it then adds the rule targets in rule
    // order and the default last, which is the original's order.
    Choice choice = make_choice(rules, default_state, id.empty() ? generated_id("Choice-by-") : std::string(id));
    then_state(choice);
    scope_->cursor = {&choice.node()};
    return *this;
}

Workflow& Workflow::wait(const WaitFor& how, std::string_view id) {
    int given = int(how.seconds.has_value()) + int(how.timestamp.has_value()) + int(how.seconds_path.has_value()) +
                int(how.timestamp_path.has_value());
    if (given != 1)
        builder::detail::fail("E007", "wait(): set exactly one of seconds, timestamp, seconds_path, timestamp_path (got " +
                         std::to_string(given) + ")");
    Wait wait(id.empty() ? generated_id("Wait-after-") : std::string(id));
    if (how.seconds) wait.seconds(*how.seconds);
    if (how.timestamp) wait.timestamp(*how.timestamp);
    if (how.seconds_path) wait.seconds_path(*how.seconds_path);
    if (how.timestamp_path) wait.timestamp_path(*how.timestamp_path);
    return then_state(wait);
}

Workflow& Workflow::wait(std::int64_t seconds, std::string_view id) { return wait(WaitFor{.seconds = seconds}, id); }

Workflow& Workflow::succeed(std::string_view id) { return then_state(Succeed(id)); }

Workflow& Workflow::fail(std::string_view id, std::optional<std::string> error, std::optional<std::string> cause) {
    Fail state(id);
    if (error) state.error(std::move(*error));
    if (cause) state.cause(std::move(*cause));
    return then_state(state);
}

Workflow& Workflow::end() {
    if (scope_->cursor.empty())
        builder::detail::fail("E005", "end(): " + scope_->label + " has no current state; call start_from() first");
    for (Node* node : scope_->cursor) {
        if (builder::detail::is_choice(*node))
            builder::detail::fail("E003", "state '" + node->id + "' is a Choice state; it cannot be an end state");
        if (node->next != nullptr)
            builder::detail::fail("E002", "state '" + node->id + "' already has a next state ('" + node->next->id +
                             "'); it cannot also be an end state");
    }
    for (Node* node : scope_->cursor) builder::detail::mark_end(*node);
    return *this;
}

Workflow& Workflow::continue_from(const State& state) {
    builder::detail::add_with_successors(*scope_, state.node());
    scope_->cursor = {&state.node()};
    return *this;
}

Workflow Workflow::subflow_from(const Chain& start) const {
    builder::detail::Pool& live = *scope_->pool;  // pool_ may have been merged into another pool since
    Scope* scope = builder::detail::make_scope(live, "subflow starting at '" + start.start().id() + "'");
    Workflow sub(live.shared_from_this(), scope);
    sub.start_from(start);
    return sub;
}

Workflow& Workflow::start_from_parallel(const std::vector<Workflow>& branches, std::string_view id) {
    return start_from(make_parallel(branches, id));
}

Workflow& Workflow::start_from_map(const Workflow& iterator, std::optional<ReferencePath> items_path,
                                   std::optional<std::int64_t> max_concurrency, std::string_view id) {
    return start_from(make_map(iterator, items_path, max_concurrency, id));
}

Workflow& Workflow::start_from_choice(const std::vector<ChoiceRule>& rules, std::optional<State> default_state,
                                      std::string_view id) {
    return start_from(make_choice(rules, default_state, id));
}

std::vector<State> Workflow::states() const {
    std::vector<State> states;
    states.reserve(scope_->states.size());
    for (Node* node : scope_->states) states.push_back(State::from_node(*node));
    return states;
}

std::optional<State> Workflow::find(std::string_view id) const {
    auto it = scope_->by_id.find(std::string(id));
    if (it == scope_->by_id.end()) return std::nullopt;
    return State::from_node(*it->second);
}

model::StateMachine Workflow::definition() const { return builder::detail::snapshot(*scope_); }

nlohmann::ordered_json Workflow::serialize() const { return asl::serialize(definition()); }

}  // namespace sfn
