#include "builder/detail_graph.hpp"

#include <algorithm>
#include <deque>
#include <random>
#include <unordered_set>

namespace sfn::builder::detail {

void fail(std::string_view code, const std::string& message) {
    throw BuildError("sfn.build." + std::string(code), message);
}

std::shared_ptr<Pool> make_node(std::string id, model::State value, Node*& out) {
    auto pool = std::make_shared<Pool>();
    auto node = std::make_unique<Node>();
    node->pool = pool.get();
    node->id = std::move(id);
    node->value = std::move(value);
    out = node.get();
    pool->nodes.push_back(std::move(node));
    return pool;
}

Scope* make_scope(Pool& pool, std::string label) {
    auto scope = std::make_unique<Scope>();
    scope->pool = &pool;
    scope->label = std::move(label);
    pool.scopes.push_back(std::move(scope));
    return pool.scopes.back().get();
}

void unite(Pool& a, Pool& b) {
    if (&a == &b) return;
    // Union by size keeps the total number of moves at O(n log n).
    Pool& big = a.nodes.size() + a.scopes.size() >= b.nodes.size() + b.scopes.size() ? a : b;
    Pool& small = &big == &a ? b : a;
    for (auto& node : small.nodes) {
        node->pool = &big;
        big.nodes.push_back(std::move(node));
    }
    for (auto& scope : small.scopes) {
        scope->pool = &big;
        big.scopes.push_back(std::move(scope));
    }
    small.nodes.clear();
    small.scopes.clear();
    small.forward = big.shared_from_this();
}

std::string_view type_of(const Node& node) noexcept { return model::type_name(node.value); }

bool is_terminal(const Node& node) noexcept {
    return std::holds_alternative<model::Succeed>(node.value) || std::holds_alternative<model::Fail>(node.value);
}

bool is_choice(const Node& node) noexcept { return std::holds_alternative<model::Choice>(node.value); }

namespace {
std::string in_quotes(const std::string& id) { return "'" + id + "'"; }
}  // namespace

void check_link(const Node& from, const Node& to) {
    if (is_terminal(from))
        fail("E003", "state " + in_quotes(from.id) + " is a " + std::string(type_of(from)) +
                         " state; no state can follow it");
    if (is_choice(from))
        fail("E003", "state " + in_quotes(from.id) +
                         " is a Choice state; it cannot have a next state (add a rule or a default, "
                         "or continue from its afterwards())");
    if (from.next == &to) return;
    if (from.next != nullptr)
        fail("E002", "state " + in_quotes(from.id) + " already has a next state (" + in_quotes(from.next->id) + ")");
    if (model::common(from.value).end.value_or(false))
        fail("E002", "state " + in_quotes(from.id) + " is already an end state; it cannot also have a next state");
}

void link(Node& from, Node& to) {
    check_link(from, to);
    unite(*from.pool, *to.pool);
    from.next = &to;
}

void mark_end(Node& node) {
    if (is_terminal(node)) return;  // Succeed and Fail end by definition
    if (is_choice(node))
        fail("E003", "state " + in_quotes(node.id) + " is a Choice state; it cannot be an end state");
    if (node.next != nullptr)
        fail("E002", "state " + in_quotes(node.id) + " already has a next state (" + in_quotes(node.next->id) +
                         "); it cannot also be an end state");
    model::common(node.value).end = true;
}

void add_to_scope(Scope& scope, Node& node) {
    auto [it, inserted] = scope.by_id.try_emplace(node.id, &node);
    if (!inserted) {
        if (it->second == &node) return;
        fail("E004", "duplicate state name " + in_quotes(node.id) + " in " + scope.label);
    }
    unite(*scope.pool, *node.pool);
    scope.states.push_back(&node);
}

std::string random_id(std::string_view type) {
    // The original uses the first 7 hex digits of a uuid4; only uniqueness matters here.
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string id(type);
    id += '-';
    auto bits = engine();
    for (int i = 0; i < 7; ++i, bits >>= 4) id += hex[bits & 0xF];
    return id;
}

void check_name(std::string_view id) {
    // ASL: state names are at most 80 Unicode characters (counted in code points).
    std::size_t chars = 0;
    for (unsigned char c : id) chars += (c & 0xC0) != 0x80 ? 1 : 0;
    if (chars > 80)
        fail("E001", "state name '" + std::string(id) + "' is " + std::to_string(chars) +
                         " characters long; ASL allows at most 80");
}

void check_error_equals(const std::vector<std::string>& errors, std::string_view what) {
    if (errors.empty()) fail("E006", std::string(what) + ": ErrorEquals must name at least one error");
    if (errors.size() > 1 && std::find(errors.begin(), errors.end(), errors::ALL) != errors.end())
        fail("E006", std::string(what) + ": States.ALL must appear alone in ErrorEquals");
}

namespace {

template <class Handler>
void for_each_successor(const Node& node, Handler&& handle) {
    if (node.next != nullptr) handle(*node.next);
    for (const auto& rule : node.rules) handle(*rule.target);
    if (node.default_target != nullptr) handle(*node.default_target);
    for (const auto& edge : node.catches) handle(*edge.target);
}

bool catches_all(const std::vector<std::string>& errors) {
    return std::find(errors.begin(), errors.end(), errors::ALL) != errors.end();
}

// ASL: a retrier or catcher with States.ALL must be the last one; keep the others in order.
template <class T>
void catch_alls_last(std::vector<T>& list) {
    std::stable_partition(list.begin(), list.end(), [](const T& x) { return !catches_all(x.error_equals); });
}

template <class Target>
void fill_nested(Target& target, const Scope& scope) {
    // ASL: Version and TimeoutSeconds belong to the top level only; dropping them silently would
    // lose what the user asked for.
    if (scope.version || scope.timeout_seconds)
        fail("E010", scope.label + " sets Version or TimeoutSeconds, which only a top-level workflow has");
    auto machine = snapshot(scope);
    target.comment = std::move(machine.comment);
    target.start_at = std::move(machine.start_at);
    target.states = std::move(machine.states);
    target.query_language = machine.query_language;
}

template <class S>
void fill_catches(S& state, const Node& node) {
    // No catches leaves Catch absent (a builder never writes an empty list).
    state.catch_.reset();
    for (const auto& edge : node.catches) {
        auto& list = model::present(state.catch_);
        list.push_back(edge.catcher);
        list.back().next = edge.target->id;
    }
    if (state.catch_) catch_alls_last(*state.catch_);
    if (state.retry) catch_alls_last(*state.retry);
}

}  // namespace

void add_with_successors(Scope& scope, Node& node) {
    std::deque<Node*> queue{&node};
    while (!queue.empty()) {
        Node* current = queue.front();
        queue.pop_front();
        auto found = scope.by_id.find(current->id);
        if (found != scope.by_id.end() && found->second == current) continue;
        add_to_scope(scope, *current);
        for_each_successor(*current, [&](Node& next) { queue.push_back(&next); });
    }
}

model::State snapshot(const Node& node) {
    model::State value = node.value;
    if (node.next != nullptr) model::common(value).next = node.next->id;
    if (auto* choice = std::get_if<model::Choice>(&value)) {
        choice->choices.clear();
        for (const auto& edge : node.rules) {
            choice->choices.push_back(edge.rule);
            choice->choices.back().next = edge.target->id;
        }
        if (node.default_target != nullptr) choice->default_ = node.default_target->id;
    } else if (auto* task = std::get_if<model::Task>(&value)) {
        fill_catches(*task, node);
    } else if (auto* parallel = std::get_if<model::Parallel>(&value)) {
        fill_catches(*parallel, node);
        parallel->branches.clear();
        for (const Scope* branch : node.branches) fill_nested(parallel->branches.emplace_back(), *branch);
    } else if (auto* map = std::get_if<model::Map>(&value)) {
        fill_catches(*map, node);
        if (node.processor != nullptr) {
            model::ItemProcessor processor;
            processor.processor_config = node.processor_config;
            fill_nested(processor, *node.processor);
            (node.legacy_iterator ? map->iterator : map->item_processor) = std::move(processor);
        }
    }
    return value;
}

model::StateMachine snapshot(const Scope& scope) {
    if (scope.start == nullptr) fail("E008", scope.label + " has no start state (call start_from first)");
    model::StateMachine machine;
    machine.comment = scope.comment;
    machine.version = scope.version;
    machine.timeout_seconds = scope.timeout_seconds;
    machine.query_language = scope.query_language;
    machine.start_at = scope.start->id;

    // Added states keep their order; states only reachable through links (chains, Catch targets)
    // follow in breadth-first order.
    std::vector<const Node*> order(scope.states.begin(), scope.states.end());
    std::unordered_map<std::string_view, const Node*> names;
    for (const Node* node : order) names.emplace(node->id, node);
    if (!names.contains(scope.start->id)) {
        order.insert(order.begin(), scope.start);
        names.emplace(scope.start->id, scope.start);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        for_each_successor(*order[i], [&](const Node& next) {
            auto [it, inserted] = names.try_emplace(next.id, &next);
            if (inserted) {
                order.push_back(&next);
            } else if (it->second != &next) {
                fail("E004", "duplicate state name '" + next.id + "' in " + scope.label);
            }
        });
    }
    machine.states.reserve(order.size());
    for (const Node* node : order) machine.states.push_back({node->id, snapshot(*node)});
    return machine;
}

}  // namespace sfn::builder::detail
