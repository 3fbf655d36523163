// Evaluation throughput of sfn::jsonata on the reference test-suite expressions.
//
//   sfn_jsonata_bench <suite-dir> <conformance-dir> <out.json> [repeat]
//
// Besides the test-suite cases, the group "conformance-corpus" holds every `{% %}` expression of the
// Step Functions conformance corpus, evaluated with the case's input as `$states.input`.
// Each case that evaluates without error (and has no time or depth limit) is compiled once, warmed up,
// then evaluated in five batches of `repeat`/5 (best batch, times five); the per-case wall time goes to
// out.json, so bench/jsonata/compare.js can time the reference implementation on exactly those cases.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "suite_cases.hpp"

using sfn::jsonata::Json;

namespace {

// Collects the `{% ... %}` expressions found anywhere in an ASL definition.
void collect_expressions(const Json& j, std::vector<std::string>& out) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s.size() >= 4 && s.rfind("{%", 0) == 0 && s.compare(s.size() - 2, 2, "%}") == 0) out.push_back(s.substr(2, s.size() - 4));
    } else if (j.is_structured()) {
        for (const auto& x : j) collect_expressions(x, out);
    }
}

// Times `repeat` evaluations as the best of five batches; nullopt when the expression fails.
std::optional<double> time_case(const std::string& expr, const Json* input, const sfn::jsonata::Environment& env, int batch) {
    try {
        auto compiled = sfn::jsonata::Expression::compile(expr);
        for (int w = 0; w < 3; ++w) (void)compiled.evaluate(input, env);
        // the reference receives parsed JavaScript objects, so give ours its input converted once too
        if (input) {
            const sfn::jsonata::Input converted(*input);
            double secs = 1e300;
            for (int b = 0; b < 5; ++b) {
                auto start = std::chrono::steady_clock::now();
                for (int r = 0; r < batch; ++r) (void)compiled.evaluate(converted, env);
                secs = std::min(secs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            }
            return secs * 5;
        }
        // best of five batches: the machine is shared, so a batch can lose its core for a while
        double secs = 1e300;
        for (int b = 0; b < 5; ++b) {
            auto start = std::chrono::steady_clock::now();
            for (int r = 0; r < batch; ++r) (void)compiled.evaluate(input, env);
            secs = std::min(secs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        return secs * 5;
    } catch (const sfn::jsonata::Error&) {
        return std::nullopt;  // error cases are not throughput cases
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: " << argv[0] << " <suite-dir> <conformance-dir> <out.json> [repeat]\n";
        return 2;
    }
    const int repeat = argc > 4 ? std::stoi(argv[4]) : 200;
    const int batch = std::max(1, repeat / 5);
    Json out = Json::array();
    for (const auto& c : sfn::jsonata::suite::load_cases(argv[1], std::chrono::milliseconds(0))) {
        if (!c.error_code.empty() || c.has_limits) continue;
        if (auto secs = time_case(c.expr, c.input ? &*c.input : nullptr, c.env, batch))
            out.push_back({{"id", c.id}, {"group", c.group}, {"seconds", *secs}});
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(argv[2]) / "cases"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        Json doc = sfn::jsonata::suite::read_json(f);
        std::vector<std::string> exprs;
        collect_expressions(doc["definition"], exprs);
        sfn::jsonata::Environment env;
        const Json states = {{"input", doc["input"]}, {"context", {{"Execution", {{"Input", doc["input"]}}}}}};
        // the engine converts $states once per state, as the reference receives JavaScript objects
        env.prepared_bindings.emplace("states", sfn::jsonata::Input(states));
        for (std::size_t i = 0; i < exprs.size(); ++i) {
            if (auto secs = time_case(exprs[i], &doc["input"], env, batch))
                out.push_back({{"id", f.stem().string() + "#" + std::to_string(i)}, {"group", "conformance-corpus"},
                               {"seconds", *secs}, {"expr", exprs[i]}, {"input", doc["input"]}, {"bindings", {{"states", states}}}});
        }
    }
    std::ofstream(argv[3]) << Json{{"repeat", batch * 5}, {"cases", out}}.dump(1);
    std::cout << "sfn::jsonata: timed " << out.size() << " cases x " << batch * 5 << " evaluations\n";
    return 0;
}
