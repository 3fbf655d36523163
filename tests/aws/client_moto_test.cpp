// The Step Functions client against a real server: moto_server (started on a free loopback port per suite).
#include "aws/moto_support.hpp"
#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

using namespace sfn::aws;
using namespace sfn::aws::sfn_api;
using nlohmann::json;

namespace {

const char* kRole = "arn:aws:iam::123456789012:role/sfn-test";

std::string hello_definition(const std::string& who) {
    json d = {{"StartAt", "Input Argument Handling"},
              {"States",
               {{"Input Argument Handling",
                 {{"Type", "Pass"}, {"Result", {{"message", "Hello " + who}}}, {"Next", "Task 1"}}},
                {"Task 1", {{"Type", "Pass"}, {"Next", "Task 2"}}},
                {"Task 2", {{"Type", "Pass"}, {"End", true}}}}}};
    return d.dump();
}

class ClientAgainstMoto : public ::testing::Test {
protected:
    static void SetUpTestSuite() { moto_ = std::make_unique<sfn::testing::MotoServer>(); }
    static void TearDownTestSuite() { moto_.reset(); }

    static std::unique_ptr<SfnClient> make_client() {
        ClientConfig config;
        config.region = "us-east-1";
        config.endpoint_url = moto_->endpoint();
        return std::make_unique<SfnClient>(make_curl_transport(),
                                           static_credentials({"testing", "testing", "", std::nullopt, "test"}),
                                           config);
    }

    static DescribeExecutionOutput wait_for(SfnClient& client, const std::string& execution_arn) {
        for (int i = 0; i < 200; ++i) {
            auto d = client.describe_execution({execution_arn, std::nullopt});
            if (d.status != ExecutionStatus::Running) return d;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("execution did not finish: " + execution_arn);
    }

    static std::unique_ptr<sfn::testing::MotoServer> moto_;
};
std::unique_ptr<sfn::testing::MotoServer> ClientAgainstMoto::moto_;

TEST_F(ClientAgainstMoto, RunsTheFlagshipLifecycleOnAStandardMachine) {
    auto client = make_client();
    // GIVEN a created STANDARD machine with a tag
    CreateStateMachineInput create;
    create.name = "stepfunction_deployment_example";
    create.definition = hello_definition("Alice");
    create.role_arn = kRole;
    create.type = StateMachineType::Standard;
    create.tags = {{"Creator", "alice@example.com"}};
    auto created = client->create_state_machine(create);
    EXPECT_EQ(created.state_machine_arn,
              "arn:aws:states:us-east-1:123456789012:stateMachine:stepfunction_deployment_example");

    // WHEN it is executed and waited for THEN the output is Alice's message
    auto started = client->start_execution({created.state_machine_arn, "run-1", "{}", std::nullopt});
    auto done = wait_for(*client, started.execution_arn);
    EXPECT_EQ(done.status, ExecutionStatus::Succeeded);
    EXPECT_EQ(json::parse(done.output.value()), json({{"message", "Hello Alice"}}));

    // WHEN the definition is updated to Bob and executed again THEN the output follows
    UpdateStateMachineInput update;
    update.state_machine_arn = created.state_machine_arn;
    update.definition = hello_definition("Bob");
    client->update_state_machine(update);
    auto described = client->describe_state_machine({created.state_machine_arn, std::nullopt});
    EXPECT_EQ(json::parse(described.definition), json::parse(hello_definition("Bob")));
    EXPECT_EQ(described.type, StateMachineType::Standard);
    auto second = client->start_execution({created.state_machine_arn, "run-2", "{}", std::nullopt});
    EXPECT_EQ(json::parse(wait_for(*client, second.execution_arn).output.value()), json({{"message", "Hello Bob"}}));

    // AND the history of the first run starts with ExecutionStarted and ends with ExecutionSucceeded
    GetExecutionHistoryInput history_request;
    history_request.execution_arn = started.execution_arn;
    history_request.max_results = 2;  // forces pagination
    auto events = client->get_full_execution_history(history_request);
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events.front().type, HistoryEventType::ExecutionStarted);
    EXPECT_EQ(events.back().type, HistoryEventType::ExecutionSucceeded);

