// Builds a JSONata state machine with typed expressions, prints its ASL, runs it on the local engine, and shows
// a syntax error caught while the workflow is being written (not when it is deployed).
//
//   Summarize (Pass: Assign $count, Output total/currency)
//        |
//   Discount? (Choice) --$states.input.total >= 100 and $count > 1--> Discount (Pass: 10% off) --> Done
//        |                                                                                          ^
//        +--default-----------------------------------------------------------------------------------+

#include <sfn/builder/builder.hpp>
#include <sfn/engine/execution.hpp>
#include <sfn/engine/machine.hpp>

#include <iostream>

int main() {
    using namespace sfn::literals;

    auto summarize = sfn::Pass("Summarize")
                         .assign({{"count", "$count($states.input.items)"_jsonata}})
                         .output({{"total", "$sum($states.input.items.(qty * price))"_jsonata}, {"currency", "EUR"}});
    auto discount = sfn::Pass("Discount").output(
        {{"total", "$round($states.input.total * 0.9, 2)"_jsonata}, {"currency", "$states.input.currency"_jsonata},
         {"note", "'10% off ' & $string($count) & ' items'"_jsonata}});
    auto done = sfn::Succeed("Done");
    auto check = sfn::Choice("Discount?")
                     .when("$states.input.total >= 100"_jsonata && "$count > 1"_jsonata, discount)
                     .otherwise(done);

    sfn::Workflow workflow;
    workflow.comment("Order summary in JSONata").query_language(sfn::model::QueryLanguage::JSONata);
    workflow.start_from(summarize).next_then(check.afterwards().next(done));
    std::cout << workflow.serialize().dump(2) << "\n";

    sfn::engine::ExecutionOptions options;
    options.clock = std::make_shared<sfn::engine::VirtualClock>();
    const auto machine = sfn::engine::compile(workflow.serialize());
    const auto input = sfn::Value::parse(R"({"items":[{"qty":2,"price":40},{"qty":1,"price":35}]})");
    std::cout << "output: " << sfn::engine::run(machine, input, options).output.dump() << "\n";

    try {
        (void)"$states.input.total >"_jsonata;
    } catch (const sfn::builder::BuildError& e) {
        std::cout << "caught while building: " << e.what() << "\n";
    }
}
