// Data-driven: every AWS-recorded conformance case that is a chain of JSONPath Pass states
// (InputPath, Parameters, Result, ResultPath, OutputPath) is replayed with this component alone,
// comparing the output, or the error and cause (without the engine's "An error occurred while
// executing the state ..." prefix).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "support.hpp"

using namespace sfn;
using namespace sfn::jsonpath;
using nlohmann::ordered_json;

namespace {

struct Result {
    bool ok = true;
    Value output;
    Failure failure;
};

bool supported(const ordered_json& definition) {
    if (!definition.contains("States") || !definition["States"].is_object()) return false;
    if (definition.value("QueryLanguage", "JSONPath") != "JSONPath") return false;
    std::string text = definition.dump();
    if (std::regex_search(text, std::regex(R"(\$\$(?!\.Execution\.Input))"))) return false;
    for (const auto& [name, state] : definition["States"].items()) {
        if (state.value("Type", "") != "Pass") return false;
        for (const auto& [field, _] : state.items())
            if (field != "Type" && field != "Next" && field != "End" && field != "Comment" && field != "InputPath" &&
                field != "Parameters" && field != "Result" && field != "ResultPath" && field != "OutputPath" &&
                !(field == "QueryLanguage" && state[field] == "JSONPath"))
                return false;
    }
    return true;
}

// The JSONPath input/output pipeline of a Pass state (ASL spec, "Input and Output Processing").
Result run(const ordered_json& definition, const Value& execution_input) {
    Value context = Value::object({{"Execution", Value::object({{"Input", execution_input}})}});
    Value data = execution_input;
    std::string current = definition["StartAt"];
    for (int guard = 0; guard < 1000; ++guard) {
        const auto& state = definition["States"][current];
        Value effective = data;
        auto scope_of = [&](const Value& input) { return Scope(input, context); };
        if (state.contains("InputPath")) {
            if (state["InputPath"].is_null()) {
                effective = Value::object();
            } else {
                auto r = Path::parse(state["InputPath"].get<std::string>()).evaluate(scope_of(data));
                if (!r) return {false, {}, r.failure()};
                effective = *r;
            }
        }
        Value result = effective;
        if (state.contains("Parameters")) {
            auto r = Template::compile(state["Parameters"]).render(scope_of(effective));
            if (!r) return {false, {}, r.failure()};
            result = *r;
        }
        if (state.contains("Result")) result = Value::from_json(state["Result"]);
        Value output = result;
        if (state.contains("ResultPath")) {
            if (state["ResultPath"].is_null()) {
                output = data;
            } else {
                auto r = Path::parse_reference(state["ResultPath"].get<std::string>()).assign(data, result);
                if (!r) return {false, {}, r.failure()};
                output = *r;
            }
        }
        if (state.contains("OutputPath")) {
            if (state["OutputPath"].is_null()) {
                output = Value::object();
            } else {
                auto r = Path::parse(state["OutputPath"].get<std::string>()).evaluate(scope_of(output));
                if (!r) return {false, {}, r.failure()};
                output = *r;
            }
        }
        data = output;
        if (state.value("End", false)) return {true, data, {}};
        current = state["Next"];
    }
    return {false, {}, Failure{"test", "loop"}};
}

// Placeholders such as <json-input:1> in recorded causes match anything.
bool cause_matches(const std::string& expected, const std::string& actual) {
    std::string pattern;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        char c = expected[i];
        if (c == '<') {
            auto close = expected.find('>', i);
            if (close != std::string::npos) {
                pattern += ".*";
                i = close;
                continue;
            }
        }
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) pattern += '\\';
        pattern += c;
    }
    return std::regex_match(actual, std::regex(pattern));
}

}  // namespace

TEST(ConformancePass, ReplaysEveryPassOnlyCaseOfTheCorpus) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(SFN_SHARED_DIR) / "conformance" / "cases";
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    int replayed = 0;
    int passed = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        auto doc = ordered_json::parse(in);
        const auto& definition = doc["definition"];
        const auto& expected = doc["expected"];
        std::string status = expected["status"];
        if (!supported(definition) || (status != "SUCCEEDED" && status != "FAILED")) continue;
        // The 256 KB payload limit (States.DataLimitExceeded) is the engine's check, not ours.
        if (expected.value("error", "") == "States.DataLimitExceeded") continue;
        if (status == "SUCCEEDED" && expected["output"].dump().find('<') != std::string::npos) continue;
        ++replayed;
        Result r = run(definition, Value::from_json(doc["input"]));
        SCOPED_TRACE(entry.path().filename().string());
        if (status == "SUCCEEDED") {
            EXPECT_TRUE(r.ok) << r.failure.error << ": " << r.failure.cause;
            if (r.ok) {
                EXPECT_EQ(r.output, Value::from_json(expected["output"])) << r.output.dump();
                passed += r.output == Value::from_json(expected["output"]) ? 1 : 0;
            }
        } else {
            std::string cause = expected.value("cause", "");
            auto dot = cause.find("). ");
            if (dot != std::string::npos) cause = cause.substr(dot + 3);
            EXPECT_FALSE(r.ok);
            EXPECT_EQ(r.failure.error, expected.value("error", ""));
            EXPECT_TRUE(cause_matches(cause, r.failure.cause)) << "expected: " << cause << "\nactual:   " << r.failure.cause;
            passed += !r.ok && r.failure.error == expected.value("error", "") && cause_matches(cause, r.failure.cause) ? 1 : 0;
        }
    }
    std::cout << "[ conformance ] replayed " << replayed << " Pass-only cases, " << passed << " matched\n";
    EXPECT_GT(replayed, 100);
    EXPECT_EQ(passed, replayed);
}
