// Builder misuse throws at once, naming the state.

#include "sfn/builder/builder.hpp"

#include <gtest/gtest.h>

namespace {

using sfn::builder::BuildError;

/// Runs `f` and returns the BuildError's message; fails the test when nothing (or something else) is thrown.
template <class F>
std::string build_error_of(F&& f) {
    try {
        f();
    } catch (const BuildError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected sfn::builder::BuildError";
    return {};
}

TEST(ChainErrors, ASecondDifferentNextStateThrows) {
    auto task2 = sfn::Pass("Task 2");
    auto unused = task2.next(sfn::Pass("Task 3"));
    EXPECT_EQ(build_error_of([&] { auto c = task2.next(sfn::Pass("Task 4")); }),
              "[sfn.build.E002] state 'Task 2' already has a next state ('Task 3')");
}

TEST(ChainErrors, LinkingTheSameNextStateTwiceIsHarmless) {
    auto a = sfn::Pass("A");
    auto b = sfn::Pass("B");
    auto first = a.next(b);
    EXPECT_NO_THROW({ auto again = a.next(b); });
}

TEST(ChainErrors, ChainingOntoSucceedThrows) {
    EXPECT_EQ(build_error_of([] { auto c = sfn::Succeed("Done").next(sfn::Pass("After")); }),
              "[sfn.build.E003] state 'Done' is a Succeed state; no state can follow it");
}

TEST(ChainErrors, ChainingOntoFailInAWorkflowThrows) {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("A")).fail({.id = "Broken"});
    EXPECT_EQ(build_error_of([&] { workflow.next_then(sfn::Pass("B")); }),
              "[sfn.build.E003] state 'Broken' is a Fail state; no state can follow it");
}

TEST(ChainErrors, ChainingOntoAChoiceThrows) {
    sfn::Workflow workflow;
    auto yes = sfn::Pass("Yes");
    workflow.start_from(sfn::Pass("A")).choice({sfn::Var("$.ok").boolean_equals(true).next_then(yes)}, {.id = "Check"});
    EXPECT_EQ(build_error_of([&] { workflow.next_then(sfn::Pass("B")); }),
              "[sfn.build.E003] state 'Check' is a Choice state; it cannot have a next state (add a rule or a "
              "default, or continue from its afterwards())");
    EXPECT_EQ(build_error_of([&] { workflow.end(); }),
              "[sfn.build.E003] state 'Check' is a Choice state; it cannot be an end state");
}

TEST(ChainErrors, AnEndStateCannotGetANextState) {
    auto a = sfn::Pass("A").end();
    EXPECT_EQ(build_error_of([&] { auto c = a.next(sfn::Pass("B")); }),
              "[sfn.build.E002] state 'A' is already an end state; it cannot also have a next state");
}

TEST(ChainErrors, AStateWithANextStateCannotEnd) {
    auto a = sfn::Pass("A");
    auto c = a.next(sfn::Pass("B"));
    EXPECT_EQ(build_error_of([&] { a.end(); }),
              "[sfn.build.E002] state 'A' already has a next state ('B'); it cannot also be an end state");
}

TEST(ChainErrors, DuplicateStateNamesInOneWorkflowThrow) {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("X"));
    EXPECT_EQ(build_error_of([&] { workflow.next_then(sfn::Pass("X")); }),
              "[sfn.build.E004] duplicate state name 'X' in workflow");
}

TEST(ChainErrors, DuplicateStateNamesInABranchNameTheBranch) {
    // GIVEN a chain branch whose second state reuses a name, linked after the branch was added
    auto first = sfn::Pass("Same");
    auto parallel = sfn::Parallel("P").branch(sfn::Pass("Other")).branch(first);
    auto c = first.next(sfn::Pass("Same"));
    sfn::Workflow workflow;
    workflow.start_from(parallel).end();
    // WHEN the definition is taken; THEN the clash names the branch and the Parallel
    EXPECT_EQ(build_error_of([&] { (void)workflow.definition(); }),
              "[sfn.build.E004] duplicate state name 'Same' in branch 2 of 'P'");
}

