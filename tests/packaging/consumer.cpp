// Builds the seed scenario with the installed library (through the umbrella header) and prints
// its ASL, then the same after changing the first state's result.
//
//   Input Argument Handling (Pass) -> Task 1 (Pass) -> Task 2 (Pass, End)

#include <sfn/sfn.hpp>

#include <iostream>

int main() {
    sfn::Workflow workflow;
    auto hello = sfn::Pass("Input Argument Handling").result({{"message", "Hello Alice"}});
    workflow.start_from(hello).next_then(sfn::Pass("Task 1")).next_then(sfn::Pass("Task 2")).end();
    std::cout << workflow.serialize().dump() << '\n';
    hello.result({{"message", "Hello Bob"}});
    std::cout << workflow.serialize().dump() << '\n';
    // The short names at the top of the library, as the flagship uses them.
    sfn::StateMachine state_machine{.name = "consumer", .workflow = workflow, .role_arn = "arn:aws:iam::1:role/r",
                                    .type = sfn::StateMachineType::Express};
    sfn::ExecuteOptions run{.sync = true};
    std::cout << state_machine.name << (state_machine.is_express() ? " EXPRESS" : " STANDARD")
              << (run.sync ? " sync" : "") << ' ' << state_machine.definition().at("States").size() << " states\n";
    return 0;
}
