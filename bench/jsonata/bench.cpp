// Evaluation throughput of sfn::jsonata on the reference test-suite expressions.
//
//   sfn_jsonata_bench <suite-dir> <out.json> [repeat]
//
// Each case that evaluates without error (and has no time or depth limit) is compiled once, warmed up,
// then evaluated in five batches of `repeat`/5 (best batch, times five); the per-case wall time is written to out.json together with the case
// list, so bench/jsonata/compare.js can time the reference implementation on exactly the same cases.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "sfn/jsonata/expression.hpp"

namespace fs = std::filesystem;
using sfn::jsonata::Json;

namespace {

Json read_json(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return Json::parse(ss.str());
    } catch (const Json::parse_error&) {
        return Json();  // a file the C++ JSON parser cannot read (lone surrogates): not benchmarked
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " <suite-dir> <out.json> [repeat]\n";
        return 2;
    }
    const fs::path suite = argv[1];
    const int repeat = argc > 3 ? std::stoi(argv[3]) : 200;
    std::map<std::string, Json> datasets;
    for (const auto& e : fs::directory_iterator(suite / "datasets")) datasets[e.path().stem().string()] = read_json(e.path());
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(suite / "groups"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());

    Json out = Json::array();
    for (const auto& file : files) {
        Json doc = read_json(file);
        if (doc.is_null()) continue;
        std::vector<Json> cases;
        if (doc.is_array()) cases.assign(doc.begin(), doc.end());
        else cases.push_back(doc);
        const std::string group = file.parent_path().filename().string();
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Json& c = cases[i];
            if (c.contains("code") || c.contains("error") || c.contains("timelimit") || c.contains("depth")) continue;
            std::string expr;
            if (c.contains("expr")) {
                expr = c["expr"].get<std::string>();
            } else {
                std::ifstream in(file.parent_path() / c["expr-file"].get<std::string>());
                std::stringstream ss;
                ss << in.rdbuf();
                expr = ss.str();
            }
            const Json* input = nullptr;
            if (c.contains("data")) input = &c["data"];
            else if (c.contains("dataset") && c["dataset"].is_string()) input = &datasets.at(c["dataset"].get<std::string>());
            sfn::jsonata::Environment env;
            if (c.contains("bindings"))
                for (auto it = c["bindings"].begin(); it != c["bindings"].end(); ++it) env.bindings[it.key()] = it.value();
            try {
                auto compiled = sfn::jsonata::Expression::compile(expr);
                for (int w = 0; w < 3; ++w) (void)compiled.evaluate(input, env);
                // best of five batches: the machine is shared, so a batch can lose its core for a while
                double secs = 1e300;
                const int batch = std::max(1, repeat / 5);
                for (int b = 0; b < 5; ++b) {
                    auto start = std::chrono::steady_clock::now();
                    for (int r = 0; r < batch; ++r) (void)compiled.evaluate(input, env);
                    secs = std::min(secs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
                }
                secs *= 5;
                std::string id = group + "/" + file.stem().string() + (doc.is_array() ? "[" + std::to_string(i) + "]" : "");
                out.push_back({{"id", id}, {"group", group}, {"file", fs::relative(file, suite).string()},
                               {"index", doc.is_array() ? static_cast<int>(i) : -1}, {"seconds", secs}});
            } catch (const sfn::jsonata::Error&) {
                continue;  // error cases are not throughput cases
            }
        }
    }
    std::ofstream(argv[2]) << Json{{"repeat", repeat}, {"cases", out}}.dump(1);
    std::cout << "sfn::jsonata: timed " << out.size() << " cases x " << repeat << " evaluations\n";
    return 0;
}
