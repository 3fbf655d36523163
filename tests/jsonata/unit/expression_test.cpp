// The public API: compile once, evaluate with bindings, caller functions, disabled functions and limits.
#include <gtest/gtest.h>

#include <thread>

#include "error_of.hpp"
#include "sfn/jsonata/expression.hpp"

using sfn::jsonata::Environment;
using sfn::jsonata::Error;
using sfn::jsonata::Expression;
using sfn::jsonata::Json;
using sfn::jsonata::testing::error_of;

TEST(Expression, CompileReportsSyntaxErrorWithCodeAndPosition) {
    // GIVEN an array constructor closed by the wrong bracket
    // WHEN it is compiled THEN the reference's S0202 is thrown, naming what was expected and where
    try {
        (void)Expression::compile("[1,2)");
        FAIL() << "expected a syntax error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "S0202");
        EXPECT_EQ(e.position(), 5u);
        EXPECT_STREQ(e.what(), "[S0202] Expected ], got ) (at position 5, token ')')");
    }
}

TEST(Expression, EvaluateReportsTypeErrorWithCodeAndToken) {
    Error e = error_of("1 + 'a'");
    EXPECT_EQ(e.code(), "T2002");
    EXPECT_STREQ(e.what(), "[T2002] The right side of the + operator must evaluate to a number (at position 3, token '+')");
}

TEST(Expression, EvaluatesPathsAgainstInput) {
    auto expr = Expression::compile("Account.Order.Product.Price ~> $sum()");
    Json input = Json::parse(R"({"Account":{"Order":[{"Product":[{"Price":1.5},{"Price":2}]},{"Product":{"Price":3}}]}})");
    EXPECT_EQ(expr.evaluate(input), Json(6.5));
}

TEST(Expression, UndefinedResultIsNullopt) {
    EXPECT_FALSE(Expression::compile("nothing.here").evaluate(Json::object()).has_value());
}

TEST(Expression, BindingsAreVisibleAsVariables) {
    Environment env;
    env.bindings["states"] = Json::parse(R"({"input":{"n":41}})");
    auto result = Expression::compile("$states.input.n + 1").evaluate(nullptr, env);
    EXPECT_EQ(result, Json(42));
}

TEST(Expression, PreparedBindingsAreVisibleAsVariables) {
    Environment env;
    env.prepared_bindings.emplace("states", sfn::jsonata::Input(Json::parse(R"({"input":{"n":1}})")));
    env.bindings["states"] = Json::parse(R"({"input":{"n":2}})");
    EXPECT_EQ(Expression::compile("$states.input.n").evaluate(nullptr, env), Json(1));
}

TEST(Expression, CallerFunctionsAreCalledWithValidatedArguments) {
    Environment env;
    env.functions["partition"] = {"<s-:s>", [](const std::vector<std::optional<Json>>& args) -> std::optional<Json> {
                                      return Json("aws:" + args.at(0)->get<std::string>());
                                  }};
    EXPECT_EQ(Expression::compile("$partition('x')").evaluate(nullptr, env), Json("aws:x"));
    // the signature's '-' takes the context when the argument is missing
    EXPECT_EQ(Expression::compile("name.$partition()").evaluate(Json::parse(R"({"name":"y"})"), env), Json("aws:y"));
    Error e = error_of("$partition(1)", env);
    EXPECT_EQ(e.code(), "T0410");
}

TEST(Expression, DisabledFunctionsCannotBeCalledAndHiddenOnesDoNotExist) {
    Environment disabled;
    disabled.disabled_functions.insert("eval");
    Error e = error_of("$eval('1')", disabled);
    EXPECT_EQ(e.code(), "D3201");
    EXPECT_STREQ(e.what(), "[D3201] The function $eval is not allowed in this environment (at position 6, token 'eval')");
    Environment hidden;
    hidden.hidden_functions.insert("eval");
    e = error_of("$eval('1')", hidden);
    EXPECT_EQ(e.code(), "T1006");
    EXPECT_EQ(e.message(), "Attempted to invoke a non-function");
    EXPECT_EQ(Expression::compile("$exists($eval)").evaluate(nullptr, hidden), Json(false));
}

TEST(Expression, ABaseEnvironmentLendsItsFunctionsAndRules) {
    // GIVEN functions and a hidden name in a base built once, and a small per-evaluation environment
    Environment base;
    base.functions["twice"] = {"<n:n>", [](const std::vector<std::optional<Json>>& args) -> std::optional<Json> {
                                   return Json(args.at(0)->get<double>() * 2);
                               }};
    base.hidden_functions.insert("eval");
    Environment env;
    env.base = &base;
    env.prepared_bindings.emplace("x", sfn::jsonata::Input(sfn::Value(21)));
    // THEN both apply, and a variable of the same name still wins over a base function
    EXPECT_EQ(Expression::compile("$twice($x)").evaluate(nullptr, env), Json(42));
    EXPECT_EQ(error_of("$eval('1')", env).code(), "T1006");
    EXPECT_EQ(Expression::compile("($twice := function($n){ $n }; $twice(5))").evaluate(nullptr, env), Json(5));
    EXPECT_EQ(error_of("$twice('a')", env).code(), "T0410");
}

