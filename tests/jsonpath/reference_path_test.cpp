#include <gtest/gtest.h>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;

namespace {

std::string assign(std::string_view path, std::string_view input, std::string_view value) {
    auto r = Path::parse_reference(path).assign(Value::parse(input), Value::parse(value));
    if (!r) return "FAIL " + r.failure().error + ": " + r.failure().cause;
    return r->dump();
}

}  // namespace

TEST(ReferencePath, DollarReplacesTheWholeInput) { EXPECT_EQ(assign("$", R"({"a":1})", "[1]"), "[1]"); }

TEST(ReferencePath, AssignsANewMemberAtTheEnd) {
    EXPECT_EQ(assign("$.result", R"({"a":1})", R"({"ok":true})"), R"({"a":1,"result":{"ok":true}})");
}

TEST(ReferencePath, ReplacesAnExistingMemberInPlace) {
    EXPECT_EQ(assign("$.a", R"({"a":1,"b":2})", "3"), R"({"a":3,"b":2})");
}

TEST(ReferencePath, CreatesMissingIntermediateObjects) {
    EXPECT_EQ(assign("$.x.y.z", R"({"a":1})", "true"), R"({"a":1,"x":{"y":{"z":true}}})");
    EXPECT_EQ(assign("$['with space'].k", "{}", "1"), R"({"with space":{"k":1}})");
}

TEST(ReferencePath, WritesIntoExistingArrayElements) {
    EXPECT_EQ(assign("$.list[1].v", R"({"list":[{"v":0},{"v":0}]})", "9"), R"({"list":[{"v":0},{"v":9}]})");
    EXPECT_EQ(assign("$.list[-1]", R"({"list":[1,2]})", "9"), R"({"list":[1,9]})");
}

TEST(ReferencePath, SharesEveryUntouchedChild) {
    auto input = Value::parse(R"({"big":{"k":[1,2,3]},"acc":{"n":1}})");
    auto out = Path::parse_reference("$.acc.n").assign(input, Value(2));
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out->find("big")->same_node(*input.find("big")));
    EXPECT_EQ(input.dump(), R"({"big":{"k":[1,2,3]},"acc":{"n":1}})");
}

TEST(ReferencePath, FailsWhenAStepMeetsAScalar) {
    EXPECT_EQ(assign("$.a.b", R"({"a":"text"})", "1"),
              R"(FAIL States.ResultPathMatchFailure: Unable to apply ResultPath '$.a.b' to input '{"a":"text"}': $.a is the string "text", not an object to hold field 'b')");
    EXPECT_EQ(assign("$.a", "[1]", "1"),
              R"(FAIL States.ResultPathMatchFailure: Unable to apply ResultPath '$.a' to input '[1]': $ is an array, not an object to hold field 'a')");
}

TEST(ReferencePath, FailsForAnIndexOutOfRangeOrOnANonArray) {
    EXPECT_EQ(assign("$.l[2]", R"({"l":[1]})", "1"),
              R"(FAIL States.ResultPathMatchFailure: Unable to apply ResultPath '$.l[2]' to input '{"l":[1]}': $.l is an array, not an array with an element at index 2)");
    EXPECT_EQ(assign("$.l[0]", R"({})", "1"),
              R"(FAIL States.ResultPathMatchFailure: Unable to apply ResultPath '$.l[0]' to input '{}': $.l is null, not an array with an element at index 0)");
}

TEST(ReferencePath, RejectsPathsThatSelectManyNodes) {
    std::string code;
    EXPECT_EQ(path_error([] { (void)Path::parse_reference("$.a[*]"); }, &code),
              "[sfn.jsonpath.E002] '$.a[*]' is not a reference path: '*' selects many nodes");
    EXPECT_EQ(code, "sfn.jsonpath.E002");
    EXPECT_EQ(path_error([] { (void)Path::parse_reference("$.a[1:2]"); }),
              "[sfn.jsonpath.E002] '$.a[1:2]' is not a reference path: ':' (slice) selects many nodes");
    EXPECT_EQ(path_error([] { (void)Path::parse_reference("$.a[?(@.b)]"); }),
              "[sfn.jsonpath.E002] '$.a[?(@.b)]' is not a reference path: '?' (filter) selects many nodes");
    EXPECT_EQ(path_error([] { (void)Path::parse_reference("$..a"); }),
              "[sfn.jsonpath.E002] '$..a' is not a reference path: '..' selects many nodes");
    EXPECT_EQ(path_error([] { (void)Path::parse_reference("$[0,1]"); }),
              "[sfn.jsonpath.E002] '$[0,1]' is not a reference path: ',' (union) selects many nodes");
}
