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
    return 0;
}