TEST(Expression, TheMemoryLimitStopsHugeValuesBeforeTheyAreBuilt) {
    Environment env;
    env.memory_limit = 8000;  // 1000 array elements, 8000 characters
    EXPECT_EQ(Expression::compile("$count([1..1000])").evaluate(nullptr, env), Json(1000));
    for (const char* text : {"[1..1001]", "$pad('', 8001)", "$pad('', 1e12)", "$join([1..999].('0123456789'))",
                             "[1..500].[1..500]", "$replace($pad('', 100), ' ', $pad('', 100))",
                             "$pad('', 5000) & $pad('', 5000)"}) {
        Error e = error_of(text, env);
        EXPECT_EQ(e.code(), "U1002") << text;
        EXPECT_EQ(e.message(), "Expression evaluation memory limit exceeded: Check for excessive memory usage");
    }
    // ranges are also bounded in total: ten of 900 elements each are 9,000 > 8,000 / 8 * 8
    EXPECT_EQ(error_of("$map([1..10], function(){ $count([1..900]) })", env).code(), "U1002");
}

TEST(Expression, AnArrayDoubledPerRecursionStopsAtTheMemoryLimitOrTheTimeLimit) {
    // GIVEN build-fuzz/crashes/jsonata/oom-e70b568565f59036f8672ccf8c42e965a6c259e4, byte for byte: an
    // endless tail recursion doubling an array per call (`[$s, $s]` flattens $s twice), which took 24 GB
    // even with a memory limit, since array constructors and $append were not charged
    const std::string doubling = "($f := function($s, $x)<an:s> { $x > 0 ? $f([$s, $s], $x-0) : $s};  $f('a', 2)  )";
    Environment limited;
    limited.memory_limit = 873'782 * 8;  // what the engine sets (AWS's limit)
    // WHEN evaluated with a memory limit THEN U1002 once the array passes it, the same through $append
    EXPECT_EQ(error_of(doubling, limited).code(), "U1002");
    EXPECT_EQ(error_of("($f := function($s){ $f($append($s, $s)) }; $f([1]))", limited).code(), "U1002");
    // WHEN evaluated with only a time limit THEN U1001 (timeout): building a large array reads the clock
    Environment timed;
    timed.time_limit = std::chrono::milliseconds(50);
    Error e = error_of(doubling, timed);
    EXPECT_EQ(e.code(), "U1001");
    EXPECT_NE(std::string(e.what()).find("timeout"), std::string::npos);
}

TEST(Expression, RunawayRecursionStopsWithU1001) {
    Error e = error_of("($f := function($n){ 1 + $f($n) }; $f(1))");
    EXPECT_EQ(e.code(), "U1001");
}

TEST(Expression, EndlessTailRecursionStopsAtTheTimeLimit) {
    Environment env;
    env.time_limit = std::chrono::milliseconds(50);
    Error e = error_of("($f := function($n){ $f($n + 1) }; $f(1))", env);
    EXPECT_EQ(e.code(), "U1001");
    EXPECT_NE(std::string(e.what()).find("timeout"), std::string::npos);
}

TEST(Expression, DeeplyNestedTextIsRejectedNotCrashed) {
    std::string text(5000, '(');
    text += "1";
    text += std::string(5000, ')');
    try {
        (void)Expression::compile(text);
        FAIL() << "expected a nesting error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "U1001");
    }
}

TEST(Expression, NumbersRenderAsJavaScriptDoes) {
    auto eval = [](const std::string& t) { return Expression::compile(t).evaluate(Json::object())->get<std::string>(); };
    EXPECT_EQ(eval("$string(1e21)"), "1e+21");
    EXPECT_EQ(eval("$string(1e-7)"), "1e-7");
    EXPECT_EQ(eval("$string(123456789012)"), "123456789012");
    EXPECT_EQ(eval("$string(0.1 + 0.2)"), "0.3");
    EXPECT_EQ(eval("$string(1/3)"), "0.333333333333333");
    EXPECT_EQ(eval("$string(-0.000001)"), "-0.000001");
}

TEST(Expression, OneCompiledExpressionServesManyThreads) {
    auto expr = Expression::compile("$map([1..200], function($v){ $v * k }) ~> $sum()");
    std::vector<std::thread> threads;
    std::vector<double> results(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            Json input = {{"k", t}};
            for (int i = 0; i < 50; ++i) results[static_cast<std::size_t>(t)] = expr.evaluate(input)->get<double>();
        });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < 4; ++t) EXPECT_EQ(results[static_cast<std::size_t>(t)], 20100.0 * t);
}

TEST(Expression, RegexUsesEcmaScriptSyntax) {
    auto r = Expression::compile(R"($match("ab12cd345", /\d+/).match)").evaluate(Json::object());
    EXPECT_EQ(r, Json::parse(R"(["12","345"])"));
    EXPECT_EQ(Expression::compile(R"($replace("John Smith", /(\w+)\s(\w+)/, "$2, $1"))").evaluate(Json::object()),
              Json("Smith, John"));
}

TEST(Expression, PreConvertedInputGivesTheSameResultsAndStaysUnchanged) {
    // GIVEN one input converted once and an expression that keeps singleton arrays
    Json json = Json::parse(R"({"a":[{"b":[1]},{"b":[2,3]}]})");
    const sfn::jsonata::Input input(json);
    auto expr = Expression::compile("a.b[]");
    // WHEN it is evaluated repeatedly, also through the JSON overload
    auto first = expr.evaluate(input, Environment{});
    auto second = expr.evaluate(input, Environment{});
    // THEN every evaluation agrees
    EXPECT_EQ(first, expr.evaluate(json));
    EXPECT_EQ(first, second);
    EXPECT_EQ(first, Json::parse("[1,2,3]"));
}
