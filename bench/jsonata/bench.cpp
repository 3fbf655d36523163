// Evaluation throughput of sfn::jsonata on the reference test-suite expressions.
//
//   sfn_jsonata_bench <suite-dir> <out.json> [repeat]
//
// Each case that evaluates without error (and has no time or depth limit) is compiled once, warmed up,
// then evaluated in five batches of `repeat`/5 (best batch, times five); the per-case wall time goes to
// out.json, so bench/jsonata/compare.js can time the reference implementation on exactly those cases.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "suite_cases.hpp"

using sfn::jsonata::Json;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " <suite-dir> <out.json> [repeat]\n";
        return 2;
    }
    const int repeat = argc > 3 ? std::stoi(argv[3]) : 200;
    const int batch = std::max(1, repeat / 5);
    Json out = Json::array();
    for (const auto& c : sfn::jsonata::suite::load_cases(argv[1], std::chrono::milliseconds(0))) {
        if (!c.error_code.empty() || c.has_limits) continue;
        const Json* input = c.input ? &*c.input : nullptr;
        try {
            auto compiled = sfn::jsonata::Expression::compile(c.expr);
            for (int w = 0; w < 3; ++w) (void)compiled.evaluate(input, c.env);
            // best of five batches: the machine is shared, so a batch can lose its core for a while
            double secs = 1e300;
            for (int b = 0; b < 5; ++b) {
                auto start = std::chrono::steady_clock::now();
                for (int r = 0; r < batch; ++r) (void)compiled.evaluate(input, c.env);
                secs = std::min(secs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            }
            out.push_back({{"id", c.id}, {"group", c.group}, {"seconds", secs * 5}});
        } catch (const sfn::jsonata::Error&) {
            continue;  // error cases are not throughput cases
        }
    }
    std::ofstream(argv[2]) << Json{{"repeat", batch * 5}, {"cases", out}}.dump(1);
    std::cout << "sfn::jsonata: timed " << out.size() << " cases x " << batch * 5 << " evaluations\n";
    return 0;
}
