// A Distributed Map over more items than it reads ahead: the items stream into the children as they start
// (the object is not read whole first), the Map Run's totals grow as the items are read, a reader failure on a
// late item fails the run it started, a tolerated failure percentage is judged against the final total, and a
// run stopped early writes the items it never took as PENDING.
#include "engine_support.hpp"

#include "sfn/engine/objects.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>

namespace sfn::engine {
namespace {

using testing::event_types;
using testing::virtual_options;
namespace fs = std::filesystem;

/// An object store that counts the bytes read from it.
class CountingStore final : public ObjectStore {
public:
    explicit CountingStore(std::shared_ptr<ObjectStore> inner) : inner_(std::move(inner)) {}
    std::string read(const std::string& bucket, const std::string& key, std::uint64_t offset,
                     std::size_t length) const override {
        auto body = inner_->read(bucket, key, offset, length);
        bytes_ += body.size();
        return body;
    }
    ObjectPage list(const std::string& bucket, const std::string& prefix, const std::string& token) const override {
        return inner_->list(bucket, prefix, token);
    }
    void write(const std::string& bucket, const std::string& key, const std::string& body) const override {
        inner_->write(bucket, key, body);
    }
    [[nodiscard]] std::uint64_t bytes() const { return bytes_.load(); }

private:
    std::shared_ptr<ObjectStore> inner_;
    mutable std::atomic<std::uint64_t> bytes_{0};
};

class DistributedMapStreaming : public ::testing::Test {
protected:
    static constexpr int rows = 60'000;  // six times what a run reads ahead

    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("sfn-diststream-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_ / "bucket");
        fs::create_directories(dir_ / "results");
        store_ = std::make_shared<CountingStore>(
            directory_object_store({{"bucket", dir_ / "bucket"}, {"results", dir_ / "results"}}));
    }
    void TearDown() override { fs::remove_all(dir_); }

    /// `rows` JSONL lines {"i": n, "pad": ...} (about 300 bytes each), then `tail`.
    std::uint64_t put_lines(const std::string& key, const std::string& tail = "") {
        std::ofstream out(dir_ / "bucket" / key, std::ios::binary);
        const std::string pad(260, 'x');
        for (int i = 0; i < rows; ++i) out << R"({"i":)" << i << R"(,"pad":")" << pad << "\"}\n";
        out << tail;
        out.close();
        return fs::file_size(dir_ / "bucket" / key);
    }
    std::string read_result(const std::string& key) {
        std::ifstream in(dir_ / "results" / key, std::ios::binary);
        EXPECT_TRUE(in) << key;
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    ExecutionOptions options() {
        auto o = virtual_options();
        o.objects = store_;
        o.map_run_sink = [this](const MapRunInfo& info, const std::shared_ptr<MapRunSettings>&) {
            std::lock_guard lock(mutex_);
            reports_.push_back(info);
            bytes_at_report_.push_back(store_->bytes());
        };
        return o;
    }
    /// A Distributed Map reading key "f.jsonl" whose child fails (Error "Bad") for items below `failing`.
    ExecutionResult run_map(const std::string& fields, int failing = 0) {
        Execution exec(compile(std::string_view(R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + fields + R"(
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"bucket","Key":"f.jsonl"},
                          "ReaderConfig":{"InputType":"JSONL"}},
            "ItemSelector":{"i.$":"$$.Map.Item.Value.i"},
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"C",
              "States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":)" +
                                                std::to_string(failing) + R"(,"Next":"F"}],"Default":"P"},
                        "F":{"Type":"Fail","Error":"Bad","Cause":"item failed"},"P":{"Type":"Pass","End":true}}},
            "End":true}}})")),
                       Value::object({}), options());
        auto r = exec.run();
        events_.clear();
        for (const auto& e : exec.history()) events_.push_back(e.to_json());
        types_ = event_types(exec.history());
        return r;
    }
    std::vector<MapRunInfo> reports() {
        std::lock_guard lock(mutex_);
        return reports_;
    }
    std::uint64_t bytes_at_first_progress() {
        std::lock_guard lock(mutex_);
        for (std::size_t k = 0; k < reports_.size(); ++k)
            if (reports_[k].executions.succeeded > 0) return bytes_at_report_[k];
        return 0;
    }
    static const char* writer() {
        return R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results"},
                                  "WriterConfig":{"OutputType":"JSONL"}},)";
    }

    fs::path dir_;
    std::shared_ptr<CountingStore> store_;
    std::mutex mutex_;
    std::vector<MapRunInfo> reports_;
    std::vector<std::uint64_t> bytes_at_report_;
    std::vector<nlohmann::json> events_;
    std::vector<std::string> types_;
};