TEST(ChainErrors, SameNameInDifferentBranchesIsAllowed) {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Parallel("P").branch(sfn::Pass("Step").end()).branch(sfn::Pass("Step").end())).end();
    EXPECT_EQ(workflow.definition().states.size(), 1U);
}

TEST(ChainErrors, NextThenWithoutStartThrows) {
    sfn::Workflow workflow;
    EXPECT_EQ(build_error_of([&] { workflow.next_then(sfn::Pass("B")); }),
              "[sfn.build.E005] next_then('B'): workflow has no current state; call start_from() first");
}

TEST(ChainErrors, ADefinitionWithoutStartThrows) {
    sfn::Workflow workflow;
    EXPECT_EQ(build_error_of([&] { (void)workflow.serialize(); }),
              "[sfn.build.E008] workflow has no start state (call start_from first)");
}

TEST(ChainErrors, StateNamesLongerThan80CharactersThrow) {
    std::string name(81, 'n');
    EXPECT_EQ(build_error_of([&] { sfn::Pass p(name); }),
              "[sfn.build.E001] state name '" + name + "' is 81 characters long; ASL allows at most 80");
    EXPECT_NO_THROW(sfn::Pass(std::string(80, 'n')));
}

TEST(ChainErrors, WaitHelperNeedsExactlyOneField) {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("A"));
    EXPECT_EQ(build_error_of([&] { workflow.wait(sfn::WaitFor{.seconds = 1, .timestamp = "2026-01-01T00:00:00Z"}); }),
              "[sfn.build.E007] wait(): set exactly one of seconds, timestamp, seconds_path, timestamp_path (got 2)");
}

TEST(ChainErrors, AFailedNextThenLeavesTheWorkflowUnchanged) {
    // GIVEN a cursor with two open ends, one of which already has a different next state
    auto left = sfn::Pass("Left");
    auto right = sfn::Pass("Right");
    auto choice = sfn::Choice("C").when(sfn::Var("$.l") == true, left).otherwise(right);
    auto c = right.next(sfn::Pass("Elsewhere"));
    sfn::Workflow workflow;
    workflow.start_from(choice.afterwards());
    // WHEN joining both fails on Right; THEN Left was not wired either
    EXPECT_THROW(workflow.next_then(sfn::Pass("Join")), BuildError);
    EXPECT_EQ(left.serialize().dump(), R"({"Type":"Pass"})");
}

TEST(ChainErrors, AfterwardsJoinsEveryBranchButTerminalOnes) {
    auto choice = sfn::Choice("C")
                      .when(sfn::Var("$.a") == 1, sfn::Pass("One"))
                      .when(sfn::Var("$.a") == 2, sfn::Fail("Two"))
                      .otherwise(sfn::Pass("Other"));
    sfn::Workflow workflow;
    workflow.start_from(choice.afterwards().next(sfn::Succeed("Joined")));
    EXPECT_EQ(workflow.serialize(), nlohmann::ordered_json::parse(R"({"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"One"},
                                         {"Variable":"$.a","NumericEquals":2,"Next":"Two"}],"Default":"Other"},
        "One":{"Type":"Pass","Next":"Joined"},"Two":{"Type":"Fail"},"Other":{"Type":"Pass","Next":"Joined"},
        "Joined":{"Type":"Succeed"}}})"));
}

TEST(ChainErrors, BranchesCannotHaveTopLevelOnlyFields) {
    sfn::Workflow workflow;
    auto branch = workflow.subflow_from(sfn::Pass("B")).end();
    branch.timeout_seconds(5);
    workflow.start_from(sfn::Parallel("P").branch(branch)).end();
    EXPECT_EQ(build_error_of([&] { (void)workflow.definition(); }),
              "[sfn.build.E010] branch 1 of 'P' sets Version or TimeoutSeconds, which only a top-level workflow has");
}

TEST(ChainErrors, ASecondDifferentDefaultThrows) {
    auto choice = sfn::Choice("C").otherwise(sfn::Pass("D1"));
    EXPECT_EQ(build_error_of([&] { choice.otherwise(sfn::Pass("D2")); }),
              "[sfn.build.E002] Choice state 'C' already has a default ('D1')");
}

}  // namespace
