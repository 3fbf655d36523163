// Built-in functions given an undefined argument. A signature lets undefined through every simple type,
// as the reference does, so each function decides: most answer undefined for an undefined first
// argument; where the reference's answer is a JavaScript accident (searching for the text "undefined",
// TypeErrors) the function answers T0410 for that argument or the documented "not found" result.
// Found by the fuzzer: `$substringAfter(... , Salutation)` read an undefined `chars` through a null pointer.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error_of.hpp"
#include "jsonata/detail_eval.hpp"
#include "sfn/jsonata/expression.hpp"

using sfn::jsonata::Error;
using sfn::jsonata::Expression;
using sfn::jsonata::Json;
using sfn::jsonata::testing::error_of;
namespace detail = sfn::jsonata::detail;

namespace {

// What a call answers when one of its arguments is undefined.
struct Outcome {
    enum class Kind { Undefined, Result, AnyString, Error };
    Kind kind;
    Json result;
    std::string code;
};
Outcome undefined() { return {Outcome::Kind::Undefined, {}, {}}; }
Outcome result(const char* json) { return {Outcome::Kind::Result, Json::parse(json), {}}; }
Outcome any_string() { return {Outcome::Kind::AnyString, {}, {}}; }  // $now: depends on the clock
Outcome error(const char* code) { return {Outcome::Kind::Error, {}, code}; }

// A call of `function` with `args` (JSONata text); when_undefined[i] is the outcome with args[i]
// replaced by `$nothing`, an undefined variable. Every outcome was checked against jsonata-js 2.x; the
// rows marked "reference:" differ from it on purpose (see the comment at each function).
struct Case {
    std::string_view function;
    std::vector<std::string> args;
    std::vector<Outcome> when_undefined;
};

const std::vector<Case>& cases() {
    static const std::vector<Case> table = {
        // strings
        {"string", {"1", "true"}, {undefined(), result(R"("1")")}},
        {"substring", {"'abcd'", "1", "2"}, {undefined(), result(R"("ab")"), result(R"("bcd")")}},  // reference: "" (NaN bounds)
        {"substringBefore", {"'a-b'", "'-'"}, {undefined(), result(R"("a-b")")}},
        {"substringAfter", {"'a-b'", "'-'"}, {undefined(), result(R"("a-b")")}},
        {"lowercase", {"'AbC'"}, {undefined()}},
        {"uppercase", {"'AbC'"}, {undefined()}},
        {"length", {"'abc'"}, {undefined()}},
        {"trim", {"' a '"}, {undefined()}},
        {"pad", {"'ab'", "4", "'*'"}, {undefined(), result(R"("ab")"), result(R"("ab  ")")}},
        {"contains", {"'abc'", "'b'"}, {undefined(), undefined()}},
        {"split", {"'a,b'", "','", "5"}, {undefined(), error("T0410"), result(R"(["a","b"])")}},  // reference: TypeError
        {"join", {"['a','b']", "'-'"}, {undefined(), result(R"("ab")")}},
        {"match", {"'abc'", "/b/", "1"},
         {undefined(), error("T0410"), result(R"({"match":"b","index":1,"groups":[]})")}},
        // reference: a TypeError for the pattern, "aundefinedc" for the replacement
        {"replace", {"'abc'", "'b'", "'x'", "1"}, {undefined(), error("T0410"), error("T0410"), result(R"("axc")")}},
        {"base64encode", {"'abc'"}, {undefined()}},
        {"base64decode", {"'YWJj'"}, {undefined()}},
        {"encodeUrlComponent", {"'a b'"}, {undefined()}},
        {"encodeUrl", {"'a b'"}, {undefined()}},
        {"decodeUrlComponent", {"'a%20b'"}, {undefined()}},
        {"decodeUrl", {"'a%20b'"}, {undefined()}},
        // numbers and aggregates
        {"sum", {"[1,2]"}, {undefined()}},
        {"count", {"[1,2]"}, {result("0")}},
        {"max", {"[1,2]"}, {undefined()}},
        {"min", {"[1,2]"}, {undefined()}},
        {"average", {"[1,2]"}, {undefined()}},
        {"number", {"'1'"}, {undefined()}},
        {"floor", {"1.5"}, {undefined()}},
        {"ceil", {"1.5"}, {undefined()}},
        {"abs", {"-1"}, {undefined()}},
        {"sqrt", {"4"}, {undefined()}},
        {"power", {"2", "3"}, {undefined(), error("D3061")}},
        {"round", {"1.25", "1"}, {undefined(), result("1")}},
        {"formatBase", {"10", "2"}, {undefined(), result(R"("10")")}},
        // reference: a TypeError for an undefined picture in these three
        {"formatNumber", {"1234.5", "'#,##0.0'", "{}"}, {undefined(), error("T0410"), result(R"("1,234.5")")}},
        {"formatInteger", {"12", "'0'"}, {undefined(), error("T0410")}},
        {"parseInteger", {"'12'", "'0'"}, {undefined(), error("T0410")}},
        // booleans, arrays, objects, higher-order functions
        {"boolean", {"1"}, {undefined()}},
        {"not", {"1"}, {undefined()}},
        {"exists", {"1"}, {result("false")}},
        {"map", {"[1,2]", "function($v){$v*2}"}, {undefined(), error("T0410")}},
        {"filter", {"[1,2]", "function($v){$v>1}"}, {undefined(), error("T0410")}},
        {"single", {"[1]", "function($v){true}"}, {undefined(), error("T0410")}},  // f? does not take undefined
        {"reduce", {"[1,2]", "function($a,$b){$a+$b}", "10"}, {undefined(), error("T0410"), result("3")}},
        {"sift", {"{'a':1}", "function($v){true}"}, {undefined(), error("T0410")}},
        {"each", {"{'a':1}", "function($v,$k){$k}"}, {undefined(), error("T0410")}},
        {"keys", {"{'a':1}"}, {undefined()}},
        {"lookup", {"{'a':1}", "'a'"}, {undefined(), undefined()}},
        {"append", {"[1]", "[2]"}, {result("[2]"), result("[1]")}},
        {"spread", {"{'a':1}"}, {undefined()}},
        {"merge", {"[{'a':1}]"}, {undefined()}},
        {"reverse", {"[1,2]"}, {undefined()}},
        {"error", {"'boom'"}, {error("D3137")}},
        {"assert", {"true", "'msg'"}, {error("D3141"), undefined()}},
        {"type", {"1"}, {undefined()}},
        {"sort", {"[2,1]", "function($a,$b){$a>$b}"}, {undefined(), error("T0410")}},
        {"shuffle", {"[1]"}, {undefined()}},
        {"distinct", {"[1,1]"}, {undefined()}},
        {"zip", {"[1,2]", "[3,4]"}, {result("[]"), result("[]")}},
        {"clone", {"{'a':1}"}, {undefined()}},
        {"eval", {"'1+1'", "{}"}, {undefined(), result("2")}},
        // dates and times
        {"now", {"'[Y]'", "'+0100'"}, {any_string(), any_string()}},
        {"fromMillis", {"0", "'[Y]'", "'+0100'"},
         {undefined(), result(R"("1970-01-01T01:00:00.000+01:00")"), result(R"("1970")")}},
        {"toMillis", {"'1970-01-01T00:00:01Z'", "'[Y]-[M01]-[D01]T[H01]:[m01]:[s01]Z'"}, {undefined(), result("1000")}},
    };
    return table;
}

std::string call_with_undefined(const Case& c, std::size_t at) {
    std::string text = "$" + std::string(c.function) + "(";
    for (std::size_t i = 0; i < c.args.size(); ++i) {
        if (i > 0) text += ", ";
        text += i == at ? "$nothing" : c.args[i];
    }
    return text + ")";
}

}  // namespace

