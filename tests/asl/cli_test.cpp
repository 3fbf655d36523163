// The validate, fmt and graph subcommands, run as the real binary.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace {

struct Run {
    int status;
    std::string out;
};

// Runs `sfn <args>` with stderr folded into stdout when `merge` is set.
Run sfn(const std::string& args, bool merge = false) {
    const std::string cmd = std::string(SFN_BINARY_DIR) + "/bin/sfn " + args + (merge ? " 2>&1" : " 2>/dev/null");
    Run r{-1, {}};
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int status = ::pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::filesystem::path temp_file(const std::string& name, const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / ("sfn-asl-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / name;
    std::ofstream(path) << text;
    return path;
}

const std::string kValid = R"({"States": {"B": {"End": true, "Type": "Pass"}, "A": {"Next": "B", "Type": "Pass"}}, "StartAt": "A"})";
const std::string kInvalid = R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})";

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(std::string(SFN_BINARY_DIR) + "/bin/sfn")) GTEST_SKIP() << "build the sfn binary first";
    }
};

TEST_F(Cli, ValidateAcceptsAValidFileWithExitZero) {
    auto file = temp_file("ok.asl.json", kValid);
    auto r = sfn("validate " + file.string(), true);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "");
}

TEST_F(Cli, ValidateReportsLocationAndCodeWithExitOne) {
    auto file = temp_file("bad.json", kInvalid);
    auto r = sfn("validate " + file.string(), true);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, file.string() + ": [sfn.asl.E011] /States/A/Next: no state named 'Nowhere' in this scope\n");
}

TEST_F(Cli, ValidateJsonListsDiagnosticsPerFile) {
    auto good = temp_file("ok.json", kValid);
    auto bad = temp_file("bad.json", kInvalid);
    auto r = sfn("validate --json " + good.string() + " " + bad.string());
    EXPECT_EQ(r.status, 1);
    auto report = nlohmann::json::parse(r.out);
    ASSERT_EQ(report.size(), 2u);
    EXPECT_TRUE(report[0]["valid"].get<bool>());
    EXPECT_EQ(report[1]["diagnostics"][0], (nlohmann::json{{"severity", "ERROR"},
                                                            {"code", "sfn.asl.E011"},
                                                            {"awsCode", "MISSING_TRANSITION_TARGET"},
                                                            {"message", "no state named 'Nowhere' in this scope"},
                                                            {"location", "/States/A/Next"}}));
}

TEST_F(Cli, ValidatePrintsWarningsAndExitsZeroUnlessStrict) {
    // GIVEN a valid definition whose Pass Result holds a path and whose Parameters value lacks ".$"
    auto file = temp_file("warn.json", R"({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": "$.bar", "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"x": "$.foo"}, "End": true}}})");
    // WHEN validated, THEN both warnings are printed with their codes and the run succeeds
    auto r = sfn("validate " + file.string(), true);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, file.string() + ": warning: [sfn.asl.W003] /States/A/Result: a Pass state's Result is static: '$.bar' "
                     "is not evaluated (use Parameters with a key ending in '.$' to select from the input)\n" +
                     file.string() + ": warning: [sfn.asl.W001] /States/B/Parameters/x: the field 'x' holds '$.foo', which "
                     "looks like a JSONPath, but its name does not end in '.$', so it is passed on as a literal string\n");
    // AND with --strict the same warnings fail it
    EXPECT_EQ(sfn("validate --strict " + file.string()).status, 1);
    auto json = sfn("validate --json " + file.string());
    EXPECT_EQ(json.status, 0);
    auto report = nlohmann::json::parse(json.out);
    EXPECT_TRUE(report[0]["valid"].get<bool>());
    EXPECT_EQ(report[0]["diagnostics"][1]["severity"], "WARNING");
    EXPECT_EQ(report[0]["diagnostics"][1]["awsCode"], "NO_DOLLAR");
    EXPECT_FALSE(nlohmann::json::parse(sfn("validate --json --strict " + file.string()).out)[0]["valid"].get<bool>());
}

TEST_F(Cli, ValidateTypeExpressRejectsCallbackTasks) {
    auto file = temp_file("token.json", R"({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": true}}})");
    EXPECT_EQ(sfn("validate " + file.string()).status, 0);
    auto r = sfn("validate --type EXPRESS " + file.string(), true);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, file.string() + ": [sfn.asl.E053] /States/A/Resource: an EXPRESS state machine does not support "
                     "the '.waitForTaskToken' integration pattern ('arn:aws:states:::lambda:invoke.waitForTaskToken')\n");
    EXPECT_NE(sfn("validate --type SOMETIMES " + file.string()).status, 0);
}

TEST_F(Cli, ValidateReadsYaml) {
    auto file = temp_file("flow.asl.yaml", "StartAt: A\nStates:\n  A:\n    Type: Wait\n    Seconds: -5\n    End: true\n");
    auto r = sfn("validate " + file.string(), true);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, file.string() + ": [sfn.asl.E031] /States/A/Seconds: expected an integer >= 0, got -5\n");
}

TEST_F(Cli, FmtPrintsCanonicalOrderAndCheckDetectsIt) {
    auto file = temp_file("messy.json", kValid);
    auto r = sfn("fmt " + file.string());
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, nlohmann::ordered_json::parse(R"({"StartAt": "A", "States": {"B": {"Type": "Pass", "End": true},
                     "A": {"Type": "Pass", "Next": "B"}}})").dump(2) + "\n");
    EXPECT_EQ(sfn("fmt --check " + file.string()).status, 1);
    EXPECT_EQ(sfn("fmt -w " + file.string()).status, 0);
    EXPECT_EQ(sfn("fmt --check " + file.string()).status, 0);
}

