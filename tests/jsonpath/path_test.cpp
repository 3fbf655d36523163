#include <gtest/gtest.h>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;

namespace {

const char* store = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
      {"category": "fiction", "author": "Tolkien", "title": "LOTR", "isbn": "0-395", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "n": 3, "weird key": 1, "a.b": 2, "Test\\\"\"Name\"": "quoted"
})";

std::string sel(std::string_view path, std::string_view json = store) {
    auto v = Path::parse(path).select(Value::parse(json));
    return v ? v->dump() : "<none>";
}

}  // namespace

TEST(Path, RootSelectsTheWholeInput) {
    EXPECT_EQ(sel("$", "[1,2]"), "[1,2]");
    EXPECT_TRUE(Path::parse("$").is_root_only());
    EXPECT_TRUE(Path().is_root_only());
}

TEST(Path, DotAndBracketNotationSelectTheSameNode) {
    EXPECT_EQ(sel("$.store.bicycle.color"), R"("red")");
    EXPECT_EQ(sel("$['store']['bicycle']['color']"), R"("red")");
    EXPECT_EQ(sel("$[\"store\"].bicycle[\"color\"]"), R"("red")");
    EXPECT_EQ(sel("$['weird key']"), "1");
    EXPECT_EQ(sel("$['a.b']"), "2");
}

