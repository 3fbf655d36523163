// Builds a workflow through the builder's former name: <sfn/build/build.hpp>, namespace sfn::build and the
// CMake target sfn::build, kept for one release after the component became `builder`.

#include <sfn/build/build.hpp>

#include <iostream>

int main() {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("Hello").result({{"message", "Hello Alice"}})).end();
    std::cout << workflow.serialize().dump() << '\n';
    try {
        workflow.start_from(sfn::Pass("Hello"));  // a second start state of the same name
    } catch (const sfn::build::BuildError& e) {
        std::cout << e.code() << '\n';
    }
    return 0;
}
