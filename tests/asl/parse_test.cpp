// Parsing: JSON, YAML and files into the model; structural errors with type, pointer and message.
#include "sfn/asl/parse.hpp"
#include "sfn/asl/serialize.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace m = sfn::model;
using sfn::asl::ParseError;

TEST(Parse, ReadsEveryStateTypeIntoItsStruct) {
    // GIVEN a definition with a Task, Choice, Wait and Fail
    auto sm = sfn::asl::parse_json(R"({
      "StartAt": "T", "Comment": "c", "TimeoutSeconds": 60,
      "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C", "TimeoutSeconds": 30,
              "Retry": [{"ErrorEquals": ["States.Timeout"], "BackoffRate": 1.5, "JitterStrategy": "FULL"}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": null}]},
        "C": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$.x", "StringEquals": "a"}, "Next": "W"}], "Default": "F"},
        "W": {"Type": "Wait", "SecondsPath": "$.s", "End": true},
        "F": {"Type": "Fail", "Error": "E", "CausePath": "$.c"}}})");
    // THEN the model holds each field, typed
    ASSERT_EQ(sm.states.size(), 4u);
    EXPECT_EQ(sm.comment, "c");
    EXPECT_EQ(sm.timeout_seconds, 60);
    const auto& task = std::get<m::Task>(sm.states[0].state);
    EXPECT_EQ(task.timeout_seconds, m::IntegerOrExpression{std::int64_t{30}});
    EXPECT_EQ((*task.retry)[0].backoff_rate, 1.5);
    EXPECT_EQ((*task.retry)[0].jitter_strategy, m::JitterStrategy::FULL);
    EXPECT_EQ((*task.catch_)[0].result_path, m::NullablePath{nullptr});
    const auto& choice = std::get<m::Choice>(sm.states[1].state);
    const auto& inner = std::get<m::Comparison>(std::get<m::Not>(choice.choices[0].rule.test).rule->test);
    EXPECT_EQ(inner.op, m::Operator::StringEquals);
    EXPECT_EQ(inner.operand, m::Operand{std::string("a")});
    EXPECT_EQ(std::get<m::Wait>(sm.states[2].state).seconds_path, m::Path{"$.s"});
    EXPECT_EQ(std::get<m::Fail>(sm.states[3].state).cause_path, m::Path{"$.c"});
}

TEST(Parse, YamlGivesTheSameModelAsJson) {
    // GIVEN the same definition in YAML and JSON, with a quoted number-like string
    auto yaml = sfn::asl::parse_yaml(
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result:\n      n: 12\n      s: \"12\"\n      f: 1.5\n      b: true\n      z: null\n    End: true\n");
    auto json = sfn::asl::parse_json(
        R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"n": 12, "s": "12", "f": 1.5, "b": true, "z": null}, "End": true}}})");
    // THEN the models are equal
    EXPECT_EQ(yaml, json);
}

TEST(Parse, FileChoosesTheSyntaxByExtension) {
    auto dir = std::filesystem::temp_directory_path() / "sfn-asl-parse-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "a.asl.yaml") << "StartAt: A\nStates:\n  A: {Type: Succeed}\n";
    std::ofstream(dir / "a.asl.json") << R"({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})";
    EXPECT_EQ(sfn::asl::parse_file(dir / "a.asl.yaml"), sfn::asl::parse_file(dir / "a.asl.json"));
    try {
        (void)sfn::asl::parse_file(dir / "a.txt");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_STREQ(e.what(), ("[sfn.asl.E001] : cannot tell the syntax of '" + (dir / "a.txt").string() +
                                "': expected .json, .asl.json, .yaml, .yml or .asl.yaml").c_str());
    }
}

TEST(Parse, MalformedJsonIsAParseErrorAtTheRoot) {
    try {
        (void)sfn::asl::parse_json("{\"StartAt\": ");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].code, "sfn.asl.E001");
        EXPECT_EQ(e.diagnostics()[0].pointer, "");
    }
}

TEST(Parse, ANumberOutOfRangeADirectoryOrAnEndlessFileIsAParseErrorThatSaysSo) {
    // GIVEN a definition holding 1e999 (no double holds it), and a directory named like a definition
    try {
        (void)sfn::asl::parse_json(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":1e999,"End":true}}})");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].code, "sfn.asl.E001");
        EXPECT_NE(std::string(e.what()).find("malformed JSON: a number is out of range"), std::string::npos)
            << e.what();
    }
    const auto dir = std::filesystem::temp_directory_path() / "sfn-asl-parse-dir.json";
    std::filesystem::create_directories(dir);
    try {
        (void)sfn::asl::parse_file(dir);
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("it is a directory"), std::string::npos) << e.what();
    }
    std::filesystem::remove(dir);
    // AND a file without end (a device) is refused once it passes 64 MiB, not read until the memory runs out
    const auto endless = std::filesystem::temp_directory_path() / "sfn-asl-parse-endless.json";
    std::filesystem::remove(endless);
    std::filesystem::create_symlink("/dev/zero", endless);
    try {
        (void)sfn::asl::parse_file(endless);
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("larger than 64 MiB"), std::string::npos) << e.what();
    }
    std::filesystem::remove(endless);
}

