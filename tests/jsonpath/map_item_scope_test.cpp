// A Scope with a Map item (ItemSelector) reads `$$.Map.Item.Index` / `$$.Map.Item.Value` from the item and
// builds the context object only for other `$$` paths: every expression must evaluate exactly as against
// the context with Map.Item set.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using namespace sfn::jsonpath::testing;
using nlohmann::ordered_json;

namespace {

constexpr const char* context_json =
    R"({"Execution":{"Id":"arn:exec","Name":"run-1"},"State":{"Name":"Fan","EnteredTime":"t"},"Map":{"Old":1}})";
constexpr const char* item_json = R"({"id":7,"tags":["a","b"],"nested":{"k":[10,20,30]},"name":"x"})";

/// The context AWS gives an ItemSelector: the state's context with Map = {Item: {Index, Value}}.
Value built_context(const Value& context, std::int64_t index, const Value& item) {
    return context.with_member(
        "Map", Value::object({{"Item", Value::object({{"Index", Value(index)}, {"Value", item}})}}));
}

std::string outcome(const Outcome<Value>& r) {
    if (!r) return "FAIL " + r.failure().error + ": " + r.failure().cause;
    return r->dump();
}

std::string outcome(const Outcome<std::optional<Value>>& r) {
    if (!r) return "FAIL " + r.failure().error + ": " + r.failure().cause;
    return *r ? (*r)->dump() : "<none>";
}

std::string outcome(const Outcome<const Value*>& r) {
    if (!r) return "FAIL " + r.failure().error + ": " + r.failure().cause;
    return *r ? (*r)->dump() : "<none>";
}

class MapItemScope : public ::testing::Test {
protected:
    Value input = Value::parse(R"({"tag":"bench","n":3})");
    Value context = Value::parse(context_json);
    Value item = Value::parse(item_json);
    MapItem map_item{.index = 4, .value = &item};
    Value full = built_context(context, 4, item);
    Random random_a{7};
    Random random_b{7};

    Scope with_item() { return Scope(input, context, map_item, nullptr, &random_a); }
    Scope with_built() { return Scope(input, full, nullptr, &random_b); }
};

const char* const context_paths[] = {
    "$$.Map.Item.Index",        "$$.Map.Item.Value",      "$$.Map.Item.Value.id",   "$$.Map.Item.Value.tags[1]",
    "$$.Map.Item.Value.nested.k[2]", "$$.Map.Item.Value.missing", "$$.Map.Item.Index.x", "$$.Map.Item.Other",
    "$$.Map.Item",              "$$.Map",                 "$$.Map.Old",             "$$",
    "$$.Execution.Id",          "$$.State.Name",          "$$.Map.Item.Value.tags[*]", "$$.Map.Item.Value..k",
    "$$.Map.Item.Value.tags.length()", "$$.Map.Item['Value'].name", "$$.Map['Item'].Index", "$$..Index",
    "$$.Map.Item.Value.nested.k[0:2]", "$$.Map.Item.Value[?(@.k)]", "$$.Map.Item.name", "$$.Map.Item.id",
};

}  // namespace

TEST_F(MapItemScope, EveryContextPathSelectsWhatTheBuiltContextGives) {
    for (const char* text : context_paths) {
        SCOPED_TRACE(text);
        const Path path = Path::parse(text);
        EXPECT_EQ(outcome(path.try_select(with_item())), outcome(path.try_select(with_built())));
        EXPECT_EQ(outcome(path.evaluate(with_item())), outcome(path.evaluate(with_built())));
        std::optional<Value> built_a, built_b;
        EXPECT_EQ(outcome(path.lookup(with_item(), built_a)), outcome(path.lookup(with_built(), built_b)));
    }
}

TEST_F(MapItemScope, PathsThroughTheItemReadTheItemItself) {
    // Not a copy of an equal value: the very node of the item (the context is never built for it).
    std::optional<Value> built;
    auto r = Path::parse("$$.Map.Item.Value.nested").lookup(with_item(), built);
    ASSERT_TRUE(r);
    ASSERT_NE(*r, nullptr);
    EXPECT_TRUE((*r)->same_node(*item.find("nested")));
    EXPECT_EQ(outcome(Path::parse("$$.Map.Item.Index").evaluate(with_item())), "4");
}

TEST_F(MapItemScope, TemplatesAndIntrinsicsRenderAsWithTheBuiltContext) {
    const char* templates[] = {
        R"({"id.$":"$$.Map.Item.Value.id","idx.$":"$$.Map.Item.Index","tag.$":"$.tag"})",
        R"({"all.$":"$$","map.$":"$$.Map","exec.$":"$$.Execution.Name"})",
        R"j({"s.$":"States.Format('{}-{}-{}', $$.Map.Item.Index, $$.Map.Item.Value.name, $.tag)"})j",
        R"j({"a.$":"States.Array($$.Map.Item.Value.tags, $$.Map.Item)","l.$":"States.ArrayLength($$.Map.Item.Value.tags)"})j",
        R"j({"j.$":"States.JsonToString($$.Map.Item)","m.$":"States.MathAdd($$.Map.Item.Index, $.n)"})j",
        R"({"missing.$":"$$.Map.Item.Value.nope"})",
        R"({"other.$":"$$.Map.Item.Position"})",
    };
    for (const char* t : templates) {
        SCOPED_TRACE(t);
        const Template tmpl = Template::compile(ordered_json::parse(t));
        EXPECT_EQ(outcome(tmpl.render(with_item())), outcome(tmpl.render(with_built())));
    }
}

TEST_F(MapItemScope, TheContextIsTheStatesContextWithMapItemSet) {
    EXPECT_EQ(with_item().context().dump(), full.dump());
    EXPECT_EQ(with_item().context().find("Map")->dump(), R"({"Item":{"Index":4,"Value":)" + item.dump() + "}}");
}
