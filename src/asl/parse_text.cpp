// Text and files → JSON documents (JSON directly, YAML through yaml-cpp) → model.
#include "asl/detail_reader.hpp"
#include "sfn/asl/parse.hpp"
#include "sfn/core/text.hpp"
#include "sfn/core/value.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_set>

namespace sfn::asl {
namespace {

using model::Json;

[[noreturn]] void fail(std::string pointer, std::string message) {
    throw ParseError({Diagnostic{std::move(pointer), detail::kMalformedText, std::move(message)}});
}

// YAML 1.2 core schema for plain scalars; quoted scalars (tag "!") are always strings.
Json yaml_scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return text;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    bool numeric_start = std::isdigit(static_cast<unsigned char>(text[0])) != 0 ||
                         ((text[0] == '-' || text[0] == '+' || text[0] == '.') && text.size() > 1);
    if (numeric_start) {
        // Let the JSON number grammar decide; "1.0.3" or "12ab" stay strings.
        std::string candidate = text[0] == '+' ? text.substr(1) : text;
        auto parsed = Json::parse(candidate, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_number()) return parsed;
    }
    return text;
}

// Converts a YAML document. Aliases share nodes in YAML but are copied here, so a few lines of nested
// aliases could expand to billions of values: the conversion stops at as many values as the 1 MiB
// definition quota has bytes, and at the nesting depth JSON definitions get.
struct YamlConverter {
    static constexpr std::size_t max_values = 1'048'576;
    std::size_t values = 0;

    Json convert(const YAML::Node& node, const std::string& pointer, int depth) {
        if (++values > max_values) {
            fail(pointer, "the YAML document expands to more than " + std::to_string(max_values) +
                              " values (through aliases?)");
        }
        switch (node.Type()) {
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined: return nullptr;
            case YAML::NodeType::Scalar: return yaml_scalar(node);
            case YAML::NodeType::Sequence:
            case YAML::NodeType::Map: break;
        }
        if (depth >= Value::max_depth) {
            fail(pointer, "malformed YAML: nesting deeper than " + std::to_string(Value::max_depth) + " levels");
        }
        if (node.IsSequence()) {
            Json out = Json::array();
            std::size_t i = 0;
            for (const auto& item : node) out.push_back(convert(item, pointer + "/" + std::to_string(i++), depth + 1));
            return out;
        }
        Json out = Json::object();
        for (const auto& kv : node) {
            if (!kv.first.IsScalar()) fail(pointer, "YAML mapping keys must be scalars");
            const std::string& key = kv.first.Scalar();
            // Only one of two equal keys would survive: the definition would silently lose the other.
            if (out.contains(key)) fail(pointer, "malformed YAML: the key '" + key + "' appears twice");
            out[key] = convert(kv.second, detail::child_pointer(pointer, key), depth + 1);
        }
        return out;
    }
};

// nlohmann keeps the last of two equal keys: the definition would silently lose the other. Watches the parse
// for them and knows the pointer of the object being read.
class DuplicateKeys {
public:
    bool operator()(int, Json::parse_event_t event, const Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start:
                frames_.push_back({true, {}, 0, {}});
                break;
            case Json::parse_event_t::array_start:
                frames_.push_back({false, {}, 0, {}});
                break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                frames_.pop_back();
                if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
                break;
            case Json::parse_event_t::key: {
                Frame& f = frames_.back();
                f.key = parsed.get<std::string>();
                if (!f.keys.insert(f.key).second && !duplicate_)
                    duplicate_ = "the key '" + f.key + "' appears twice in " +
                                 (frames_.size() == 1 ? std::string("the top-level object")
                                                      : "the object at '" + pointer() + "'");
                break;
            }
            case Json::parse_event_t::value:
                if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
                break;
        }
        return true;
    }
    [[nodiscard]] const std::optional<std::string>& duplicate() const noexcept { return duplicate_; }

private:
    struct Frame {
        bool object;
        std::string key;
        std::size_t index;
        std::unordered_set<std::string> keys;
    };
    // The pointer of the innermost object: each enclosing container's current member.
    std::string pointer() const {
        std::string out;
        for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
            out = frames_[i].object ? detail::child_pointer(out, frames_[i].key)
                                    : out + "/" + std::to_string(frames_[i].index);
        return out;
    }
    std::vector<Frame> frames_;
    std::optional<std::string> duplicate_;
};

bool has_suffix(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_yaml_path(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    if (has_suffix(name, ".yaml") || has_suffix(name, ".yml")) return true;
    if (has_suffix(name, ".json")) return false;
    fail("", "cannot tell the syntax of '" + path.string() + "': expected .json, .asl.json, .yaml, .yml or .asl.yaml");
}

}  // namespace

Json read_document(std::string_view text, Syntax syntax) {
    if (syntax == Syntax::Json) {
        // nlohmann parses without recursing, but copying, printing and walking the document recurse per level.
        if (auto problem = text::json_nesting_problem(text, Value::max_depth)) fail("", "malformed JSON: " + *problem);
        try {
            return Json::parse(text);
        } catch (const Json::parse_error& e) {
            fail("", std::string("malformed JSON: ") + e.what());
        } catch (const Json::out_of_range& e) {
            // A number beyond a double's range (1e999) has no value to keep.
            fail("", std::string("malformed JSON: a number is out of range (") + e.what() + ")");
        }
    }
    if (!text::is_valid_utf8(text)) {
        // JSON text is checked by its parser; YAML's would carry the bytes through into the definition.
        // A line is a whole number of characters (no UTF-8 sequence holds a newline byte): the first bad line.
        std::size_t line = 1;
        for (std::size_t from = 0; from < text.size(); ++line) {
            const std::size_t end = std::min(text.find('\n', from), text.size());
            if (!text::is_valid_utf8(text.substr(from, end - from))) break;
            from = end + 1;
        }
        fail("", "malformed YAML: invalid UTF-8 at line " + std::to_string(line));
    }
    try {
        return YamlConverter{}.convert(YAML::Load(std::string(text)), "", 0);
    } catch (const YAML::Exception& e) {
        fail("", std::string("malformed YAML: ") + e.what());
    }
}

std::optional<std::string> duplicate_json_key(std::string_view text) {
    if (text::json_nesting_problem(text, Value::max_depth)) return std::nullopt;
    DuplicateKeys duplicates;
    try {
        const Json document = Json::parse(text, std::ref(duplicates));
        static_cast<void>(document);
    } catch (const Json::exception&) {
        return std::nullopt;
    }
    return duplicates.duplicate();
}

Json read_document_file(const std::filesystem::path& path) {
    const Syntax syntax = is_yaml_path(path) ? Syntax::Yaml : Syntax::Json;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) fail("", "cannot read '" + path.string() + "': it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("", "cannot read '" + path.string() + "'");
    // AWS takes definitions of up to 1 MiB; a device or a runaway file is refused before it fills the memory.
    constexpr std::size_t max_file_bytes = 64 << 20;
    std::string text;
    char chunk[65536];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_file_bytes)
            fail("", "cannot read '" + path.string() + "': larger than " + std::to_string(max_file_bytes >> 20) +
                         " MiB (a definition is at most 1 MiB)");
    }
    return read_document(text, syntax);
}

model::StateMachine parse_json(std::string_view text) { return parse(read_document(text, Syntax::Json)); }

model::StateMachine parse_yaml(std::string_view text) { return parse(read_document(text, Syntax::Yaml)); }

model::StateMachine parse_file(const std::filesystem::path& path) { return parse(read_document_file(path)); }

}  // namespace sfn::asl
