#include "sfn/builder/chain.hpp"

#include "builder/detail_graph.hpp"

namespace sfn {

Chain::Chain(const State& state) : start_(state), ends_{state} {}

Chain::Chain(const State& start, std::vector<State> ends) : start_(start), ends_(std::move(ends)) {}

Chain Chain::next(const Chain& then) const {
    if (ends_.empty())
        builder::detail::fail("E003", "the chain from state '" + start_.id() +
                                        "' has no open end to continue from (all its paths end)");
    builder::detail::Node& target = then.start().node();
    // Check every end before wiring any, so a failed call leaves the graph untouched.
    for (const State& end : ends_) builder::detail::check_link(end.node(), target);
    for (const State& end : ends_) builder::detail::link(end.node(), target);
    return Chain(start_, then.ends_);
}

}  // namespace sfn