TEST(Path, QuotedNamesKeepBackslashesExceptBeforeTheQuote) {
    // From the conformance corpus: $['Test\""Name"'] reads the key Test\""Name".
    EXPECT_EQ(sel(R"($['Test\""Name"'])"), R"("quoted")");
    EXPECT_EQ(sel(R"($['it\'s'])", R"({"it's":1})"), "1");
}

TEST(Path, IndexesCountFromTheEndWhenNegative) {
    EXPECT_EQ(sel("$.store.book[0].title"), R"("Sayings")");
    EXPECT_EQ(sel("$.store.book[-1].title"), R"("LOTR")");
    EXPECT_EQ(sel("$.store.book[4]"), "<none>");
    EXPECT_EQ(sel("$.store.book[-5]"), "<none>");
    EXPECT_EQ(sel("$.store.bicycle[0]"), "<none>");
}

TEST(Path, MissingDefiniteNodesAreNotFound) {
    EXPECT_EQ(sel("$.nope"), "<none>");
    EXPECT_EQ(sel("$.n.deeper"), "<none>");
    EXPECT_EQ(sel("$.x", "null"), "<none>");
}

TEST(Path, WildcardsYieldArraysInDocumentOrder) {
    EXPECT_EQ(sel("$.store.book[*].author"), R"(["Nigel Rees","Evelyn Waugh","Herman Melville","Tolkien"])");
    EXPECT_EQ(sel("$.store.bicycle.*"), R"(["red",19.95])");
    EXPECT_EQ(sel("$[*]", "[1,2]"), "[1,2]");
    EXPECT_EQ(sel("$.nothing[*]"), "[]");
}

TEST(Path, SlicesFollowPythonBounds) {
    EXPECT_EQ(sel("$[1:3]", "[0,1,2,3,4]"), "[1,2]");
    EXPECT_EQ(sel("$[:2]", "[0,1,2,3,4]"), "[0,1]");
    EXPECT_EQ(sel("$[3:]", "[0,1,2,3,4]"), "[3,4]");
    EXPECT_EQ(sel("$[-2:]", "[0,1,2,3,4]"), "[3,4]");
    EXPECT_EQ(sel("$[::2]", "[0,1,2,3,4]"), "[0,2,4]");
    EXPECT_EQ(sel("$[1:100]", "[0,1]"), "[1]");
    EXPECT_EQ(sel("$[5:1]", "[0,1,2]"), "[]");
}

TEST(Path, UnionsSelectEachListedIndexOrName) {
    EXPECT_EQ(sel("$[0,2]", "[10,11,12]"), "[10,12]");
    // Names that another step follows select each member in turn (Jayway's iteration case)
    EXPECT_EQ(sel("$['a','c'].x", R"({"a":{"x":1},"b":{"x":2},"c":{"x":3}})"), "[1,3]");
    EXPECT_EQ(sel("$['a','zz'].x", R"({"a":{"x":1}})"), "[1]");
    EXPECT_EQ(sel("$['a','c'].length()", R"({"a":1,"b":2,"c":3})"), "2");
}

// Jayway JsonPath (AWS's reference): a last step naming several members merges them into one object per
// object reached, and counts as definite.
TEST(Path, SeveralNamesAtTheEndMergeIntoAnObject) {
    EXPECT_EQ(sel("$['a','c']", R"({"a":1,"b":2,"c":3})"), R"({"a":1,"c":3})");
    EXPECT_EQ(sel("$['c','a']", R"({"a":1,"b":2,"c":3})"), R"({"c":3,"a":1})");
    EXPECT_EQ(sel("$['a','zz']", R"({"a":1})"), R"({"a":1})");
    EXPECT_EQ(sel("$['a','a']", R"({"a":1})"), R"({"a":1})");
    EXPECT_EQ(sel("$.o['y','z']", R"({"o":{"x":1}})"), "{}");
    EXPECT_EQ(sel("$.n['a','b']", R"({"n":5})"), "<none>");
    EXPECT_EQ(sel("$.gone['a','b']", R"({"n":5})"), "<none>");
    // AND after a wildcard, one object per element that is an object
    EXPECT_EQ(sel("$[*]['bucket', 'key']", R"([{"bucket":"b","key":"k","x":1},{"bucket":"c"},5])"),
              R"([{"bucket":"b","key":"k"},{"bucket":"c"}])");
    EXPECT_EQ(sel("$[?(@.x)]['bucket','x']", R"([{"bucket":"b","x":1},{"bucket":"c"}])"), R"([{"bucket":"b","x":1}])");
    // AND under '..', every object (the start included) that has all the names, in document order
    EXPECT_EQ(sel("$..['a','b']", R"({"a":1,"b":2,"c":{"a":3,"b":4,"d":{"a":5}},"e":[{"b":6,"a":7}]})"),
              R"([{"a":1,"b":2},{"a":3,"b":4},{"a":7,"b":6}])");
    // AND inside a filter the same way
    EXPECT_EQ(sel("$[?(@['a','b'] size 2)].a", R"([{"a":1,"b":2},{"a":3},{"b":4,"a":5,"c":6}])"), "[1,5]");
    EXPECT_EQ(sel("$[?(@.o['a','b'] empty true)].n", R"([{"n":1,"o":{"c":1}},{"n":2,"o":{"a":1}}])"), "[1]");
    // AND in a state's Parameters, as AWS runs the deployed samples
    EXPECT_EQ(sel("$.[*].['bucket', 'key']", R"([{"bucket":"b","key":"k","x":1}])"), R"([{"bucket":"b","key":"k"}])");
}

TEST(Path, FiltersCompareNumbersStringsAndCombineConditions) {
    EXPECT_EQ(sel("$.store.book[?(@.price < 10)].title"), R"(["Sayings","Moby Dick"])");
    EXPECT_EQ(sel("$.store.book[?(@.isbn)].title"), R"(["Moby Dick","LOTR"])");
    EXPECT_EQ(sel("$.store.book[?(@.category == 'fiction' && @.price > 20)].title"), R"(["LOTR"])");
    EXPECT_EQ(sel("$.store.book[?(@.price > 20 || @.price < 9)].title"), R"(["Sayings","Moby Dick","LOTR"])");
    EXPECT_EQ(sel("$.store.book[?(!(@.category == 'fiction'))].title"), R"(["Sayings"])");
    EXPECT_EQ(sel("$.store.book[?(@.price <= $.store.bicycle.price)].title"), R"(["Sayings","Sword","Moby Dick"])");
    EXPECT_EQ(sel("$.store.book[?(@.author != \"Tolkien\")].price"), "[8.95,12.99,8.99]");
    EXPECT_EQ(sel("$[?(@.status == 0)]", R"([{"year":1997,"status":0},{"year":1998,"status":1}])"),
              R"([{"year":1997,"status":0}])");
    EXPECT_EQ(sel("$[?(@ >= 2)]", "[1,2,3]"), "[2,3]");
    EXPECT_EQ(sel("$[?(@.ok == true)].id", R"([{"id":1,"ok":true},{"id":2,"ok":false},{"id":3}])"), "[1]");
}

TEST(Path, RecursiveDescentFindsEveryMatchPreOrder) {
    EXPECT_EQ(sel("$..price"), "[8.95,12.99,8.99,22.99,19.95]");
    EXPECT_EQ(sel("$..book[2].title"), R"(["Moby Dick"])");
    EXPECT_EQ(sel("$..[0]", "[[1,2],[3]]"), "[[1,2],1,3]");
    EXPECT_EQ(sel("$..*", R"({"a":{"b":1}})"), R"([{"b":1},1])");
}

TEST(Path, LengthGivesTheSizeOfArraysObjectsAndStrings) {
    EXPECT_EQ(sel("$.store.book.length()"), "4");
    EXPECT_EQ(sel("$.store.bicycle.length()"), "2");
    EXPECT_EQ(sel("$.store.bicycle.color.length()"), "3");
    EXPECT_EQ(sel("$.n.length()"), "<none>");
    EXPECT_EQ(sel("$[?(@.length() > 1)]", R"(["a","abc"])"), R"(["abc"])");
}

TEST(Path, ClassifiesDefiniteAndReferencePaths) {
    EXPECT_TRUE(Path::parse("$.a[0].b").is_definite());
    EXPECT_TRUE(Path::parse("$.a[0].b").is_reference_path());
    EXPECT_FALSE(Path::parse("$.a[*]").is_definite());
    EXPECT_FALSE(Path::parse("$..a").is_reference_path());
    EXPECT_FALSE(Path::parse("$.a[?(@.x)]").is_reference_path());
    EXPECT_FALSE(Path::parse("$.a.length()").is_reference_path());
}

TEST(Path, RootsAreInputContextOrVariable) {
    Fixture f(R"({"a":1})", R"({"Execution":{"Name":"exec"}})");
    f.variables.values["order"] = Value::parse(R"({"items":[{"sku":"X1"}]})");
    auto ctx = Path::parse("$$.Execution.Name");
    EXPECT_EQ(ctx.root(), PathRoot::context);
    EXPECT_EQ(ctx.select(f.scope())->dump(), R"("exec")");
    auto var = Path::parse("$order.items[0].sku");
    EXPECT_EQ(var.root(), PathRoot::variable);
    EXPECT_EQ(var.variable(), "order");
    EXPECT_EQ(var.select(f.scope())->dump(), R"("X1")");
    EXPECT_EQ(Path::parse("$order").select(f.scope())->dump(), R"({"items":[{"sku":"X1"}]})");
    EXPECT_FALSE(Path::parse("$missing").select(f.scope()).has_value());
    EXPECT_EQ(Path::parse("$.a").select(f.scope())->dump(), "1");
    EXPECT_EQ(Path::parse("$$").select(f.scope())->dump(), R"({"Execution":{"Name":"exec"}})");
}

TEST(Path, EvaluateFailsWithTheAwsInvalidPathCause) {
    Fixture f(R"({"a":1})");
    auto r = Path::parse("$.NoSuchInputPath").evaluate(f.scope());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure(), (Failure{"States.Runtime", "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"}));
    EXPECT_EQ(Path::parse("$.a.b[0]").normalized(), "$['a']['b'][0]");
    EXPECT_EQ(Path::parse("$$.x").normalized(), "$$['x']");
}

TEST(Path, MalformedPathsThrowWithPosition) {
    std::string code;
    EXPECT_EQ(path_error([] { (void)Path::parse("a.b"); }, &code),
              "[sfn.jsonpath.E001] invalid JSONPath 'a.b' at position 0: a path must start with '$'");
    EXPECT_EQ(code, "sfn.jsonpath.E001");
    EXPECT_EQ(path_error([] { (void)Path::parse(""); }),
              "[sfn.jsonpath.E001] invalid JSONPath '' at position 0: a path must start with '$'");
    EXPECT_EQ(path_error([] { (void)Path::parse("$.a["); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$.a[' at position 4: expected a quoted name, index, slice, '*' or filter inside '[ ]'");
    EXPECT_EQ(path_error([] { (void)Path::parse("$.a[0"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$.a[0' at position 5: expected ']' but the path ended");
    EXPECT_EQ(path_error([] { (void)Path::parse("$.a."); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$.a.' at position 4: expected a name after '.'");
    EXPECT_EQ(path_error([] { (void)Path::parse("$['a"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$['a' at position 2: unterminated quoted name");
    EXPECT_EQ(path_error([] { (void)Path::parse("$[]"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$[]' at position 1: empty brackets");
    EXPECT_EQ(path_error([] { (void)Path::parse("$.a.foo()"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$.a.foo()' at position 4: unsupported function 'foo()'");
    EXPECT_EQ(path_error([] { (void)Path::parse("$[?(@.a == )]"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$[?(@.a == )]' at position 11: expected '@', '$', a number, a quoted string, true, false or null in the filter");
    EXPECT_EQ(path_error([] { (void)Path::parse("$[::0]"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$[::0]' at position 5: slice step must be positive");
    EXPECT_EQ(path_error([] { (void)Path::parse("$.a b"); }),
              "[sfn.jsonpath.E001] invalid JSONPath '$.a b' at position 3: unexpected character ' '");
}

TEST(Path, CheckPathReportsWithoutThrowing) {
    EXPECT_EQ(check_path("$.a[*]", PathKind::path), std::nullopt);
    EXPECT_EQ(check_path("$.a[*]", PathKind::reference_path), "'$.a[*]' is not a reference path: '*' selects many nodes");
    EXPECT_EQ(check_path("x", PathKind::path), "invalid JSONPath 'x' at position 0: a path must start with '$'");
}

TEST(Path, DeepInputsDoNotOverflowTheStack) {
    std::string deep = std::string(500, '[') + std::string(500, ']');
    EXPECT_EQ(Path::parse("$..*").select(Value::parse(deep))->size(), 499u);
}

// Jayway JsonPath (AWS's reference) reads `.[` as the bracket alone; deployed AWS samples rely on it.
TEST(Path, ADotBeforeABracketIsTheBracketAlone) {
    EXPECT_EQ(sel("$.[0]", "[7,8]"), "7");
    EXPECT_EQ(sel("$.Snapshots.[0].State", R"({"Snapshots":[{"State":"ok"}]})"), R"("ok")");
    EXPECT_EQ(sel("$.[?(@.OU > 0)]", R"([{"OU":1},{"OU":0}])"), R"([{"OU":1}])");
    const auto items = R"([{"bucket":"b","key":"k","x":1}])";
    EXPECT_EQ(sel("$.[*].['bucket', 'key']", items), sel("$[*]['bucket', 'key']", items));
    EXPECT_EQ(sel("$.store.bicycle.['color']"), sel("$.store.bicycle.color"));
}

// Jayway trims the path: AWS deploys and runs `$$.Execution.Name ` with the trailing space.
TEST(Path, TrailingWhitespaceIsTrimmed) {
    EXPECT_EQ(sel("$.store.bicycle.color "), R"("red")");
    EXPECT_EQ(sel("$.n\t\n"), "3");
}

// Jayway's named relations and regex matches in filters, which AWS deploys and runs.
TEST(Path, FiltersTakeJaywaysNamedRelations) {
    const auto items = R"([{"s":"x","t":[1,2],"n":5},{"s":"y","t":[],"n":"5"},{"s":"Zed","t":[3],"u":"abc"}])";
    EXPECT_EQ(sel("$[?(@.s in ['x','y'])].s", items), R"(["x","y"])");
    EXPECT_EQ(sel("$[?(@.s IN ['x'])].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.s nin ['x','y'])].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.n in [5, 6])].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.gone nin ['x'])].s", items), R"(["x","y","Zed"])");
    EXPECT_EQ(sel("$[?(@.s in $.allowed)].s", R"({"allowed":["y"],"a":[{"s":"y"}]})"), "[]");  // $ is the array
    EXPECT_EQ(sel("$.a[?(@.s in $.allowed)].s", R"({"allowed":["y"],"a":[{"s":"y"},{"s":"x"}]})"), R"(["y"])");
    EXPECT_EQ(sel("$[?(@.t subsetof [1,2,3])].s", items), R"(["x","y","Zed"])");
    EXPECT_EQ(sel("$[?(@.t anyof [2,3])].s", items), R"(["x","Zed"])");
    EXPECT_EQ(sel("$[?(@.t noneof [2,3])].s", items), R"(["y"])");
    EXPECT_EQ(sel("$[?(@.t contains 3)].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.u contains 'bc')].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.t size 2)].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.s size 3)].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.t empty true)].s", items), R"(["y"])");
    EXPECT_EQ(sel("$[?(@.t empty false)].s", items), R"(["x","Zed"])");
    // AND =~ matches the whole string (Java's matches()), with Jayway's flags; numbers match as their text
    EXPECT_EQ(sel("$[?(@.s =~ /z.*/i)].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.s =~ /Z/)].s", items), "[]");
    EXPECT_EQ(sel("$[?(@.n =~ /\\d+/)].s", items), R"(["x","y"])");
    EXPECT_EQ(sel("$[?(@.s =~ /a\\/b/)].s", R"([{"s":"a/b"}])"), R"(["a/b"])");
    EXPECT_EQ(sel("$[?(@.s =~ 'x')].s", items), "[]");
    EXPECT_EQ(sel("$[?(@.s =~ /x|y/ && @.n in [5])].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.t all [1,2])].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.u exists true)].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.u exists false)].s", items), R"(["x","y"])");
    // AND == compares a string with a number's text, === and !== need the same kind (Jayway's ValueNodes)
    EXPECT_EQ(sel("$[?(@.n == '5')].s", items), R"(["x","y"])");
    EXPECT_EQ(sel("$[?(@.n == 5)].s", items), R"(["x","y"])");
    EXPECT_EQ(sel("$[?(@.n === 5)].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.n === '5')].s", items), R"(["y"])");
    EXPECT_EQ(sel("$[?(@.n !== 5)].s", items), R"(["y","Zed"])");
    EXPECT_EQ(sel("$[?(@.n != '5')].s", items), R"(["Zed"])");
    EXPECT_EQ(sel("$[?(@.t === [1,2])].s", items), R"(["x"])");
    EXPECT_EQ(sel("$[?(@.v > '3')].v", R"([{"v":5},{"v":2},{"v":"4"}])"), R"([5,"4"])");
    // AND a match that would backtrack for hours ends as no match
    const std::string hostile = R"([{"s":")" + std::string(40, 'a') + R"(!"}])";
    EXPECT_EQ(sel("$[?(@.s =~ /(\\w+\\s?)*/)]", hostile), "[]");
    // AND what Jayway rejects is rejected
    EXPECT_THROW(static_cast<void>(Path::parse("$[?(@.s =~ /x)]")), sfn::jsonpath::PathError);
    EXPECT_THROW(static_cast<void>(Path::parse("$[?(@.s =~ /(x/)]")), sfn::jsonpath::PathError);
    EXPECT_THROW(static_cast<void>(Path::parse("$[?(@.s in [@.t])]")), sfn::jsonpath::PathError);
    EXPECT_THROW(static_cast<void>(Path::parse("$[?(@.s within ['x'])]")), sfn::jsonpath::PathError);
}

// Jayway rejects unquoted string literals in filters; so does AWS at deploy time.
TEST(Path, UnquotedFilterLiteralsAreRejected) {
    EXPECT_THROW(static_cast<void>(Path::parse("$.a[?(@.s==Failure)]")), sfn::jsonpath::PathError);
}
