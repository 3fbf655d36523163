#pragma once
/// \file
/// The Choice state: ordered rules, an optional Default, and the CDK-style when/otherwise/afterwards.
///
/// **Example**
/// \code
///   auto check = sfn::Choice("Check")
///                    .when(sfn::Var("$.ok") == true, sfn::Pass("Good"))
///                    .otherwise(sfn::Fail("Bad"));
///   auto flow = check.afterwards().next(sfn::Succeed("Done"));   // Good -> Done
/// \endcode

#include "sfn/builder/chain.hpp"
#include "sfn/builder/condition.hpp"
#include "sfn/builder/state.hpp"

namespace sfn {

class Choice : public State,
               public builder::detail::Described<Choice>,
               public builder::detail::Filtered<Choice> {
public:
    using model_type = model::Choice;

    Choice();
    explicit Choice(std::string_view id);

    /// Appends a rule (the original's spelling: `Var(...).string_equals(...).next_then(state)`).
    Choice& add_rule(const ChoiceRule& rule);
    /// Appends a rule leading into `then`; the open ends of `then` are remembered for afterwards().
    Choice& when(const Condition& condition, const Chain& then);
    /// Sets `Default`. \throws builder::BuildError E002 when a different default is already set.
    Choice& otherwise(const Chain& then);
    /// A chain from this Choice whose open ends are the open ends of every when()/otherwise()
    /// chain, so that `.next(x)` joins the branches. Rules added with add_rule() join too.
    [[nodiscard]] Chain afterwards() const;
};

}  // namespace sfn
