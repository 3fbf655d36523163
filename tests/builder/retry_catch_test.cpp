// Retry and Catch builders: every field, order kept, catch-alls last, misuse named.

#include "sfn/builder/builder.hpp"

#include <gtest/gtest.h>

namespace {

using Json = nlohmann::ordered_json;

TEST(RetryCatch, EveryRetrierFieldIsWritten) {
    auto task = sfn::Task("T").resource("arn:aws:states:::aws-sdk:s3:getObject").end();
    task.add_retry(sfn::Retry{sfn::errors::TIMEOUT}
                       .interval_seconds(1)
                       .max_attempts(5)
                       .backoff_rate(1.5)
                       .max_delay_seconds(30)
                       .jitter_strategy(sfn::model::JitterStrategy::FULL));
    Json retrier = task.serialize().at("Retry").at(0);
    EXPECT_EQ(retrier.at("ErrorEquals"), Json::array({"States.Timeout"}));
    EXPECT_EQ(retrier.at("IntervalSeconds"), 1);
    EXPECT_EQ(retrier.at("MaxAttempts"), 5);
    EXPECT_EQ(retrier.at("BackoffRate"), 1.5);
    EXPECT_EQ(retrier.at("MaxDelaySeconds"), 30);
    EXPECT_EQ(retrier.at("JitterStrategy"), "FULL");
}

TEST(RetryCatch, RetriersAndCatchersKeepTheirOrderWithCatchAllsLast) {
    // GIVEN a catch-all added before a specific catcher, and the same for retriers
    auto handler = sfn::Pass("Handle");
    auto fallback = sfn::Fail("Give up");
    auto task = sfn::Task("T").resource("arn:aws:states:::lambda:invoke").end();
    task.add_retry(sfn::Retry{sfn::errors::ALL}.max_attempts(1))
        .add_retry(sfn::Retry{sfn::errors::TIMEOUT}.max_attempts(2))
        .add_retry(sfn::Retry{sfn::errors::TASK_FAILED}.max_attempts(3))
        .add_catch(sfn::Catch({sfn::errors::ALL}, fallback))
        .add_catch(sfn::Catch({"Custom.Error", sfn::errors::TIMEOUT}, handler).result_path("$.error"));
    // WHEN serialized; THEN the catch-alls come last and the others keep the order they were added in
    auto asl = task.serialize();
    EXPECT_EQ(asl.at("Retry"), Json::parse(R"([{"ErrorEquals":["States.Timeout"],"MaxAttempts":2},
        {"ErrorEquals":["States.TaskFailed"],"MaxAttempts":3},{"ErrorEquals":["States.ALL"],"MaxAttempts":1}])"));
    EXPECT_EQ(asl.at("Catch"), Json::parse(R"([{"ErrorEquals":["Custom.Error","States.Timeout"],"Next":"Handle",
        "ResultPath":"$.error"},{"ErrorEquals":["States.ALL"],"Next":"Give up"}])"));
}

TEST(RetryCatch, CatchTargetsJoinTheWorkflowAfterTheAddedStates) {
    sfn::Workflow workflow;
    auto task = sfn::Task("Work").resource("arn:aws:states:::glue:startJobRun.sync");
    workflow.start_from(task).next_then(sfn::Succeed("Done"));
    task.add_catch(sfn::Catch({sfn::errors::ALL}, sfn::Fail("Failed").error("Job.Failed")).result_path(nullptr));
    EXPECT_EQ(workflow.serialize(), Json::parse(R"({"StartAt":"Work","States":{
        "Work":{"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync","Next":"Done",
                "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Failed","ResultPath":null}]},
        "Done":{"Type":"Succeed"},
        "Failed":{"Type":"Fail","Error":"Job.Failed"}}})"));
}

TEST(RetryCatch, StatesAllMustBeAloneInARetrier) {
    auto task = sfn::Task("Task 2");
    try {
        task.add_retry(sfn::Retry({sfn::errors::ALL, sfn::errors::TIMEOUT}));
        FAIL() << "expected BuildError";
    } catch (const sfn::builder::BuildError& e) {
        EXPECT_STREQ(e.what(), "[sfn.build.E006] state 'Task 2', Retry #1: States.ALL must appear alone in ErrorEquals");
    }
}

TEST(RetryCatch, ACatcherNeedsAtLeastOneError) {
    auto parallel = sfn::Parallel("P");
    try {
        parallel.add_catch(sfn::Catch({}, sfn::Pass("H")));
        FAIL() << "expected BuildError";
    } catch (const sfn::builder::BuildError& e) {
        EXPECT_STREQ(e.what(), "[sfn.build.E006] state 'P', Catch #1: ErrorEquals must name at least one error");
    }
}

TEST(RetryCatch, MapAndParallelTakeRetryAndCatchToo) {
    auto map = sfn::Map("M").item_processor(sfn::Pass("Item").end()).end();
    map.add_retry(sfn::Retry{sfn::errors::BRANCH_FAILED}).add_catch(sfn::Catch({sfn::errors::ALL}, sfn::Pass("H")));
    auto asl = map.serialize();
    EXPECT_EQ(asl.at("Retry").at(0).at("ErrorEquals"), Json::array({"States.BranchFailed"}));
    EXPECT_EQ(asl.at("Catch").at(0).at("Next"), "H");
}

}  // namespace
