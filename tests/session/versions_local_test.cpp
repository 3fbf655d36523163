// Versions, aliases and rollback through StateMachine on the embedded local service (moto has none of them).
#include "sfn/builder/builder.hpp"
#include "sfn/server/embedded.hpp"
#include "sfn/session/session.hpp"
#include "sfn/session/state_machine.hpp"

#include <gtest/gtest.h>

namespace {

using sfn::session::Session;
using sfn::session::StateMachine;

// Runs the machine through `arn` (a version or alias ARN) synchronously and returns the output document.
nlohmann::json run_through(const Session& session, const std::string& arn) {
    nlohmann::json out = session.sfn().call("StartSyncExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
    EXPECT_EQ(out.at("status"), "SUCCEEDED") << out.dump();
    return nlohmann::json::parse(out.at("output").get<std::string>());
}

class VersionsOnLocalService : public ::testing::Test {
protected:
    Session session = Session::local(sfn::server::make_in_memory_service());
    sfn::Workflow workflow;
    sfn::Pass hello = sfn::Pass("Hello").result({{"release", "1.0.0"}});
    StateMachine machine{.name = "versioned", .workflow = workflow, .role_arn = "arn:aws:iam::123456789012:role/demo"};

    void SetUp() override {
        workflow.start_from(hello).end();
        machine.set_type_as_express();
        machine.logger = sfn::session::null_logger();
    }
};

TEST_F(VersionsOnLocalService, DeployPublishesVersionsAndMovesTheAlias) {
    // GIVEN a first deploy that publishes version 1 behind alias "live"
    auto first = machine.deploy(session, {.publish = true, .version_description = "1.0.0", .alias = "live"});
    ASSERT_TRUE(first.version_arn && first.alias_arn);
    EXPECT_EQ(*first.version_arn, machine.arn(session) + ":1");
    EXPECT_EQ(*first.alias_arn, machine.arn(session) + ":live");
    EXPECT_EQ(run_through(session, *first.alias_arn), (nlohmann::json{{"release", "1.0.0"}}));

    // WHEN the same state object changes and the machine is deployed again with publish
    hello.result({{"release", "2.0.0"}});
    auto second = machine.deploy(session, {.publish = true, .version_description = "2.0.0", .alias = "live"});

    // THEN version 2 exists, the alias runs it, and version 1 still runs the old definition
    EXPECT_EQ(second.action, sfn::session::DeployResult::Action::Updated);
    EXPECT_EQ(*second.version_arn, machine.arn(session) + ":2");
    EXPECT_EQ(run_through(session, *second.alias_arn), (nlohmann::json{{"release", "2.0.0"}}));
    EXPECT_EQ(run_through(session, *first.version_arn), (nlohmann::json{{"release", "1.0.0"}}));
    auto versions = machine.versions(session);
    ASSERT_EQ(versions.size(), 2u);
    EXPECT_EQ(versions.front().state_machine_version_arn, *second.version_arn);  // newest first
}

TEST_F(VersionsOnLocalService, RollbackMovesTheAliasToThePreviousVersion) {
    // GIVEN two published versions behind "live"
    auto first = machine.deploy(session, {.publish = true, .version_description = "1.0.0", .alias = "live"});
    hello.result({{"release", "2.0.0"}});
    auto second = machine.deploy(session, {.publish = true, .version_description = "2.0.0", .alias = "live"});

    // WHEN the alias is rolled back without naming a version
    auto now = machine.rollback(session, "live");

    // THEN it points at version 1 and runs the old result; a further rollback has nowhere to go
    EXPECT_EQ(now, *first.version_arn);
    EXPECT_EQ(run_through(session, *second.alias_arn), (nlohmann::json{{"release", "1.0.0"}}));
    EXPECT_THROW(machine.rollback(session, "live"), sfn::Error);
}

TEST_F(VersionsOnLocalService, DiffShowsTheChangedResultBeforeAnUpdate) {
    // GIVEN a deployed machine
    machine.deploy(session);
    EXPECT_EQ(machine.diff(session), nlohmann::json::array());

    // WHEN the state's result changes locally
    hello.result({{"release", "1.0.1"}});

    // THEN the diff against the deployed definition names exactly that field
    auto diff = machine.diff(session);
    ASSERT_EQ(diff.size(), 1u) << diff.dump();
    EXPECT_EQ(diff[0].at("op"), "replace");
    EXPECT_EQ(diff[0].at("path"), "/States/Hello/Result/release");
    EXPECT_EQ(diff[0].at("value"), "1.0.1");
}

}  // namespace

TEST_F(VersionsOnLocalService, ADeployThatWouldChangeTheTypeIsRefused) {
    // GIVEN the machine deployed as EXPRESS
    machine.deploy(session);
    // WHEN the same name is deployed as STANDARD
    StateMachine standard = machine;
    standard.set_type_as_standard();
    // THEN deploy says the type cannot change (an update would leave EXPRESS deployed) and nothing changed
    try {
        standard.deploy(session);
        FAIL() << "expected SessionError";
    } catch (const sfn::session::SessionError& e) {
        EXPECT_NE(std::string(e.what()).find("[sfn.session.E004]"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("is EXPRESS and a state machine's type cannot change to STANDARD"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(machine.describe(session).type, sfn::aws::sfn_api::StateMachineType::Express);
}
