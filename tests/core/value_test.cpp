#include "sfn/core/value.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <unordered_set>

#include "sfn/core/error.hpp"

using sfn::Kind;
using sfn::Value;

namespace {

std::string parse_error(std::string_view text) {
    try {
        (void)Value::parse(text);
    } catch (const sfn::Error& e) {
        EXPECT_EQ(e.code(), "sfn.core.E001");
        return e.what();
    }
    return "<no error>";
}

}  // namespace

TEST(Value, DefaultIsNullAndScalarsReportTheirKind) {
    EXPECT_EQ(Value().kind(), Kind::null);
    EXPECT_EQ(Value(true).kind(), Kind::boolean);
    EXPECT_EQ(Value(7).kind(), Kind::integer);
    EXPECT_EQ(Value(std::int64_t{-7}).as_int(), -7);
    EXPECT_EQ(Value(1.5).kind(), Kind::real);
    EXPECT_EQ(Value("x").kind(), Kind::string);
    EXPECT_EQ(Value(std::string_view("x")).as_string(), "x");
    EXPECT_EQ(Value(std::uint64_t{18446744073709551615u}).kind(), Kind::real);
}

TEST(Value, WrongKindAccessThrowsWithCodeAndKinds) {
    Value v("text");
    try {
        (void)v.as_int();
        FAIL();
    } catch (const sfn::Error& e) {
        EXPECT_EQ(e.code(), "sfn.core.E002");
        EXPECT_STREQ(e.what(), "[sfn.core.E002] expected an integer, got string");
    }
    EXPECT_THROW((void)Value(1).as_string(), sfn::Error);
    EXPECT_THROW((void)Value().as_bool(), sfn::Error);
    EXPECT_EQ(Value(3.0).as_int(), 3);
    EXPECT_THROW((void)Value(3.5).as_int(), sfn::Error);
}

TEST(Value, ParsesEveryKindAndDumpsCompactly) {
    auto v = Value::parse(R"( { "a" : [1, -2, 3.5, true, false, null, "s\n\"q\""], "b": {"c": {}} , "d": [] } )");
    EXPECT_EQ(v.dump(), R"({"a":[1,-2,3.5,true,false,null,"s\n\"q\""],"b":{"c":{}},"d":[]})");
    EXPECT_EQ(v.find("a")->size(), 7u);
    EXPECT_EQ((*v.find("a"))[2].as_double(), 3.5);
    EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Value, ObjectsKeepInsertionOrder) {
    auto v = Value::parse(R"({"z":1,"a":2,"m":3})");
    EXPECT_EQ(v.dump(), R"({"z":1,"a":2,"m":3})");
    EXPECT_EQ(v.members()[0].first, "z");
}

TEST(Value, RepeatedKeysKeepFirstPositionAndLastValue) {
    EXPECT_EQ(Value::parse(R"({"a":1,"b":2,"a":3})").dump(), R"({"a":3,"b":2})");
    std::string big = "{";
    for (int i = 0; i < 40; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    big += "\"k5\":\"again\"}";
    auto v = Value::parse(big);
    EXPECT_EQ(v.size(), 40u);
    EXPECT_EQ(v.find("k5")->as_string(), "again");
    EXPECT_EQ(v.members()[5].first, "k5");
    EXPECT_EQ(v.find("k39")->as_int(), 39);
}

TEST(Value, LargeObjectsFindEveryMember) {
    std::vector<sfn::Member> members;
    for (int i = 0; i < 1000; ++i) members.emplace_back("key" + std::to_string(i), i);
    auto v = Value::object(std::move(members));
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(v.find("key" + std::to_string(i))->as_int(), i);
    EXPECT_EQ(v.find("key1000"), nullptr);
    auto w = v.with_member("key500", "x").with_member("new", 1);
    EXPECT_EQ(w.find("key500")->as_string(), "x");
    EXPECT_EQ(w.size(), 1001u);
    EXPECT_EQ(v.find("key500")->as_int(), 500);
}

TEST(Value, BuildersMakeWhatTheVectorFactoriesMake) {
    // Small and hashed objects, empty ones, arrays; keys added by copy and by move; fewer members than the
    // capacity allowed.
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{12}, std::size_t{13}, std::size_t{40}}) {
        std::vector<sfn::Member> members;
        std::vector<Value> elements;
        sfn::ObjectBuilder object(n + 3);
        sfn::ArrayBuilder array(n + 3);
        for (std::size_t i = 0; i < n; ++i) {
            std::string key = (i % 2 ? "a-key-longer-than-the-short-string-buffer-" : "k") + std::to_string(i);
            members.emplace_back(key, Value::parse("[" + std::to_string(i) + "]"));
            elements.emplace_back(key);
            if (i % 2)
                object.add(std::move(key), Value::parse("[" + std::to_string(i) + "]"));
            else
                object.add(std::string_view(key), Value::parse("[" + std::to_string(i) + "]"));
            array.add(Value(members.back().first));
        }
        EXPECT_EQ(object.size(), n);
        const Value built = std::move(object).finish();
        const Value expected = Value::object(members);
        ASSERT_EQ(built.dump(), expected.dump());
        EXPECT_EQ(built.dump_size_bound(), expected.dump_size_bound());
        for (const auto& [key, value] : members) ASSERT_EQ(*built.find(key), value) << key;
        EXPECT_EQ(built.find("absent"), nullptr);
        const Value built_array = std::move(array).finish();
        EXPECT_EQ(built_array, Value::array(elements));
        EXPECT_EQ(built_array.dump_size_bound(), Value::array(elements).dump_size_bound());
    }
}

