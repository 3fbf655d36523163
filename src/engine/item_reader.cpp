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

bool skip_space(ObjectBytes& in) {
    for (int c = in.peek(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = in.peek()) in.get();
    return in.peek() >= 0;
}

/// The whole rest of an object as text (a manifest, or a JSON document whose array ItemsPointer selects).
std::string whole_text(ObjectBytes& in) {
    std::string text, line;
    while (in.line(line)) text += line + '\n';
    return text;
}

/// A CSV record as an item: columns beyond the headers are dropped, missing ones are empty strings (as AWS).
bool csv_item(const std::vector<std::string>& headers, std::vector<std::string>& fields, Value& item,
              std::size_t& bytes, Err& err) {
    std::vector<Member> members;
    members.reserve(headers.size());
    bytes = 0;
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
    item = Value::object(std::move(members));
    return true;
}

std::string string_parameter(const Value& params, const char* name) {
    if (params.is_object() && params.contains(name) && params.at(name).is_string()) return params.at(name).as_string();
    return {};
}

}  // namespace

/// What the stream is reading and how far it got.
struct ItemStream::Cursor {
    const ObjectStore& store;
    const ItemReaderSpec& reader;
    std::string bucket, key, prefix;
    std::unique_ptr<ObjectBytes> in;  // the object read (a manifest: its current data file)
    bool opened = false;
    // JSON: inside the top-level array, and whether its closing bracket was read.
    bool array_closed = false;
    // JSON with ItemsPointer: the selected array, taken element by element.
    Value selected;
    std::size_t selected_next = 0;
    // CSV and MANIFEST: the column names.
    std::vector<std::string> headers;
    std::vector<std::string> fields;
    bool empty = false;  // CSV: the object holds nothing, not even a header row
    // MANIFEST: the data files still to read, and their bucket.
    std::vector<std::string> data_files;
    std::size_t data_next = 0;
    std::string data_bucket;
    // listObjectsV2: the current page, and the token of the next one.
    std::vector<ObjectInfo> page;
    std::size_t page_next = 0;
    std::string token;
    bool listed_last = false;
    std::string line;
    std::string text;

    Cursor(const ObjectStore& s, const ItemReaderSpec& r) : store(s), reader(r) {}
};

ItemStream::ItemStream(std::unique_ptr<Cursor> cursor, std::int64_t max_items)
    : cursor_(std::move(cursor)), max_items_(max_items) {}
ItemStream::~ItemStream() = default;
ItemStream::ItemStream(ItemStream&&) noexcept = default;

std::unique_ptr<ItemStream> ItemStream::open(Runtime& rt, const ItemReaderSpec& reader, const Value& parameters,
                                             std::int64_t max_items, Err& err) {
    if (max_items < 0) {
        err = reader_failed("field MaxItems must be positive");
        return nullptr;
    }
    const auto& store = rt.options().objects;
    if (!store) {
        err = reader_failed("No object store is configured for this execution: run with --s3-dir BUCKET=DIR or "
                            "--integrations aws to read items from S3");
        return nullptr;
    }
    auto c = std::make_unique<Cursor>(*store, reader);
    c->bucket = string_parameter(parameters, "Bucket");
    if (c->bucket.empty()) {
        err = reader_failed("The ItemReader's parameters must name a Bucket");
        return nullptr;
    }
    if (reader.source == ItemReaderSpec::Source::ListObjectsV2) {
        c->prefix = string_parameter(parameters, "Prefix");
    } else {
        c->key = string_parameter(parameters, "Key");
        if (c->key.empty()) {
            err = reader_failed("The ItemReader's parameters must name a Key");
            return nullptr;
        }
    }
    return std::unique_ptr<ItemStream>(new ItemStream(std::move(c), std::min(max_items, max_items_limit)));
}

bool ItemStream::next(Value& item, Err& err) {
    if (ended_ || (max_items_ != 0 && read_ >= max_items_)) {
        ended_ = true;
        return false;
    }
    bool got = false;
    try {
        got = read_next(item, err);
    } catch (const ObjectError& e) {
        err = store_failed(e);
        got = false;
    }
    if (!got) {
        ended_ = true;
        return false;
    }
    ++read_;
    return true;
}

