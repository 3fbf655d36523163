#pragma once
/// \file
/// Paths checked when they are built: sfn::Path (any JSONPath: InputPath, OutputPath, `.$` values)
/// and sfn::ReferencePath (names and indexes only: ResultPath, ItemsPath, the *Path comparisons).
///
/// **Example**
/// \code
///   using namespace sfn::literals;
///   auto id = "$.order.id"_path;          // checked now
///   sfn::Path bad{"$.order["};            // throws jsonpath::PathError sfn.jsonpath.E001
/// \endcode

#include "sfn/model/common.hpp"

#include <string>
#include <string_view>

namespace sfn {

/// A JSONPath (`$...`, `$$...` or `$var...`) whose syntax was checked on construction.
class Path {
public:
    /// \throws jsonpath::PathError sfn.jsonpath.E001 when `text` is not a JSONPath.
    Path(std::string_view text);  // NOLINT(google-explicit-constructor): paths read like strings
    Path(const char* text) : Path(std::string_view(text)) {}         // NOLINT
    Path(const std::string& text) : Path(std::string_view(text)) {}  // NOLINT

    [[nodiscard]] const std::string& str() const noexcept { return text_; }
    /// The model's representation.
    [[nodiscard]] model::Path to_model() const { return model::Path{text_}; }
    friend bool operator==(const Path&, const Path&) = default;

protected:
    struct Checked {};
    Path(Checked, std::string text) : text_(std::move(text)) {}

private:
    std::string text_;
};

/// A reference path: a Path that can identify only one node (names and indexes only).
class ReferencePath : public Path {
public:
    /// \throws jsonpath::PathError sfn.jsonpath.E001 (syntax) or E002 (not a reference path).
    ReferencePath(std::string_view text);                                               // NOLINT
    ReferencePath(const char* text) : ReferencePath(std::string_view(text)) {}         // NOLINT
    ReferencePath(const std::string& text) : ReferencePath(std::string_view(text)) {}  // NOLINT
};

inline namespace literals {
/// `"$.order.id"_path`: a Path checked when the literal is evaluated.
[[nodiscard]] inline Path operator""_path(const char* text, std::size_t size) {
    return Path(std::string_view(text, size));
}
}  // namespace literals

}  // namespace sfn
