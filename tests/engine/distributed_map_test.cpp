// Distributed Map over buckets mapped to local directories: ItemReader (CSV, JSON, JSONL, MANIFEST,
// listObjectsV2), MaxItems, ItemBatcher in JSONata, ResultWriter files and tolerated failures.
#include "engine_support.hpp"

#include "sfn/engine/objects.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace sfn::engine {
namespace {

using testing::event_types;
using testing::run_text;
using testing::virtual_options;
namespace fs = std::filesystem;

class DistributedMap : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("sfn-distmap-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_ / "bucket");
        fs::create_directories(dir_ / "results");
    }
    void TearDown() override { fs::remove_all(dir_); }

    void put(const std::string& key, const std::string& body) {
        const fs::path p = dir_ / "bucket" / key;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << body;
    }
    std::string read_result(const std::string& key) {
        std::ifstream in(dir_ / "results" / key, std::ios::binary);
        EXPECT_TRUE(in) << key;
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    ExecutionOptions options() {
        auto o = virtual_options();
        o.objects = directory_object_store({{"bucket", dir_ / "bucket"}, {"results", dir_ / "results"}});
        return o;
    }
    /// A JSONPath Distributed Map with `reader` (the ItemReader object) and a Pass child.
    ExecutionResult run_reader(const std::string& reader, const std::string& extra = "", const std::string& input = "{}") {
        return run_text(R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + extra + R"("ItemReader":)" + reader +
                            R"(,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                            "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                        input, options());
    }
    fs::path dir_;
};

const char* csv_reader(const char* config) {
    static std::string s;
    s = std::string(R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"f.csv"},"ReaderConfig":)") +
        config + "}";
    return s.c_str();
}

TEST_F(DistributedMap, CsvFirstRowQuotingAndWidthAsAws) {
    put("f.csv", "H1,\"H 2\"\r\n\"a,1\",\"say \"\"hi\"\"\"\nonly\nx,y,z\n\n\"multi\nline\",2\n");
    auto r = run_reader(csv_reader(R"({"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"})"));
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    EXPECT_EQ(r.output.dump(),
              R"([{"H1":"a,1","H 2":"say \"hi\""},{"H1":"only","H 2":""},{"H1":"x","H 2":"y"},{"H1":"multi\nline","H 2":"2"}])");
}

TEST_F(DistributedMap, CsvGivenHeadersDelimiterAndMaxItems) {
    put("f.csv", "1|2\n3|4\n5|6\n");
    auto r = run_reader(
        csv_reader(R"({"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["a","b"],"CSVDelimiter":"PIPE","MaxItems":2})"));
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    EXPECT_EQ(r.output.dump(), R"([{"a":"1","b":"2"},{"a":"3","b":"4"}])");
}

// Recorded on AWS (test_map_item_reader_csv_max_items_paths[-1]): the Map Run reads the items, so it starts
// and fails with the reader's error before the state fails.
TEST_F(DistributedMap, MaxItemsPathNegativeFailsTheMapRunAsAws) {
    put("f.csv", "a\n1\n");
    // WHEN MaxItemsPath selects -1
    Execution exec(compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":)" +
                                            std::string(csv_reader(R"({"InputType":"CSV","MaxItemsPath":"$.n"})")) +
                                            R"(,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                            "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})")),
                   Value::parse(R"({"n":-1})"), options());
    const auto r = exec.run();
    // THEN the execution fails with AWS's error, after a Map Run that started and failed with it
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.ItemReaderFailed");
    EXPECT_EQ(r.cause.value_or(""), "field MaxItems must be positive");
    const auto& h = exec.history();
    ASSERT_EQ(event_types(h), (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                                        "MapRunStarted", "MapRunFailed", "MapStateFailed",
                                                        "ExecutionFailed"}));
    EXPECT_EQ(h[2].to_json()["mapStateStartedEventDetails"], nlohmann::json({{"length", 0}}));
    const std::string arn = h[3].to_json()["mapRunStartedEventDetails"]["mapRunArn"];
    EXPECT_EQ(arn.rfind("arn:aws:states:us-east-1:123456789012:mapRun:TestMachine/M:", 0), 0u) << arn;
    EXPECT_EQ(h[4].to_json()["mapRunFailedEventDetails"],
              nlohmann::json({{"error", "States.ItemReaderFailed"}, {"cause", "field MaxItems must be positive"}}));
}