    // AND both executions are listed, and the tag is there
    ListExecutionsInput list_request;
    list_request.state_machine_arn = created.state_machine_arn;
    EXPECT_EQ(client->list_all_executions(list_request).size(), 2u);
    auto tags = client->list_tags_for_resource({created.state_machine_arn});
    ASSERT_EQ(tags.tags.size(), 1u);
    EXPECT_EQ(tags.tags[0].key, std::optional<std::string>("Creator"));
    EXPECT_EQ(tags.tags[0].value, std::optional<std::string>("alice@example.com"));

    // WHEN it is deleted THEN describing it is a typed StateMachineDoesNotExist error
    client->delete_state_machine({created.state_machine_arn});
    try {
        client->describe_state_machine({created.state_machine_arn, std::nullopt});
        FAIL() << "expected StateMachineDoesNotExist";
    } catch (const ServiceError& e) {
        EXPECT_TRUE(e.is("StateMachineDoesNotExist")) << e.what();
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.operation(), "DescribeStateMachine");
        EXPECT_EQ(e.code(), "sfn.aws.E001");
    }
}

TEST_F(ClientAgainstMoto, ListsStateMachinesAcrossPages) {
    auto client = make_client();
    std::vector<std::string> arns;
    for (int i = 0; i < 5; ++i) {
        CreateStateMachineInput create;
        create.name = "paged-" + std::to_string(i);
        create.definition = hello_definition("P");
        create.role_arn = kRole;
        arns.push_back(client->create_state_machine(create).state_machine_arn);
    }
    ListStateMachinesInput first_page;
    first_page.max_results = 2;
    auto page = client->list_state_machines(first_page);
    EXPECT_EQ(page.state_machines.size(), 2u);
    EXPECT_TRUE(page.next_token.has_value());
    auto all = client->list_all_state_machines();
    for (const auto& arn : arns) {
        EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const auto& m) { return m.state_machine_arn == arn; }));
        client->delete_state_machine({arn});
    }
}

TEST_F(ClientAgainstMoto, TagsAndUntagsAMachine) {
    auto client = make_client();
    CreateStateMachineInput create;
    create.name = "tagged";
    create.definition = hello_definition("T");
    create.role_arn = kRole;
    auto arn = client->create_state_machine(create).state_machine_arn;
    client->tag_resource({arn, {Tag{"team", "data"}, Tag{"env", "dev"}}});
    client->untag_resource({arn, {"env"}});
    auto tags = client->list_tags_for_resource({arn}).tags;
    ASSERT_EQ(tags.size(), 1u);
    EXPECT_EQ(tags[0].key.value_or(""), "team");
    client->delete_state_machine({arn});
}

TEST_F(ClientAgainstMoto, ReportsServiceErrorsWithCodeMessageAndStatus) {
    auto client = make_client();
    // GIVEN a malformed ARN WHEN describing THEN InvalidArn surfaces as ServiceError, not retried
    auto before = client->attempts();
    try {
        client->describe_execution({"not-an-arn", std::nullopt});
        FAIL() << "expected an error";
    } catch (const ServiceError& e) {
        EXPECT_TRUE(e.is("InvalidArn")) << e.what();
        EXPECT_FALSE(e.is_retryable());
    }
    EXPECT_EQ(client->attempts() - before, 1u);
    // AND the generic call reports an unknown operation by name
    EXPECT_THROW(client->call("NoSuchOperation", json::object()), ServiceError);
}

TEST_F(ClientAgainstMoto, GenericCallSpeaksRawJson) {
    auto client = make_client();
    auto out = client->call("ListStateMachines", json::object());
    EXPECT_TRUE(out.contains("stateMachines"));
}

}  // namespace
