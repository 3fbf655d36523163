// Validator warnings (AWS's NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC): reported with pointer, code and
// message, never making a definition invalid.
#include "sfn/asl/parse.hpp"
#include "sfn/asl/validate.hpp"

#include <gtest/gtest.h>

using sfn::asl::Diagnostic;
using sfn::asl::Severity;

namespace {
std::vector<Diagnostic> check(const char* text) { return sfn::asl::check(nlohmann::ordered_json::parse(text)); }
}  // namespace

TEST(Warnings, PassResultHoldingAPathIsStatic) {
    // GIVEN a Pass state whose Result holds "$.bar" and a key ending in ".$"
    auto diagnostics = check(R"({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"foo": "$.bar", "n.$": "$.n", "ok": "plain"}, "End": true}}})");
    // THEN both are warnings at their pointers, and the definition stays valid
    EXPECT_EQ(diagnostics, (std::vector<Diagnostic>{
        {"/States/A/Result/foo", "sfn.asl.W003",
         "a Pass state's Result is static: '$.bar' is not evaluated (use Parameters with a key ending in '.$' to select from the input)",
         Severity::Warning},
        {"/States/A/Result/n.$", "sfn.asl.W003",
         "a Pass state's Result is static: the key 'n.$' keeps its '.$' and its value is not evaluated (use Parameters instead)",
         Severity::Warning},
    }));
    EXPECT_FALSE(sfn::asl::has_errors(diagnostics));
    EXPECT_EQ(sfn::asl::aws_code(diagnostics[0].code), "PASS_RESULT_IS_STATIC");
}

TEST(Warnings, TemplateFieldWithoutDollarSuffix) {
    // GIVEN Parameters whose values look like a path and an intrinsic call but whose keys lack ".$"
    auto diagnostics = check(R"J({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "f", "Payload": {"id": "$.foo", "list": ["$$.Execution.Id"], "s": "States.Format('{}', $.x)", "good.$": "$.y"}},
              "ResultSelector": {"p": "$.Payload"}, "End": true}}})J");
    // THEN each such field is a warning (array elements are not fields: they get none)
    ASSERT_EQ(diagnostics.size(), 3u) << sfn::asl::to_string(diagnostics);
    EXPECT_EQ(diagnostics[0], (Diagnostic{"/States/A/Parameters/Payload/id", "sfn.asl.W001",
        "the field 'id' holds '$.foo', which looks like a JSONPath, but its name does not end in '.$', so it is passed on as a literal string",
        Severity::Warning}));
    EXPECT_EQ(diagnostics[1].pointer, "/States/A/Parameters/Payload/s");
    EXPECT_NE(diagnostics[1].message.find("an intrinsic function call"), std::string::npos);
    EXPECT_EQ(diagnostics[2].pointer, "/States/A/ResultSelector/p");
    for (const auto& d : diagnostics) EXPECT_EQ(sfn::asl::aws_code(d.code), "NO_DOLLAR");
}

TEST(Warnings, StringComparisonAndFailFieldsThatLookLikePaths) {
    auto diagnostics = check(R"({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.a", "StringEquals": "$.b"}], "Next": "F"}], "Default": "F"},
        "F": {"Type": "Fail", "Error": "$.error", "Cause": "went wrong"}}})");
    EXPECT_EQ(diagnostics, (std::vector<Diagnostic>{
        {"/States/C/Choices/0/And/0/StringEquals", "sfn.asl.W002",
         "'StringEquals' compares with the literal string '$.b', which looks like a path; use 'StringEqualsPath' to compare with the value it selects",
         Severity::Warning},
        {"/States/F/Error", "sfn.asl.W002",
         "the field 'Error' holds '$.error', which looks like a path, but 'Error' is taken literally; use 'ErrorPath' to select it",
         Severity::Warning},
    }));
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.W002"), "NO_PATH");
}

TEST(Warnings, JsonataStatesAndOrdinaryLiteralsGetNone) {
    // GIVEN literals that do not look like paths, and a JSONata state where "$" means something else
    auto diagnostics = check(R"({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"price": "$5", "note": "States are fine", "x.$": "$.x"}, "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a": "$.literal"}, "End": true}}})");
    EXPECT_TRUE(diagnostics.empty()) << sfn::asl::to_string(diagnostics);
}

TEST(Warnings, DoNotThrowAndDoNotHideErrors) {
    // GIVEN a warning and a dangling Next
    auto sm = sfn::asl::parse_json(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "$.x", "Next": "Nowhere"}}})");
    auto diagnostics = sfn::asl::validate(sm);
    // THEN both are reported, in document order (Result comes before Next)
    ASSERT_EQ(diagnostics.size(), 2u);
    EXPECT_EQ(diagnostics[0].code, "sfn.asl.W003");
    EXPECT_EQ(diagnostics[1].severity, Severity::Error);
    EXPECT_EQ(sfn::asl::aws_code(diagnostics[1].code), "MISSING_TRANSITION_TARGET");
    EXPECT_THROW(sfn::asl::validate_or_throw(sm), sfn::asl::ValidationError);
    // AND a warning alone does not throw
    EXPECT_NO_THROW(sfn::asl::validate_or_throw(
        sfn::asl::parse_json(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "$.x", "End": true}}})")));
}

TEST(Warnings, AwsCodesForErrors) {
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.E018"), "DUPLICATE_STATE_NAME");
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.E017"), "INVALID_STATE_NAME");
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.E039"), "INVALID_RESOURCE");
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.E052"), "MISSING_END_STATE");
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.E001"), "INVALID_JSON_DESCRIPTION");
    EXPECT_EQ(sfn::asl::aws_code("sfn.asl.E031"), "SCHEMA_VALIDATION_FAILED");
}

TEST(ExpressChecks, ActivitiesAndWaitingPatternsAreErrorsForExpressOnly) {
    // GIVEN Tasks using an activity, .sync (inside a Parallel) and .waitForTaskToken (inside a Map)
    const auto definition = nlohmann::ordered_json::parse(R"({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "Next": "P"},
        "P": {"Type": "Parallel", "Next": "M", "Branches": [{"StartAt": "S", "States": {
            "S": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "End": true}}}]},
        "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "W", "States": {
            "W": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}}}})");
    // WHEN checked for a STANDARD machine THEN all is fine
    EXPECT_TRUE(sfn::asl::check(definition).empty());
    // WHEN checked for an EXPRESS machine THEN each is an error at its Resource
    EXPECT_EQ(sfn::asl::check(definition, {.express = true}), (std::vector<Diagnostic>{
        {"/States/A/Resource", "sfn.asl.E053",
         "an EXPRESS state machine does not support activities ('arn:aws:states:us-east-1:123456789012:activity:work')"},
        {"/States/P/Branches/0/States/S/Resource", "sfn.asl.E053",
         "an EXPRESS state machine does not support the '.sync' integration pattern ('arn:aws:states:::states:startExecution.sync:2')"},
        {"/States/M/ItemProcessor/States/W/Resource", "sfn.asl.E053",
         "an EXPRESS state machine does not support the '.waitForTaskToken' integration pattern ('arn:aws:states:::sqs:sendMessage.waitForTaskToken')"},
    }));
}
