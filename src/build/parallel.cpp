#include "sfn/build/parallel.hpp"

#include "build/detail_graph.hpp"
#include "sfn/build/workflow.hpp"

namespace sfn {

using build::detail::fields_of;
using build::detail::Node;
using build::detail::Scope;

namespace {

// A chain used as a branch or processor becomes a scope of its own, holding the chain's states.
Scope& scope_of_chain(Node& owner, const Chain& chain) {
    Node& start = chain.start().node();
    build::detail::unite(*owner.pool, *start.pool);
    Scope* scope = build::detail::make_scope(*owner.pool, "");
    scope->start = &start;
    build::detail::add_with_successors(*scope, start);
    return *scope;
}

Scope& adopt(Node& owner, const Workflow& workflow) {
    Scope& scope = workflow.scope();
    build::detail::unite(*owner.pool, *scope.pool);
    return scope;
}

void set_processor(Node& map, Scope& scope, std::optional<model::ProcessorConfig> config, bool legacy) {
    scope.label = std::string(legacy ? "the iterator" : "the item processor") + " of '" + map.id + "'";
    map.processor = &scope;
    map.processor_config = std::move(config);
    map.legacy_iterator = legacy;
}

}  // namespace

Parallel::Parallel() : State({}, model::Parallel{}) {}
Parallel::Parallel(std::string_view id) : State(id, model::Parallel{}) {}

Parallel& Parallel::branch(const Workflow& branch) {
    Scope& scope = adopt(node(), branch);
    node().branches.push_back(&scope);
    scope.label = "branch " + std::to_string(node().branches.size()) + " of '" + id() + "'";
    return *this;
}

Parallel& Parallel::branch(const Chain& branch) {
    Scope& scope = scope_of_chain(node(), branch);
    node().branches.push_back(&scope);
    scope.label = "branch " + std::to_string(node().branches.size()) + " of '" + id() + "'";
    return *this;
}

Parallel& Parallel::arguments(model::Json payload) {
    fields_of(*this).arguments = std::move(payload);
    return *this;
}

Map::Map() : State({}, model::Map{}) {}
Map::Map(std::string_view id) : State(id, model::Map{}) {}

Map& Map::item_processor(const Workflow& processor, std::optional<model::ProcessorConfig> config) {
    set_processor(node(), adopt(node(), processor), std::move(config), false);
    return *this;
}
Map& Map::item_processor(const Chain& processor, std::optional<model::ProcessorConfig> config) {
    set_processor(node(), scope_of_chain(node(), processor), std::move(config), false);
    return *this;
}
Map& Map::iterator(const Workflow& processor) {
    set_processor(node(), adopt(node(), processor), std::nullopt, true);
    return *this;
}
Map& Map::iterator(const Chain& processor) {
    set_processor(node(), scope_of_chain(node(), processor), std::nullopt, true);
    return *this;
}

Map& Map::items_path(const ReferencePath& path) {
    fields_of(*this).items_path = path.to_model();
    return *this;
}
Map& Map::items(model::Json value) {
    fields_of(*this).items = std::move(value);
    return *this;
}
Map& Map::item_selector(model::Json payload) {
    fields_of(*this).item_selector = std::move(payload);
    return *this;
}
Map& Map::item_reader(model::ItemReader reader) {
    fields_of(*this).item_reader = std::move(reader);
    return *this;
}
Map& Map::item_batcher(model::ItemBatcher batcher) {
    fields_of(*this).item_batcher = std::move(batcher);
    return *this;
}
Map& Map::result_writer(model::ResultWriter writer) {
    fields_of(*this).result_writer = std::move(writer);
    return *this;
}
Map& Map::max_concurrency(std::int64_t limit) {
    fields_of(*this).max_concurrency = limit;
    return *this;
}
Map& Map::max_concurrency(const Jsonata& expression) {
    fields_of(*this).max_concurrency = expression;
    return *this;
}
Map& Map::max_concurrency_path(const ReferencePath& path) {
    fields_of(*this).max_concurrency_path = path.to_model();
    return *this;
}
Map& Map::tolerated_failure_count(std::int64_t count) {
    fields_of(*this).tolerated_failure_count = count;
    return *this;
}
Map& Map::tolerated_failure_count(const Jsonata& expression) {
    fields_of(*this).tolerated_failure_count = expression;
    return *this;
}
Map& Map::tolerated_failure_count_path(const ReferencePath& path) {
    fields_of(*this).tolerated_failure_count_path = path.to_model();
    return *this;
}
Map& Map::tolerated_failure_percentage(double percent) {
    fields_of(*this).tolerated_failure_percentage = percent;
    return *this;
}
Map& Map::tolerated_failure_percentage(const Jsonata& expression) {
    fields_of(*this).tolerated_failure_percentage = expression;
    return *this;
}
Map& Map::tolerated_failure_percentage_path(const ReferencePath& path) {
    fields_of(*this).tolerated_failure_percentage_path = path.to_model();
    return *this;
}
Map& Map::label(std::string text) {
    fields_of(*this).label = std::move(text);
    return *this;
}

}  // namespace sfn
