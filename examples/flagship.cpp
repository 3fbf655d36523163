// The flagship scenario: build a three-state workflow, deploy it, run it, change one state, deploy again,
// run again, delete.
//
//   Input Argument Handling (Pass, Result {"message": "Hello Alice"})  -->  Task 1 (Pass)  -->  Task 2 (Pass)
//
// No options: the embedded local Step Functions service (Session::from_environment() when nothing AWS is
// configured). --profile/--region: real AWS. --endpoint-url: any server speaking the API (moto, sfn serve).
// --standard deploys a STANDARD machine (polled to the end) instead of EXPRESS (StartSyncExecution), for
// servers such as moto that lack StartSyncExecution.
#include <sfn/sfn.hpp>

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"sfn flagship scenario: deploy, execute, update, execute, delete"};
    std::string profile, region, endpoint_url;
    bool standard = false;
    app.add_option("--profile", profile, "AWS profile");
    app.add_option("--region", region, "AWS region");
    app.add_option("--endpoint-url", endpoint_url, "a Step Functions compatible endpoint");
    app.add_flag("--standard", standard, "deploy a STANDARD state machine instead of EXPRESS");
    CLI11_PARSE(app, argc, argv);

    try {
        // The scenario, step for step as the Python original writes it.
        auto hello = sfn::Pass("Input Argument Handling").result({{"message", "Hello Alice"}});
        sfn::Workflow workflow;
        workflow.start_from(hello).next_then(sfn::Pass("Task 1")).next_then(sfn::Pass("Task 2")).end();
        std::cout << workflow.serialize().dump(4) << std::endl;

        sfn::StateMachine state_machine{
            .name = "stepfunction_deployment_example",
            .workflow = workflow,
            .role_arn = "arn:aws:iam::669508176277:role/sanhe-for-everything-admin",
            .type = standard ? sfn::StateMachineType::Standard : sfn::StateMachineType::Express,
            .tags = {{"Creator", "alice@example.com"}},
            .throw_on_failure = true,
        };
        auto session = sfn::Session::for_target({.profile = profile, .region = region, .endpoint_url = endpoint_url});

        state_machine.deploy(session);
        auto first = state_machine.execute(session, {.sync = true});
        std::cout << "execution output: " << first.output.value_or(nullptr).dump() << std::endl;

        hello.result({{"message", "Hello Bob"}});  // the same state object: the next deploy is an update
        state_machine.deploy(session);
        auto second = state_machine.execute(session, {.sync = true});
        std::cout << "execution output: " << second.output.value_or(nullptr).dump() << std::endl;

        state_machine.delete_(session);
    } catch (const sfn::Error& e) {
        std::cerr << "flagship: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
