// Every ASL field of every state type can be set through the builder.

#include "sfn/builder/builder.hpp"
#include "sfn/jsonpath/error.hpp"

#include <gtest/gtest.h>

namespace {

using Json = nlohmann::ordered_json;
using sfn::model::QueryLanguage;

/// The key set of a serialized state, for checks that do not depend on the canonical order.
std::vector<std::string> keys(const Json& object) {
    std::vector<std::string> out;
    for (const auto& [key, value] : object.items()) out.push_back(key);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(States, TaskTakesEveryField) {
    auto task = sfn::Task("T")
                    .resource("arn:aws:states:::lambda:invoke")
                    .comment("c")
                    .input_path("$.in")
                    .parameters({{"a.$", "$.a"}})
                    .result_selector({{"r.$", "$.Payload"}})
                    .result_path("$.out")
                    .output_path("$.out")
                    .timeout_seconds(30)
                    .heartbeat_seconds(10)
                    .credentials({{"RoleArn", "arn:aws:iam::111122223333:role/R"}})
                    .assign({{"x", 1}})
                    .end();
    auto asl = task.serialize();
    EXPECT_EQ(keys(asl), (std::vector<std::string>{"Assign", "Comment", "Credentials", "End", "HeartbeatSeconds",
                                                    "InputPath", "OutputPath", "Parameters", "Resource",
                                                    "ResultPath", "ResultSelector", "TimeoutSeconds", "Type"}));
    EXPECT_EQ(asl.at("TimeoutSeconds"), 30);
    EXPECT_EQ(asl.at("Credentials").at("RoleArn"), "arn:aws:iam::111122223333:role/R");
    task.timeout_seconds_path("$.limit").heartbeat_seconds_path("$.beat");
    EXPECT_EQ(task.to_model(), task.to_model());
    auto model = std::get<sfn::model::Task>(task.to_model());
    EXPECT_EQ(model.timeout_seconds_path, sfn::model::Path{"$.limit"});
    EXPECT_EQ(model.heartbeat_seconds_path, sfn::model::Path{"$.beat"});
}

TEST(States, JsonataFieldsAreAccepted) {
    auto task = sfn::Task("T")
                    .query_language(QueryLanguage::JSONata)
                    .resource("arn:aws:states:::lambda:invoke")
                    .arguments({{"FunctionName", "f"}, {"Payload", "{% $states.input %}"}})
                    .output("{% $states.result.Payload %}")
                    .timeout_seconds(sfn::Jsonata{"{% $states.input.timeout %}"})
                    .end();
    auto asl = task.serialize();
    EXPECT_EQ(asl.at("QueryLanguage"), "JSONata");
    EXPECT_EQ(asl.at("Arguments").at("Payload"), "{% $states.input %}");
    EXPECT_EQ(asl.at("Output"), "{% $states.result.Payload %}");
    EXPECT_EQ(asl.at("TimeoutSeconds"), "{% $states.input.timeout %}");
}

TEST(States, NullPathsAreWrittenAsNull) {
    auto pass = sfn::Pass("P").input_path(nullptr).result_path(nullptr).output_path(nullptr).end();
    auto asl = pass.serialize();
    EXPECT_TRUE(asl.at("InputPath").is_null());
    EXPECT_TRUE(asl.at("ResultPath").is_null());
    EXPECT_TRUE(asl.at("OutputPath").is_null());
}

TEST(States, PassTakesResultAndParameters) {
    auto pass = sfn::Pass("P").parameters({{"k.$", "$.v"}}).result_path("$.r").end();
    EXPECT_EQ(keys(pass.serialize()), (std::vector<std::string>{"End", "Parameters", "ResultPath", "Type"}));
}

TEST(States, WaitKeepsOnlyTheLastKindOfWait) {
    auto wait = sfn::Wait("W").seconds(5).seconds_path("$.delay").end();
    EXPECT_EQ(wait.serialize().dump(), R"({"Type":"Wait","SecondsPath":"$.delay","End":true})");
    wait.timestamp_path("$.when");
    EXPECT_EQ(wait.serialize().dump(), R"({"Type":"Wait","TimestampPath":"$.when","End":true})");
}

TEST(States, FailTakesErrorAndCauseOrTheirPaths) {
    auto fail = sfn::Fail("F").error("Oops").cause("because");
    EXPECT_EQ(fail.serialize().dump(), R"({"Type":"Fail","Cause":"because","Error":"Oops"})");
    fail.error_path("$.error").cause_path("$.cause");
    EXPECT_EQ(fail.serialize().dump(), R"({"Type":"Fail","CausePath":"$.cause","ErrorPath":"$.error"})");
}

TEST(States, SucceedTakesInputAndOutputPaths) {
    auto succeed = sfn::Succeed("S").input_path("$.a").output_path("$.b").comment("ok");
    EXPECT_EQ(keys(succeed.serialize()), (std::vector<std::string>{"Comment", "InputPath", "OutputPath", "Type"}));
}

TEST(States, ParallelBranchesFromChainsAndSubflows) {
    sfn::Workflow workflow;
    auto sub = workflow.subflow_from(sfn::Pass("B2")).end();
    auto parallel = sfn::Parallel("P")
                        .branch(sfn::Pass("B1").next(sfn::Succeed("B1 done")))
                        .branch(sub)
                        .result_selector({{"first.$", "$[0]"}})
                        .result_path("$.results")
                        .end();
    EXPECT_EQ(parallel.serialize(), Json::parse(R"({"Type":"Parallel","Branches":[
        {"StartAt":"B1","States":{"B1":{"Type":"Pass","Next":"B1 done"},"B1 done":{"Type":"Succeed"}}},
        {"StartAt":"B2","States":{"B2":{"Type":"Pass","End":true}}}],
        "End":true,"ResultSelector":{"first.$":"$[0]"},"ResultPath":"$.results"})"));
}

TEST(States, MapTakesEveryField) {
    sfn::model::ItemBatcher batcher;
    batcher.max_items_per_batch = std::int64_t{10};
    auto map = sfn::Map("M")
                   .item_processor(sfn::Pass("Work").end(),
                                   sfn::model::ProcessorConfig{sfn::model::ProcessorMode::DISTRIBUTED,
                                                               sfn::model::ExecutionType::EXPRESS})
                   .items_path("$.items")
                   .item_selector({{"item.$", "$$.Map.Item.Value"}})
                   .item_reader({"arn:aws:states:::s3:getObject", Json{{"InputType", "JSON"}}, Json{{"Bucket", "b"}}, {}})
                   .item_batcher(batcher)
                   .result_writer({"arn:aws:states:::s3:putObject", {}, Json{{"Bucket", "out"}}, {}})
                   .max_concurrency(5)
                   .tolerated_failure_count(2)
                   .tolerated_failure_percentage(12.5)
                   .label("Items")
                   .end();
    auto asl = map.serialize();
    EXPECT_EQ(asl.at("ItemProcessor"), Json::parse(R"({"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
        "StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}})"));
    EXPECT_EQ(keys(asl), (std::vector<std::string>{"End", "ItemBatcher", "ItemProcessor", "ItemReader", "ItemSelector",
                                                    "ItemsPath", "Label", "MaxConcurrency", "ResultWriter",
                                                    "ToleratedFailureCount", "ToleratedFailurePercentage", "Type"}));
    EXPECT_EQ(asl.at("ItemBatcher").dump(), R"({"MaxItemsPerBatch":10})");
    map.max_concurrency_path("$.limit").tolerated_failure_count_path("$.c").tolerated_failure_percentage_path("$.p");
    auto model = std::get<sfn::model::Map>(map.to_model());
    EXPECT_EQ(model.max_concurrency_path, sfn::model::Path{"$.limit"});
    EXPECT_EQ(model.tolerated_failure_count_path, sfn::model::Path{"$.c"});
    EXPECT_EQ(model.tolerated_failure_percentage_path, sfn::model::Path{"$.p"});
}

TEST(States, ReferencePathFieldsRefuseWildcards) {
    try {
        sfn::Map("M").items_path("$.items[*]");
        FAIL() << "expected PathError";
    } catch (const sfn::jsonpath::PathError& e) {
        EXPECT_EQ(e.code(), "sfn.jsonpath.E002");
    }
}

TEST(States, PathLiteralsAreChecked) {
    using namespace sfn::literals;
    EXPECT_EQ("$.order.id"_path.str(), "$.order.id");
    EXPECT_THROW((void)"order.id"_path, sfn::jsonpath::PathError);
}

TEST(Workflows, TopLevelFieldsAreWritten) {
    sfn::Workflow workflow;
    workflow.comment("c").version("1.0").timeout_seconds(60).query_language(QueryLanguage::JSONata);
    workflow.start_from(sfn::Succeed("Done"));
    EXPECT_EQ(workflow.serialize(), Json::parse(R"({"StartAt":"Done","Comment":"c","Version":"1.0","TimeoutSeconds":60,
        "QueryLanguage":"JSONata","States":{"Done":{"Type":"Succeed"}}})"));
}

TEST(Workflows, StartFromChoiceParallelAndMap) {
    sfn::Workflow choice;
    choice.start_from_choice({sfn::Var("$.x").is_present().next_then(sfn::Succeed("Yes"))},
                             {.default_state = sfn::Fail("No"), .id = "Pick"});
    EXPECT_EQ(choice.serialize(), Json::parse(R"({"StartAt":"Pick","States":{
        "Pick":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Yes"}],"Default":"No"},
        "Yes":{"Type":"Succeed"},"No":{"Type":"Fail"}}})"));