TEST(Value, AnUnfinishedBuilderReleasesWhatWasAdded) {
    const Value shared = Value::parse(R"({"deep":[1,2,3]})");
    const Value probe = shared.find("deep") ? *shared.find("deep") : Value();
    {
        sfn::ObjectBuilder object(4);
        object.add("x", shared);
        object.add("y", probe);
        sfn::ArrayBuilder array(4);
        array.add(shared);
    }  // both dropped: the children they took must be released (leak checkers in the sanitizer run see it)
    // Still intact and shared with nobody else's node: a modification leaves the original alone.
    EXPECT_EQ(shared.dump(), R"({"deep":[1,2,3]})");
    EXPECT_EQ(shared.with_member("deep", 1).dump(), R"({"deep":1})");
}

TEST(Value, HintedLookupsAgreeWithPlainOnesWhateverTheHintRemembers) {
    // One hint shared by lookups of one key in objects of many shapes (the key at other positions, absent,
    // empty, longer than 16 bytes, in hashed objects): each answer is find()'s, and the hint ends up
    // pointing where the key was last found.
    std::vector<Value> objects;
    const std::vector<std::string> keys = {"a", "b", "ab", "", "a-key-longer-than-sixteen", "a-key-longer-than-sixteeN"};
    for (std::size_t shift = 0; shift < keys.size(); ++shift) {
        for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{3}, keys.size()}) {
            std::vector<sfn::Member> members;
            for (std::size_t i = 0; i < count; ++i) members.emplace_back(keys[(i + shift) % keys.size()], Value(std::int64_t(i)));
            objects.push_back(Value::object(members));
            for (int extra = 0; extra < 14; ++extra) members.emplace_back("pad" + std::to_string(extra), Value(extra));
            objects.push_back(Value::object(members));  // above the threshold: hashed
        }
    }
    objects.push_back(Value("not an object"));
    for (const auto& key : keys) {
        sfn::KeyHint hint;
        for (int pass = 0; pass < 2; ++pass) {
            for (const auto& o : objects) {
                const Value* plain = o.find(key);
                const Value* hinted = o.find(key, hint);
                ASSERT_EQ(plain, hinted) << "key '" << key << "' in " << o.dump();
                if (plain) EXPECT_EQ(&o.members()[hint.position()].second, plain);
            }
        }
    }
}

TEST(Value, DecodesUnicodeEscapesIncludingSurrogatePairs) {
    auto v = Value::parse(R"(["\u00e9\u4e2d\ud83d\ude00\/"])");
    EXPECT_EQ(v[0].as_string(), "\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80/");
    // Non-ASCII is printed as is, control characters escaped (JSON.stringify).
    EXPECT_EQ(v.dump(), "[\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80/\"]");
    EXPECT_EQ(Value(std::string("\x01\x1f")).dump(), R"("\u0001\u001f")");
}