// Recorded on AWS (test_map_state_tolerated_failure_*_path): AWS evaluates the tolerated failures after
// MapStateStarted, and the execution fails with no MapStateFailed.
TEST_F(DistributedMap, InvalidToleratedFailurePathsFailAfterMapStateStartedAsAws) {
    const auto run_with = [&](const char* field, const char* value) {
        Execution exec(compile(std::string_view(std::string(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.Items",")") +
                                                field + R"(":"$.T","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED",
            "ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})")),
                       Value::parse(std::string(R"({"Items":[0,1],"T":)") + value + "}"), options());
        const auto r = exec.run();
        EXPECT_EQ(r.status, ExecutionStatus::Failed);
        EXPECT_EQ(r.error.value_or(""), "States.Runtime");
        EXPECT_EQ(event_types(exec.history()),
                  (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed"}))
            << field << " " << value;
        EXPECT_EQ(exec.history()[2].to_json()["mapStateStartedEventDetails"], nlohmann::json({{"length", 2}}));
        return r.cause.value_or("");
    };
    const std::string prefix = "An error occurred while executing the state 'M' (entered at the event id #2). ";
    EXPECT_EQ(run_with("ToleratedFailureCountPath", "-1"), prefix + "ToleratedFailureCount cannot be negative.");
    EXPECT_EQ(run_with("ToleratedFailurePercentagePath", "-1.1"),
              prefix + "ToleratedFailurePercentage must be between 0 and 100.");
    EXPECT_EQ(run_with("ToleratedFailurePercentagePath", R"("NoNumber")"),
              prefix + "The ToleratedFailurePercentagePath field refers to value \"NoNumber\" which is not a valid float: $.T");
}

TEST_F(DistributedMap, ItemReaderMapStateStartedHasLengthZeroAsAws) {
    put("f.csv", "a\n1\n2\n");
    Execution exec(compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":)" +
                                            std::string(csv_reader(R"({"InputType":"CSV"})")) +
                                            R"(,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                            "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})")),
                   Value::parse("{}"), options());
    ASSERT_EQ(exec.run().status, ExecutionStatus::Succeeded);
    // AWS reads an ItemReader's items inside the Map Run: MapStateStarted counts none of them.
    EXPECT_EQ(exec.history()[2].to_json()["mapStateStartedEventDetails"], nlohmann::json({{"length", 0}}));
}

TEST_F(DistributedMap, JsonArrayIsReadElementByElement) {
    put("f.json", R"( [ {"a":"],[","b":[1,{"c":"}"}]}, "x\"]", 3 ] )");
    auto r = run_reader(
        R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket.$":"$.b","Key":"f.json"},"ReaderConfig":{"InputType":"JSON"}})",
        R"("ItemsPath":"$.nothing",)", R"({"b":"bucket"})");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    EXPECT_EQ(r.output.dump(), R"([{"a":"],[","b":[1,{"c":"}"}]},"x\"]",3])");
}

TEST_F(DistributedMap, JsonNotAnArrayFails) {
    put("f.json", R"({"a":1})");
    auto r = run_reader(R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"f.json"}})");
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.ItemReaderFailed");
}

