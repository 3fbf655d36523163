// Validation: every finding, with its pointer, code and exact message.
#include "sfn/asl/parse.hpp"
#include "sfn/asl/validate.hpp"

#include <gtest/gtest.h>

using sfn::asl::Diagnostic;

TEST(Validate, ReportsEveryProblemWithItsLocation) {
    // GIVEN a definition with a dangling Default, a negative Wait and an unreachable state
    auto sm = sfn::asl::parse_json(R"({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Wait"}], "Default": "Done"},
        "Wait": {"Type": "Wait", "Seconds": -1, "End": true},
        "Lost": {"Type": "Succeed"}}})");
    // WHEN validated
    auto diagnostics = sfn::asl::validate(sm);
    // THEN all three are reported, in document order
    EXPECT_EQ(diagnostics, (std::vector<Diagnostic>{
                               {"/States/Check/Default", "sfn.asl.E012", "no state named 'Done' in this scope"},
                               {"/States/Wait/Seconds", "sfn.asl.E031", "expected an integer >= 0, got -1"},
                               {"/States/Lost", "sfn.asl.E016", "state 'Lost' is not reachable from StartAt 'Check'"},
                           }));
}

TEST(Validate, ThrowingVariantCarriesTheDiagnosticsAndFormatsThem) {
    auto sm = sfn::asl::parse_json(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"}}})");
    try {
        sfn::asl::validate_or_throw(sm);
        FAIL() << "expected ValidationError";
    } catch (const sfn::asl::ValidationError& e) {
        EXPECT_STREQ(e.what(), "[sfn.asl.E014] /States/A/End: a state cannot have both 'Next' and 'End': true");
        EXPECT_EQ(e.diagnostics().size(), 1u);
    }
}

TEST(Validate, ScopesAreSeparatePerBranch) {
    // GIVEN a branch state whose Next names a top-level state
    auto sm = sfn::asl::parse_json(R"({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "After", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "After"}}}]},
        "After": {"Type": "Succeed"}}})");
    // THEN the branch cannot see it
    auto diagnostics = sfn::asl::validate(sm);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(sfn::asl::to_string(diagnostics[0]),
              "[sfn.asl.E011] /States/P/Branches/0/States/X/Next: no state named 'After' in this scope");
}

TEST(Validate, JsonataExpressionsAreCompiled) {
    auto diagnostics = sfn::asl::check(nlohmann::ordered_json::parse(R"({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": {"ok": "{% $states.input.a + 1 %}", "bad": "{% ( %}"}, "End": true}}})"));
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics[0].pointer, "/States/A/Output/bad");
    EXPECT_EQ(diagnostics[0].code, "sfn.asl.E050");
    EXPECT_EQ(diagnostics[0].message.rfind("invalid JSONata expression: ", 0), 0u) << diagnostics[0].message;
}

TEST(Validate, JsonPathModeChecksPathsAndTemplates) {
    auto diagnostics = sfn::asl::check(nlohmann::ordered_json::parse(R"J({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"a.$": "$.x", "b.$": "States.Format('{}', $.y)"}, "ResultPath": "$.r", "End": true}}})J"));
    EXPECT_TRUE(diagnostics.empty()) << sfn::asl::to_string(diagnostics);
}

TEST(Validate, PointersEscapeSlashAndTilde) {
    auto diagnostics = sfn::asl::check(nlohmann::ordered_json::parse(R"({"StartAt": "a/b~c", "States": {
        "a/b~c": {"Type": "Pass", "Next": "x", "End": true}}})"));
    ASSERT_FALSE(diagnostics.empty());
    EXPECT_EQ(diagnostics[0].pointer, "/States/a~1b~0c/End");
}
