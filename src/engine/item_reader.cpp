// ItemReader: a Distributed Map's items read from an object store (detail_distributed_map.hpp). Objects are
// read in ranges, never whole: JSONL and CSV record by record, a JSON array element by element.
#include "engine/detail_distributed_map.hpp"

#include <cmath>
#include <cstdlib>

namespace sfn::engine::detail {

namespace {

using Reader = ItemReaderSpec;

// AWS reads at most 100,000,000 items from one source.
constexpr std::int64_t max_items_limit = 100'000'000;
constexpr std::size_t range_bytes = 1u << 20;
// An item is a child execution's input: at most 256 KiB.
constexpr std::size_t max_item_bytes = 256 * 1024;

Err reader_failed(std::string cause) { return Err{"States.ItemReaderFailed", std::move(cause), true, true}; }

/// S3's refusal as AWS's SDK words it in the cause.
Err store_failed(const ObjectError& e) {
    return reader_failed(e.message() + " (Service: S3, Status Code: " + std::to_string(e.http_status()) +
                         ", Error Code: " + e.s3_code() + ")");
}

/// An object's bytes, fetched range by range as they are consumed.
class ObjectBytes {
public:
    ObjectBytes(const ObjectStore& store, std::string bucket, std::string key)
        : store_(store), bucket_(std::move(bucket)), key_(std::move(key)) {}

