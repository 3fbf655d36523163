// parse + validate + serialize of (a) the largest conformance definition and (b) a generated
// 1,000-state definition (Task chain with Retry/Catch, a Choice every 10 states, a Parallel and a
// Map every 100), from JSON text to canonical JSON text.
#include "sfn/asl/parse.hpp"
#include "sfn/asl/serialize.hpp"
#include "sfn/asl/validate.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using Json = nlohmann::ordered_json;

std::string largest_conformance_definition() {
    std::string best;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(SFN_SHARED_DIR) / "conformance/cases")) {
        if (e.path().extension() != ".json") continue;
        std::ifstream in(e.path());
        auto text = Json::parse(in).at("definition").dump();
        if (text.size() > best.size()) best = std::move(text);
    }
    return best;
}

std::string generated_definition(int count) {
    Json states = Json::object();
    auto name = [](int i) { return "State " + std::to_string(i); };
    for (int i = 0; i < count; ++i) {
        const bool last = i + 1 == count;
        Json s;
        if (i % 100 == 50) {
            s = {{"Type", "Parallel"},
                 {"Branches", Json::array({Json{{"StartAt", "B" + std::to_string(i)}, {"States", {{"B" + std::to_string(i), {{"Type", "Pass"}, {"End", true}}}}}}})}};
        } else if (i % 100 == 75) {
            s = {{"Type", "Map"}, {"ItemsPath", "$.items"}, {"MaxConcurrency", 4},
                 {"ItemProcessor", {{"ProcessorConfig", {{"Mode", "INLINE"}}}, {"StartAt", "M" + std::to_string(i)},
                                    {"States", {{"M" + std::to_string(i), {{"Type", "Pass"}, {"End", true}}}}}}}};
        } else if (i % 10 == 5 && !last) {
            s = {{"Type", "Choice"},
                 {"Choices", Json::array({Json{{"Variable", "$.n"}, {"NumericGreaterThan", i}, {"Next", name(i + 1)}},
                                          Json{{"And", Json::array({Json{{"Variable", "$.s"}, {"StringEquals", "x"}},
                                                                    Json{{"Variable", "$.b"}, {"IsPresent", true}}})},
                                               {"Next", name(i + 1)}}})},
                 {"Default", name(i + 1)}};
        } else {
            s = {{"Type", "Task"}, {"Resource", "arn:aws:states:::lambda:invoke"},
                 {"Parameters", {{"FunctionName", "f"}, {"Payload.$", "$.input"}, {"Id.$", "States.Format('{}-{}', $.a, $.b)"}}},
                 {"ResultPath", "$.r" + std::to_string(i)},
                 {"Retry", Json::array({Json{{"ErrorEquals", {"States.Timeout"}}, {"MaxAttempts", 2}}})}};
        }
        if (s["Type"] != "Choice") {
            if (last) s["End"] = true;
            else s["Next"] = name(i + 1);
        }
        states[name(i)] = s;
    }
    return Json{{"StartAt", name(0)}, {"States", states}}.dump();
}

void run(benchmark::State& state, const std::string& text) {
    for (auto _ : state) {
        auto machine = sfn::asl::parse_json(text);
        auto diagnostics = sfn::asl::validate(machine);
        if (!diagnostics.empty()) {
            state.SkipWithError(sfn::asl::to_string(diagnostics).c_str());
            return;
        }
        auto out = sfn::asl::serialize(machine).dump();
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_LargestConformanceDefinition(benchmark::State& state) {
    static const std::string text = largest_conformance_definition();
    run(state, text);
}
BENCHMARK(BM_LargestConformanceDefinition)->Unit(benchmark::kMicrosecond);

void BM_Generated1000States(benchmark::State& state) {
    static const std::string text = generated_definition(1000);
    run(state, text);
}
BENCHMARK(BM_Generated1000States)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
