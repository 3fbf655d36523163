// Runs every case of ../shared/jsonata-testsuite/ (the reference implementation's suite) and compares
// the outcome with the expected result, undefined result or error code.
//
//   sfn_jsonata_testsuite <suite-dir> <expected_failures.txt> [filter]
//
// Prints pass/fail counts; exits non-zero if a case fails that expected_failures.txt does not list.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "sfn/jsonata/expression.hpp"

namespace fs = std::filesystem;
using sfn::jsonata::Json;

namespace {

Json read_json(const fs::path& p) {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    try {
        return Json::parse(text);
    } catch (const Json::parse_error&) {
        // A few cases hold lone UTF-16 surrogates, which UTF-8 JSON cannot carry. Inside a JSONata string
        // literal the same escape means the same thing, so pass it through to the expression escaped.
        static const std::regex lone(R"(\\u([dD][89a-fA-F][0-9a-fA-F]{2}))");
        return Json::parse(std::regex_replace(text, lone, R"(\\u$1)"));
    }
}

bool same(const Json& a, const Json& b, bool unordered) {
    if (a.is_number() && b.is_number()) {
        double x = a.get<double>(), y = b.get<double>();
        return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
    }
    if (a.type() != b.type()) return false;
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        if (unordered) {
            std::vector<bool> used(b.size());
            for (const auto& x : a) {
                bool found = false;
                for (std::size_t i = 0; i < b.size(); ++i)
                    if (!used[i] && same(x, b[i], true)) {
                        used[i] = found = true;
                        break;
                    }
                if (!found) return false;
            }
            return true;
        }
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i], false)) return false;
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto jt = b.find(it.key());
            if (jt == b.end() || !same(it.value(), *jt, unordered)) return false;
        }
        return true;
    }
    return a == b;
}

std::set<std::string> read_expected_failures(const fs::path& p) {
    std::set<std::string> ids;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        ids.insert(line.substr(0, line.find_first_of(" \t")));
    }
    return ids;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " <suite-dir> <expected_failures.txt> [filter]\n";
        return 2;
    }
    const fs::path suite = argv[1];
    const std::set<std::string> expected = read_expected_failures(argv[2]);
    const std::string filter = argc > 3 ? argv[3] : "";
    std::map<std::string, Json> datasets;
    for (const auto& e : fs::directory_iterator(suite / "datasets"))
        datasets[e.path().stem().string()] = read_json(e.path());

    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(suite / "groups"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());

    int pass = 0, fail = 0, listed_fail = 0;
    std::map<std::string, std::pair<int, int>> per_group;
    std::vector<std::string> unexpected, stale;
    for (const auto& file : files) {
        Json doc = read_json(file);
        std::vector<Json> cases;
        if (doc.is_array()) cases.assign(doc.begin(), doc.end());
        else cases.push_back(doc);
        const std::string group = file.parent_path().filename().string();
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Json& c = cases[i];
            std::string id = group + "/" + file.stem().string() + (doc.is_array() ? "[" + std::to_string(i) + "]" : "");
            if (!filter.empty() && id.find(filter) == std::string::npos) continue;
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
            env.time_limit = std::chrono::milliseconds(c.value("timelimit", 10000));
            if (c.contains("depth")) env.max_depth = c["depth"].get<std::size_t>();
            std::string expected_code;
            if (c.contains("code")) expected_code = c["code"].get<std::string>();
            else if (c.contains("error")) expected_code = c["error"]["code"].get<std::string>();

            std::string outcome;
            bool ok = false;
            try {
                auto compiled = sfn::jsonata::Expression::compile(expr);
                auto result = compiled.evaluate(input, env);
                if (!expected_code.empty()) {
                    outcome = "expected error " + expected_code + ", got " + (result ? result->dump() : "undefined");
                } else if (c.value("undefinedResult", false)) {
                    ok = !result;
                    if (!ok) outcome = "expected undefined, got " + result->dump();
                } else if (c.contains("result")) {
                    ok = result && same(*result, c["result"], c.value("unordered", false));
                    if (!ok) outcome = "expected " + c["result"].dump() + ", got " + (result ? result->dump() : "undefined");
                } else {
                    ok = !result;
                    if (!ok) outcome = "expected undefined, got " + result->dump();
                }
            } catch (const sfn::jsonata::Error& e) {
                ok = !expected_code.empty() && e.code() == expected_code;
                if (!ok) outcome = std::string("threw ") + e.what() + (expected_code.empty() ? "" : " (expected " + expected_code + ")");
            } catch (const std::exception& e) {
                outcome = std::string("threw non-jsonata exception: ") + e.what();
            }
            auto& g = per_group[group];
            if (ok) {
                ++pass;
                ++g.first;
                if (expected.count(id)) stale.push_back(id);
            } else {
                ++fail;
                ++g.second;
                if (expected.count(id)) {
                    ++listed_fail;
                } else {
                    unexpected.push_back(id + "\n    expr: " + expr.substr(0, 300) + "\n    " + outcome.substr(0, 600));
                }
            }
        }
    }
    for (const auto& u : unexpected) std::cout << "UNEXPECTED FAILURE " << u << "\n";
    for (const auto& s : stale) std::cout << "passes but listed in expected_failures.txt: " << s << "\n";
    const int total = pass + fail;
    std::cout << "jsonata test suite: " << pass << "/" << total << " passed ("
              << (total ? 100.0 * pass / total : 0.0) << "%), " << fail << " failed (" << listed_fail
              << " listed as expected failures, " << unexpected.size() << " unexpected)\n";
    return unexpected.empty() ? 0 : 1;
}