TEST_F(DistributedMapStreaming, ChildrenStartBeforeTheObjectIsRead) {
    // GIVEN a JSONL object of 60,000 items (about 18 MB) and a Distributed Map with a ResultWriter
    const std::uint64_t size = put_lines("f.jsonl");
    // WHEN it runs
    const auto r = run_map(writer());
    // THEN every child ran, in order in the result file
    ASSERT_EQ(r.status, ExecutionStatus::Succeeded) << r.cause.value_or("");
    const auto manifest = nlohmann::json::parse(read_result(r.output.at("ResultWriterDetails").at("Key").as_string()));
    std::ifstream lines(dir_ / "results" / manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].get<std::string>());
    std::string line;
    int next = 0;
    while (std::getline(lines, line))
        ASSERT_EQ(nlohmann::json::parse(nlohmann::json::parse(line)["Input"].get<std::string>())["i"], next++);
    EXPECT_EQ(next, rows);
    // AND the first children had ended when less than half of the object was read
    const std::uint64_t early = bytes_at_first_progress();
    EXPECT_GT(early, 0u);
    EXPECT_LT(early, size / 2) << "of " << size << " bytes";
    EXPECT_EQ(store_->bytes(), size);
    // AND the run's total grew as the items were read, ending at every item
    const auto all = reports();
    ASSERT_FALSE(all.empty());
    std::int64_t first_total = -1;
    for (const auto& info : all)
        if (info.executions.succeeded > 0 && first_total < 0) first_total = info.executions.total;
    EXPECT_GT(first_total, 0);
    EXPECT_LT(first_total, rows);
    EXPECT_EQ(all.back().status, "SUCCEEDED");
    EXPECT_EQ(all.back().executions.total, rows);
    EXPECT_EQ(all.back().executions.succeeded, rows);
    EXPECT_EQ(all.back().items.results_written, rows);
}

TEST_F(DistributedMapStreaming, AMalformedLateLineFailsTheRunItStarted) {
    // GIVEN 60,000 good lines followed by a malformed one
    put_lines("f.jsonl", "{oops\n");
    // WHEN the Map runs
    const auto r = run_map("");
    // THEN the execution fails with the reader's error, recorded by the Map Run that its children ran in
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.ItemReaderFailed");
    EXPECT_NE(r.cause.value_or("").find("Failed to parse the JSONL line"), std::string::npos) << r.cause.value_or("");
    EXPECT_EQ(types_, (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                               "MapRunFailed", "MapStateFailed", "ExecutionFailed"}));
    EXPECT_EQ(events_.at(4)["mapRunFailedEventDetails"]["error"], "States.ItemReaderFailed");
    const auto all = reports();
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.back().status, "FAILED");
    EXPECT_GT(all.back().executions.succeeded, 0);
}

TEST_F(DistributedMapStreaming, AToleratedPercentageIsJudgedAgainstTheFinalTotal) {
    // GIVEN 60,000 items whose first 300 fail (0.5%): more than 0.5% of the items read when they fail
    put_lines("f.jsonl");
    // WHEN 0.5% is tolerated THEN the run succeeds: the share is judged against all 60,000
    const auto at = run_map(std::string(writer()) + R"("ToleratedFailurePercentage":0.5,)", 300);
    ASSERT_EQ(at.status, ExecutionStatus::Succeeded) << at.cause.value_or("");
    // WHEN 0.49% is tolerated THEN it fails over the threshold
    const auto over = run_map(std::string(writer()) + R"("ToleratedFailurePercentage":0.49,)", 300);
    ASSERT_EQ(over.status, ExecutionStatus::Failed);
    EXPECT_EQ(over.error.value_or(""), "States.ExceedToleratedFailureThreshold");
}

TEST_F(DistributedMapStreaming, ARunStoppedEarlyWritesTheItemsItNeverTookAsPending) {
    // GIVEN 60,000 items whose first fails, with no failure tolerated and a ResultWriter
    put_lines("f.jsonl");
    // WHEN the Map runs
    const auto r = run_map(std::string(writer()) + R"("ToleratedFailureCount":0,)", 1);
    // THEN it fails over the threshold, and the result files hold every item once
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.ExceedToleratedFailureThreshold");
    std::size_t entries = 0, failed = 0, pending = 0;
    for (const auto& p : fs::recursive_directory_iterator(dir_ / "results")) {
        if (!p.is_regular_file() || p.path().filename() == "manifest.json") continue;
        std::ifstream in(p.path());
        std::string line;
        while (std::getline(in, line)) {
            const auto status = nlohmann::json::parse(line)["Status"].get<std::string>();
            ++entries;
            failed += status == "FAILED";
            pending += status == "PENDING";
        }
    }
    EXPECT_EQ(entries, static_cast<std::size_t>(rows));
    EXPECT_EQ(failed, 1u);
    EXPECT_GT(pending, static_cast<std::size_t>(rows / 2));
}

TEST_F(DistributedMapStreaming, OutputsOverThePayloadLimitFailTheStateAsBefore) {
    // GIVEN 60,000 items and no ResultWriter: the outputs are the state's result, far over 256 KiB
    put_lines("f.jsonl");
    // WHEN the Map runs
    const auto r = run_map("");
    // THEN the run succeeds and the state fails with States.DataLimitExceeded
    ASSERT_EQ(r.status, ExecutionStatus::Failed);
    EXPECT_EQ(r.error.value_or(""), "States.DataLimitExceeded");
    EXPECT_EQ(r.cause.value_or(""),
              "The state/task 'M' returned a result with a size exceeding the maximum number of bytes service limit.");
    EXPECT_EQ(types_,
              (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                        "MapRunSucceeded", "MapStateSucceeded", "MapStateFailed", "ExecutionFailed"}));
    EXPECT_EQ(reports().back().status, "SUCCEEDED");
}

}  // namespace
}  // namespace sfn::engine
