// The evaluation work budget (max_evaluation_steps): paths whose work explodes fail with a
// States.Runtime cause naming the path; heavy but ordinary paths, and every path below the limit,
// give the same answers as without it.
#include <gtest/gtest.h>

#include <string>

#include "../../fuzz/fuzz_support.hpp"
#include "jsonpath/detail_path.hpp"
#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;
namespace evaluator = sfn::jsonpath::detail;

namespace {

// build-fuzz/crashes/jsonpath/slow-unit-44c1a20217b9dbe60635ed133372fe0e6f0d0eee, byte for byte
// (0xb0 is a stray byte the fuzzer put into names): filters three deep, each inside `..`.
const std::string slow_unit =
    "$..*..[?($.n$v||!!($..*..[?($.n$v||!!($..*..[?($.nv||!!($..r\xb0.1))].pr$..r\xb0.1))].pr\xb0.1))].pr";

Failure over_budget(const std::string& path) {
    return Failure{"States.Runtime", "Invalid path '" + path +
                                         "' : needs more than 5,000,000 evaluation steps (the limit), simplify "
                                         "the path or the input"};
}

// The units `path` spends on `doc`, counted with a budget too large to run out.
std::uint64_t units_of(const std::string& path, const Value& doc) {
    auto impl = evaluator::parse_path(path);
    evaluator::Budget budget(UINT64_MAX);
    std::vector<const Value*> found;
    evaluator::select_all(doc, impl->steps, 0, doc, found, budget);
    return UINT64_MAX - budget.left();
}

}  // namespace

TEST(EvaluationBudget, FuzzSlowUnitFailsWithTheLimitInItsCause) {
    // GIVEN the fuzz target's scope and the 91-byte path that took 15 s under the fuzzer
    ASSERT_EQ(slow_unit.size(), 91u);
    const sfn::fuzz::SampleScope sample;
    const auto path = Path::parse(slow_unit);
    // WHEN it is evaluated the ways the engine does
    auto evaluated = path.evaluate(sample.scope());
    auto selected = path.try_select(sample.scope());
    auto field = Expression::parse(slow_unit).evaluate(sample.scope(), "Items");
    // THEN each stops at the budget with the same cause; select() reports no value
    ASSERT_FALSE(evaluated.ok());
    EXPECT_EQ(evaluated.failure(), over_budget(slow_unit));
    ASSERT_FALSE(selected.ok());
    EXPECT_EQ(selected.failure(), over_budget(slow_unit));
    ASSERT_FALSE(field.ok());
    EXPECT_EQ(field.failure(), over_budget(slow_unit));
    EXPECT_FALSE(path.select(sample.scope()).has_value());
}

TEST(EvaluationBudget, IntrinsicArgumentsPassOnTheBudgetFailure) {
    // GIVEN a path argument whose nested filters explode over 400 array items (400^3 tests)
    std::string items = "[";
    for (int i = 0; i < 400; ++i) items += (i ? ",{\"p\":" : "{\"p\":") + std::to_string(i) + "}";
    const std::string heavy = "$.a[?($.a[?($.a[?(@.p < 0)].length() < 1)].length() < 1)]";
    // WHEN it is an argument of States.Array THEN the call fails with the budget cause
    EXPECT_EQ(call("States.Array(" + heavy + ")", "{\"a\":" + items + "]}"),
              "FAIL States.Runtime: " + over_budget(heavy).cause);
}

TEST(EvaluationBudget, ResultsAreBoundedByTheBudget) {
    // GIVEN arrays nested 500 deep, where `..*..*..*` would collect about 20 million matches
    const Value deep = Value::parse(std::string(500, '[') + std::string(500, ']'));
    const auto path = Path::parse("$..*..*..*");
    // WHEN it is selected THEN the budget stops the collection
    auto r = path.try_select(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure(), over_budget("$..*..*..*"));
    // AND one descent fewer (about 125,000 matches) still completes
    EXPECT_EQ(Path::parse("$..*..*").select(deep)->size(), 498u * 499u / 2u);
}