TEST_F(DistributedMap, JsonlAcrossReadRangesAndMalformedLine) {
    // Over two 1 MiB ranges, so that lines are cut between reads.
    std::string body;
    for (int i = 0; i < 30000; ++i) body += R"({"i":)" + std::to_string(i) + R"(,"pad":"0123456789012345678901234567890123456789"})" "\n";
    put("f.jsonl", body);
    auto r = run_reader(
        R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"f.jsonl"},"ReaderConfig":{"InputType":"JSONL"}})",
        R"("ItemSelector":{"i.$":"$$.Map.Item.Value.i"},
           "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results"},
                           "WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}},)");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    // All 30,000 outputs exceed the state's 256 KiB result limit: they are read back from the result file.
    const auto manifest = nlohmann::json::parse(read_result(r.output.at("ResultWriterDetails").at("Key").as_string()));
    std::istringstream lines(read_result(manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].get<std::string>()));
    std::string line;
    std::int64_t next = 0;
    while (std::getline(lines, line)) ASSERT_EQ(nlohmann::json::parse(line), nlohmann::json({{"i", next++}}));
    EXPECT_EQ(next, 30000);

    put("bad.jsonl", "{\"a\":1}\n{oops\n");
    auto bad = run_reader(
        R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"bad.jsonl"},"ReaderConfig":{"InputType":"JSONL"}})");
    ASSERT_EQ(bad.status, ExecutionStatus::Failed);
    EXPECT_EQ(bad.error.value_or(""), "States.ItemReaderFailed");
}

TEST_F(DistributedMap, MissingKeyAndBucketFailAsS3Does) {
    auto r = run_reader(R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"nope.json"}})");
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.ItemReaderFailed");
    EXPECT_EQ(r.cause.value_or(""),
              "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey)");
    auto b = run_reader(R"({"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"other"}})");
    ASSERT_EQ(b.status, ExecutionStatus::Failed);
    EXPECT_EQ(b.cause.value_or(""),
              "The specified bucket does not exist (Service: S3, Status Code: 404, Error Code: NoSuchBucket)");
}

TEST_F(DistributedMap, ListObjectsV2GivesEachObjectUnderThePrefix) {
    put("in/b.txt", "12345");
    put("in/a.txt", "1");
    put("out/c.txt", "1");
    auto r = run_reader(R"({"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"bucket","Prefix":"in/"}})");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    ASSERT_EQ(r.output.size(), 2u);
    EXPECT_EQ(r.output[0].at("Key").as_string(), "in/a.txt");
    EXPECT_EQ(r.output[1].at("Key").as_string(), "in/b.txt");
    EXPECT_EQ(r.output[1].at("Size").as_int(), 5);
    EXPECT_EQ(r.output[1].at("StorageClass").as_string(), "STANDARD");
    EXPECT_EQ(r.output[1].at("Etag").as_string().front(), '"');
    EXPECT_TRUE(r.output[1].at("LastModified").is_number());
}

TEST_F(DistributedMap, ManifestReadsTheInventoryCsvFiles) {
    put("inv/manifest.json",
        R"({"sourceBucket":"src","destinationBucket":"arn:aws:s3:::bucket","fileFormat":"CSV","fileSchema":"Bucket, Key, Size",
            "files":[{"key":"inv/data/1.csv","size":1},{"key":"inv/data/2.csv","size":1}]})");
    put("inv/data/1.csv", "\"src\",\"k1\",\"10\"\n");
    put("inv/data/2.csv", "\"src\",\"k2\",\"20\"\n");
    auto r = run_reader(
        R"({"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"inv/manifest.json"},"ReaderConfig":{"InputType":"MANIFEST"}})");
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    EXPECT_EQ(r.output.dump(), R"([{"Bucket":"src","Key":"k1","Size":"10"},{"Bucket":"src","Key":"k2","Size":"20"}])");
}

TEST_F(DistributedMap, JsonataReaderBatcherAndWriterConfig) {
    put("f.jsonl", "1\n2\n3\n4\n5\n");
    auto r = run_text(R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
        "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Arguments":{"Bucket":"bucket","Key":"{% $states.input.key %}"},
                      "ReaderConfig":{"InputType":"JSONL","MaxItems":"{% $states.input.max %}"}},
        "ItemBatcher":{"MaxItemsPerBatch":"{% 2 %}","BatchInput":{"tag":"{% $states.input.tag %}"}},
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P",
                         "States":{"P":{"Type":"Pass","Output":"{% $states.input.Items %}","End":true}}},
        "ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSON"}},
        "End":true}}})",
                      R"({"key":"f.jsonl","max":4,"tag":"t"})", options());
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    EXPECT_EQ(r.output.dump(), "[1,2,3,4]");
}

