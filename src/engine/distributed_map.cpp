// Distributed Map (detail_distributed_map.hpp): compiling ItemReader/ResultWriter/JSONata ItemBatcher, item
// batches, and the Map Run: its ARN (`mapRun:<machine>/<Label>:<id>`, the Label defaulting to the state's
// name), its children's records and the ResultWriter's manifest and result files.
#include "engine/detail_distributed_map.hpp"
#include "engine/detail_map_feed.hpp"
#include "engine/detail_hash.hpp"
#include "sfn/engine/error.hpp"

#include <cstdio>

namespace sfn::engine::detail {

namespace {

using OJ = nlohmann::ordered_json;

std::optional<jp::Template> jsonpath_template(const OJ& obj, const char* key, const std::string& ptr) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    try {
        return jp::Template::compile(*it);
    } catch (const jsonpath::PathError& e) {
        throw CompileError(ptr + "/" + key, e.detail());
    }
}

std::optional<JsonataTemplate> jsonata_field(const OJ& obj, const char* key, const std::string& ptr) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    return JsonataTemplate::compile(*it, key, ptr + "/" + key);
}

const std::string& string_field(const OJ& obj, const char* key, const std::string& ptr, const std::string& fallback) {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_string()) throw CompileError(ptr + "/" + key, "expected a string, got " + it->dump());
    return it->get_ref<const std::string&>();
}