TEST(UndefinedArguments, TheFuzzedSubstringAfterOfAnUndefinedSalutationGivesTheWholeString) {
    // GIVEN the fuzzer's expression and an input without Salutation
    const Json input = Json::parse(R"({"Employment":{"Role":"x"}})");
    // WHEN it is evaluated
    auto after = Expression::compile(R"($substringAfter(Salutation & " " & Employment.Role, Salutation))").evaluate(input);
    auto before = Expression::compile(R"($substringBefore(Salutation & " " & Employment.Role, Salutation))").evaluate(input);
    // THEN an undefined `chars` is found nowhere, so the string comes back whole (no read through null)
    EXPECT_EQ(after, Json(" x"));
    EXPECT_EQ(before, Json(" x"));
}

TEST(UndefinedArguments, EveryBuiltInAnswersEachUndefinedArgumentAsTabled) {
    for (const Case& c : cases()) {
        ASSERT_EQ(c.args.size(), c.when_undefined.size()) << c.function;
        for (std::size_t i = 0; i < c.args.size(); ++i) {
            // GIVEN a call of a built-in with argument i undefined
            const std::string text = call_with_undefined(c, i);
            const Outcome& want = c.when_undefined[i];
            SCOPED_TRACE(text);
            // WHEN it is evaluated THEN it answers the tabled result or error, never crashes
            try {
                std::optional<Json> got = Expression::compile(text).evaluate(Json::object());
                switch (want.kind) {
                case Outcome::Kind::Undefined: EXPECT_FALSE(got.has_value()) << got->dump(); break;
                case Outcome::Kind::Result:
                    ASSERT_TRUE(got.has_value());
                    EXPECT_EQ(*got, want.result);
                    break;
                case Outcome::Kind::AnyString:
                    ASSERT_TRUE(got.has_value());
                    EXPECT_TRUE(got->is_string()) << got->dump();
                    break;
                case Outcome::Kind::Error: ADD_FAILURE() << "expected " << want.code << ", got " << (got ? got->dump() : "undefined"); break;
                }
            } catch (const Error& e) {
                ASSERT_EQ(want.kind, Outcome::Kind::Error) << e.what();
                EXPECT_EQ(e.code(), want.code) << e.what();
                if (want.code == "T0410") {
                    EXPECT_EQ(e.message(), "Argument " + std::to_string(i + 1) + " of function " + std::string(c.function) +
                                               " does not match function signature");
                }
            }
        }
    }
}

