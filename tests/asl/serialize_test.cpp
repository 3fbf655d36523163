// Serialization: canonical field order, absent fields left out, catch-alls last.
#include "sfn/asl/serialize.hpp"

#include <gtest/gtest.h>

namespace m = sfn::model;
using Json = nlohmann::ordered_json;

TEST(Serialize, TaskFieldsComeInCanonicalOrder) {
    // GIVEN a task with fields set in no particular order
    m::Task task;
    sfn::model::present(task.retry).push_back(m::Retrier{.error_equals = {"States.ALL"}, .max_attempts = 1});
    sfn::model::present(task.retry).push_back(m::Retrier{.error_equals = {"Lambda.ServiceException"}, .interval_seconds = 2, .max_attempts = 3,
                                    .backoff_rate = 2.0});
    task.result_path = m::NullablePath{nullptr};
    task.parameters = Json{{"Payload.$", "$"}};
    task.common.next = "Done";
    task.common.comment = "call it";
    task.resource = "arn:aws:states:::lambda:invoke";
    task.timeout_seconds = std::int64_t{30};
    // WHEN serialized
    const auto out = sfn::asl::serialize_state(task);
    // THEN the order is canonical and States.ALL comes last
    const auto expected = Json::parse(R"({
        "Type": "Task", "Comment": "call it", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 30,
        "Next": "Done", "Parameters": {"Payload.$": "$"}, "ResultPath": null,
        "Retry": [
          {"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3},
          {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}]})");
    EXPECT_EQ(out.dump(), expected.dump());
}

TEST(Serialize, TopLevelOrderIsStartAtCommentVersionTimeoutQueryLanguageStates) {
    m::StateMachine sm;
    sm.states.push_back({"Z", m::Succeed{}});
    sm.states.push_back({"A", m::Fail{.common = {}, .error = "E", .cause = "C"}});
    sm.query_language = m::QueryLanguage::JSONPath;
    sm.timeout_seconds = 10;
    sm.version = "1.0";
    sm.comment = "x";
    sm.start_at = "Z";
    EXPECT_EQ(sfn::asl::serialize(sm).dump(),
              R"({"StartAt":"Z","Comment":"x","Version":"1.0","TimeoutSeconds":10,"QueryLanguage":"JSONPath",)"
              R"("States":{"Z":{"Type":"Succeed"},"A":{"Type":"Fail","Cause":"C","Error":"E"}}})");
}

TEST(Serialize, ChoiceRulesRenderVariableOperatorThenNext) {
    m::Choice choice;
    choice.choices.push_back(m::ChoiceRule{
        .rule = m::Rule{.test = m::And{{m::Rule{.test = m::Comparison{m::Path{"$.n"}, m::Operator::NumericLessThanPath, m::Path{"$.max"}}},
                                        m::Rule{.test = m::Comparison{m::Path{"$.t"}, m::Operator::IsTimestamp, true}}}}},
        .next = "Next"});
    choice.default_ = "Other";
    EXPECT_EQ(sfn::asl::serialize_state(choice).dump(),
              R"({"Type":"Choice","Choices":[{"And":[{"Variable":"$.n","NumericLessThanPath":"$.max"},)"
              R"({"Variable":"$.t","IsTimestamp":true}],"Next":"Next"}],"Default":"Other"})");
}

TEST(Serialize, MapWritesProcessorBeforeItemsAndFlow) {
    m::Map map;
    map.item_processor = m::ItemProcessor{.processor_config = m::ProcessorConfig{m::ProcessorMode::INLINE, std::nullopt},
                                          .comment = std::nullopt, .start_at = "P",
                                          .states = {{"P", m::Pass{.common = {.end = true}}}}, .query_language = std::nullopt};
    map.items_path = m::Path{"$.items"};
    map.max_concurrency = std::int64_t{5};
    map.common.end = true;
    EXPECT_EQ(sfn::asl::serialize_state(map).dump(),
              R"({"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},)"
              R"("ItemsPath":"$.items","MaxConcurrency":5,"End":true})");
}