TEST(Value, ParseErrorsNameLineAndColumn) {
    EXPECT_EQ(parse_error("{\"a\":1,\n  \"b\" 2}"),
              "[sfn.core.E001] invalid JSON at line 2, column 7: expected ':' after object key");
    EXPECT_EQ(parse_error(""), "[sfn.core.E001] invalid JSON at line 1, column 1: unexpected end of input, expected a value");
    EXPECT_EQ(parse_error("[1,]"), "[sfn.core.E001] invalid JSON at line 1, column 4: unexpected character ']'");
    EXPECT_EQ(parse_error("01"), "[sfn.core.E001] invalid JSON at line 1, column 2: unexpected character after the JSON value");
    EXPECT_EQ(parse_error("\"abc"), "[sfn.core.E001] invalid JSON at line 1, column 5: unterminated string");
    EXPECT_EQ(parse_error("tru"), "[sfn.core.E001] invalid JSON at line 1, column 1: invalid literal, expected 'true'");
    EXPECT_EQ(parse_error("\"\\x\""), "[sfn.core.E001] invalid JSON at line 1, column 3: invalid escape sequence");
    EXPECT_EQ(parse_error("\"\\ud800\""), "[sfn.core.E001] invalid JSON at line 1, column 8: unpaired surrogate in \\u escape");
    EXPECT_EQ(parse_error("\"\xff\""), "[sfn.core.E001] invalid JSON at line 1, column 2: invalid UTF-8 in string");
    EXPECT_EQ(parse_error("1e999"), "[sfn.core.E001] invalid JSON at line 1, column 1: number out of range");
    EXPECT_EQ(parse_error("[1] x"), "[sfn.core.E001] invalid JSON at line 1, column 5: unexpected character after the JSON value");
}

TEST(Value, NestingBeyondTheLimitIsRejectedNotACrash) {
    std::string deep(100000, '[');
    EXPECT_EQ(parse_error(deep), "[sfn.core.E001] invalid JSON at line 1, column 513: nesting deeper than 512 levels");
    std::string ok = std::string(512, '[') + std::string(512, ']');
    EXPECT_EQ(Value::parse(ok).dump(), ok);
}

TEST(Value, NumbersPrintLikeJavaScript) {
    struct Case {
        const char* in;
        const char* out;
    };
    for (auto [in, out] : {Case{"1.1", "1.1"}, Case{"1.0", "1"}, Case{"-0", "0"}, Case{"-0.0", "0"},
                           Case{"0.1", "0.1"}, Case{"1e21", "1e+21"}, Case{"1e20", "100000000000000000000"},
                           Case{"123456789012345680000", "123456789012345680000"}, Case{"0.000001", "0.000001"},
                           Case{"1e-7", "1e-7"}, Case{"1.5e-10", "1.5e-10"}, Case{"-2.5E3", "-2500"},
                           Case{"9223372036854775807", "9223372036854775807"},
                           Case{"9223372036854775808", "9223372036854776000"}, Case{"0.30000000000000004", "0.30000000000000004"},
                           Case{"5e-324", "5e-324"}, Case{"1.7976931348623157e308", "1.7976931348623157e+308"}}) {
        EXPECT_EQ(Value::parse(in).dump(), out) << in;
    }
    EXPECT_EQ(Value(std::nan("")).dump(), "null");
}

TEST(Value, EqualityIsDeepOrderInsensitiveAndNumericByValue) {
    EXPECT_EQ(Value::parse(R"({"a":1,"b":[1,2]})"), Value::parse(R"({"b":[1.0,2],"a":1.0})"));
    EXPECT_NE(Value::parse(R"({"a":1})"), Value::parse(R"({"a":1,"b":2})"));
    EXPECT_NE(Value::parse("[1,2]"), Value::parse("[2,1]"));
    EXPECT_NE(Value(1), Value(1.5));
    EXPECT_NE(Value(1), Value(true));
    EXPECT_NE(Value(), Value(0));
    EXPECT_NE(Value("1"), Value(1));
    EXPECT_EQ(Value(9007199254740993), Value(9007199254740993));
    EXPECT_NE(Value(9007199254740993), Value(9007199254740992.0));
}

TEST(Value, UpdatesShareUntouchedChildren) {
    auto root = Value::parse(R"({"big":{"x":[1,2,3]},"a":{"b":1}})");
    auto updated = root.with_member("a", root.find("a")->with_member("b", 2));
    EXPECT_TRUE(updated.find("big")->same_node(*root.find("big")));
    EXPECT_EQ(root.dump(), R"({"big":{"x":[1,2,3]},"a":{"b":1}})");
    EXPECT_EQ(updated.dump(), R"({"big":{"x":[1,2,3]},"a":{"b":2}})");
    EXPECT_EQ(root.without_member("big").dump(), R"({"a":{"b":1}})");
    EXPECT_TRUE(root.without_member("zzz").same_node(root));
    auto arr = Value::parse("[1,2]");
    EXPECT_EQ(arr.with_element(1, "x").dump(), R"([1,"x"])");
    EXPECT_EQ(arr.with_appended(3).dump(), "[1,2,3]");
    EXPECT_THROW((void)arr.with_element(2, 0), sfn::Error);
    EXPECT_THROW((void)arr.with_member("k", 0), sfn::Error);
}

