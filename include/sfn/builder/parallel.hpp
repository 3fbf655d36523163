#pragma once
/// \file
/// Parallel and Map: states that run nested workflows (branches, an item processor).
///
/// **Example**
/// \code
///   auto fan = sfn::Parallel("Fan out").branch(sfn::Pass("A")).branch(sfn::Pass("B").next(sfn::Pass("C")));
///   auto each = sfn::Map("Each").items_path("$.items").item_processor(sfn::Pass("Work")).max_concurrency(4);
/// \endcode

#include "sfn/builder/chain.hpp"
#include "sfn/builder/state.hpp"

#include <cstdint>
#include <optional>

namespace sfn {

class Workflow;

class Parallel : public State,
                 public builder::detail::Described<Parallel>,
                 public builder::detail::Filtered<Parallel>,
                 public builder::detail::Nextable<Parallel>,
                 public builder::detail::Resulting<Parallel>,
                 public builder::detail::Recovering<Parallel> {
public:
    using model_type = model::Parallel;

    Parallel();
    explicit Parallel(std::string_view id);
    /// Appends a branch: a sub-workflow (Workflow::subflow_from) ...
    Parallel& branch(const Workflow& branch);
    /// ... or a chain (its states are collected by walking from its start).
    Parallel& branch(const Chain& branch);
    /// JSONata `Arguments` (\throws builder::BuildError E011 when a `{% %}` string in it does not parse).
    Parallel& arguments(model::Json payload);
};

class Map : public State,
            public builder::detail::Described<Map>,
            public builder::detail::Filtered<Map>,
            public builder::detail::Nextable<Map>,
            public builder::detail::Resulting<Map>,
            public builder::detail::Recovering<Map> {
public:
    using model_type = model::Map;

    Map();
    explicit Map(std::string_view id);

    /// `ItemProcessor`, with an optional `ProcessorConfig` (INLINE / DISTRIBUTED).
    Map& item_processor(const Workflow& processor, std::optional<model::ProcessorConfig> config = {});
    Map& item_processor(const Chain& processor, std::optional<model::ProcessorConfig> config = {});
    /// The legacy `Iterator` spelling (what the original's workflow.map writes).
    Map& iterator(const Workflow& processor);
    Map& iterator(const Chain& processor);

    Map& items_path(const ReferencePath& path);
    /// JSONata `Items`: an array (whose elements may be expressions) or one expression,
    /// e.g. `items("$states.input.orders"_jsonata)`. \throws builder::BuildError E011 on a bad expression.
    Map& items(model::Json value);
    Map& item_selector(model::Json payload);
    Map& item_reader(model::ItemReader reader);
    Map& item_batcher(model::ItemBatcher batcher);
    Map& result_writer(model::ResultWriter writer);
    Map& max_concurrency(std::int64_t limit);
    Map& max_concurrency(const Jsonata& expression);
    Map& max_concurrency_path(const ReferencePath& path);
    Map& tolerated_failure_count(std::int64_t count);
    Map& tolerated_failure_count(const Jsonata& expression);
    Map& tolerated_failure_count_path(const ReferencePath& path);
    Map& tolerated_failure_percentage(double percent);
    Map& tolerated_failure_percentage(const Jsonata& expression);
    Map& tolerated_failure_percentage_path(const ReferencePath& path);
    Map& label(std::string text);
};

}  // namespace sfn