    sfn::Workflow parallel;
    parallel.start_from_parallel({parallel.subflow_from(sfn::Pass("A")).end()}, "Fan").end();
    EXPECT_EQ(parallel.serialize(), Json::parse(R"({"StartAt":"Fan","States":{"Fan":{"Type":"Parallel",
        "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"End":true}}})"));

    sfn::Workflow map;
    map.start_from_map(map.subflow_from(sfn::Pass("I")).end(), {.items_path = "$.items", .max_concurrency = 2, .id = "Each"})
        .end();
    EXPECT_EQ(map.serialize(), Json::parse(R"({"StartAt":"Each","States":{"Each":{"Type":"Map",
        "Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"ItemsPath":"$.items","MaxConcurrency":2,
        "End":true}}})"));
}

TEST(Workflows, DefinitionSnapshotsAModelValue) {
    sfn::Workflow workflow;
    workflow.start_from(sfn::Pass("A")).next_then(sfn::Pass("B")).end();
    auto definition = workflow.definition();
    sfn::model::StateMachine expected;
    expected.start_at = "A";
    sfn::model::Pass a;
    a.common.next = "B";
    sfn::model::Pass b;
    b.common.end = true;
    expected.states = {{"A", a}, {"B", b}};
    EXPECT_EQ(definition, expected);
}

}  // namespace