std::shared_ptr<const ItemReaderSpec> compile_reader(const OJ& def, const std::string& ptr, bool jsonata) {
    if (!def.is_object()) throw CompileError(ptr, "expected an object");
    auto r = std::make_shared<ItemReaderSpec>();
    static const std::string none;
    const std::string& resource = string_field(def, "Resource", ptr, none);
    if (resource == "arn:aws:states:::s3:getObject") {
        r->source = ItemReaderSpec::Source::GetObject;
    } else if (resource == "arn:aws:states:::s3:listObjectsV2") {
        r->source = ItemReaderSpec::Source::ListObjectsV2;
    } else {
        throw CompileError(ptr + "/Resource", "an ItemReader reads with arn:aws:states:::s3:getObject or "
                                              "arn:aws:states:::s3:listObjectsV2, got '" + resource + "'");
    }
    if (jsonata) {
        r->arguments = jsonata_field(def, "Arguments", ptr);
    } else {
        r->parameters = jsonpath_template(def, "Parameters", ptr);
    }
    auto cfg = def.find("ReaderConfig");
    if (cfg == def.end()) return r;
    const std::string cp = ptr + "/ReaderConfig";
    if (!cfg->is_object()) throw CompileError(cp, "expected an object");
    static const std::string json_type = "JSON";
    const std::string& type = string_field(*cfg, "InputType", cp, json_type);
    if (type == "JSON") {
        r->input_type = ItemReaderSpec::InputType::Json;
    } else if (type == "JSONL") {
        r->input_type = ItemReaderSpec::InputType::Jsonl;
    } else if (type == "CSV") {
        r->input_type = ItemReaderSpec::InputType::Csv;
    } else if (type == "MANIFEST") {
        r->input_type = ItemReaderSpec::InputType::Manifest;
    } else if (type == "PARQUET") {
        throw CompileError(cp + "/InputType", "InputType PARQUET is not supported by the local engine (no Parquet "
                                              "reader is built in); JSON, JSONL, CSV and MANIFEST are");
    } else {
        throw CompileError(cp + "/InputType", "expected JSON, JSONL, CSV, MANIFEST or PARQUET, got '" + type + "'");
    }
    static const std::string first_row = "FIRST_ROW";
    const std::string& location = string_field(*cfg, "CSVHeaderLocation", cp, first_row);
    if (location != "FIRST_ROW" && location != "GIVEN")
        throw CompileError(cp + "/CSVHeaderLocation", "expected FIRST_ROW or GIVEN, got '" + location + "'");
    r->csv_first_row = location == "FIRST_ROW";
    if (auto h = cfg->find("CSVHeaders"); h != cfg->end()) {
        if (!h->is_array()) throw CompileError(cp + "/CSVHeaders", "expected an array of strings");
        for (const auto& name : *h) {
            if (!name.is_string()) throw CompileError(cp + "/CSVHeaders", "expected an array of strings");
            r->csv_headers.push_back(name.get<std::string>());
        }
    }
    if (!r->csv_first_row && r->csv_headers.empty())
        throw CompileError(cp + "/CSVHeaders", "CSVHeaderLocation GIVEN needs CSVHeaders");
    static const std::string comma = "COMMA";
    const std::string& delimiter = string_field(*cfg, "CSVDelimiter", cp, comma);
    static const std::pair<const char*, char> delimiters[] = {
        {"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}};
    bool known = false;
    for (const auto& [name, c] : delimiters)
        if (delimiter == name) r->csv_delimiter = c, known = true;
    if (!known) throw CompileError(cp + "/CSVDelimiter", "expected COMMA, PIPE, SEMICOLON, SPACE or TAB, got '" + delimiter + "'");
    r->items_pointer = string_field(*cfg, "ItemsPointer", cp, none);
    if (auto m = cfg->find("MaxItems"); m != cfg->end()) {
        if (jsonata && m->is_string()) {
            r->max_items_expr = JsonataTemplate::compile(*m, "MaxItems", cp + "/MaxItems");
        } else if (m->is_number_integer()) {
            r->max_items = m->get<std::int64_t>();
        } else {
            throw CompileError(cp + "/MaxItems", "expected an integer, got " + m->dump());
        }
    }
    if (auto m = cfg->find("MaxItemsPath"); m != cfg->end()) {
        if (jsonata) throw CompileError(cp + "/MaxItemsPath", "MaxItemsPath is a JSONPath field; JSONata uses MaxItems");
        if (!m->is_string()) throw CompileError(cp + "/MaxItemsPath", "expected a JSONPath string");
        try {
            r->max_items_path = jp::Path::parse_reference(m->get<std::string>());
        } catch (const jsonpath::PathError& e) {
            throw CompileError(cp + "/MaxItemsPath", e.detail());
        }
    }
    return r;
}

std::shared_ptr<const ResultWriterSpec> compile_writer(const OJ& def, const std::string& ptr, bool jsonata) {
    if (!def.is_object()) throw CompileError(ptr, "expected an object");
    auto w = std::make_shared<ResultWriterSpec>();
    static const std::string none;
    const std::string& resource = string_field(def, "Resource", ptr, none);
    if (!resource.empty() && resource != "arn:aws:states:::s3:putObject")
        throw CompileError(ptr + "/Resource", "a ResultWriter writes with arn:aws:states:::s3:putObject, got '" +
                                                  resource + "'");
    w->writes = !resource.empty();
    if (jsonata) {
        w->arguments = jsonata_field(def, "Arguments", ptr);
    } else {
        w->parameters = jsonpath_template(def, "Parameters", ptr);
    }
    if (w->writes && !w->arguments && !w->parameters)
        throw CompileError(ptr, std::string("a ResultWriter with a Resource needs ") + (jsonata ? "Arguments" : "Parameters") +
                                    " naming the Bucket");
    if (auto cfg = def.find("WriterConfig"); cfg != def.end()) {
        const std::string cp = ptr + "/WriterConfig";
        if (!cfg->is_object()) throw CompileError(cp, "expected an object");
        if (cfg->contains("Transformation")) {
            const std::string& t = string_field(*cfg, "Transformation", cp, none);
            w->transformation_given = true;
            if (t == "NONE") {
                w->transformation = ResultWriterSpec::Transformation::None;
            } else if (t == "COMPACT") {
                w->transformation = ResultWriterSpec::Transformation::Compact;
            } else if (t == "FLATTEN") {
                w->transformation = ResultWriterSpec::Transformation::Flatten;
            } else {
                throw CompileError(cp + "/Transformation", "expected NONE, COMPACT or FLATTEN, got '" + t + "'");
            }
        }
        static const std::string json_type = "JSON";
        const std::string& out = string_field(*cfg, "OutputType", cp, json_type);
        if (out != "JSON" && out != "JSONL") throw CompileError(cp + "/OutputType", "expected JSON or JSONL, got '" + out + "'");
        w->jsonl = out == "JSONL";
    } else if (!w->writes) {
        throw CompileError(ptr, "a ResultWriter needs a Resource with Parameters, a WriterConfig, or both");
    }
    if (!w->transformation_given)
        w->transformation = w->writes ? ResultWriterSpec::Transformation::None : ResultWriterSpec::Transformation::Compact;
    return w;
}

std::string uuid_from(std::uint64_t a, std::uint64_t b) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx", static_cast<unsigned long long>(a >> 32),
                  static_cast<unsigned long long>((a >> 16) & 0xffff), static_cast<unsigned long long>(a & 0xfff),
                  static_cast<unsigned long long>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffull));
    return buf;
}

