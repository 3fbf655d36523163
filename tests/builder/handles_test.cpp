// Handles and identity: states are shared handles owned by the workflow's pool.

#include "sfn/builder/builder.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace {

using Json = nlohmann::ordered_json;

TEST(Handles, CopiesReferToTheSameStateAndCompareEqual) {
    // GIVEN a state and a copy of its handle
    auto a = sfn::Pass("A");
    auto copy = a;
    // WHEN the copy changes a field
    copy.result({{"x", 1}});
    // THEN both handles see it, and they compare equal by identity
    EXPECT_EQ(a, copy);
    EXPECT_EQ(a.serialize().dump(), R"({"Type":"Pass","Result":{"x":1}})");
}

TEST(Handles, TwoStatesWithTheSameFieldsAreNotEqual) {
    EXPECT_FALSE(sfn::Pass("A") == sfn::Pass("A"));
}

TEST(Handles, ChangingAStateAfterItWasAddedShowsInTheNextSerialization) {
    // GIVEN a workflow that was already serialized once
    sfn::Workflow workflow;
    auto wait = sfn::Wait("Pause").seconds(5);
    workflow.start_from(wait).end();
    ASSERT_EQ(workflow.serialize().dump(), R"({"StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":5,"End":true}}})");
    // WHEN the state changes through its handle
    wait.timestamp("2026-01-01T00:00:00Z").comment("until new year");
    // THEN the next serialization shows the new fields (Seconds replaced by Timestamp)
    EXPECT_EQ(workflow.serialize(), Json::parse(R"({"StartAt":"Pause","States":{"Pause":{
        "Type":"Wait","Comment":"until new year","Timestamp":"2026-01-01T00:00:00Z","End":true}}})"));
}

TEST(Handles, StatesOutliveTheHandlesThatCreatedThem) {
    // GIVEN a workflow built from temporaries only
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("A").next(sfn::Pass("B")).next(sfn::Succeed("C")));
    // WHEN every handle is gone; THEN the workflow still holds all three states
    auto definition = workflow.definition();
    ASSERT_EQ(definition.states.size(), 3U);
    EXPECT_EQ(definition.states[2].name, "C");
}

TEST(Handles, AChainOutlivesItsStatesHandles) {
    // GIVEN a chain whose state handles went out of scope
    auto make = [] { return sfn::Pass("A").next(sfn::Pass("B")); };
    sfn::Chain chain = make();
    // WHEN it is continued; THEN the earlier states are still there
    auto end = chain.next(sfn::Pass("C"));
    EXPECT_EQ(end.start().id(), "A");
    EXPECT_EQ(end.ends().front().id(), "C");
}

TEST(Handles, DefinitionIsASnapshotThatLaterChangesDoNotTouch) {
    sfn::Workflow workflow;
    auto hello = sfn::Pass("Hello").result({{"message", "Alice"}});
    workflow.start_from(hello).end();
    auto before = workflow.definition();
    hello.result({{"message", "Bob"}});
    auto after = workflow.definition();
    EXPECT_NE(before, after);
    EXPECT_EQ(std::get<sfn::model::Pass>(before.states[0].state).result, Json({{"message", "Alice"}}));
}

TEST(Handles, WorkflowFindReturnsAHandleToTheAddedState) {
    sfn::Workflow workflow;
    auto a = sfn::Pass("A");
    workflow.start_from(a).end();
    ASSERT_TRUE(workflow.find("A").has_value());
    EXPECT_EQ(*workflow.find("A"), a);
    EXPECT_FALSE(workflow.find("B").has_value());
    EXPECT_EQ(workflow.states().size(), 1U);
}

TEST(Handles, LoopsAreAllowedAndSerializeByName) {
    // GIVEN a poll loop: Check -> Wait -> Check
    sfn::Workflow workflow;
    auto check = sfn::Task("Check").resource("arn:aws:states:::aws-sdk:s3:headObject");
    auto done = sfn::Choice("Done?");
    auto pause = sfn::Wait("Pause").seconds(10);
    done.when(sfn::Var("$.ready") == true, sfn::Succeed("Ready")).otherwise(pause.next(check));
    workflow.start_from(check.next(done));
    // THEN the loop serializes with names, each state once
    EXPECT_EQ(workflow.serialize(), Json::parse(R"({"StartAt":"Check","States":{
        "Check":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:headObject","Next":"Done?"},
        "Done?":{"Type":"Choice","Choices":[{"Variable":"$.ready","BooleanEquals":true,"Next":"Ready"}],"Default":"Pause"},
        "Ready":{"Type":"Succeed"},
        "Pause":{"Type":"Wait","Seconds":10,"Next":"Check"}}})"));
}

TEST(GeneratedIds, BareStatesGetTheirTypeAndSevenHexDigits) {
    const std::regex shape(R"((Task|Pass|Wait|Succeed|Fail|Choice|Parallel|Map)-[0-9a-f]{7})");
    for (const std::string& id : {sfn::Task().id(), sfn::Pass().id(), sfn::Wait().id(), sfn::Succeed().id(),
                                  sfn::Fail().id(), sfn::Choice().id(), sfn::Parallel().id(), sfn::Map().id()})
        EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_EQ(sfn::Map().type(), "Map");
    EXPECT_NE(sfn::Pass().id(), sfn::Pass().id());
}

TEST(GeneratedIds, WorkflowHelpersNameStatesAfterThePreviousOne) {
    // GIVEN helpers called without ids
    sfn::Workflow workflow;
    auto sub = workflow.subflow_from(sfn::Pass("Item")).end();
    workflow.start_from(sfn::Pass("Start"))
        .wait(1)
        .parallel({workflow.subflow_from(sfn::Pass("Branch")).end()})
        .map(sub)
        .choice({sfn::Var("$.x").is_present().next_then(sfn::Succeed("Yes"))});
    // THEN each is named after the state before it
    auto definition = workflow.definition();
    std::vector<std::string> names;
    for (const auto& s : definition.states) names.push_back(s.name);
    EXPECT_EQ(names, (std::vector<std::string>{"Start", "Wait-after-Start", "Parallel-after-Wait-after-Start",
                                               "Map-after-Parallel-after-Wait-after-Start",
                                               "Choice-by-Map-after-Parallel-after-Wait-after-Start", "Yes"}));
}

TEST(GeneratedIds, SucceedAndFailHelpersGetUuidStyleIds) {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("A")).succeed();
    EXPECT_TRUE(std::regex_match(workflow.definition().states[1].name, std::regex("Succeed-[0-9a-f]{7}")));
}

}  // namespace
