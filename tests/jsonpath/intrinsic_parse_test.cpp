#include <gtest/gtest.h>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;

TEST(IntrinsicParse, AcceptsLiteralsPathsAndNestedCalls) {
    EXPECT_EQ(call("States.Array('s', 1, -2.5, 1e3, true, false, null)"), R"(["s",1,-2.5,1000,true,false,null])");
    EXPECT_EQ(call("States.Array($.a, $.n, States.ArrayLength($.l))", R"({"a":1,"n":null,"l":[1,2]})"), "[1,null,2]");
    EXPECT_EQ(call("  States.Array( 1 ,2 )  "), "[1,2]");
    EXPECT_EQ(call("States.Array($['a,b'], $.l[?(@ > 1)])", R"({"a,b":1,"l":[1,2]})"), "[1,[2]]");
}

TEST(IntrinsicParse, DecodesEscapesInStringLiterals) {
    EXPECT_EQ(call(R"(States.Array('it\'s', '\{\}', 'back\\slash', 'a\nb'))"), R"(["it's","{}","back\\slash","a\nb"])");
}

TEST(IntrinsicParse, VariablesAreArguments) {
    Fixture f("{}");
    f.variables.values["x"] = Value::parse(R"({"y":[5]})");
    EXPECT_EQ(Intrinsic::parse("States.Array($x.y[0], $x)").evaluate(f.scope())->dump(), R"([5,{"y":[5]}])");
}

TEST(IntrinsicParse, ReportsFunctionName) {
    EXPECT_EQ(Intrinsic::parse("States.ArrayLength($.a)").function(), "States.ArrayLength");
    EXPECT_TRUE(looks_like_intrinsic(" States.UUID()"));
    EXPECT_FALSE(looks_like_intrinsic("$.States"));
}

TEST(IntrinsicParse, SyntaxErrorsNamePosition) {
    std::string code;
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array(1"); }, &code),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array(1' at position 14: missing ')' to close States.Array");
    EXPECT_EQ(code, "sfn.jsonpath.E003");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array(1) x"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array(1) x' at position 16: unexpected text after the closing ')'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array('abc)"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array('abc)' at position 13: unterminated string literal");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array(\"x\")"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array(\"x\")' at position 13: expected an argument: a 'string', a number, true, false, null, a path or a States.* call");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array('\\q')"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array('\\q')' at position 14: invalid escape '\\q' in string literal");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array 1"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array 1' at position 13: expected '(' after States.Array");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("Foo()"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'Foo()' at position 0: expected a function name starting with 'States.'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array(1,)"); }),
              "[sfn.jsonpath.E003] invalid intrinsic function call 'States.Array(1,)' at position 15: expected an argument: a 'string', a number, true, false, null, a path or a States.* call");
}

TEST(IntrinsicParse, UnknownFunctionsAreRejected) {
    std::string code;
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Nope(1)"); }, &code),
              "[sfn.jsonpath.E004] unknown intrinsic function 'States.Nope' in 'States.Nope(1)'");
    EXPECT_EQ(code, "sfn.jsonpath.E004");
}

TEST(IntrinsicParse, ArgumentCountIsCheckedAtDefinitionTime) {
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.ArrayLength()"); }),
              "[sfn.jsonpath.E005] States.ArrayLength takes 1 argument, got 0 in 'States.ArrayLength()'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.UUID(1)"); }),
              "[sfn.jsonpath.E005] States.UUID takes 0 arguments, got 1 in 'States.UUID(1)'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.MathRandom(1)"); }),
              "[sfn.jsonpath.E005] States.MathRandom takes 2 to 3 arguments, got 1 in 'States.MathRandom(1)'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Format()"); }),
              "[sfn.jsonpath.E005] States.Format takes at least 1 argument, got 0 in 'States.Format()'");
}

TEST(IntrinsicParse, LiteralArgumentTypesAreCheckedAtDefinitionTime) {
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.MathAdd('1', 2)"); }),
              "[sfn.jsonpath.E005] States.MathAdd argument 1 must be a number, got the string \"1\" in 'States.MathAdd('1', 2)'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.ArrayGetItem($.a, 1.5)"); }),
              "[sfn.jsonpath.E005] States.ArrayGetItem argument 2 must be an integer, got the number 1.5 in 'States.ArrayGetItem($.a, 1.5)'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Format('{} {}', 1)"); }),
              "[sfn.jsonpath.E005] States.Format template has 2 placeholder(s) but 1 argument(s) follow it in 'States.Format('{} {}', 1)'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Format('{x}', 1)"); }),
              "[sfn.jsonpath.E005] States.Format template has an unescaped '{' that is not part of a '{}' placeholder in 'States.Format('{x}', 1)'");
}

TEST(IntrinsicParse, LiteralValuesTheServiceRejectsAreDefinitionErrors) {
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Hash($.d, 'SHA-3')"); }),
              "[sfn.jsonpath.E005] States.Hash algorithm \"SHA-3\" is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512 in 'States.Hash($.d, 'SHA-3')'");
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.JsonMerge($.a, $.b, true)"); }),
              "[sfn.jsonpath.E005] States.JsonMerge supports only the shallow merge: argument 3 must be false in 'States.JsonMerge($.a, $.b, true)'");
}

TEST(IntrinsicParse, MalformedPathArgumentsThrowPathErrors) {
    EXPECT_EQ(path_error([] { (void)Intrinsic::parse("States.Array($.a[)"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$.a[)' at position 4: expected a quoted name, index, slice, '*' or filter inside '[ ]'");
}

TEST(IntrinsicParse, CheckIntrinsicReportsWithoutThrowing) {
    EXPECT_EQ(check_intrinsic("States.UUID()"), std::nullopt);
    EXPECT_EQ(check_intrinsic("States.UUID(1)"), "States.UUID takes 0 arguments, got 1 in 'States.UUID(1)'");
}

TEST(IntrinsicEval, MissingPathArgumentFailsWithRuntimeError) {
    EXPECT_EQ(call("States.Array($.nope)", R"({"a":1})"),
              R"(FAIL States.Runtime: The JSONPath '$.nope' specified for the intrinsic function argument could not be found in the input '{"a":1}')");
    EXPECT_EQ(call("States.Array($undefinedVar)"),
              "FAIL States.Runtime: The JSONPath '$undefinedVar' specified for the intrinsic function argument could not be found in the variables");
}

TEST(IntrinsicEval, PathArgumentTypesAreCheckedAtRunTime) {
    EXPECT_EQ(call("States.ArrayLength($.a)", R"({"a":"abc"})"),
              R"(FAIL States.IntrinsicFailure: The intrinsic function States.ArrayLength failed: argument 1 must be an array, but was the string "abc")");
    EXPECT_EQ(call("States.MathAdd($.a, 1)", R"({"a":null})"),
              "FAIL States.IntrinsicFailure: The intrinsic function States.MathAdd failed: argument 1 must be a number, but was null");
    EXPECT_EQ(call("States.ArrayLength(States.Array(1))"), "1");
    EXPECT_EQ(call("States.StringToJson(States.Array(1))"),
              "FAIL States.IntrinsicFailure: The intrinsic function States.StringToJson failed: argument 1 must be a string, but was an array");
}