TEST(EvaluationBudget, DescentOverFiftyThousandNodesStaysFarBelowIt) {
    // GIVEN 10,000 named objects with three tags each (70,002 nodes, about 360 KiB of JSON)
    std::string json = R"({"items":[)";
    for (int i = 0; i < 10000; ++i)
        json += (i ? "," : "") + std::string(R"({"name":"n)") + std::to_string(i) + R"(","tags":[1,2,3]})";
    json += "]}";
    const Value doc = Value::parse(json);
    // WHEN `$..name` is selected THEN every name is found, for a small share of the budget
    EXPECT_EQ(Path::parse("$..name").select(doc)->size(), 10000u);
    EXPECT_EQ(Path::parse("$..name.length()").select(doc)->as_int(), 10000);
    EXPECT_LT(units_of("$..name", doc) * 20, max_evaluation_steps);
}

TEST(EvaluationBudget, FilterOverHundredThousandItemsStaysFarBelowIt) {
    // GIVEN 100,000 items priced 0..19 in turn
    std::string json = R"({"items":[)";
    for (int i = 0; i < 100000; ++i)
        json += (i ? "," : "") + std::string(R"({"id":)") + std::to_string(i) + R"(,"price":)" + std::to_string(i % 20) + "}";
    json += "]}";
    const Value doc = Value::parse(json);
    Fixture f("{}");
    f.input = doc;
    // WHEN the items over 10 are selected THEN 9 in every 20 are found
    auto r = Path::parse("$.items[?(@.price > 10)]").evaluate(f.scope());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->size(), 45000u);
    EXPECT_EQ((*r)[0].find("id")->as_int(), 11);
    EXPECT_EQ(Path::parse("$.items[?(@.price > 10 && @.id < 50000)].id").select(doc)->size(), 22500u);
    EXPECT_LT(units_of("$.items[?(@.price > 10)]", doc) * 10, max_evaluation_steps);
}

TEST(EvaluationBudget, NestedFiltersInDescentGiveTheSameAnswersBelowIt) {
    // GIVEN shelves in two places, each with books priced over and under 10
    const Value doc = Value::parse(R"({
      "library": {"shelf": [{"name": "s1", "books": [{"price": 5}, {"price": 12}, {"price": 15}]},
                            {"name": "s2", "books": [{"price": 11}, {"price": 3}]},
                            {"name": "s3", "books": []}]},
      "annex": {"shelf": [{"name": "s4", "books": [{"price": 20}, {"price": 30}]}]},
      "limit": 1
    })");
    // WHEN filters nested inside `..` select shelves by their books THEN the answers are exact
    EXPECT_EQ(Path::parse("$..shelf[?(@.books[?(@.price > 10)].length() > 1)].name").select(doc)->dump(),
              R"(["s1","s4"])");
    EXPECT_EQ(Path::parse("$..shelf[?(@.books[?(@.price > 10)].length() > $.limit)].name").select(doc)->dump(),
              R"(["s1","s4"])");
    // (`..*` reaches each shelf both as an array element and as an object: Jayway tests both)
    EXPECT_EQ(Path::parse("$..*[?(@.books[?(@.price < 10)].length() == 1)].name").select(doc)->dump(),
              R"(["s1","s2","s1","s2"])");
    EXPECT_EQ(Path::parse("$..books[?(@.price > $..shelf[?(@.books.length() > 1)].length())].price").select(doc)->dump(),
              "[5,12,15,11,20,30]");
    // AND so does the fuzz unit's shape, `$..*..[?(... $..*..[?(...)] ...)]`, over a small document
    EXPECT_EQ(Path::parse("$..*..[?($..*..[?(@.price > 10)].length() > 5)].name").select(doc)->dump(),
              R"(["s1","s2","s3","s1","s2","s3","s4","s4","s1","s2","s3","s1","s2","s3","s1","s2","s3","s4","s4","s4"])");
}

TEST(EvaluationBudget, ExactlyTheUnitsNeededSuffice) {
    // GIVEN the units a nested descent filter needs on a small document
    const Value doc = Value::parse(R"({"a": [{"b": 1}, {"b": 2, "c": [{"b": 3}]}], "d": {"b": 4}})");
    const auto impl = evaluator::parse_path("$..[?(@.b >= $..b.length())].b");
    const std::uint64_t needed = units_of(impl->text, doc);
    std::vector<const Value*> found;
    // WHEN the budget holds exactly that many THEN the answer is complete
    evaluator::Budget exact(needed);
    evaluator::select_all(doc, impl->steps, 0, doc, found, exact);
    EXPECT_EQ(exact.left(), 0u);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->as_int(), 4);
    // AND one unit fewer stops it
    evaluator::Budget short_by_one(needed - 1);
    found.clear();
    EXPECT_THROW(evaluator::select_all(doc, impl->steps, 0, doc, found, short_by_one), evaluator::BudgetExhausted);
}