TEST_F(DistributedMap, ResultWriterWritesManifestAndResultFiles) {
    auto r = run_text(R"({"StartAt":"M","States":{"M":{"Type":"Map","Label":"Lbl","ToleratedFailureCount":1,
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C",
          "States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"F"}],"Default":"P"},
                    "F":{"Type":"Fail","Error":"Bad","Cause":"two"},"P":{"Type":"Pass","End":true}}},
        "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results","Prefix":"jobs"}},
        "End":true}}})",
                      "[1,2,3]", options());
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    const std::string arn = r.output.at("MapRunArn").as_string();
    EXPECT_EQ(arn.rfind("arn:aws:states:us-east-1:123456789012:mapRun:TestMachine/Lbl:", 0), 0u) << arn;
    const std::string uuid = arn.substr(arn.rfind(':') + 1);
    EXPECT_EQ(r.output.at("ResultWriterDetails").dump(),
              R"({"Bucket":"results","Key":"jobs/)" + uuid + R"(/manifest.json"})");
    const auto manifest = nlohmann::json::parse(read_result("jobs/" + uuid + "/manifest.json"));
    EXPECT_EQ(manifest["DestinationBucket"], "results");
    EXPECT_EQ(manifest["MapRunArn"], arn);
    EXPECT_EQ(manifest["ResultFiles"]["PENDING"], nlohmann::json::array());
    ASSERT_EQ(manifest["ResultFiles"]["SUCCEEDED"].size(), 1u);
    EXPECT_EQ(manifest["ResultFiles"]["SUCCEEDED"][0]["Key"], "jobs/" + uuid + "/SUCCEEDED_0.json");
    const std::string succeeded_text = read_result("jobs/" + uuid + "/SUCCEEDED_0.json");
    EXPECT_EQ(manifest["ResultFiles"]["SUCCEEDED"][0]["Size"], succeeded_text.size());
    const auto succeeded = nlohmann::json::parse(succeeded_text);
    ASSERT_EQ(succeeded.size(), 2u);
    EXPECT_EQ(succeeded[0]["Input"], "1");
    EXPECT_EQ(succeeded[0]["Output"], "1");
    EXPECT_EQ(succeeded[0]["Status"], "SUCCEEDED");
    EXPECT_EQ(succeeded[1]["Input"], "3");
    EXPECT_EQ(succeeded[0]["ExecutionArn"].get<std::string>().rfind(
                  "arn:aws:states:us-east-1:123456789012:execution:TestMachine/Lbl:", 0),
              0u);
    const auto failed = nlohmann::json::parse(read_result("jobs/" + uuid + "/FAILED_0.json"));
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0]["Error"], "Bad");
    EXPECT_EQ(failed[0]["Cause"], "two");
    EXPECT_EQ(failed[0]["Input"], "2");
    EXPECT_EQ(failed[0]["Status"], "FAILED");
}

// Four items, two of which fail: a threshold of exactly two failures (or 50%) passes, one less fails.
TEST_F(DistributedMap, ToleratedFailuresAtAndOverTheThreshold) {
    auto run_with = [&](const std::string& tolerance) {
        return run_text(R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + tolerance + R"(
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C",
              "States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":2,"Next":"F"}],"Default":"P"},
                        "F":{"Type":"Fail","Error":"Bad"},"P":{"Type":"Pass","End":true}}},"End":true}}})",
                        "[1,2,3,4]", options());
    };
    EXPECT_EQ(run_with(R"("ToleratedFailureCount":2,)").status, ExecutionStatus::Succeeded);
    EXPECT_EQ(run_with(R"("ToleratedFailurePercentage":50,)").status, ExecutionStatus::Succeeded);
    EXPECT_EQ(run_with(R"("ToleratedFailureCount":2,"ToleratedFailurePercentage":50,)").status, ExecutionStatus::Succeeded);
    // With both set, exceeding either one fails the run (AWS: "fails when it exceeds either of them").
    for (const char* over : {R"("ToleratedFailureCount":1,)", R"("ToleratedFailurePercentage":49.9,)",
                             R"("ToleratedFailureCount":1,"ToleratedFailurePercentage":50,)",
                             R"("ToleratedFailureCount":2,"ToleratedFailurePercentage":49.9,)"}) {
        auto r = run_with(over);
        ASSERT_EQ(r.status, ExecutionStatus::Failed) << over;
        EXPECT_EQ(r.error.value_or(""), "States.ExceedToleratedFailureThreshold");
        EXPECT_EQ(r.cause.value_or(""), "The specified tolerated failure threshold was exceeded");
    }
}