TEST(Value, CopiesAreCheapAndIndependentOfMoves) {
    Value a = Value::parse(R"({"k":[1,2]})");
    Value b = a;
    EXPECT_TRUE(a.same_node(b));
    Value c = std::move(b);
    EXPECT_TRUE(b.is_null());  // NOLINT(bugprone-use-after-move): moved-from is null by contract
    EXPECT_EQ(c, a);
    Value& alias = c;
    c = alias;  // self-assignment keeps the value
    EXPECT_EQ(c.dump(), R"({"k":[1,2]})");
}

TEST(Value, ConvertsToAndFromNlohmann) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(R"({"z":1,"a":[1.5,"s",null,true],"u":18446744073709551615})");
    auto v = Value::from_json(j);
    EXPECT_EQ(v.members()[0].first, "z");
    EXPECT_EQ(v.find("u")->kind(), Kind::real);
    EXPECT_EQ(v.to_json().dump(), R"({"z":1,"a":[1.5,"s",null,true],"u":1.8446744073709552e+19})");
    nlohmann::json plain = {{"b", 1}, {"a", 2}};
    EXPECT_EQ(Value::from_json(plain).dump(), R"({"a":2,"b":1})");
}

TEST(Value, RoundTripsThroughDumpAndParse) {
    // Property: parse(dump(v)) == v and dump is a fixed point after one round.
    std::uint64_t state = 12345;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    std::function<Value(int)> gen = [&](int depth) -> Value {
        switch (next() % (depth > 3 ? 5 : 7)) {
            case 0: return Value();
            case 1: return Value(next() % 2 == 0);
            case 2: return Value(static_cast<std::int64_t>(next()) - 2000000000);
            case 3: return Value(static_cast<double>(next()) / static_cast<double>(next() % 1000 + 1) * 1e-3);
            case 4: {
                std::string s;
                for (auto n = next() % 8; n > 0; --n) s += static_cast<char>(next() % 0x7f + 1);
                return Value(s);
            }
            case 5: {
                std::vector<Value> items;
                for (auto n = next() % 5; n > 0; --n) items.push_back(gen(depth + 1));
                return Value::array(std::move(items));
            }
            default: {
                std::vector<sfn::Member> members;
                for (auto n = next() % 5; n > 0; --n) members.emplace_back("k" + std::to_string(next() % 10), gen(depth + 1));
                return Value::object(std::move(members));
            }
        }
    };
    for (int i = 0; i < 500; ++i) {
        Value v = gen(0);
        std::string text = v.dump();
        Value back = Value::parse(text);
        ASSERT_EQ(back, v) << text;
        ASSERT_EQ(back.dump(), text);
        ASSERT_EQ(Value::from_json(nlohmann::ordered_json::parse(text)), v);
        ASSERT_GE(v.dump_size_bound(), text.size()) << text;
        ASSERT_GE(back.dump_size_bound(), text.size()) << text;
    }
}

TEST(Value, DumpSizeBoundIsKnownWithoutMeasuringAndNeverBelowTheDump) {
    // Escapes take up to 6 bytes a character, numbers their longest forms; updates keep the bound right.
    const Value control(std::string("\x01\x02\x1f\"\\", 5));
    EXPECT_EQ(control.dump(), R"("\u0001\u0002\u001f\"\\")");
    EXPECT_GE(control.dump_size_bound(), control.dump().size());
    for (const Value v : {Value(), Value(false), Value(std::int64_t{-9223372036854775807LL - 1}), Value(-1.2345678901234567e-308),
                          Value(""), Value::array(), Value::object()})
        EXPECT_GE(v.dump_size_bound(), v.dump().size()) << v.dump();
    Value doc = Value::parse(R"({"a":[1,2,{"b":"\u0000x"}],"c":{"d":null}})");
    EXPECT_GE(doc.dump_size_bound(), doc.dump().size());
    const std::size_t before = doc.dump_size_bound();
    doc = doc.with_member("e", Value(std::string(1000, '\n')));
    EXPECT_GE(doc.dump_size_bound(), doc.dump().size());
    EXPECT_GE(doc.dump_size_bound(), before + 6000);
    doc = doc.without_member("e");
    EXPECT_EQ(doc.dump_size_bound(), before);
    const Value repeated = Value::parse(R"({"k":"a long value that is replaced","k":1})");
    EXPECT_EQ(repeated.dump(), R"({"k":1})");
    EXPECT_LT(repeated.dump_size_bound(), 40u);  // the replaced value no longer counts
    // The longest real text is 25 characters; containers of many of them stay within their bound.
    const Value tiny(-1.2345678901234567e-6);
    EXPECT_EQ(tiny.dump(), "-0.0000012345678901234567");
    const Value reals = Value::array(std::vector<Value>(1000, tiny));
    EXPECT_GE(reals.dump_size_bound(), reals.dump().size());
    const Value members = Value::parse(R"({"a":-1.2345678901234567e-6,"b":-1.2345678901234567e-6})");
    EXPECT_GE(members.dump_size_bound(), members.dump().size());
}

