// Session + StateMachine against moto_server: the flagship lifecycle (STANDARD, since moto has no
// StartSyncExecution), the original's printed lines, versions/aliases, and the flagship example's output.
#include "aws/moto_support.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/session/state_machine.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

using namespace sfn::session;
using nlohmann::ordered_json;

namespace {

ordered_json hello(const std::string& who) {
    return {{"StartAt", "Input Argument Handling"},
            {"States",
             {{"Input Argument Handling", {{"Type", "Pass"}, {"Result", {{"message", "Hello " + who}}}, {"Next", "Task 1"}}},
              {"Task 1", {{"Type", "Pass"}, {"Next", "Task 2"}}},
              {"Task 2", {{"Type", "Pass"}, {"End", true}}}}}};
}

class StateMachineAgainstMoto : public ::testing::Test {
protected:
    static void SetUpTestSuite() { moto_ = std::make_unique<sfn::testing::MotoServer>(); }
    static void TearDownTestSuite() { moto_.reset(); }
    static Session session() { return Session::with_endpoint(moto_->endpoint()); }
    static std::unique_ptr<sfn::testing::MotoServer> moto_;
};
std::unique_ptr<sfn::testing::MotoServer> StateMachineAgainstMoto::moto_;

TEST_F(StateMachineAgainstMoto, DeploysExecutesUpdatesAndDeletesWithTheOriginalsLines) {
    // GIVEN a machine whose definition is rendered at each deploy, and a recording logger
    std::string who = "Alice";
    StateMachine sm{.name = "flagship_standard", .workflow = Definition([&] { return hello(who); }),
                    .role_arn = "arn:aws:iam::123456789012:role/sfn"};
    sm.tags = {{"Creator", "alice@example.com"}};
    std::vector<std::string> lines;
    sm.logger = [&](const std::string& line) { lines.push_back(line); };
    auto s = session();
    const std::string arn = "arn:aws:states:us-east-1:123456789012:stateMachine:flagship_standard";
    const std::string editor = "https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1"
                               "#/visual-editor?stateMachineArn=" + arn;

    // WHEN deployed the first time THEN it is created, with the original's lines
    EXPECT_FALSE(sm.exists(s));
    auto created = sm.deploy(s);
    EXPECT_EQ(created.action, DeployResult::Action::Created);
    EXPECT_EQ(lines, (std::vector<std::string>{"deploy state machine to '" + arn + "' ...",
                                               "  not exists, create state machine ...",
                                               "  done, preview at: " + editor}));
    EXPECT_EQ(s.account_id(), "123456789012");  // via STS GetCallerIdentity on moto

    // WHEN executed synchronously THEN the STANDARD run is polled to its output
    lines.clear();
    auto first = sm.execute(s, {.input = nlohmann::json::object(), .name = "alice-run", .sync = true});
    EXPECT_TRUE(first.succeeded());
    EXPECT_EQ(first.output, nlohmann::json({{"message", "Hello Alice"}}));
    const std::string exec_arn = "arn:aws:states:us-east-1:123456789012:execution:flagship_standard:alice-run";
    EXPECT_EQ(first.execution_arn, exec_arn);
    EXPECT_EQ(lines, (std::vector<std::string>{
                         "execute state machine '" + arn + "'",
                         "  preview at: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1"
                         "#/v2/executions/details/" + exec_arn}));

    // WHEN the definition changes and it is deployed again THEN it is updated, the diff shows Bob
    who = "Bob";
    lines.clear();
    DeployOptions with_diff;
    with_diff.show_diff = true;
    auto updated = sm.deploy(s, with_diff);
    EXPECT_EQ(updated.action, DeployResult::Action::Updated);
    EXPECT_EQ(lines[1], "  already exists, update state machine ...");
    EXPECT_EQ(updated.diff, nlohmann::json::parse(R"([{"op":"replace",
        "path":"/States/Input Argument Handling/Result/message","value":"Hello Bob"}])"));
    auto second = sm.execute(s, {.input = nlohmann::json::object(), .name = "bob-run", .sync = true});
    EXPECT_EQ(second.output, nlohmann::json({{"message", "Hello Bob"}}));

    // AND the history is complete
    auto events = sm.history(s, second.execution_arn);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().type, sfn::aws::sfn_api::HistoryEventType::ExecutionStarted);
    EXPECT_EQ(events.back().type, sfn::aws::sfn_api::HistoryEventType::ExecutionSucceeded);

    // WHEN deleted THEN the original's lines are printed and describe raises StateMachineDoesNotExist
    lines.clear();
    sm.delete_(s);
    EXPECT_EQ(lines, (std::vector<std::string>{
                         "delete state machine '" + arn + "'",
                         "  done, exam at: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1"
                         "#/statemachines/view/" + arn}));
    try {
        static_cast<void>(sm.describe(s));
        FAIL() << "expected StateMachineDoesNotExist";
    } catch (const sfn::aws::ServiceError& e) {
        EXPECT_TRUE(e.is("StateMachineDoesNotExist")) << e.what();
    }
    EXPECT_FALSE(sm.exists(s));
}

TEST_F(StateMachineAgainstMoto, AFailedExecutionIsAValueUnlessThrowingIsAsked) {
    StateMachine sm{.name = "fails",
                    .workflow = ordered_json{{"StartAt", "F"},
                                             {"States", {{"F", {{"Type", "Fail"}, {"Error", "Boom"}, {"Cause", "bad"}}}}}},
                    .role_arn = "arn:aws:iam::123456789012:role/sfn"};
    sm.logger = null_logger();
    auto s = session();
    sm.deploy(s);
    auto r = sm.execute(s, {.name = "f1", .sync = true});
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, std::optional<std::string>("Boom"));
    try {
        r.throw_if_failed();
        FAIL();
    } catch (const SessionError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "[sfn.session.E002] execution '" + r.execution_arn + "' FAILED: Boom: bad");
    }
    sm.throw_on_failure = true;
    EXPECT_THROW(sm.execute(s, {.name = "f2", .sync = true}), SessionError);
    sm.remove(s);
}

TEST_F(StateMachineAgainstMoto, ExplicitSessionsAndUsageErrors) {
    StateMachine nameless{"", ordered_json::object(), "r"};
    try {
        nameless.deploy(session());
        FAIL();
    } catch (const SessionError& e) {
        EXPECT_EQ(std::string(e.what()), "[sfn.session.E001] StateMachine: name is empty");
    }
    StateMachine no_alias_publish{"x", hello("A"), "r"};
    DeployOptions alias_only;
    alias_only.alias = "live";
    EXPECT_THROW(no_alias_publish.deploy(session(), alias_only), SessionError);
}

std::string run(const std::string& command) {
    std::array<char, 4096> buf{};
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int status = ::pclose(p);
    EXPECT_EQ(status, 0) << command;
    return out;
}

TEST_F(StateMachineAgainstMoto, TheFlagshipExampleOutputMatchesTheCheckedFile) {
    const std::string program = std::string(SFN_BINARY_DIR) + "/bin/flagship";
    ASSERT_TRUE(std::ifstream(program).good()) << "build the 'flagship' target first: " << program;
    auto out = run(program + " --standard --endpoint-url " + moto_->endpoint());
    // Unnamed executions get UUIDs; everything else is deterministic.
    out = std::regex_replace(out, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>");
    std::ifstream expected_file(std::string(SFN_SOURCE_DIR) + "/tests/session/flagship_moto.output");
    std::stringstream expected;
    expected << expected_file.rdbuf();
    EXPECT_EQ(out, expected.str());
}

}  // namespace
