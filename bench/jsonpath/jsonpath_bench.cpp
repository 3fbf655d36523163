// Measures the data movement the engine does per state: parse/dump of a ~200 KB document,
// path selection, ResultPath assignment on that document, template rendering, intrinsics.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sfn/jsonpath/all.hpp"

using namespace sfn;
using namespace sfn::jsonpath;

namespace {

// A deterministic ~200 KB order document.
std::string large_document() {
    std::string out = R"({"customer":{"id":"c-1","name":"Ann","tier":"gold"},"items":[)";
    for (int i = 0; i < 1100; ++i) {
        if (i) out += ',';
        out += R"({"id":)" + std::to_string(i) + R"(,"sku":"SKU-)" + std::to_string(i * 7919 % 100000) +
               R"(","name":"Item number )" + std::to_string(i) + R"(","price":)" + std::to_string(i % 50) + "." +
               std::to_string(i % 100) + R"(,"qty":)" + std::to_string(i % 9 + 1) +
               R"(,"tags":["a","b","c"],"dims":{"w":1.5,"h":2.25,"d":3}})";
    }
    out += R"(],"acc":{"step":0},"x":1,"y":"two","z":{"k":[1,2,3]}})";
    return out;
}

const std::string& text() {
    static const std::string t = large_document();
    return t;
}

const Value& document() {
    static const Value v = Value::parse(text());
    return v;
}

void BM_ValueParse200KB(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(Value::parse(text()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text().size()));
}
BENCHMARK(BM_ValueParse200KB);

void BM_NlohmannParse200KB(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(nlohmann::ordered_json::parse(text()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text().size()));
}
BENCHMARK(BM_NlohmannParse200KB);

void BM_ValueDump200KB(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(document().dump());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text().size()));
}
BENCHMARK(BM_ValueDump200KB);

void BM_ValueCopy200KB(benchmark::State& state) {
    for (auto _ : state) {
        Value copy = document();
        benchmark::DoNotOptimize(copy);
    }
}
BENCHMARK(BM_ValueCopy200KB);

void BM_PathParse(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(Path::parse("$.items[?(@.price < 10 && @.qty > 2)].dims.w"));
}
BENCHMARK(BM_PathParse);

void BM_PathSelectDefinite(benchmark::State& state) {
    auto p = Path::parse("$.items[700].dims.h");
    for (auto _ : state) benchmark::DoNotOptimize(p.select(document()));
}
BENCHMARK(BM_PathSelectDefinite);

void BM_PathSelectFilter(benchmark::State& state) {
    auto p = Path::parse("$.items[?(@.price < 10)].id");
    for (auto _ : state) benchmark::DoNotOptimize(p.select(document()));
}
BENCHMARK(BM_PathSelectFilter);

void BM_PathSelectDescent(benchmark::State& state) {
    auto p = Path::parse("$..w");
    for (auto _ : state) benchmark::DoNotOptimize(p.select(document()));
}
BENCHMARK(BM_PathSelectDescent);

void BM_ResultPathAssignOnLargeDocument(benchmark::State& state) {
    auto p = Path::parse_reference("$.acc.result");
    Value result = Value::object({{"ok", true}});
    for (auto _ : state) benchmark::DoNotOptimize(p.assign(document(), result));
}
BENCHMARK(BM_ResultPathAssignOnLargeDocument);

void BM_TemplateRenderPassChain(benchmark::State& state) {
    auto t = Template::compile(nlohmann::ordered_json::parse(
        R"({"a.$":"$.x","b.$":"$.y","c.$":"$.z.k[1]","prev.$":"$.acc.step","step":1})"));
    Value ctx = Value::object();
    Scope scope(document(), ctx);
    for (auto _ : state) benchmark::DoNotOptimize(t.render(scope));
}
BENCHMARK(BM_TemplateRenderPassChain);

void BM_IntrinsicMathAdd(benchmark::State& state) {
    auto call = Intrinsic::parse("States.MathAdd($.i, 1)");
    Value input = Value::parse(R"({"i":41,"label":"x"})");
    Value ctx = Value::object();
    Scope scope(input, ctx);
    for (auto _ : state) benchmark::DoNotOptimize(call.evaluate(scope));
}
BENCHMARK(BM_IntrinsicMathAdd);

// The Parameters of bench/workloads/intrinsics-heavy.json's Work state.
void BM_TemplateRenderIntrinsicsHeavy(benchmark::State& state) {
    auto t = Template::compile(nlohmann::ordered_json::parse(R"j({
        "i.$": "States.MathAdd($.i, 1)", "name.$": "$.name",
        "obj.$": "States.StringToJson(States.JsonToString($.obj))",
        "s.$": "States.Format('item-{}-{}', $.i, $.name)", "arr.$": "States.Array($.i, $.name, 'x')",
        "len.$": "States.ArrayLength($.arr)", "h.$": "States.Hash($.s, 'SHA-256')",
        "b64.$": "States.Base64Encode($.s)"})j"));
    Value input = Value::parse(R"({"i":7,"name":"bench","obj":{"a":[1,2,{"b":"c"}],"d":true},"s":"seed","arr":[1,2]})");
    Value ctx = Value::object();
    Random rng(1);
    Scope scope(input, ctx, nullptr, &rng);
    for (auto _ : state) benchmark::DoNotOptimize(t.render(scope));
}
BENCHMARK(BM_TemplateRenderIntrinsicsHeavy);

}  // namespace


namespace {

// One benchmark per intrinsic of the intrinsics-heavy workload, to see where its time goes.
void BM_Intrinsic(benchmark::State& state, const char* text) {
    auto call = Intrinsic::parse(text);
    Value input = Value::parse(R"({"i":7,"name":"bench","obj":{"a":[1,2,{"b":"c"}],"d":true},"s":"seed","arr":[1,2]})");
    Value ctx = Value::object();
    Scope scope(input, ctx);
    for (auto _ : state) benchmark::DoNotOptimize(call.evaluate(scope));
}
BENCHMARK_CAPTURE(BM_Intrinsic, Hash, "States.Hash($.s, 'SHA-256')");
BENCHMARK_CAPTURE(BM_Intrinsic, JsonRoundTrip, "States.StringToJson(States.JsonToString($.obj))");
BENCHMARK_CAPTURE(BM_Intrinsic, Format, "States.Format('item-{}-{}', $.i, $.name)");
BENCHMARK_CAPTURE(BM_Intrinsic, Array, "States.Array($.i, $.name, 'x')");
BENCHMARK_CAPTURE(BM_Intrinsic, Base64Encode, "States.Base64Encode($.s)");

}  // namespace

BENCHMARK_MAIN();
