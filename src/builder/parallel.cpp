#include "sfn/builder/parallel.hpp"

#include "builder/detail_graph.hpp"
#include "sfn/builder/workflow.hpp"

namespace sfn {

using builder::detail::fields_of;
using builder::detail::set_field;
using builder::detail::Node;
using builder::detail::Scope;

namespace {

// A chain used as a branch or processor becomes a scope of its own, holding the chain's states.
Scope& scope_of_chain(Node& owner, const Chain& chain) {
    Node& start = chain.start().node();
    builder::detail::unite(*owner.pool, *start.pool);
    Scope* scope = builder::detail::make_scope(*owner.pool, "");
    scope->start = &start;
    builder::detail::add_with_successors(*scope, start);
    return *scope;
}

Scope& adopt(Node& owner, const Workflow& workflow) {
    Scope& scope = workflow.scope();
    builder::detail::unite(*owner.pool, *scope.pool);
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
    builder::detail::check_expressions(payload, "state '" + id() + "', Arguments");
    return set_field(*this, &model::Parallel::arguments, std::move(payload));
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

Map& Map::items_path(const ReferencePath& path) { return set_field(*this, &model::Map::items_path, path.to_model()); }
Map& Map::items(model::Json value) {
    builder::detail::check_expressions(value, "state '" + id() + "', Items");
    return set_field(*this, &model::Map::items, std::move(value));
}
Map& Map::item_selector(model::Json payload) {
    builder::detail::check_expressions(payload, "state '" + id() + "', ItemSelector");
    return set_field(*this, &model::Map::item_selector, std::move(payload));
}
Map& Map::item_reader(model::ItemReader reader) { return set_field(*this, &model::Map::item_reader, std::move(reader)); }
Map& Map::item_batcher(model::ItemBatcher batcher) { return set_field(*this, &model::Map::item_batcher, std::move(batcher)); }
Map& Map::result_writer(model::ResultWriter writer) { return set_field(*this, &model::Map::result_writer, std::move(writer)); }
Map& Map::max_concurrency(std::int64_t limit) { return set_field(*this, &model::Map::max_concurrency, limit); }
Map& Map::max_concurrency(const Jsonata& expression) { return set_field(*this, &model::Map::max_concurrency, expression.to_model()); }
Map& Map::max_concurrency_path(const ReferencePath& path) { return set_field(*this, &model::Map::max_concurrency_path, path.to_model()); }
Map& Map::tolerated_failure_count(std::int64_t count) { return set_field(*this, &model::Map::tolerated_failure_count, count); }
Map& Map::tolerated_failure_count(const Jsonata& expression) { return set_field(*this, &model::Map::tolerated_failure_count, expression.to_model()); }
Map& Map::tolerated_failure_count_path(const ReferencePath& path) { return set_field(*this, &model::Map::tolerated_failure_count_path, path.to_model()); }
Map& Map::tolerated_failure_percentage(double percent) { return set_field(*this, &model::Map::tolerated_failure_percentage, percent); }
Map& Map::tolerated_failure_percentage(const Jsonata& expression) { return set_field(*this, &model::Map::tolerated_failure_percentage, expression.to_model()); }
Map& Map::tolerated_failure_percentage_path(const ReferencePath& path) { return set_field(*this, &model::Map::tolerated_failure_percentage_path, path.to_model()); }
Map& Map::label(std::string text) { return set_field(*this, &model::Map::label, std::move(text)); }

}  // namespace sfn
