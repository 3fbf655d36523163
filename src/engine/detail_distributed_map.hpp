#pragma once
// Internal: the parts of a Distributed Map that inline Maps do not have. ItemReader (items from an object
// store: s3:getObject JSON/JSONL/CSV/MANIFEST, s3:listObjectsV2), ItemBatcher in JSONata, ResultWriter (the
// manifest and result files, WriterConfig's transformations) and the Map Run's identity.

#include "engine/detail_jsonata.hpp"
#include "engine/detail_runtime.hpp"
#include "sfn/engine/objects.hpp"

#include <condition_variable>
#include <cstdio>
#include <map>
#include <functional>

namespace sfn::engine::detail {

struct ItemReaderSpec {
    enum class Source : std::uint8_t { GetObject, ListObjectsV2 };
    enum class InputType : std::uint8_t { Json, Jsonl, Csv, Manifest };
    Source source = Source::GetObject;
    InputType input_type = InputType::Json;
    bool csv_first_row = true;             // CSVHeaderLocation FIRST_ROW (else GIVEN with csv_headers)
    std::vector<std::string> csv_headers;
    char csv_delimiter = ',';
    std::string items_pointer;             // ReaderConfig.ItemsPointer (JSON): where the array is
    std::optional<jp::Template> parameters;      // JSONPath `Parameters`
    std::optional<std::int64_t> max_items;       // literal MaxItems
    std::optional<jp::Path> max_items_path;      // JSONPath MaxItemsPath
    std::optional<JsonataTemplate> arguments;    // JSONata `Arguments`
    std::optional<JsonataTemplate> max_items_expr;  // JSONata MaxItems
};

struct ResultWriterSpec {
    enum class Transformation : std::uint8_t { None, Compact, Flatten };
    std::optional<jp::Template> parameters;    // JSONPath (Bucket, Prefix)
    std::optional<JsonataTemplate> arguments;  // JSONata
    bool writes = false;                       // Resource s3:putObject given (else only WriterConfig)
    Transformation transformation = Transformation::None;
    bool transformation_given = false;
    bool jsonl = false;                        // OutputType JSONL
};

/// JSONata forms of ItemBatcher (the JSONPath ones live in MapSpec).
struct JsonataBatcherSpec {
    std::optional<JsonataTemplate> max_items_per_batch, max_input_bytes_per_batch, batch_input;
};

/// Compiles ItemReader, ResultWriter and (JSONata) ItemBatcher of a Map state into `m`.
/// \throws CompileError naming the field.
void compile_distributed_fields(MapSpec& m, const nlohmann::ordered_json& def, const std::string& ptr, bool jsonata);

/// An ItemReader's items, read one at a time as they are asked for: JSONL and CSV record by record, a JSON array
/// element by element, an S3 Inventory's data files one after another, a listing page by page; the object is
/// fetched in 1 MiB ranges and never held whole (a JSON document whose array ItemsPointer selects is parsed
/// whole). Not thread-safe.
class ItemStream {
public:
    /// The stream of `reader` given its evaluated Parameters/Arguments and MaxItems (0 = all); nullptr with `err`
    /// (States.ItemReaderFailed) when they do not name what to read.
    static std::unique_ptr<ItemStream> open(Runtime& rt, const ItemReaderSpec& reader, const Value& parameters,
                                            std::int64_t max_items, Err& err);
    ~ItemStream();
    ItemStream(ItemStream&&) noexcept;
    /// The next item; false at the end (`err` untouched) or when reading fails (`err` set:
    /// States.ItemReaderFailed, with S3's refusal or what is malformed where). Nothing is read after false.
    bool next(Value& item, Err& err);
    /// Items read so far.
    [[nodiscard]] std::int64_t read() const noexcept { return read_; }
    /// About how many bytes the last item took in the object (what reading ahead counts).
    [[nodiscard]] std::size_t last_bytes() const noexcept { return last_bytes_; }

private:
    struct Cursor;
    ItemStream(std::unique_ptr<Cursor> cursor, std::int64_t max_items);
    bool read_next(Value& item, Err& err);
    bool open_object(Err& err);
    bool open_manifest(Err& err);
    bool select_pointer(Value doc, Err& err);
    bool json_element(Value& item, Err& err);
    std::unique_ptr<Cursor> cursor_;
    std::int64_t max_items_ = 0;
    std::int64_t read_ = 0;
    std::size_t last_bytes_ = 0;
    bool ended_ = false;
};

/// The JSONPath form of ItemStream::open: renders Parameters and MaxItems(Path) against `scope`, then opens.
/// nullptr with `err` on failure (States.ItemReaderFailed, or the field's own error).
std::unique_ptr<ItemStream> open_items_jsonpath(Runtime& rt, const State& s, const Frame& frame,
                                                const jsonpath::Scope& scope, Err& err);

class MapFeed;
struct ChildInput;

/// A ResultWriter's entries, made as the children end (a child's input and output are not kept after it):
/// taken in any order, put in child order, and laid out by status (FAILED, PENDING, SUCCEEDED) into the result
/// files' bodies as they come; a body that reaches the size of a result file is moved to a temporary file until
/// the files are written, so memory holds at most one body per status. With WriterConfig alone (no Resource),
/// the transformed results the state returns. Thread-safe.
class ResultEntries {
public:
    enum class Status : std::uint8_t { Failed, Pending, Succeeded };
    explicit ResultEntries(const ResultWriterSpec& writer);
    ~ResultEntries();
    ResultEntries(const ResultEntries&) = delete;
    ResultEntries& operator=(const ResultEntries&) = delete;
    /// Child `index`'s entries (several when FLATTEN spreads its output), each index once.
    void add(std::size_t index, Status status, std::vector<Value> entries);
    /// Writes the result files and the manifest `<base>manifest.json`; the number of SUCCEEDED entries.
    /// \throws ObjectError
    std::int64_t write(const ObjectStore& store, const std::string& bucket, const std::string& base,
                       const std::string& map_run_arn);
    /// WriterConfig alone: the transformed results of the children that ran, in child order.
    Value take_results();

private:
    struct Waiting {
        Status status;
        std::string lines;            // with a Resource: the entries' JSON texts, a line each
        std::vector<Value> entries;   // WriterConfig alone
        std::size_t count = 0;
    };
    /// One status's result files: the one being filled, and the full ones kept in the temporary file.
    struct Files {
        std::string body;
        std::vector<std::pair<std::uint64_t, std::size_t>> spilled;  // offset and size in the temporary file
    };
    void emit_locked(Waiting& w);
    void append_locked(Files& files, std::string_view line);
    void spill_locked(Files& files);
    const ResultWriterSpec& writer_;
    std::mutex mutex_;
    std::size_t next_ = 0;                   // the next child to emit
    std::map<std::size_t, Waiting> waiting_; // children that ended before an earlier one
    Files files_[3];
    std::FILE* spill_ = nullptr;
    std::uint64_t spill_size_ = 0;
    std::int64_t counts_[3] = {0, 0, 0};
    int spill_errno_ = 0;                    // the temporary file could not be made or written
    std::vector<Value> results_;             // WriterConfig alone
};

/// One Distributed Map run: its ARN, its counts and live settings (reported through
/// ExecutionOptions::map_run_sink), the ResultWriter's entries, and what it makes of the iterations' results.
class MapRun {
public:
    /// Named at random, or, at the top level of a durable execution, by where it starts (a resumed execution
    /// continues the same run).
    MapRun(Runtime& rt, const State& s, const Frame& frame, const MapLimits& limits);
    [[nodiscard]] const std::string& arn() const noexcept { return arn_; }
    /// > 0: the run continues a failed run (a redrive), which it records with MapRunRedriven.
    [[nodiscard]] int redrive_count() const noexcept { return redrive_count_; }
    /// A child input was made (`items` items in it): the run's total and pending counts grow.
    void add_child(std::int64_t items);
    /// Tells the service (ExecutionOptions::map_run_sink) how the run stands now.
    void report();
    /// Waits until fewer children run than the run's MaxConcurrency as it is now (0 = no limit; UpdateMapRun
    /// may raise or lower it while the run goes on); false when `cancel` was cancelled first. Each admission
    /// is ended by leave().
    bool admit(const CancelNode& cancel);
    void leave();
    /// Called from the iteration threads.
    void started(std::int64_t items);
    /// A child ended on its own account (succeeded or failed).
    void finished(const ChildInput& child, bool ok, const Value& output, const Err& err, TimePoint start,
                  TimePoint stop);
    /// A child that was taken but did not end on its own account (never started, or stopped with the run):
    /// PENDING in the result files.
    void not_finished(const ChildInput& child);
    enum class Tolerance : std::uint8_t { Tolerated, Exceeded, Undecided };
    /// Whether `failed` failures are within the tolerated threshold as it is now (UpdateMapRun may have
    /// changed it), given `total` children; Undecided when only a percentage could decide and the total is
    /// not known yet (`total_known` false).
    [[nodiscard]] Tolerance tolerance(std::size_t failed, std::size_t total, bool total_known) const;
    /// Whether each child records a history of its own for ExecutionOptions::map_run_child_sink (STANDARD
    /// children of a run whose service keeps them).
    [[nodiscard]] bool keeps_children() const noexcept { return keep_children_; }
    /// Child `i`'s execution name and ARN.
    [[nodiscard]] std::string child_name(std::size_t i) const;
    /// Runs child `i` as an execution with its own history (ExecutionStarted .. its closing event) and hands
    /// it to the child sink; the iteration's outcome as run_graph gives it.
    bool run_child(std::size_t i, const Graph& g, const Value& input, Frame& iteration, Value& output, Err& err);
    /// Whether any tolerated threshold is set.
    [[nodiscard]] bool has_threshold() const;
    /// The run ended (SUCCEEDED, FAILED or ABORTED).
    void ended(const char* status, TimePoint at);
    /// The state's result after the run: without ResultWriter the iteration outputs (`result`, left as
    /// is); with it, writes the result files and the manifest (when it has a Resource; the children `feed`
    /// still holds are PENDING) and replaces `result` by {"MapRunArn", "ResultWriterDetails"} or the
    /// transformed outputs. Failures are States.ResultWriterFailed.
    bool finish(const Value& writer_parameters, MapFeed* feed, Value& result, Err& err);

private:
    Value entry(const ChildInput& child, ResultEntries::Status status, const Value& result, TimePoint start,
                TimePoint stop) const;
    void report_locked();
    Runtime& rt_;
    const State& s_;
    std::string arn_, uuid_, child_prefix_, machine_arn_;
    int redrive_count_ = 0;
    bool keep_children_ = false;
    bool report_running_ = false;  // children that may block: reported at their start too (RUNNING)
    std::unique_ptr<ResultEntries> entries_;  // with a ResultWriter
    std::shared_ptr<MapRunSettings> settings_ = std::make_shared<MapRunSettings>();
    std::mutex mutex_;
    MapRunInfo info_;
    std::size_t since_report_ = 0;
    bool report_each_ = false;  // children that may block: the service sees each start and end
    // The concurrency gate (admit/leave). Virtual time: a waiter leaves the running set; a leaving child
    // hands its place to a waiter (handoffs_) so that time does not move on between the two.
    std::mutex gate_mutex_;
    std::condition_variable gate_;
    std::int64_t admitted_ = 0, waiting_ = 0, handoffs_ = 0;  // waiting_: parked waiters
    [[nodiscard]] bool gate_open_locked() const;
};

/// MapStateStarted's `length`: 0 with an ItemReader (AWS reads those items later, inside the Map Run), else the
/// number of items.
[[nodiscard]] std::int64_t map_started_length(const State& s, std::size_t items);
/// Records MapStateStarted (its length: map_started_length).
void record_map_started(Runtime& rt, const State& s, Frame& frame, std::size_t items);
/// Records MapStateStarted for a Distributed Map whose ToleratedFailure* values turn out invalid: AWS evaluates
/// them after MapStateStarted, and fails the execution with no MapStateFailed. `items`: as map_started_length.
void record_map_started_before_tolerance(Runtime& rt, const State& s, Frame& frame, std::size_t items);
/// A Distributed Map whose ItemReader failed with States.ItemReaderFailed: AWS reads the items inside the Map
/// Run, so the run starts and fails (MapStateStarted, MapRunStarted, MapRunFailed with the reader's error and
/// cause, then MapStateFailed for the state). Other failures, and inline Maps, are left as they are (the state
/// fails before starting). Returns false, `err` unchanged.
bool fail_in_map_run(Runtime& rt, const State& s, Frame& frame, const Err& err);
/// Records MapRunFailed with `err`'s error and cause.
void record_map_run_failed(Runtime& rt, Frame& frame, const Err& err);

/// A Distributed Map's run over the inputs `feed` makes (records MapStateStarted onwards), with the
/// ResultWriter when the state has one (`writer_parameters` evaluates its Parameters/Arguments once the
/// children are done). `record_failure` records what a failure of the feed during the run needs on the
/// execution's thread (JSONata: EvaluationFailed) and returns false (distributed_iterations.cpp).
bool run_distributed_iterations(Runtime& rt, const State& s, Frame& frame, MapFeed& feed, MapLimits limits,
                                const std::function<bool(Value&, Err&)>& writer_parameters,
                                const std::function<bool(Err&)>& record_failure, Value& result, Err& err);

}  // namespace sfn::engine::detail
