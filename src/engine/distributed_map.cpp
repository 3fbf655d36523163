// Distributed Map (detail_distributed_map.hpp): compiling ItemReader/ResultWriter/JSONata ItemBatcher, item
// batches, and the Map Run: its ARN (`mapRun:<machine>/<Label>:<id>`, the Label defaulting to the state's
// name), its children's records and the ResultWriter's manifest and result files.
#include "engine/detail_distributed_map.hpp"
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

// AWS splits result files at 5 GB; here at 64 MiB, so that a run's results are never one string in memory.
constexpr std::size_t result_file_bytes = std::size_t{64} << 20;

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

std::vector<Value> make_batches(Runtime& rt, std::vector<Value> inputs, std::int64_t per_batch, std::int64_t max_bytes,
                                const Value* batch_input) {
    std::vector<Value> batches;
    std::vector<Value> current;
    std::size_t bytes = 0;
    auto flush = [&] {
        if (current.empty()) return;
        std::vector<Member> m;
        if (batch_input) m.emplace_back("BatchInput", *batch_input);
        m.emplace_back("Items", Value::array(std::move(current)));
        batches.push_back(Value::object(std::move(m)));
        current.clear();
        bytes = 0;
    };
    for (auto& in : inputs) {
        const std::size_t size = max_bytes > 0 ? rt.payload_size(in, 1u << 30) : 0;
        if (!current.empty() && ((per_batch > 0 && static_cast<std::int64_t>(current.size()) >= per_batch) ||
                                 (max_bytes > 0 && static_cast<std::int64_t>(bytes + size) > max_bytes)))
            flush();
        current.push_back(std::move(in));
        bytes += size;
    }
    flush();
    return batches;
}

MapRun::MapRun(Runtime& rt, const State& s, const Frame& frame, const std::vector<Value>& inputs,
               const MapLimits& limits)
    : rt_(rt), s_(s) {
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
    // Only a ResultWriter needs each child's record; a run without one keeps just the counts.
    keep_records_ = spec.writer != nullptr;
    keep_children_ = rt.options().map_run_child_sink && !spec.express_children && rt.recording();
    report_each_ = spec.processor->may_block;
    // Children that may block are also reported as they start (RUNNING), as AWS lists them while they run;
    // children that cannot block end at once, and cost nothing more.
    report_running_ = keep_children_ && spec.processor->may_block;
    if (keep_records_) {
        records_.resize(inputs.size());
        for (std::size_t i = 0; i < inputs.size(); ++i) records_[i].input = inputs[i];
    }
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
    info_.executions.total = info_.executions.pending = static_cast<std::int64_t>(inputs.size());
    info_.items = info_.executions;
    if (spec.batching) {
        // DescribeMapRun counts items apart from the child executions that run them in batches.
        batch_sizes_.reserve(inputs.size());
        std::int64_t items = 0;
        for (const auto& batch : inputs) {
            const Value* in = batch.is_object() ? batch.find("Items") : nullptr;
            batch_sizes_.push_back(in && in->is_array() ? static_cast<std::int64_t>(in->size()) : 1);
            items += batch_sizes_.back();
        }
        info_.items.total = info_.items.pending = items;
    }
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

void MapRun::started(std::size_t i, TimePoint at) {
    if (keep_records_) records_[i].start = at;
    std::lock_guard lock(mutex_);
    info_.executions.pending -= 1;
    info_.executions.running += 1;
    info_.items.pending -= items_of(i);
    info_.items.running += items_of(i);
    if (report_each_) report_locked();
}

void MapRun::finished(std::size_t i, bool ok, const Value& output, const Err& err, TimePoint at) {
    if (keep_records_) {
        auto& r = records_[i];
        r.ran = true;
        r.ok = ok;
        r.stop = at;
        if (ok) {
            r.result = output;
        } else {
            r.result = Value::object({{"Error", Value(err.error)}, {"Cause", Value(err.cause)}});
        }
    }
    std::lock_guard lock(mutex_);
    info_.executions.running -= 1;
    (ok ? info_.executions.succeeded : info_.executions.failed) += 1;
    info_.items.running -= items_of(i);
    (ok ? info_.items.succeeded : info_.items.failed) += items_of(i);
    // The service sees progress every few hundred quick children, not at each one.
    if (report_each_ || ++since_report_ >= 256) report_locked();
}

bool MapRun::has_threshold() const {
    return settings_->tolerated_failure_count.load() >= 0 || settings_->tolerated_failure_percentage.load() >= 0;
}

bool MapRun::tolerated(std::size_t failed, std::size_t total) const {
    const auto count = settings_->tolerated_failure_count.load();
    const auto percentage = settings_->tolerated_failure_percentage.load();
    if (count >= 0 && static_cast<std::int64_t>(failed) <= count) return true;
    return percentage >= 0 && total > 0 &&
           static_cast<double>(failed) * 100.0 / static_cast<double>(total) <= percentage;
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
        e.role_arn = rt_.options().role_arn;
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
            e.error = child.error = err.error;
            e.cause = child.cause = err.cause;
            e.has_error = child.has_error = err.has_error;
            e.has_cause = child.has_cause = err.has_cause;
        }
    }
    rt_.record(exec, std::move(e));
    child.stop_date = rt_.now();
    child.history = &events;
    rt_.options().map_run_child_sink(child);
    return ok;
}