bool ItemStream::read_next(Value& item, Err& err) {
    Cursor& c = *cursor_;
    using Type = ItemReaderSpec::InputType;
    if (c.reader.source == ItemReaderSpec::Source::ListObjectsV2) {
        while (c.page_next == c.page.size()) {
            if (c.listed_last) return false;
            ObjectPage p = c.store.list(c.bucket, c.prefix, c.token);
            c.page = std::move(p.objects);
            c.page_next = 0;
            c.token = std::move(p.next_token);
            c.listed_last = c.token.empty();
        }
        auto& o = c.page[c.page_next++];
        last_bytes_ = o.key.size() + 160;
        std::vector<Member> m{{"Etag", Value(std::move(o.etag))},
                              {"Key", Value(std::move(o.key))},
                              {"LastModified", Value(o.last_modified)},
                              {"Size", Value(static_cast<std::int64_t>(o.size))},
                              {"StorageClass", Value(std::move(o.storage_class))}};
        item = Value::object(std::move(m));
        return true;
    }
    if (!c.opened) {
        c.opened = true;
        c.in = std::make_unique<ObjectBytes>(c.store, c.bucket, c.key);
        if (!open_object(err)) return false;
    }
    switch (c.reader.input_type) {
        case Type::Json:
            if (!c.reader.items_pointer.empty()) {
                if (c.selected_next >= c.selected.size()) return false;
                item = c.selected[c.selected_next++];
                last_bytes_ = 0;  // held in the document already
                return true;
            }
            return json_element(item, err);
        case Type::Jsonl:
            while (c.in->line(c.line)) {
                if (c.line.find_first_not_of(" \t") == std::string::npos) continue;
                last_bytes_ = c.line.size();
                return parse_item(c.line, "JSONL line", item, err);
            }
            return false;
        case Type::Csv:
            if (c.empty || !csv_record(*c.in, c.reader.csv_delimiter, c.fields)) return false;
            return csv_item(c.headers, c.fields, item, last_bytes_, err);
        case Type::Manifest:
            for (;;) {
                if (c.in && csv_record(*c.in, ',', c.fields)) return csv_item(c.headers, c.fields, item, last_bytes_, err);
                if (c.data_next == c.data_files.size()) return false;
                const std::string& key = c.data_files[c.data_next++];
                if (key.size() > 3 && key.compare(key.size() - 3, 3, ".gz") == 0)
                    return (err = reader_failed("The S3 Inventory data file '" + key +
                                                "' is gzip-compressed, which is not read here"),
                            false);
                c.in = std::make_unique<ObjectBytes>(c.store, c.data_bucket, key);
            }
    }
    return false;
}

bool ItemStream::open_object(Err& err) {
    Cursor& c = *cursor_;
    using Type = ItemReaderSpec::InputType;
    switch (c.reader.input_type) {
        case Type::Json: {
            if (c.reader.items_pointer.empty()) {
                if (!skip_space(*c.in) || c.in->peek() != '[')
                    return (err = reader_failed(
                                "Attempting to map over non-iterable node: the JSON file does not hold an array"),
                            false);
                c.in->get();
                if (!skip_space(*c.in)) return (err = reader_failed("Failed to parse the JSON file: unexpected end"), false);
                if (c.in->peek() == ']') c.array_closed = true;
                return true;
            }
            // ItemsPointer selects an array inside a JSON object: that object is parsed whole.
            Value doc;
            if (!parse_item(whole_text(*c.in), "JSON file", doc, err)) return false;
            return select_pointer(std::move(doc), err);
        }
        case Type::Jsonl: return true;
        case Type::Csv:
            c.headers = c.reader.csv_headers;
            if (c.reader.csv_first_row && !csv_record(*c.in, c.reader.csv_delimiter, c.headers)) {
                c.empty = true;  // not even a header row: no items
                return true;
            }
            if (c.headers.empty()) return (err = reader_failed("The CSV file has no header row"), false);
            return true;
        case Type::Manifest: return open_manifest(err);
    }
    return true;
}

