// Every definition AWS accepted validates with no errors (warnings such as PASS_RESULT_IS_STATIC do not
// stop AWS from running a definition).
#include "asl/asl_support.hpp"
#include "sfn/asl/validate.hpp"

#include <gtest/gtest.h>

TEST(ValidateConformance, EveryRecordedDefinitionIsValid) {
    // GIVEN the definitions AWS ran
    int reported = 0;
    for (const auto& file : sfn::asl::testing::conformance_cases()) {
        // WHEN checked
        const auto diagnostics = sfn::asl::check(sfn::asl::testing::read_json(file).at("definition"));
        // THEN no error is reported
        if (sfn::asl::has_errors(diagnostics) && ++reported <= 15) ADD_FAILURE() << file.filename() << "\n" << sfn::asl::to_string(diagnostics);
    }
    EXPECT_EQ(reported, 0);
}