Value MapRun::entry(const ChildRecord& r, std::size_t i) const {
    const std::string name = child_name(i);
    std::vector<Member> m;
    m.emplace_back("ExecutionArn", Value(child_prefix_ + name));
    m.emplace_back("Input", Value(r.input.dump()));
    m.emplace_back("InputDetails", Value::object({{"Included", Value(true)}}));
    m.emplace_back("Name", Value(name));
    if (r.ran && r.ok) {
        m.emplace_back("Output", Value(r.result.dump()));
        m.emplace_back("OutputDetails", Value::object({{"Included", Value(true)}}));
        m.emplace_back("RedriveCount", Value(0));
        m.emplace_back("RedriveStatus", Value("NOT_REDRIVABLE"));
        m.emplace_back("RedriveStatusReason", Value("Execution is SUCCEEDED and cannot be redriven"));
    } else if (r.ran) {
        m.emplace_back("Error", *r.result.find("Error"));
        m.emplace_back("Cause", *r.result.find("Cause"));
        m.emplace_back("RedriveCount", Value(0));
        m.emplace_back("RedriveStatus", Value("REDRIVABLE_BY_MAP_RUN"));
    }
    if (r.ran) m.emplace_back("StartDate", Value(format_timestamp(r.start)));
    m.emplace_back("StateMachineArn", Value(machine_arn_));
    m.emplace_back("Status", Value(!r.ran ? "PENDING" : (r.ok ? "SUCCEEDED" : "FAILED")));
    if (r.ran) m.emplace_back("StopDate", Value(format_timestamp(r.stop)));
    return Value::object(std::move(m));
}

