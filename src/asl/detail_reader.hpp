#pragma once
// Reading one JSON object field by field while collecting every structural problem with its
// JSON pointer. Used by the parser only.

#include "sfn/asl/diagnostic.hpp"
#include "sfn/model/common.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::asl::detail {

/// Parse error codes (docs/errors.md).
inline constexpr const char* kMalformedText = "sfn.asl.E001";
inline constexpr const char* kWrongType = "sfn.asl.E002";
inline constexpr const char* kMissingField = "sfn.asl.E003";
inline constexpr const char* kUnknownField = "sfn.asl.E004";
inline constexpr const char* kBadEnum = "sfn.asl.E005";
inline constexpr const char* kBadRuleShape = "sfn.asl.E006";

/// RFC 6901 escaping of one reference token.
std::string escape_pointer_token(std::string_view token);
/// `base` + "/" + escaped `token`.
std::string child_pointer(const std::string& base, std::string_view token);
/// "string", "integer", "object", ... for messages.
std::string json_type_name(const model::Json& value);

/// Collects diagnostics for one document.
class Sink {
public:
    void add(std::string pointer, std::string code, std::string message) {
        diagnostics_.push_back({std::move(pointer), std::move(code), std::move(message)});
    }
    std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

/// Reads the fields of one JSON object. Every accessor marks its key as known; finish() reports
/// the keys nobody asked for.
class ObjectReader {
public:
    /// Reports a type error and reads nothing when `object` is not an object.
    ObjectReader(const model::Json& object, std::string pointer, Sink& sink, std::string_view what);

    [[nodiscard]] bool ok() const noexcept { return object_ != nullptr; }
    [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
    [[nodiscard]] std::string pointer_of(std::string_view key) const { return child_pointer(pointer_, key); }
    [[nodiscard]] bool has(std::string_view key) const;
    /// The raw value (marks the key known), or nullptr.
    const model::Json* raw(std::string_view key);

    std::optional<std::string> string(std::string_view key);
    std::string required_string(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key);
    std::optional<double> number(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    std::optional<model::Json> json(std::string_view key);
    /// A JSON object (payload templates, Assign, ...), reported otherwise.
    std::optional<model::Json> object(std::string_view key);
    std::optional<model::Path> path(std::string_view key);
    std::optional<model::NullablePath> nullable_path(std::string_view key);
    std::optional<model::IntegerOrExpression> integer_or_expression(std::string_view key);
    std::optional<model::NumberOrExpression> number_or_expression(std::string_view key);
    std::optional<model::QueryLanguage> query_language(std::string_view key);
    std::vector<std::string> string_array(std::string_view key);

    /// Reports `message` at the key's pointer with `code`.
    void report(std::string_view key, const char* code, std::string message);
    /// Reports every key not read by an accessor (E004).
    void finish(std::string_view what);

    /// Reads the optional object member `key` into a T: `read(reader, value)` reads its fields, then every
    /// member it did not read is reported. nullopt when absent or not an object (reported).
    template <typename T, typename Read>
    std::optional<T> sub_object(std::string_view key, Read read) {
        const model::Json* v = raw(key);
        if (v == nullptr) return std::nullopt;
        ObjectReader r(*v, pointer_of(key), sink(), key);
        if (!r.ok()) return std::nullopt;
        T value;
        read(r, value);
        r.finish(key);
        return value;
    }

    Sink& sink() { return sink_; }

private:
    const model::Json* object_{};
    std::string pointer_;
    Sink& sink_;
    std::vector<std::string> known_;
};

}  // namespace sfn::asl::detail