TEST(Value, DumpGrowsPastItsFirstBufferAndAppendsToWhatIsThere) {
    // A long string is escaped a piece at a time; text past the first buffer (1 MiB) and values nested
    // deeper than the recursive printer goes come out whole.
    std::string quotes(10000, '"');
    const Value escaped{std::string(quotes)};
    std::string expected = "\"";
    for (int i = 0; i < 10000; ++i) expected += "\\\"";
    expected += '"';
    EXPECT_EQ(escaped.dump(), expected);
    std::vector<Value> strings(600, Value(std::string(4000, 'x')));
    const Value big = Value::array(std::move(strings));
    const std::string text = big.dump();
    EXPECT_EQ(text.size(), 2 + 600 * 4002 + 599);
    EXPECT_EQ(Value::parse(text), big);
    Value deep = Value(1);
    for (int i = 0; i < 200; ++i) deep = i % 2 ? Value::array({deep}) : Value::object({{"k", deep}});
    const std::string nested = deep.dump();
    EXPECT_EQ(nested.substr(0, 6), "[{\"k\":");
    EXPECT_EQ(Value::parse(nested), deep);
    std::string out = "prefix:";
    Value::parse(R"({"a":[1,2.5,"\u0001"],"b":null})").dump_to(out);
    EXPECT_EQ(out, R"(prefix:{"a":[1,2.5,"\u0001"],"b":null})");
}

TEST(Value, HashAgreesWithEquality) {
    EXPECT_EQ(Value(1).hash(), Value(1.0).hash());
    EXPECT_EQ(Value(0).hash(), Value(-0.0).hash());
    EXPECT_EQ(Value::parse(R"({"a":1,"b":[1,2]})").hash(), Value::parse(R"({"b":[1.0,2],"a":1})").hash());
    EXPECT_NE(Value::parse("[1,2]").hash(), Value::parse("[2,1]").hash());
    EXPECT_NE(Value("1").hash(), Value(1).hash());
    std::unordered_set<Value> set{Value(1), Value(1.0), Value("1"), Value()};
    EXPECT_EQ(set.size(), 3u);
}

TEST(Value, AMillionNestedBracketsAreRejectedWithTheirPosition) {
    // GIVEN 1,000,000 nested arrays WHEN parsed THEN a clear error at the first bracket past the limit.
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    EXPECT_EQ(parse_error(deep), "[sfn.core.E001] invalid JSON at line 1, column 513: nesting deeper than 512 levels");
}

TEST(Value, ValuesBuiltAMillionLevelsDeepPrintAndDieWithoutRecursingPerLevel) {
    // GIVEN a value an execution could build by wrapping its input again and again (no parser involved)
    constexpr int levels = 1'000'000;
    Value v = Value::object({{"leaf", 1}});
    for (int i = 0; i < levels; ++i) v = (i % 2 == 0) ? Value::array({v, true}) : Value::object({{"a", v}});
    // WHEN printed THEN every level is there, in order
    const std::string text = v.dump();
    EXPECT_EQ(text.size(), std::string(R"({"leaf":1})").size() + levels / 2 * std::string("[,true]").size() +
                               levels / 2 * std::string(R"({"a":})").size());
    EXPECT_EQ(text.substr(0, 12), R"({"a":[{"a":[)");
    EXPECT_EQ(text.substr(text.size() - 14), ",true]},true]}");
    EXPECT_EQ(text.find(R"({"leaf":1},true]})"), levels / 2 * (std::string(R"({"a":)").size() + 1));
    // WHEN a shared middle part outlives the top THEN it is intact
    Value middle = v;
    for (int i = 0; i < levels / 2; ++i) middle = middle.is_array() ? middle[0] : *middle.find("a");
    v = Value();
    EXPECT_EQ(middle.dump().size(), text.size() - levels / 4 * (std::string("[,true]").size() + std::string(R"({"a":})").size()));
}
