#pragma once
// Reading ../shared/jsonata-testsuite: every case of every group, with its input, bindings and
// expectation. Shared by the conformance runner and bench/jsonata.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sfn/jsonata/expression.hpp"

namespace sfn::jsonata::suite {

struct Case {
    std::string id;     // "<group>/<file stem>" plus "[i]" for files holding several cases
    std::string group;
    std::string expr;
    std::optional<Json> input;  // nullopt: evaluate with no input (undefined)
    Environment env;            // bindings, time limit and depth from the case
    bool has_limits = false;    // the case sets a time limit or depth
    std::string error_code;     // expected error code, empty when a value is expected
    std::optional<Json> result;
    bool undefined_result = false;
    bool unordered = false;
};

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline Json read_json(const std::filesystem::path& p) {
    std::string text = read_text(p);
    try {
        return Json::parse(text);
    } catch (const Json::parse_error&) {
        // A few cases hold lone UTF-16 surrogates, which UTF-8 JSON cannot carry. Inside a JSONata string
        // literal the same escape means the same thing, so pass it through to the expression escaped.
        static const std::regex lone(R"(\\u([dD][89a-fA-F][0-9a-fA-F]{2}))");
        return Json::parse(std::regex_replace(text, lone, R"(\\u$1)"));
    }
}

/// All cases, in file order. \param default_time_limit applied when a case sets none
/// \param result_time_scale multiplies the time limit of a case that expects a result (not an error): for slow
/// (sanitized) builds
inline std::vector<Case> load_cases(const std::filesystem::path& suite, std::chrono::milliseconds default_time_limit,
                                    int result_time_scale = 1) {
    namespace fs = std::filesystem;
    std::map<std::string, Json> datasets;
    for (const auto& e : fs::directory_iterator(suite / "datasets")) datasets[e.path().stem().string()] = read_json(e.path());
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(suite / "groups"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());

    std::vector<Case> out;
    for (const auto& file : files) {
        Json doc = read_json(file);
        std::vector<Json> cases;
        if (doc.is_array()) cases.assign(doc.begin(), doc.end());
        else cases.push_back(doc);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Json& c = cases[i];
            Case k;
            k.group = file.parent_path().filename().string();
            k.id = k.group + "/" + file.stem().string() + (doc.is_array() ? "[" + std::to_string(i) + "]" : "");
            k.expr = c.contains("expr") ? c["expr"].get<std::string>()
                                        : read_text(file.parent_path() / c["expr-file"].get<std::string>());
            if (c.contains("data")) k.input = c["data"];
            else if (c.contains("dataset") && c["dataset"].is_string()) k.input = datasets.at(c["dataset"].get<std::string>());
            if (c.contains("bindings"))
                for (auto it = c["bindings"].begin(); it != c["bindings"].end(); ++it) k.env.bindings[it.key()] = it.value();
            k.has_limits = c.contains("timelimit") || c.contains("depth");
            k.env.time_limit = c.contains("timelimit") ? std::chrono::milliseconds(c["timelimit"].get<long>()) : default_time_limit;
            if (c.contains("depth")) k.env.max_depth = c["depth"].get<std::size_t>();
            if (c.contains("code")) k.error_code = c["code"].get<std::string>();
            else if (c.contains("error")) k.error_code = c["error"]["code"].get<std::string>();
            if (c.contains("result")) k.result = c["result"];
            k.undefined_result = c.value("undefinedResult", false);
            if (k.error_code.empty()) k.env.time_limit *= result_time_scale;
            k.unordered = c.value("unordered", false);
            out.push_back(std::move(k));
        }
    }
    return out;
}

}  // namespace sfn::jsonata::suite