// The same thresholds on an inline Map.
TEST_F(DistributedMap, InlineMapFailsWhenEitherThresholdIsExceeded) {
    auto run_with = [&](const std::string& tolerance) {
        return run_text(R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + tolerance + R"(
            "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"C",
              "States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":2,"Next":"F"}],"Default":"P"},
                        "F":{"Type":"Fail","Error":"Bad"},"P":{"Type":"Pass","End":true}}},"End":true}}})",
                        "[1,2,3,4]", options());
    };
    EXPECT_EQ(run_with(R"("ToleratedFailureCount":2,"ToleratedFailurePercentage":50,)").status, ExecutionStatus::Succeeded);
    for (const char* over : {R"("ToleratedFailureCount":1,"ToleratedFailurePercentage":50,)",
                             R"("ToleratedFailureCount":2,"ToleratedFailurePercentage":49.9,)"}) {
        const auto r = run_with(over);
        EXPECT_EQ(r.status, ExecutionStatus::Failed) << over;
        EXPECT_EQ(r.error.value_or(""), "States.ExceedToleratedFailureThreshold") << over;
    }
}

TEST_F(DistributedMap, NoObjectStoreFailsNamingTheOption) {
    auto o = virtual_options();
    auto r = run_text(R"({"StartAt":"M","States":{"M":{"Type":"Map",
        "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
        "End":true}}})",
                      "{}", o);
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.ItemReaderFailed");
    EXPECT_NE(r.cause.value_or("").find("--s3-dir"), std::string::npos);
}

TEST(DistributedMapConcurrency, ChildrenThatWaitRunMaxConcurrencyAtATime) {
    // GIVEN a Distributed Map over four items whose children wait 10 s each (virtual time)
    auto definition = [](int max_concurrency) {
        return R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":)" +
               std::to_string(max_concurrency) + R"(,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED",
               "ExecutionType":"STANDARD"},"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}}}})";
    };
    for (const auto& limit : {std::pair{0, 10}, std::pair{2, 20}, std::pair{1, 40}}) {
        // WHEN it runs with that MaxConcurrency
        const auto r = run_text(definition(limit.first), "[1,2,3,4]");
        // THEN it lasts as long as the rounds of concurrent children
        ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.to_json().dump();
        EXPECT_EQ(r.output, Value::parse("[1,2,3,4]"));
        EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(r.stop_time - r.start_time).count(), limit.second)
            << "MaxConcurrency " << limit.first;
    }
}

TEST(DistributedMapConcurrency, AFailingChildStopsTheChildrenWaitingForTheirTurn) {
    // GIVEN a Distributed Map, one child at a time, whose first child fails after 5 s
    const auto r = run_text(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":1,
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":5,"Next":"C"},
        "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":0,"Next":"F"}],"Default":"P"},
        "F":{"Type":"Fail","Error":"ItemFailed"},"P":{"Type":"Pass","End":true}}}}}})",
                            "[0,1,2,3,4,5]");
    // THEN the run fails then: the children still waiting to start never run
    EXPECT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error, "ItemFailed");
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(r.stop_time - r.start_time).count(), 5);
}

TEST(DistributedMapCompile, ParquetIsRefusedNamingIt) {
    try {
        (void)compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map",
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"},"ReaderConfig":{"InputType":"PARQUET"}},
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
            "End":true}}})"));
        FAIL() << "compiled";
    } catch (const CompileError& e) {
        EXPECT_EQ(e.pointer(), "/States/M/ItemReader/ReaderConfig/InputType");
        EXPECT_NE(std::string(e.what()).find("PARQUET"), std::string::npos);
    }
}

}  // namespace
}  // namespace sfn::engine
