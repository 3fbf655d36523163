#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;
using nlohmann::ordered_json;

namespace {

std::string render(const char* tmpl, Fixture& f) {
    auto r = Template::compile(ordered_json::parse(tmpl)).render(f.scope());
    if (!r) return "FAIL " + r.failure().error + ": " + r.failure().cause;
    return r->dump();
}

}  // namespace

TEST(Template, CopiesConstantsAndStripsDotDollarFromDynamicKeys) {
    Fixture f(R"({"order":{"id":7,"items":[1,2]}})", R"({"Execution":{"Id":"arn:x"}})");
    EXPECT_EQ(render(R"({"id.$":"$.order.id","flag":true,"exec.$":"$$.Execution.Id","lit":"$.not.a.path"})", f),
              R"({"id":7,"flag":true,"exec":"arn:x","lit":"$.not.a.path"})");
}

TEST(Template, RecursesIntoNestedObjectsAndArrays) {
    Fixture f(R"({"a":1,"b":[1,2]})");
    EXPECT_EQ(render(R"({"outer":{"x.$":"$.a","list":[{"y.$":"$.b[1]"},3,"s"]}})", f),
              R"({"outer":{"x":1,"list":[{"y":2},3,"s"]}})");
}

TEST(Template, EvaluatesVariablesAndIntrinsics) {
    Fixture f(R"({"name":"Ann"})");
    f.variables.values["greeting"] = Value("Hello");
    EXPECT_EQ(render(R"j({"msg.$":"States.Format('{}, {}!', $greeting, $.name)","v.$":"$greeting"})j", f),
              R"({"msg":"Hello, Ann!","v":"Hello"})");
}

TEST(Template, IndefinitePathsYieldArrays) {
    Fixture f(R"({"users":[{"year":1997,"status":0},{"year":1998,"status":1}]})");
    EXPECT_EQ(render(R"({"FromInput.$":"$.users[?(@.status == 0)]"})", f), R"({"FromInput":[{"year":1997,"status":0}]})");
}

TEST(Template, MissingPathFailsWithTheAwsCause) {
    Fixture f(R"({"a":1})");
    EXPECT_EQ(render(R"({"value.$":"$.no_such_jsonpath"})", f),
              R"(FAIL States.Runtime: The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"a":1}')");
    EXPECT_EQ(render(R"({"value.$":"$$.Execution.Input.no_such_jsonpath"})", f),
              R"(FAIL States.Runtime: The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"a":1}')");
}

TEST(Template, ConstantTemplatesRenderTheSameSharedValue) {
    auto t = Template::compile(ordered_json::parse(R"({"a":[1,{"b":2}]})"));
    EXPECT_TRUE(t.is_constant());
    Fixture f("{}");
    auto x = t.render(f.scope());
    auto y = t.render(f.scope());
    EXPECT_TRUE(x->same_node(*y));
    EXPECT_EQ(x->dump(), R"({"a":[1,{"b":2}]})");
    EXPECT_FALSE(Template::compile(ordered_json::parse(R"({"a.$":"$"})")).is_constant());
    EXPECT_EQ(Template().render(f.scope())->dump(), "{}");
}

TEST(Template, KeepsFieldOrderOfTheDefinition) {
    Fixture f(R"({"v":1})");
    EXPECT_EQ(render(R"({"z":0,"m.$":"$.v","a":2})", f), R"({"z":0,"m":1,"a":2})");
}

TEST(Template, CompileErrorsNameTheFieldPointer) {
    EXPECT_EQ(path_error([] { (void)Template::compile(ordered_json::parse(R"({"a":{"b.$":5}})")); }),
              "[sfn.jsonpath.E006] /a/b.$: the value of a field ending in '.$' must be a string holding a path or an intrinsic function call");
    EXPECT_EQ(path_error([] { (void)Template::compile(ordered_json::parse(R"({"list":[{"x.$":"nope"}]})")); }),
              "[sfn.jsonpath.E001] /list/0/x.$: invalid JSONPath 'nope' at position 0: a path must start with '$'");
    EXPECT_EQ(path_error([] { (void)Template::compile(ordered_json::parse(R"j({"a/b.$":"States.Nope()"})j")); }),
              "[sfn.jsonpath.E004] /a~1b.$: unknown intrinsic function 'States.Nope' in 'States.Nope()'");
    EXPECT_EQ(path_error([] { (void)Template::compile(ordered_json::parse(R"({"a":1,"a.$":"$"})")); }),
              "[sfn.jsonpath.E006] /a.$: the field 'a.$' produces the name 'a', which another field already produces");
}

TEST(Template, CheckTemplateReportsEveryProblem) {
    auto issues = check_template(ordered_json::parse(R"({"a.$":1,"b":{"c.$":"$["},"ok.$":"$.x"})"));
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].pointer, "/a.$");
    EXPECT_EQ(issues[1], (TemplateIssue{"/b/c.$", "invalid JSONPath '$[' at position 2: expected a quoted name, index, slice, '*' or filter inside '[ ]'"}));
    EXPECT_TRUE(check_template(ordered_json::parse(R"({"a.$":"$.x"})")).empty());
}

TEST(Expression, ParsesPathsAndIntrinsicsForErrorPathAndCausePath) {
    Fixture f(R"({"e":"Boom"})");
    auto p = Expression::parse("$.e");
    EXPECT_FALSE(p.is_intrinsic());
    EXPECT_EQ(p.evaluate(f.scope(), "ErrorPath")->dump(), R"("Boom")");
    auto i = Expression::parse("States.Format('x{}', $.e)");
    EXPECT_TRUE(i.is_intrinsic());
    EXPECT_EQ(i.evaluate(f.scope(), "CausePath")->dump(), R"("xBoom")");
    auto missing = Expression::parse("$.ErrorX").evaluate(f.scope(), "ErrorPath");
    EXPECT_EQ(missing.failure().cause,
              R"(The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{"e":"Boom"}')");
}