TEST(Parse, YamlThatIsNotUtf8IsRefusedNamingTheLine) {
    try {
        (void)sfn::asl::parse_yaml("StartAt: A\nStates:\n  A: {Type: Pass, Result: \"caf\xff\", End: true}\n");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("malformed YAML: invalid UTF-8 at line 3"), std::string::npos) << e.what();
    }
}

TEST(Parse, TwoEqualKeysAreFoundInJsonAndRefusedInYaml) {
    EXPECT_EQ(sfn::asl::duplicate_json_key(R"({"StartAt":"A","StartAt":"B"})"),
              "the key 'StartAt' appears twice in the top-level object");
    EXPECT_EQ(sfn::asl::duplicate_json_key(R"({"States":{"B":{"Parameters":{"l":[1,{"x":1,"x":2}]}}}})"),
              "the key 'x' appears twice in the object at '/States/B/Parameters/l/1'");
    EXPECT_EQ(sfn::asl::duplicate_json_key(R"({"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]})"), std::nullopt);
    try {
        (void)sfn::asl::parse_yaml("StartAt: A\nStates:\n  A: {Type: Succeed}\n  A: {Type: Pass, End: true}\n");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].pointer, "/States");
        EXPECT_EQ(e.diagnostics()[0].message, "malformed YAML: the key 'A' appears twice");
    }
}

TEST(Parse, ReportsEveryStructuralProblemNotJustTheFirst) {
    // GIVEN three independent structural mistakes
    const auto text = R"({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "End": "yes", "Foo": 1},
        "B": {"Type": "Task", "End": true}}})";
    // WHEN parsed
    try {
        (void)sfn::asl::parse_json(text);
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        // THEN all of them are reported, in document order, with the exact text
        EXPECT_STREQ(e.what(),
                     "[sfn.asl.E002] /States/A/End: expected a boolean, got string\n"
                     "[sfn.asl.E004] /States/A/Foo: unknown field 'Foo' in a Pass state\n"
                     "[sfn.asl.E003] /States/B: missing required field 'Resource'");
        EXPECT_EQ(e.code(), "sfn.asl.E002");
        EXPECT_EQ(e.diagnostics().size(), 3u);
    }
}

TEST(Parse, KeepsInvalidTransitionsForTheValidator) {
    // GIVEN a Choice with Next and a dangling target (valid structure, wrong meaning)
    auto sm = sfn::asl::parse_json(R"({"StartAt": "C", "States": {"C": {"Type": "Choice", "Next": "X",
        "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "Nowhere"}]}}})");
    // THEN the model holds them
    const auto& choice = std::get<m::Choice>(sm.states[0].state);
    EXPECT_EQ(choice.common.next, "X");
    EXPECT_EQ(choice.choices[0].next, "Nowhere");
}

TEST(Parse, JsonataNumberFieldsHoldExpressions) {
    auto sm = sfn::asl::parse_json(R"({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% $states.input.n %}", "End": true}}})");
    EXPECT_EQ(std::get<m::Wait>(sm.states[0].state).seconds, m::IntegerOrExpression{m::Expression{"{% $states.input.n %}"}});
    EXPECT_EQ(sm.query_language, m::QueryLanguage::JSONata);
}

namespace {

std::string parse_failure(const std::string& text, bool yaml) {
    try {
        (void)(yaml ? sfn::asl::parse_yaml(text) : sfn::asl::parse_json(text));
    } catch (const ParseError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(Parse, AMillionNestedBracketsAreAParseErrorNotAStackOverflow) {
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    EXPECT_EQ(parse_failure(deep, false),
              "[sfn.asl.E001] : malformed JSON: nesting deeper than 512 levels at line 1, column 513");
    EXPECT_EQ(parse_failure("{\"StartAt\": " + deep + "}", false),
              "[sfn.asl.E001] : malformed JSON: nesting deeper than 512 levels at line 1, column 524");
    // yaml-cpp's own parser guard stops flow collections long before our converter sees them.
    EXPECT_EQ(parse_failure(deep, true).substr(0, 32), "[sfn.asl.E001] : malformed YAML:");
}

TEST(Parse, SelfReferencingYamlAliasesStopAtTheJsonDepthLimit) {
    // GIVEN a mapping that contains itself through an alias (a cycle once expanded)
    const auto message = parse_failure("a: &a\n  b: *a\n", true);
    // THEN the conversion stops at the depth JSON definitions get, naming the pointer
    std::string pointer = "/a";
    for (int i = 1; i < 512; ++i) pointer += "/b";
    EXPECT_EQ(message, "[sfn.asl.E001] " + pointer + ": malformed YAML: nesting deeper than 512 levels");
}

TEST(Parse, DeepYamlBlocksAreAParseError) {
    // yaml-cpp's own guard refuses block nesting of 500 levels or so.
    std::string yaml;
    for (int i = 0; i < 600; ++i) yaml += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
    EXPECT_EQ(parse_failure(yaml, true).substr(0, 32), "[sfn.asl.E001] : malformed YAML:");
}

TEST(Parse, YamlAliasesCannotExpandWithoutBound) {
    // GIVEN nine levels of ten aliases each: a billion values once expanded
    std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        const std::string prev = "*a" + std::to_string(i - 1);
        yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
        for (int j = 1; j < 10; ++j) yaml += ", " + prev;
        yaml += "]\n";
    }
    const auto message = parse_failure(yaml, true);
    EXPECT_NE(message.find("the YAML document expands to more than 1048576 values (through aliases?)"),
              std::string::npos)
        << message;
}