TEST(UndefinedArguments, TheTableCoversEveryBuiltInThatTakesArguments) {
    // GIVEN the built-in function table WHEN a function takes arguments THEN the table above calls it with
    // each of them undefined in turn
    for (const detail::Builtin& b : detail::builtins()) {
        if (b.parsed->params.empty()) continue;
        const Case* found = nullptr;
        for (const Case& c : cases())
            if (c.function == b.name) found = &c;
        ASSERT_NE(found, nullptr) << "$" << b.name << " " << b.signature << " has no row";
        EXPECT_GE(found->args.size(), b.parsed->params.size()) << "$" << b.name << " " << b.signature;
    }
}

TEST(UndefinedArguments, SiftWithoutAFunctionIsT0410ForArgumentTwo) {
    // GIVEN $sift applied to the context with its optional function left out
    // WHEN evaluated THEN T0410 names argument 2 (the reference fails with a JavaScript TypeError)
    Error e = error_of("$sift()", {}, Json::parse(R"({"a":1})"));
    EXPECT_EQ(e.code(), "T0410");
    EXPECT_STREQ(e.what(), "[T0410] Argument 2 of function sift does not match function signature (at position 6, token 'sift')");
}

TEST(UndefinedArguments, ACheckedArgumentErrorNamesTheBuiltInBehindAnAlias) {
    // GIVEN $formatInteger called through a variable, its picture undefined
    // WHEN evaluated THEN the signature lets it through and the function's own check names formatInteger
    Error e = error_of("($f := $formatInteger; $f(1, $nothing))");
    EXPECT_EQ(e.code(), "T0410");
    EXPECT_EQ(e.message(), "Argument 2 of function formatInteger does not match function signature");
    EXPECT_EQ(e.token(), "formatInteger");
}

TEST(UndefinedArguments, PowerWithAnUndefinedExponentIsD3061AsInTheReference) {
    Error e = error_of("$power(2, $nothing)");
    EXPECT_EQ(e.code(), "D3061");
    EXPECT_EQ(e.message(),
              "The power function has resulted in a value that cannot be represented as a JSON number: "
              "base=2, exponent=undefined");
}

TEST(UndefinedArguments, AValueAccessorOnTheWrongTypeThrowsT1000InsteadOfReadingNull) {
    // GIVEN an undefined value (its pointer is null)
    const detail::Value v;
    // WHEN a pointer accessor is used on it THEN it throws a type error instead of dereferencing
    try {
        (void)v.as_string();
        FAIL() << "expected T1000";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "T1000");
        EXPECT_EQ(e.message(), "Internal type error: an operation expected a string, got undefined");
    }
    EXPECT_THROW((void)v.as_array(), Error);
    EXPECT_THROW((void)v.as_object(), Error);
    EXPECT_THROW((void)v.as_function(), Error);
    EXPECT_THROW((void)detail::Value::number(1).as_string(), Error);
}