TEST_F(Cli, AFailedFmtWriteLeavesTheFileAsItWasAndSaysWhy) {
    // GIVEN a file fmt -w would rewrite, and a process that may write no byte to any file (ulimit -f 0)
    auto file = temp_file("keep.json", kValid);
    std::string cmd = "(trap '' XFSZ; ulimit -f 0; ";
    cmd.append(SFN_BINARY_DIR).append("/bin/sfn fmt -w ").append(file.string()).append(") 2>&1");
    FILE* pipe = ::popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::array<char, 4096> buf{};
    std::string out;
    for (std::size_t n = 0; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
    const int status = ::pclose(pipe);
    // THEN it fails naming the file and the reason, and the file keeps its text (no empty file, no leftover)
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << out;
    EXPECT_NE(out.find("[sfn.cli.E023] cannot write the definition '" + file.string() + "': File too large"),
              std::string::npos)
        << out;
    std::ifstream in(file);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), kValid);
    EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
}

TEST_F(Cli, FmtGraphAndResourcesNameTheFileADefinitionErrorIsIn) {
    // GIVEN a definition holding a number no double holds, and one with two fields of the wrong type
    auto huge = temp_file("huge.json", R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":1e999,"End":true}}})");
    auto typed = temp_file("typed.json", R"({"StartAt":"A","States":{"A":{"Type":5},"B":{"Type":"Pass","Next":3}}})");
    for (const char* command : {"fmt ", "graph ", "resources "}) {
        // THEN each command names the file (and the JSON path of each problem), as validate does
        auto r = sfn(command + huge.string(), true);
        EXPECT_EQ(r.status, 2) << command;
        EXPECT_EQ(r.out.rfind("sfn: [sfn.asl.E001] " + huge.string() + ": malformed JSON: a number is out of range", 0),
                  0u)
            << r.out;
        r = sfn(command + typed.string(), true);
        EXPECT_EQ(r.out, "sfn: [sfn.asl.E002] " + typed.string() +
                             ": /States/A/Type: expected a string, got integer\n  " + typed.string() +
                             ": [sfn.asl.E002] /States/B/Next: expected a string, got integer\n")
            << command;
    }
}

TEST_F(Cli, FmtRefusesAFileWithTwoEqualKeysRatherThanDropOne) {
    auto file = temp_file("twice.json", R"({"StartAt":"A","States":{"A":{"Type":"Succeed"},"A":{"Type":"Fail"}}})");
    auto r = sfn("fmt -w " + file.string(), true);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "sfn: [sfn.cli.E024] " + file.string() +
                         ": the key 'A' appears twice in the object at '/States'; fmt would keep only one of them\n");
}

TEST_F(Cli, FmtKeepsEmptyListsAndObjects) {
    // GIVEN a Task with an empty Retry, Catch, Parameters and Assign
    const std::string text = R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::x:y",
        "Parameters": {}, "Assign": {}, "Retry": [], "Catch": [], "End": true}}})";
    auto file = temp_file("empty.json", text);
    // WHEN formatted THEN every field is still there (only order and indentation change)
    auto r = sfn("fmt " + file.string());
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(nlohmann::json::parse(r.out), nlohmann::json::parse(text));
}

TEST_F(Cli, GraphDrawsChoiceRulesAndCatchAsLabelledEdges) {
    auto file = temp_file("g.json", R"({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericGreaterThan": 3, "Next": "S"}], "Default": "F"},
        "S": {"Type": "Succeed"}, "F": {"Type": "Fail"}}})");
    auto dot = sfn("graph " + file.string() + " --format dot");
    EXPECT_EQ(dot.status, 0);
    EXPECT_NE(dot.out.find("label=\"$.x NumericGreaterThan 3\""), std::string::npos) << dot.out;
    EXPECT_NE(dot.out.find("label=\"catch States.ALL\", style=dashed"), std::string::npos) << dot.out;
    EXPECT_NE(dot.out.find("label=\"Default\""), std::string::npos) << dot.out;
    auto mermaid = sfn("graph " + file.string() + " --format mermaid");
    EXPECT_EQ(mermaid.out.rfind("flowchart TD\n", 0), 0u) << mermaid.out;
    EXPECT_NE(mermaid.out.find("-->|\"$.x NumericGreaterThan 3\"|"), std::string::npos) << mermaid.out;
}

TEST_F(Cli, GraphPutsParallelBranchesInClusters) {
    auto file = temp_file("p.json", R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}, {"StartAt": "Y", "States": {"Y": {"Type": "Succeed"}}}]}}})");
    auto dot = sfn("graph " + file.string());
    EXPECT_NE(dot.out.find("label=\"Parallel: P\""), std::string::npos) << dot.out;
    EXPECT_NE(dot.out.find("label=\"Branch 2\""), std::string::npos) << dot.out;
    if (std::system("command -v dot >/dev/null 2>&1") == 0) {
        auto svg = sfn("graph " + file.string() + " --format svg");
        EXPECT_EQ(svg.status, 0);
        EXPECT_NE(svg.out.find("<svg"), std::string::npos);
    }
}

}  // namespace
