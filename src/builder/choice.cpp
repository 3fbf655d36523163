#include "sfn/builder/choice.hpp"

#include "builder/detail_graph.hpp"

#include <algorithm>

namespace sfn {

using builder::detail::Node;

namespace {
void add_edge(Node& choice, const ChoiceRule& rule) {
    Node& target = rule.target().node();
    builder::detail::unite(*choice.pool, *target.pool);
    choice.rules.push_back({model::ChoiceRule{rule.condition().rule(), {}, rule.assigned(), rule.output_value()}, &target});
}
void add_open_ends(Node& choice, const Chain& then) {
    for (const State& end : then.ends()) choice.open_ends.push_back(&end.node());
}
}  // namespace

Choice::Choice() : State({}, model::Choice{}) {}
Choice::Choice(std::string_view id) : State(id, model::Choice{}) {}

Choice& Choice::add_rule(const ChoiceRule& rule) {
    add_edge(node(), rule);
    node().open_ends.push_back(&rule.target().node());
    return *this;
}

Choice& Choice::when(const Condition& condition, const Chain& then) {
    add_edge(node(), ChoiceRule(condition, then.start()));
    add_open_ends(node(), then);
    return *this;
}

Choice& Choice::otherwise(const Chain& then) {
    Node& target = then.start().node();
    Node& self = node();
    if (self.default_target == &target) return *this;
    if (self.default_target != nullptr)
        builder::detail::fail("E002", "Choice state '" + self.id + "' already has a default ('" +
                                        self.default_target->id + "')");
    builder::detail::unite(*self.pool, *target.pool);
    self.default_target = &target;
    add_open_ends(self, then);
    return *this;
}

Chain Choice::afterwards() const {
    // Paths that end in Succeed or Fail cannot be joined; everything else continues.
    std::vector<State> ends;
    for (Node* end : node().open_ends) {
        if (builder::detail::is_terminal(*end)) continue;
        State handle = State::from_node(*end);
        if (std::find(ends.begin(), ends.end(), handle) == ends.end()) ends.push_back(std::move(handle));
    }
    return Chain(*this, std::move(ends));
}

}  // namespace sfn
