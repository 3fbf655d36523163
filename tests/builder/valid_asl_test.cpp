// What the builder writes is valid ASL that parses back to the same model.

#include "sfn/asl/asl.hpp"
#include "sfn/builder/builder.hpp"

#include <gtest/gtest.h>

namespace {

using sfn::Var;

/// THEN-part shared by the tests: no diagnostics, and parse(serialize(d)) == d.
void expect_valid_and_round_trips(const sfn::Workflow& workflow) {
    auto definition = workflow.definition();
    auto diagnostics = sfn::asl::validate(definition);
    EXPECT_TRUE(diagnostics.empty()) << sfn::asl::to_string(diagnostics);
    EXPECT_EQ(sfn::asl::parse(workflow.serialize()), definition);
}

TEST(ValidAsl, ACursorBuiltWorkflowWithEveryHelperIsValid) {
    sfn::Workflow workflow;
    workflow.comment("every helper").timeout_seconds(300);
    auto done = sfn::Pass("Merge");
    workflow.start_from(sfn::Pass("Start").result({{"items", {1, 2, 3}}}))
        .wait(1)
        .parallel({workflow.subflow_from(sfn::Pass("A")).end(), workflow.subflow_from(sfn::Pass("B")).end()})
        .map(workflow.subflow_from(sfn::Pass("Item")).end(), {.items_path = "$[0].items", .max_concurrency = 2})
        .choice({(Var("$[0]").is_present() && !Var("$[1]").is_null()).next_then(done)}, {.default_state = sfn::Fail("Nothing")});
    workflow.continue_from(done).wait(sfn::WaitFor{.timestamp = "2030-01-01T00:00:00Z"}).succeed("Done");
    expect_valid_and_round_trips(workflow);
}

TEST(ValidAsl, AChainBuiltWorkflowWithRetryCatchAndALoopIsValid) {
    auto poll = sfn::actions::aws_sdk("batch", "describeJobs", {{"Jobs.$", "States.Array($.jobId)"}},
                                      {.id = "Poll", .context = sfn::TaskContext{"111122223333", "us-east-1"}});
    auto failed = sfn::Fail("Failed").error_path("$.error.Error").cause_path("$.error.Cause");
    poll.add_retry(sfn::Retry{sfn::errors::TASK_FAILED}.max_attempts(2).jitter_strategy(sfn::model::JitterStrategy::FULL))
        .add_catch(sfn::Catch({sfn::errors::ALL}, failed).result_path("$.error"))
        .result_selector({{"status.$", "$.Jobs[0].Status"}})
        .result_path("$.poll");
    auto check = sfn::Choice("Finished?")
                     .when(Var("$.poll.status") == "SUCCEEDED", sfn::Succeed("Succeeded"))
                     .when(Var("$.poll.status") == "FAILED", failed)
                     .otherwise(sfn::Wait("Pause").seconds(30).next(poll));
    sfn::Workflow workflow;
    workflow.start_from(poll.next(check));
    expect_valid_and_round_trips(workflow);
}

TEST(ValidAsl, AJsonataWorkflowIsValid) {
    sfn::Workflow workflow;
    workflow.query_language(sfn::model::QueryLanguage::JSONata);
    auto big = sfn::Pass("Big").output("{% $states.input %}").end();
    workflow.start_from(sfn::Pass("Start").assign({{"n", "{% $states.input.n %}"}}))
        .next_then(sfn::Choice("Size?")
                       .add_rule(sfn::condition("{% $n > 3 %}").next_then(big))
                       .otherwise(sfn::Succeed("Small")));
    expect_valid_and_round_trips(workflow);
}

TEST(ValidAsl, AMissingEndIsLeftToTheValidatorWhichNamesTheState) {
    // GIVEN a state that neither ends nor continues (the builder, like the original, allows it)
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("Dangling"));
    // THEN the validator reports it at its JSON pointer
    auto diagnostics = sfn::asl::validate(workflow.definition());
    ASSERT_FALSE(diagnostics.empty());
    EXPECT_NE(sfn::asl::to_string(diagnostics).find("/States/Dangling"), std::string::npos)
        << sfn::asl::to_string(diagnostics);
}

}  // namespace