std::uint64_t mix(std::uint64_t x) { return splitmix64(x + 0x9e3779b97f4a7c15ull); }

std::string arn_part(const std::string& arn, std::size_t index) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < index; ++i) {
        start = arn.find(':', start);
        if (start == std::string::npos) return {};
        ++start;
    }
    const auto end = arn.find(':', start);
    return arn.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Err writer_failed(std::string cause) { return Err{"States.ResultWriterFailed", std::move(cause), true, true}; }

}  // namespace

void compile_distributed_fields(MapSpec& m, const OJ& def, const std::string& ptr, bool jsonata) {
    if (auto r = def.find("ItemReader"); r != def.end()) m.reader = compile_reader(*r, ptr + "/ItemReader", jsonata);
    if (auto w = def.find("ResultWriter"); w != def.end()) m.writer = compile_writer(*w, ptr + "/ResultWriter", jsonata);
    if (!jsonata) return;
    if (auto b = def.find("ItemBatcher"); b != def.end()) {
        const std::string bp = ptr + "/ItemBatcher";
        if (!b->is_object()) throw CompileError(bp, "expected an object");
        auto batcher = std::make_shared<JsonataBatcherSpec>();
        batcher->max_items_per_batch = jsonata_field(*b, "MaxItemsPerBatch", bp);
        batcher->max_input_bytes_per_batch = jsonata_field(*b, "MaxInputBytesPerBatch", bp);
        batcher->batch_input = jsonata_field(*b, "BatchInput", bp);
        m.jsonata_batcher = std::move(batcher);
        m.batching = true;
    }
}

MapRun::MapRun(Runtime& rt, const State& s, const Frame& frame, const MapLimits& limits) : rt_(rt), s_(s) {
    std::uint64_t a = 0, b = 0;
    const auto redriven = rt.take_redriven_map_run(s, frame);
    if (redriven) {
        redrive_count_ = redriven->redrive_count;
    } else if (rt.checkpointing(frame)) {
        // A durable execution's run is named by where it starts (the state and the events before it), so that
        // the execution resumed in another process continues the same run, with the same children.
        a = mix(fnv1a64(rt.execution_arn() + '\n' + s.name) ^ static_cast<std::uint64_t>(frame.last));
        b = mix(a ^ 0x5eedULL);
    } else {
        std::lock_guard lock(rt.random_mutex());
        a = rt.random().bits();
        b = rt.random().bits();
    }
    uuid_ = uuid_from(a, b);
    const auto& spec = std::get<MapSpec>(s.spec);
    const std::string label = spec.label.empty() ? s.name : spec.label;
    const std::string& exec = rt.execution_arn();
    std::string machine = arn_part(exec, 6);
    const std::string prefix = "arn:" + arn_part(exec, 1) + ":states:" + arn_part(exec, 3) + ":" + arn_part(exec, 4) + ":";
    // A redriven run keeps its ARN, and so its children's names.
    if (redriven) uuid_ = redriven->map_run_arn.substr(redriven->map_run_arn.rfind(':') + 1);
    arn_ = prefix + "mapRun:" + machine + "/" + label + ":" + uuid_;
    child_prefix_ = prefix + "execution:" + machine + "/" + label + ":";
    machine_arn_ = prefix + "stateMachine:" + machine + "/" + label;
    // Only a ResultWriter needs each child's entry; a run without one keeps just the counts.
    if (spec.writer) entries_ = std::make_unique<ResultEntries>(*spec.writer);
    keep_children_ = rt.options().map_run_child_sink && !spec.express_children && rt.recording();
    report_each_ = spec.processor->may_block;
    // Children that may block are also reported as they start (RUNNING), as AWS lists them while they run;
    // children that cannot block end at once, and cost nothing more.
    report_running_ = keep_children_ && spec.processor->may_block;
    settings_->max_concurrency = limits.max_concurrency;
    settings_->tolerated_failure_count = limits.tolerated_count;
    settings_->tolerated_failure_percentage = limits.tolerated_percentage;
    info_.map_run_arn = arn_;
    info_.execution_arn = exec;
    info_.state_machine_arn = machine_arn_;
    info_.start_date = rt.now();
    if (redriven) {
        info_.redrive_count = redrive_count_;
        info_.redrive_date = info_.start_date;
    }
    std::lock_guard lock(mutex_);
    report_locked();
}

void MapRun::report() {
    std::lock_guard lock(mutex_);
    report_locked();
}

