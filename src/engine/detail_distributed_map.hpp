#pragma once
// Internal: the parts of a Distributed Map that inline Maps do not have. ItemReader (items from an object
// store: s3:getObject JSON/JSONL/CSV/MANIFEST, s3:listObjectsV2), ItemBatcher in JSONata, ResultWriter (the
// manifest and result files, WriterConfig's transformations) and the Map Run's identity.

#include "engine/detail_jsonata.hpp"
#include "engine/detail_runtime.hpp"
#include "sfn/engine/objects.hpp"

#include <condition_variable>
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

/// Reads the items of `reader` given its evaluated Parameters/Arguments and MaxItems (0 = all): a JSON array.
/// Failures are States.ItemReaderFailed values (or States.Runtime for a missing store).
bool read_items(Runtime& rt, const ItemReaderSpec& reader, const Value& parameters, std::int64_t max_items,
                Value& items, Err& err);
/// The JSONPath form: renders Parameters and MaxItems(Path) against `scope`, then reads.
bool read_items_jsonpath(Runtime& rt, const State& s, const Frame& frame, const jsonpath::Scope& scope,
                         Value& items, Err& err);

/// Groups iteration inputs into ItemBatcher batches: {"BatchInput"?, "Items": [...]}, each at most
/// `per_batch` items (0 = no limit) and `max_bytes` serialized bytes (0 = no limit).
std::vector<Value> make_batches(Runtime& rt, std::vector<Value> inputs, std::int64_t per_batch, std::int64_t max_bytes,
                                const Value* batch_input);

/// How one child execution of a Distributed Map ended, for the ResultWriter. Kept for every child until the
/// result files are written: small (56 bytes), its values shared with the item and the child's output.
struct ChildRecord {
    Value input;
    Value result;  ///< SUCCEEDED: the output; FAILED: {"Error"?, "Cause"?}
    TimePoint start{}, stop{};
    bool ran = false;
    bool ok = false;
};

/// One Distributed Map run: its ARN, its counts and live settings (reported through
/// ExecutionOptions::map_run_sink), the child records a ResultWriter needs, and what it makes of the
/// iterations' results.
class MapRun {
public:
    /// Named at random, or, at the top level of a durable execution, by where it starts (a resumed execution
    /// continues the same run).
    MapRun(Runtime& rt, const State& s, const Frame& frame, const std::vector<Value>& inputs, const MapLimits& limits);
    [[nodiscard]] const std::string& arn() const noexcept { return arn_; }
    /// > 0: the run continues a failed run (a redrive), which it records with MapRunRedriven.
    [[nodiscard]] int redrive_count() const noexcept { return redrive_count_; }
    /// Waits until fewer children run than the run's MaxConcurrency as it is now (0 = no limit; UpdateMapRun
    /// may raise or lower it while the run goes on); false when `cancel` was cancelled first. Each admission
    /// is ended by leave().
    bool admit(const CancelNode& cancel);
    void leave();
    /// Called from the iteration threads (each index once).
    void started(std::size_t i, TimePoint at);
    void finished(std::size_t i, bool ok, const Value& output, const Err& err, TimePoint at);
    /// Whether `failed` failures of `total` children are within the tolerated threshold as it is now
    /// (UpdateMapRun may have changed it).
    [[nodiscard]] bool tolerated(std::size_t failed, std::size_t total) const;
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
    /// is); with it, writes the result files and the manifest (when it has a Resource) and replaces
    /// `result` by {"MapRunArn", "ResultWriterDetails"} or the transformed outputs. Failures are
    /// States.ResultWriterFailed.
    bool finish(const Value& writer_parameters, Value& result, Err& err);

private:
    Value entry(const ChildRecord& r, std::size_t i) const;
    void report_locked();
    [[nodiscard]] std::int64_t items_of(std::size_t i) const { return batch_sizes_.empty() ? 1 : batch_sizes_[i]; }
    Runtime& rt_;
    const State& s_;
    std::string arn_, uuid_, child_prefix_, machine_arn_;
    int redrive_count_ = 0;
    bool keep_records_ = false;
    bool keep_children_ = false;
    bool report_running_ = false;  // children that may block: reported at their start too (RUNNING)
    std::vector<ChildRecord> records_;
    std::vector<std::int64_t> batch_sizes_;  // with ItemBatcher: the items of each child (else one each)
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

/// run_map_iterations, plus the ResultWriter when the state has one (`writer_parameters` evaluates its
/// Parameters/Arguments once the children are done).
bool run_distributed_iterations(Runtime& rt, const State& s, Frame& frame, std::vector<Value> inputs, MapLimits limits,
                                const std::function<bool(Value&, Err&)>& writer_parameters, Value& result, Err& err);

}  // namespace sfn::engine::detail