    /// The next byte, or -1 at the end.
    int get() {
        if (pos_ == buf_.size() && !refill()) return -1;
        return static_cast<unsigned char>(buf_[pos_++]);
    }
    int peek() {
        if (pos_ == buf_.size() && !refill()) return -1;
        return static_cast<unsigned char>(buf_[pos_]);
    }
    /// The next line without its "\n" / "\r\n"; false at the end.
    bool line(std::string& out) {
        out.clear();
        if (peek() < 0) return false;
        for (;;) {
            if (pos_ == buf_.size() && !refill()) break;
            const auto nl = buf_.find('\n', pos_);
            if (nl == std::string::npos) {
                out.append(buf_, pos_, std::string::npos);
                pos_ = buf_.size();
                continue;
            }
            out.append(buf_, pos_, nl - pos_);
            pos_ = nl + 1;
            break;
        }
        if (!out.empty() && out.back() == '\r') out.pop_back();
        return true;
    }

private:
    bool refill() {
        if (done_) return false;
        buf_ = store_.read(bucket_, key_, offset_, range_bytes);
        pos_ = 0;
        offset_ += buf_.size();
        if (buf_.size() < range_bytes) done_ = true;
        return !buf_.empty();
    }
    const ObjectStore& store_;
    std::string bucket_, key_;
    std::uint64_t offset_ = 0;
    std::string buf_;
    std::size_t pos_ = 0;
    bool done_ = false;
};

/// One CSV record (RFC 4180 quoting: a field in double quotes may hold the delimiter, newlines and "" for a
/// quote); false at the end. Blank lines hold no record.
bool csv_record(ObjectBytes& in, char delimiter, std::vector<std::string>& fields) {
    for (;;) {
        fields.clear();
        int c = in.peek();
        if (c < 0) return false;
        std::string field;
        bool any = false;
        for (;;) {
            c = in.get();
            if (c < 0 || c == '\n') break;
            if (c == '\r' && in.peek() == '\n') continue;
            any = true;
            if (c == delimiter) {
                fields.push_back(std::move(field));
                field.clear();
                continue;
            }
            if (c == '"' && field.empty()) {
                for (;;) {
                    c = in.get();
                    if (c < 0) break;
                    if (c == '"') {
                        if (in.peek() == '"') {
                            in.get();
                            field += '"';
                            continue;
                        }
                        break;
                    }
                    field += static_cast<char>(c);
                }
                continue;
            }
            field += static_cast<char>(c);
        }
        if (!any) continue;
        fields.push_back(std::move(field));
        return true;
    }
}

class ItemSink {
public:
    explicit ItemSink(std::int64_t max) : max_(max) {}
    /// False once MaxItems items are in.
    bool add(Value v) {
        items_.push_back(std::move(v));
        return max_ == 0 || static_cast<std::int64_t>(items_.size()) < max_;
    }
    [[nodiscard]] bool full() const { return max_ != 0 && static_cast<std::int64_t>(items_.size()) >= max_; }
    Value take() { return Value::array(std::move(items_)); }

private:
    std::int64_t max_;
    std::vector<Value> items_;
};

bool parse_item(const std::string& text, const char* what, Value& out, Err& err) {
    if (text.size() > max_item_bytes) {
        err = reader_failed(std::string("The item size exceeds the maximum size of 256 KiB: an item of ") +
                            std::to_string(text.size()) + " bytes in the " + what);
        return false;
    }
    try {
        out = Value::parse(text);
        return true;
    } catch (const sfn::Error& e) {
        err = reader_failed(std::string("Failed to parse the ") + what + ": " + e.what());
        return false;
    }
}

bool read_jsonl(ObjectBytes& in, ItemSink& sink, Err& err) {
    std::string line;
    while (!sink.full() && in.line(line)) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        Value v;
        if (!parse_item(line, "JSONL line", v, err)) return false;
        sink.add(std::move(v));
    }
    return true;
}

bool skip_space(ObjectBytes& in) {
    for (int c = in.peek(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = in.peek()) in.get();
    return in.peek() >= 0;
}

/// The elements of a top-level JSON array, one at a time: each element's text is cut out by tracking
/// nesting and strings, then parsed alone.
bool read_json_array(ObjectBytes& in, ItemSink& sink, Err& err) {
    if (!skip_space(in) || in.peek() != '[')
        return (err = reader_failed("Attempting to map over non-iterable node: the JSON file does not hold an array"),
                false);
    in.get();
    if (!skip_space(in)) return (err = reader_failed("Failed to parse the JSON file: unexpected end"), false);
    if (in.peek() == ']') return true;
    std::string text;
    while (!sink.full()) {
        text.clear();
        int depth = 0;
        bool in_string = false;
        for (;;) {
            const int c = in.get();
            if (c < 0) return (err = reader_failed("Failed to parse the JSON file: unexpected end"), false);
            if (in_string) {
                text += static_cast<char>(c);
                if (c == '\\') {
                    const int d = in.get();
                    if (d < 0) return (err = reader_failed("Failed to parse the JSON file: unexpected end"), false);
                    text += static_cast<char>(d);
                } else if (c == '"') {
                    in_string = false;
                }
                continue;
            }
            if (depth == 0 && (c == ',' || c == ']')) {
                Value v;
                if (!parse_item(text, "JSON file", v, err)) return false;
                sink.add(std::move(v));
                if (c == ']') return true;
                break;
            }
            if (c == '"') in_string = true;
            if (c == '[' || c == '{') ++depth;
            if (c == ']' || c == '}') --depth;
            text += static_cast<char>(c);
            if (text.size() > max_item_bytes + 1)
                {
                Value too_big;
                return parse_item(text, "JSON file", too_big, err);
            }
        }
    }
    return true;
}

bool read_json(ObjectBytes& in, const Reader& r, ItemSink& sink, Err& err) {
    if (r.items_pointer.empty()) return read_json_array(in, sink, err);
    // ItemsPointer selects an array inside a JSON object: that object is parsed whole.
    std::string text, line;
    while (in.line(line)) text += line + '\n';
    Value doc;
    if (!parse_item(text, "JSON file", doc, err)) return false;
    Value node = doc;
    std::size_t pos = 1;
    while (pos <= r.items_pointer.size() && r.items_pointer != "/") {
        const auto next = r.items_pointer.find('/', pos);
        const std::string token = r.items_pointer.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        if (node.is_object() && node.contains(token)) {
            node = node.at(token);
        } else if (node.is_array() && !token.empty() && token.size() <= 18 &&
                   token.find_first_not_of("0123456789") == std::string::npos && std::stoull(token) < node.size()) {
            node = node[static_cast<std::size_t>(std::stoull(token))];
        } else {
            err = reader_failed("The ItemsPointer '" + r.items_pointer + "' does not point to a value in the JSON file");
            return false;
        }
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    if (!node.is_array()) {
        err = reader_failed("Attempting to map over non-iterable node: ItemsPointer '" + r.items_pointer +
                            "' does not point to an array");
        return false;
    }
    for (const auto& e : node.elements())
        if (!sink.add(e)) break;
    return true;
}

bool read_csv(ObjectBytes& in, const Reader& r, ItemSink& sink, Err& err) {
    std::vector<std::string> headers = r.csv_headers;
    std::vector<std::string> fields;
    if (r.csv_first_row) {
        if (!csv_record(in, r.csv_delimiter, headers)) return true;
    }
    if (headers.empty()) return (err = reader_failed("The CSV file has no header row"), false);
    while (!sink.full() && csv_record(in, r.csv_delimiter, fields)) {
        // As AWS: columns beyond the headers are dropped, missing ones are empty strings.
        std::vector<Member> members;
        members.reserve(headers.size());
        std::size_t bytes = 0;
        for (std::size_t i = 0; i < headers.size(); ++i) {
            std::string v = i < fields.size() ? std::move(fields[i]) : std::string();
            bytes += v.size() + headers[i].size() + 6;
            bool dup = false;
            for (auto& [k, old] : members)
                if (k == headers[i]) {
                    old = Value(std::move(v));
                    dup = true;
                    break;
                }
            if (!dup) members.emplace_back(headers[i], Value(std::move(v)));
        }
        if (bytes > max_item_bytes)
            return (err = reader_failed("The item size exceeds the maximum size of 256 KiB: a CSV row of about " +
                                        std::to_string(bytes) + " bytes"),
                    false);
        sink.add(Value::object(std::move(members)));
    }
    return true;
}

/// S3 Inventory: manifest.json lists CSV data files (gzip is not read here); each row becomes an item whose
/// fields are the manifest's fileSchema columns.
bool read_manifest(const ObjectStore& store, ObjectBytes& in, ItemSink& sink, Err& err) {
    std::string text, line;
    while (in.line(line)) text += line + '\n';
    Value manifest;
    if (!parse_item(text, "manifest file", manifest, err)) return false;
    if (!manifest.is_object() || !manifest.contains("files") || !manifest.at("files").is_array() ||
        !manifest.contains("fileSchema") || !manifest.at("fileSchema").is_string())
        return (err = reader_failed("The manifest file is not an S3 Inventory manifest (files, fileSchema)"), false);
    if (manifest.contains("fileFormat") && manifest.at("fileFormat").is_string() && manifest.at("fileFormat").as_string() != "CSV")
        return (err = reader_failed("The S3 Inventory file format '" + manifest.at("fileFormat").as_string() +
                                    "' is not supported: only CSV inventories are read"),
                false);
    Reader csv;
    csv.input_type = Reader::InputType::Csv;
    csv.csv_first_row = false;
    const std::string& schema = manifest.at("fileSchema").as_string();
    for (std::size_t pos = 0; pos <= schema.size();) {
        auto comma = schema.find(',', pos);
        if (comma == std::string::npos) comma = schema.size();
        std::string col = schema.substr(pos, comma - pos);
        col.erase(0, col.find_first_not_of(' '));
        col.erase(col.find_last_not_of(' ') + 1);
        csv.csv_headers.push_back(col);
        pos = comma + 1;
    }
    std::string bucket;
    if (manifest.contains("destinationBucket") && manifest.at("destinationBucket").is_string()) {
        bucket = manifest.at("destinationBucket").as_string();
        if (const auto colon = bucket.rfind(":::"); colon != std::string::npos) bucket = bucket.substr(colon + 3);
    }
    for (const auto& f : manifest.at("files").elements()) {
        if (sink.full()) break;
        if (!f.is_object() || !f.contains("key") || !f.at("key").is_string()) continue;
        const std::string& key = f.at("key").as_string();
        if (key.size() > 3 && key.compare(key.size() - 3, 3, ".gz") == 0)
            return (err = reader_failed("The S3 Inventory data file '" + key + "' is gzip-compressed, which is not read here"),
                    false);
        ObjectBytes data(store, bucket, key);
        if (!read_csv(data, csv, sink, err)) return false;
    }
    return true;
}

bool read_listing(const ObjectStore& store, const std::string& bucket, const std::string& prefix, ItemSink& sink) {
    std::string token;
    do {
        ObjectPage page = store.list(bucket, prefix, token);
        for (auto& o : page.objects) {
            std::vector<Member> m{{"Etag", Value(std::move(o.etag))},
                                  {"Key", Value(std::move(o.key))},
                                  {"LastModified", Value(o.last_modified)},
                                  {"Size", Value(static_cast<std::int64_t>(o.size))},
                                  {"StorageClass", Value(std::move(o.storage_class))}};
            if (!sink.add(Value::object(std::move(m)))) return true;
        }
        token = std::move(page.next_token);
    } while (!token.empty());
    return true;
}

std::string string_parameter(const Value& params, const char* name) {
    if (params.is_object() && params.contains(name) && params.at(name).is_string()) return params.at(name).as_string();
    return {};
}

}  // namespace

bool read_items(Runtime& rt, const ItemReaderSpec& reader, const Value& parameters, std::int64_t max_items,
                Value& items, Err& err) {
    if (max_items < 0) {
        err = reader_failed("field MaxItems must be positive");
        return false;
    }
    max_items = std::min(max_items, max_items_limit);
    const auto& store = rt.options().objects;
    if (!store) {
        err = reader_failed("No object store is configured for this execution: run with --s3-dir BUCKET=DIR or "
                            "--integrations aws to read items from S3");
        return false;
    }
    const std::string bucket = string_parameter(parameters, "Bucket");
    if (bucket.empty()) {
        err = reader_failed("The ItemReader's parameters must name a Bucket");
        return false;
    }
    ItemSink sink(max_items);
    try {
        if (reader.source == Reader::Source::ListObjectsV2) {
            read_listing(*store, bucket, string_parameter(parameters, "Prefix"), sink);
        } else {
            const std::string key = string_parameter(parameters, "Key");
            if (key.empty()) {
                err = reader_failed("The ItemReader's parameters must name a Key");
                return false;
            }
            ObjectBytes in(*store, bucket, key);
            bool ok = true;
            switch (reader.input_type) {
                case Reader::InputType::Json: ok = read_json(in, reader, sink, err); break;
                case Reader::InputType::Jsonl: ok = read_jsonl(in, sink, err); break;
                case Reader::InputType::Csv: ok = read_csv(in, reader, sink, err); break;
                case Reader::InputType::Manifest: ok = read_manifest(*store, in, sink, err); break;
            }
            if (!ok) return false;
        }
    } catch (const ObjectError& e) {
        err = store_failed(e);
        return false;
    }
    items = sink.take();
    return true;
}

bool read_items_jsonpath(Runtime& rt, const State& s, const Frame& frame, const jsonpath::Scope& scope, Value& items,
                         Err& err) {
    const auto& reader = *std::get<MapSpec>(s.spec).reader;
    Value params = Value::object({});
    if (reader.parameters) {
        auto r = reader.parameters->render(scope);
        if (!r) {
            err = Err{r.failure().error, state_error_prefix(s, frame.entered) + r.failure().cause, true, true};
            return false;
        }
        params = std::move(*r);
    }
    std::int64_t max_items = reader.max_items.value_or(0);
    if (reader.max_items_path) {
        auto v = reader.max_items_path->try_select(scope);
        if (!v) {
            err = Err{v.failure().error, state_error_prefix(s, frame.entered) + v.failure().cause, true, true};
            return false;
        }
        std::optional<Value> n = *v;
        if (n && n->is_string()) {
            // A numeric string counts as its number, as AWS parses the referenced value.
            const std::string& text = n->as_string();
            char* end = nullptr;
            const long long parsed = text.empty() ? 0 : std::strtoll(text.c_str(), &end, 10);
            if (end && *end == '\0') n = Value(static_cast<std::int64_t>(parsed));
        }
        const bool whole = n && (n->is_integer() || (n->is_real() && std::floor(n->as_double()) == n->as_double()));
        if (!whole) {
            err = Err{"States.Runtime",
                      state_error_prefix(s, frame.entered) + "The MaxItemsPath field refers to value \"" +
                          (*v ? (*v)->dump() : std::string("null")) + "\" which is not a valid integer: " +
                          reader.max_items_path->text(),
                      true, true};
            return false;
        }
        max_items = n->as_int();
    }
    return read_items(rt, reader, params, max_items, items, err);
}

}  // namespace sfn::engine::detail