void MapRun::report_locked() {
    since_report_ = 0;
    if (const auto& sink = rt_.options().map_run_sink) sink(info_, settings_);
}

bool MapRun::gate_open_locked() const {
    const auto limit = settings_->max_concurrency.load();
    return limit <= 0 || admitted_ < limit;
}

bool MapRun::admit(const CancelNode& cancel) {
    std::unique_lock lock(gate_mutex_);
    if (!gate_open_locked()) {
        // waiting_ counts the parked waiters; a waiter that takes a handoff is running again.
        ++waiting_;
        rt_.park();
        bool running = false;
        const auto take_handoff = [&] {
            if (running || handoffs_ == 0) return;
            --handoffs_;
            --waiting_;
            running = true;
        };
        while (!cancel.cancelled()) {
            take_handoff();
            if (gate_open_locked()) break;
            if (running) {  // another thread took the free place first
                ++waiting_;
                rt_.park();
                running = false;
            }
            // Woken by leave(); the timeout notices UpdateMapRun raising the limit, and cancellation.
            gate_.wait_for(lock, std::chrono::milliseconds(50));
        }
        take_handoff();
        if (!running) {
            --waiting_;
            rt_.unpark();
        }
    }
    if (cancel.cancelled()) return false;
    ++admitted_;
    return true;
}

void MapRun::leave() {
    std::lock_guard lock(gate_mutex_);
    --admitted_;
    if (waiting_ > handoffs_ && gate_open_locked()) {
        ++handoffs_;
        rt_.unpark();
        gate_.notify_all();
    }
}

void MapRun::add_child(std::int64_t items) {
    // Counted as the feed makes the inputs (DescribeMapRun's totals grow while a large reader is read).
    std::lock_guard lock(mutex_);
    info_.executions.total += 1;
    info_.executions.pending += 1;
    info_.items.total += items;
    info_.items.pending += items;
}

void MapRun::started(std::int64_t items) {
    std::lock_guard lock(mutex_);
    info_.executions.pending -= 1;
    info_.executions.running += 1;
    info_.items.pending -= items;
    info_.items.running += items;
    if (report_each_) report_locked();
}

void MapRun::finished(const ChildInput& child, bool ok, const Value& output, const Err& err, TimePoint start,
                      TimePoint stop) {
    if (entries_) {
        using S = ResultEntries::Status;
        using T = ResultWriterSpec::Transformation;
        const auto& w = *std::get<MapSpec>(s_.spec).writer;
        std::vector<Value> made;
        if (!ok) {
            // A failed child's record is always whole (AWS returns it unchanged, as with NONE).
            made.push_back(entry(child, S::Failed,
                                 Value::object({{"Error", Value(err.error)}, {"Cause", Value(err.cause)}}), start, stop));
        } else if (w.transformation == T::None) {
            made.push_back(entry(child, S::Succeeded, output, start, stop));
        } else if (w.transformation == T::Flatten && output.is_array()) {
            made.assign(output.elements().begin(), output.elements().end());
        } else {
            made.push_back(output);
        }
        entries_->add(child.index, ok ? S::Succeeded : S::Failed, std::move(made));
    }
    std::lock_guard lock(mutex_);
    info_.executions.running -= 1;
    (ok ? info_.executions.succeeded : info_.executions.failed) += 1;
    info_.items.running -= child.items;
    (ok ? info_.items.succeeded : info_.items.failed) += child.items;
    // The service sees progress every few hundred quick children, not at each one.
    if (report_each_ || ++since_report_ >= 256) report_locked();
}

void MapRun::not_finished(const ChildInput& child) {
    if (!entries_) return;
    std::vector<Value> made;
    if (std::get<MapSpec>(s_.spec).writer->writes)
        made.push_back(entry(child, ResultEntries::Status::Pending, Value(), {}, {}));
    entries_->add(child.index, ResultEntries::Status::Pending, std::move(made));
}

bool MapRun::has_threshold() const {
    return settings_->tolerated_failure_count.load() >= 0 || settings_->tolerated_failure_percentage.load() >= 0;
}

