#pragma once
/// \file
/// sfn::Chain: a start state plus the states that can still be continued (its open ends), the
/// CDK-style way to wire states without a Workflow cursor.
///
/// **Example**
/// \code
///   auto flow = sfn::Pass("A").next(sfn::Pass("B")).next(sfn::Succeed("Done"));
///   sfn::Workflow wf;
///   wf.start_from(flow);
/// \endcode

#include "sfn/builder/state.hpp"

#include <vector>

namespace sfn {

class Chain {
public:
    /// A chain of one state, whose open end is the state itself. (Continuing it fails when the
    /// state is a Succeed, Fail or Choice: see next().)
    Chain(const State& state);  // NOLINT(google-explicit-constructor): a state is a chain

    /// A chain from `start` whose open ends are `ends`.
    Chain(const State& start, std::vector<State> ends);

    /// Wires every open end to `then.start()` and returns the chain from this start to `then`'s ends.
    /// \throws builder::BuildError E002 "state 'X' already has a next state ('Y')" / "... is already an
    ///         end state", or E003 when an open end is a Succeed, Fail or Choice state (a Choice
    ///         continues through Choice::afterwards()).
    [[nodiscard]] Chain next(const Chain& then) const;

    [[nodiscard]] const State& start() const noexcept { return start_; }
    [[nodiscard]] const std::vector<State>& ends() const noexcept { return ends_; }

private:
    State start_;
    std::vector<State> ends_;
};

}  // namespace sfn