bool ItemStream::select_pointer(Value doc, Err& err) {
    Cursor& c = *cursor_;
    const std::string& pointer = c.reader.items_pointer;
    Value node = std::move(doc);
    std::size_t pos = 1;
    while (pos <= pointer.size() && pointer != "/") {
        const auto next = pointer.find('/', pos);
        const std::string token = pointer.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        if (node.is_object() && node.contains(token)) {
            node = Value(node.at(token));
        } else if (node.is_array() && !token.empty() && token.size() <= 18 &&
                   token.find_first_not_of("0123456789") == std::string::npos && std::stoull(token) < node.size()) {
            node = Value(node[static_cast<std::size_t>(std::stoull(token))]);
        } else {
            err = reader_failed("The ItemsPointer '" + pointer + "' does not point to a value in the JSON file");
            return false;
        }
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    if (!node.is_array()) {
        err = reader_failed("Attempting to map over non-iterable node: ItemsPointer '" + pointer +
                            "' does not point to an array");
        return false;
    }
    c.selected = std::move(node);
    return true;
}

bool ItemStream::json_element(Value& item, Err& err) {
    Cursor& c = *cursor_;
    if (c.array_closed) return false;
    std::string& text = c.text;
    text.clear();
    int depth = 0;
    bool in_string = false;
    for (;;) {
        const int ch = c.in->get();
        if (ch < 0) return (err = reader_failed("Failed to parse the JSON file: unexpected end"), false);
        if (in_string) {
            text += static_cast<char>(ch);
            if (ch == '\\') {
                const int d = c.in->get();
                if (d < 0) return (err = reader_failed("Failed to parse the JSON file: unexpected end"), false);
                text += static_cast<char>(d);
            } else if (ch == '"') {
                in_string = false;
            }
            continue;
        }
        if (depth == 0 && (ch == ',' || ch == ']')) {
            if (ch == ']') c.array_closed = true;
            last_bytes_ = text.size();
            return parse_item(text, "JSON file", item, err);
        }
        if (ch == '"') in_string = true;
        if (ch == '[' || ch == '{') ++depth;
        if (ch == ']' || ch == '}') --depth;
        text += static_cast<char>(ch);
        if (text.size() > max_item_bytes + 1) return parse_item(text, "JSON file", item, err);
    }
}

/// S3 Inventory: manifest.json lists CSV data files (gzip is not read here); each row becomes an item whose
/// fields are the manifest's fileSchema columns.
bool ItemStream::open_manifest(Err& err) {
    Cursor& c = *cursor_;
    Value manifest;
    if (!parse_item(whole_text(*c.in), "manifest file", manifest, err)) return false;
    c.in.reset();
    if (!manifest.is_object() || !manifest.contains("files") || !manifest.at("files").is_array() ||
        !manifest.contains("fileSchema") || !manifest.at("fileSchema").is_string())
        return (err = reader_failed("The manifest file is not an S3 Inventory manifest (files, fileSchema)"), false);
    if (manifest.contains("fileFormat") && manifest.at("fileFormat").is_string() && manifest.at("fileFormat").as_string() != "CSV")
        return (err = reader_failed("The S3 Inventory file format '" + manifest.at("fileFormat").as_string() +
                                    "' is not supported: only CSV inventories are read"),
                false);
    const std::string& schema = manifest.at("fileSchema").as_string();
    for (std::size_t pos = 0; pos <= schema.size();) {
        auto comma = schema.find(',', pos);
        if (comma == std::string::npos) comma = schema.size();
        std::string col = schema.substr(pos, comma - pos);
        col.erase(0, col.find_first_not_of(' '));
        col.erase(col.find_last_not_of(' ') + 1);
        c.headers.push_back(col);
        pos = comma + 1;
    }
    if (manifest.contains("destinationBucket") && manifest.at("destinationBucket").is_string()) {
        c.data_bucket = manifest.at("destinationBucket").as_string();
        if (const auto colon = c.data_bucket.rfind(":::"); colon != std::string::npos)
            c.data_bucket = c.data_bucket.substr(colon + 3);
    }
    for (const auto& f : manifest.at("files").elements())
        if (f.is_object() && f.contains("key") && f.at("key").is_string()) c.data_files.push_back(f.at("key").as_string());
    return true;
}

std::unique_ptr<ItemStream> open_items_jsonpath(Runtime& rt, const State& s, const Frame& frame,
                                                const jsonpath::Scope& scope, Err& err) {
    const auto& reader = *std::get<MapSpec>(s.spec).reader;
    Value params = Value::object({});
    if (reader.parameters) {
        auto r = reader.parameters->render(scope);
        if (!r) {
            err = state_failure(s, frame, r.failure().error, r.failure().cause);
            return nullptr;
        }
        params = std::move(*r);
    }
    std::int64_t max_items = reader.max_items.value_or(0);
    if (reader.max_items_path) {
        auto v = reader.max_items_path->try_select(scope);
        if (!v) {
            err = state_failure(s, frame, v.failure().error, v.failure().cause);
            return nullptr;
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
            err =
                state_failure(s, frame, "States.Runtime",
                              "The MaxItemsPath field refers to value \"" + (*v ? (*v)->dump() : std::string("null")) +
                                  "\" which is not a valid integer: " + reader.max_items_path->text());
            return nullptr;
        }
        max_items = n->as_int();
    }
    return ItemStream::open(rt, reader, params, max_items, err);
}

}  // namespace sfn::engine::detail