MapRun::Tolerance MapRun::tolerance(std::size_t failed, std::size_t total, bool total_known) const {
    const auto count = settings_->tolerated_failure_count.load();
    const auto percentage = settings_->tolerated_failure_percentage.load();
    // With both set, exceeding either fails the run (AWS: "the workflow fails when it exceeds either of them").
    if (count < 0 && percentage < 0) return failed == 0 ? Tolerance::Tolerated : Tolerance::Exceeded;
    if (count >= 0 && static_cast<std::int64_t>(failed) > count) return Tolerance::Exceeded;
    if (percentage < 0) return Tolerance::Tolerated;
    // The share can only fall as more children are read: over it now is not over it in the end.
    if (!total_known) return Tolerance::Undecided;
    return total > 0 && static_cast<double>(failed) * 100.0 / static_cast<double>(total) <= percentage
               ? Tolerance::Tolerated
               : Tolerance::Exceeded;
}

void MapRun::ended(const char* status, TimePoint at) {
    std::lock_guard lock(mutex_);
    info_.status = status;
    info_.stop_date = at;
    // Children that never started were not run; running ones were stopped with the run.
    for (auto* c : {&info_.items, &info_.executions}) {
        c->aborted += c->running;
        c->running = 0;
        if (info_.status != "SUCCEEDED") {
            c->aborted += c->pending;
            c->pending = 0;
        }
    }
    report_locked();
}

std::string MapRun::child_name(std::size_t i) const {
    return uuid_from(mix(i ^ std::hash<std::string>{}(uuid_)), mix(i + 0x51ed));
}

bool MapRun::run_child(std::size_t i, const Graph& g, const Value& input, Frame& iteration, Value& output, Err& err) {
    History events;
    Frame exec = iteration;
    exec.silent = false;
    exec.own_history = true;
    exec.buffer = &events;
    exec.last = 0;
    exec.transitions = 0;
    MapRunChild child;
    child.map_run_arn = arn_;
    child.redrive_count = redrive_count_;
    child.name = child_name(i);
    child.execution_arn = child_prefix_ + child.name;
    child.state_machine_arn = machine_arn_;
    child.input = input.dump();
    child.start_date = rt_.now();
    {
        HistoryEvent e;
        e.type = EventType::ExecutionStarted;
        e.payload = input;
        e.detail_to_fill().role_arn = rt_.options().role_arn;
        rt_.record(exec, std::move(e));
        exec.last = 0;  // as at the top level: the first state's Entered event links to nothing
    }
    LiveHistory live;
    if (report_running_) {
        child.status = "RUNNING";
        child.history = &events;
        rt_.options().map_run_child_sink(child);
        child.history = nullptr;
        live.show = [&] {
            child.history = &events;
            rt_.options().map_run_child_sink(child);
            child.history = nullptr;
        };
        exec.live = &live;
    }
    const bool ok = rt_.run_graph(g, input, exec, output, err);
    iteration.transitions += exec.transitions;
    HistoryEvent e;
    if (ok) {
        e.type = EventType::ExecutionSucceeded;
        e.payload = output;
        child.status = "SUCCEEDED";
        child.output = output.dump();
    } else {
        const bool aborted = is_branch_stopped(err) || rt_.stopping();
        e.type = aborted ? EventType::ExecutionAborted : EventType::ExecutionFailed;
        child.status = aborted ? "ABORTED" : "FAILED";
        if (!is_branch_stopped(err)) {
            put_failure(e, err);
            child.error = err.error;
            child.cause = err.cause;
            child.has_error = err.has_error;
            child.has_cause = err.has_cause;
        }
    }
    rt_.record(exec, std::move(e));
    child.stop_date = rt_.now();
    child.history = &events;
    rt_.options().map_run_child_sink(child);
    return ok;
}

Value MapRun::entry(const ChildInput& child, ResultEntries::Status status, const Value& result, TimePoint start,
                   TimePoint stop) const {
    using S = ResultEntries::Status;
    const std::string name = child_name(child.index);
    std::vector<Member> m;
    m.emplace_back("ExecutionArn", Value(child_prefix_ + name));
    m.emplace_back("Input", Value(child.input.dump()));
    m.emplace_back("InputDetails", Value::object({{"Included", Value(true)}}));
    m.emplace_back("Name", Value(name));
    if (status == S::Succeeded) {
        m.emplace_back("Output", Value(result.dump()));
        m.emplace_back("OutputDetails", Value::object({{"Included", Value(true)}}));
        m.emplace_back("RedriveCount", Value(0));
        m.emplace_back("RedriveStatus", Value("NOT_REDRIVABLE"));
        m.emplace_back("RedriveStatusReason", Value("Execution is SUCCEEDED and cannot be redriven"));
    } else if (status == S::Failed) {
        m.emplace_back("Error", *result.find("Error"));
        m.emplace_back("Cause", *result.find("Cause"));
        m.emplace_back("RedriveCount", Value(0));
        m.emplace_back("RedriveStatus", Value("REDRIVABLE_BY_MAP_RUN"));
    }
    if (status != S::Pending) m.emplace_back("StartDate", Value(format_timestamp(start)));
    m.emplace_back("StateMachineArn", Value(machine_arn_));
    m.emplace_back("Status", Value(status == S::Pending ? "PENDING" : (status == S::Succeeded ? "SUCCEEDED" : "FAILED")));
    if (status != S::Pending) m.emplace_back("StopDate", Value(format_timestamp(stop)));
    return Value::object(std::move(m));
}