bool MapRun::finish(const Value& writer_parameters, Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s_.spec);
    if (!spec.writer) return true;
    const ResultWriterSpec& w = *spec.writer;
    using T = ResultWriterSpec::Transformation;
    enum class Status : std::uint8_t { Failed, Pending, Succeeded };
    // Each child's entries as the transformation has them: succeeded ones transformed, failed and pending
    // ones always in full (AWS returns a failed child's record unchanged, as with NONE).
    const auto each_entry = [&](Status status, const auto& emit) {
        for (std::size_t i = 0; i < records_.size(); ++i) {
            const auto& r = records_[i];
            const Status of = !r.ran ? Status::Pending : (r.ok ? Status::Succeeded : Status::Failed);
            if (of != status) continue;
            if (of != Status::Succeeded || w.transformation == T::None) {
                emit(entry(r, i));
            } else if (w.transformation == T::Flatten && r.result.is_array()) {
                for (const auto& e : r.result.elements()) emit(e);
            } else {
                emit(r.result);
            }
        }
    };
    if (!w.writes) {
        // WriterConfig alone: the transformed results are the state's result, in item order.
        std::vector<Value> all;
        for (std::size_t i = 0; i < records_.size(); ++i) {
            const auto& r = records_[i];
            if (!r.ran) continue;
            if (!r.ok || w.transformation == T::None) {
                all.push_back(entry(r, i));
            } else if (w.transformation == T::Flatten && r.result.is_array()) {
                for (const auto& e : r.result.elements()) all.push_back(e);
            } else {
                all.push_back(r.result);
            }
        }
        result = Value::array(std::move(all));
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
    const std::string bucket = writer_parameters.at("Bucket").as_string();
    std::string prefix;
    if (writer_parameters.contains("Prefix") && writer_parameters.at("Prefix").is_string())
        prefix = writer_parameters.at("Prefix").as_string();
    const std::string base = (prefix.empty() ? "" : (prefix.back() == '/' ? prefix : prefix + "/")) + uuid_ + "/";
    const char* extension = w.jsonl ? ".jsonl" : ".json";
    std::vector<Member> files;
    try {
        for (const auto& [status, name] : {std::pair<Status, const char*>{Status::Failed, "FAILED"},
                                           {Status::Pending, "PENDING"},
                                           {Status::Succeeded, "SUCCEEDED"}}) {
            // Rendered entry by entry (no entry outlives its line of the file) into files of at most
            // result_file_bytes each, numbered from 0 as AWS numbers the parts of a large result.
            const std::string file_name = name;  // (clang 14: no lambda captures of structured bindings)
            std::string body;
            std::size_t count = 0, part = 0;
            std::vector<Value> listed;
            const auto flush = [&] {
                if (body.empty()) return;
                if (!w.jsonl) body += ']';
                const std::string key = base + file_name + "_" + std::to_string(part++) + extension;
                store->write(bucket, key, body);
                listed.push_back(Value::object({{"Key", Value(key)}, {"Size", Value(static_cast<std::int64_t>(body.size()))}}));
                body.clear();
            };
            each_entry(status, [&](const Value& e) {
                const std::string line = e.dump();
                // A file is flushed before an entry would take it over the limit, and the buffer grows by
                // doubling up to the limit only (its capacity is kept from file to file): never past it.
                const std::size_t needed = body.size() + line.size() + 2;
                if (!body.empty() && needed > result_file_bytes) flush();
                if (needed > body.capacity() && body.capacity() < result_file_bytes + 2) {
                    // Doubling while small, then the whole limit at once (a last doubling step would hold
                    // both buffers, nearly twice the limit); into a fresh string, as reserve() on this one
                    // would round up to twice its capacity.
                    std::string grown;
                    grown.reserve(needed <= (std::size_t{1} << 20) ? std::max(needed, 2 * body.capacity())
                                                                    : std::max(needed, result_file_bytes + 2));
                    grown.append(body);
                    body.swap(grown);
                }
                if (!w.jsonl) body += body.empty() ? '[' : ',';
                body += line;
                if (w.jsonl) body += '\n';
                ++count;
            });
            flush();
            if (status == Status::Succeeded) {
                std::lock_guard lock(mutex_);
                info_.items.results_written = info_.executions.results_written = static_cast<std::int64_t>(count);
            }
            files.emplace_back(file_name, Value::array(std::move(listed)));
        }
        const Value manifest = Value::object({{"DestinationBucket", Value(bucket)},
                                              {"MapRunArn", Value(arn_)},
                                              {"ResultFiles", Value::object(std::move(files))}});
        store->write(bucket, base + "manifest.json", manifest.dump());
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

bool fail_in_map_run(Runtime& rt, const State& s, Frame& frame, const Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    if (!spec.distributed || err.error != "States.ItemReaderFailed") return false;
    frame.container_started = true;  // the state reports MapStateFailed
    record_map_started(rt, s, frame, 0);
    // The run exists (DescribeMapRun, ListMapRuns) with no items, and fails with the reader's error.
    MapRun run(rt, s, frame, {}, MapLimits{});
    {
        HistoryEvent e;
        e.type = EventType::MapRunStarted;
        e.payload = Value(run.arn());
        rt.record(frame, std::move(e));
    }
    HistoryEvent e;
    e.type = EventType::MapRunFailed;
    e.error = err.error;
    e.cause = err.cause;
    e.has_error = e.has_cause = true;
    rt.record(frame, std::move(e));
    run.ended("FAILED", rt.now());
    return false;
}

bool run_distributed_iterations(Runtime& rt, const State& s, Frame& frame, std::vector<Value> inputs, MapLimits limits,
                                const std::function<bool(Value&, Err&)>& writer_parameters, Value& result, Err& err) {
    const auto& spec = std::get<MapSpec>(s.spec);
    if (!spec.distributed) return run_map_iterations(rt, s, frame, std::move(inputs), limits, result, err);
    MapRun run(rt, s, frame, inputs, limits);
    limits.run = &run;
    bool ok = run_map_iterations(rt, s, frame, std::move(inputs), limits, result, err);
    if (ok && spec.writer) {
        Value params;
        if (!writer_parameters(params, err) || !run.finish(params, result, err)) ok = false;
    } else if (!ok && spec.writer && err.error == "States.ExceedToleratedFailureThreshold") {
        // A Map Run over its failure threshold still writes what its children did.
        Value params, ignored;
        Err writer_err;
        if (writer_parameters(params, writer_err)) (void)run.finish(params, ignored, writer_err);
    }
    run.ended(ok ? "SUCCEEDED" : (rt.stopping() ? "ABORTED" : "FAILED"), rt.now());
    return ok;
}

}  // namespace sfn::engine::detail