bool MapRun::finish(const Value& writer_parameters, MapFeed* feed, Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s_.spec);
    if (!spec.writer) return true;
    const ResultWriterSpec& w = *spec.writer;
    if (!w.writes) {
        // WriterConfig alone: the transformed results are the state's result, in item order.
        result = entries_->take_results();
        return true;
    }
    if (!writer_parameters.is_object() || !writer_parameters.contains("Bucket") ||
        !writer_parameters.at("Bucket").is_string()) {
        err = writer_failed("The ResultWriter's parameters must name a Bucket");
        return false;
    }
    const auto& store = rt_.options().objects;
    if (!store) {
        err = writer_failed("No object store is configured for this execution: run with --s3-dir BUCKET=DIR or "
                            "--integrations aws to write results to S3");
        return false;
    }
    // The children the run did not take are PENDING (a run over its failure threshold).
    if (feed) {
        std::vector<ChildInput> rest;
        while (feed->take(256, rest) > 0) {
            for (const auto& c : rest) not_finished(c);
            rest.clear();
        }
    }
    const std::string bucket = writer_parameters.at("Bucket").as_string();
    std::string prefix;
    if (writer_parameters.contains("Prefix") && writer_parameters.at("Prefix").is_string())
        prefix = writer_parameters.at("Prefix").as_string();
    const std::string base = (prefix.empty() ? "" : (prefix.back() == '/' ? prefix : prefix + "/")) + uuid_ + "/";
    try {
        const std::int64_t written = entries_->write(*store, bucket, base, arn_);
        std::lock_guard lock(mutex_);
        info_.items.results_written = info_.executions.results_written = written;
    } catch (const ObjectError& e) {
        err = writer_failed(e.message() + " (Service: S3, Status Code: " + std::to_string(e.http_status()) +
                            ", Error Code: " + e.s3_code() + ")");
        return false;
    }
    result = Value::object(
        {{"MapRunArn", Value(arn_)},
         {"ResultWriterDetails", Value::object({{"Bucket", Value(bucket)}, {"Key", Value(base + "manifest.json")}})}});
    return true;
}

std::int64_t map_started_length(const State& s, std::size_t items) {
    return std::get<MapSpec>(s.spec).reader ? 0 : static_cast<std::int64_t>(items);
}

void record_map_started(Runtime& rt, const State& s, Frame& frame, std::size_t items) {
    HistoryEvent e;
    e.type = EventType::MapStateStarted;
    e.index = map_started_length(s, items);
    rt.record(frame, std::move(e));
}

void record_map_started_before_tolerance(Runtime& rt, const State& s, Frame& frame, std::size_t items) {
    if (std::get<MapSpec>(s.spec).distributed) record_map_started(rt, s, frame, items);
}

void record_map_run_failed(Runtime& rt, Frame& frame, const Err& err) {
    HistoryEvent e;
    e.type = EventType::MapRunFailed;
    e.set_error(err.error);
    e.set_cause(err.cause);
    rt.record(frame, std::move(e));
}

bool fail_in_map_run(Runtime& rt, const State& s, Frame& frame, const Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    if (!spec.distributed || err.error != "States.ItemReaderFailed") return false;
    frame.container_started = true;  // the state reports MapStateFailed
    record_map_started(rt, s, frame, 0);
    // The run exists (DescribeMapRun, ListMapRuns) with no items, and fails with the reader's error.
    MapRun run(rt, s, frame, MapLimits{});
    {
        HistoryEvent e;
        e.type = EventType::MapRunStarted;
        e.payload = Value(run.arn());
        rt.record(frame, std::move(e));
    }
    record_map_run_failed(rt, frame, err);
    run.ended("FAILED", rt.now());
    return false;
}

}  // namespace sfn::engine::detail
