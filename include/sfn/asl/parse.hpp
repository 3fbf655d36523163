#pragma once
/// \file
/// Parse ASL (JSON or YAML) into the model.
///
/// Parsing checks structure: every field has the JSON type ASL gives it, required fields are
/// present, unknown fields are reported. Rules about meaning (targets exist, paths are well formed,
/// JSONata only in JSONata states...) are asl::validate's job.

#include "sfn/asl/diagnostic.hpp"
#include "sfn/model/state_machine.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::asl {

/// Parses a definition.
/// \throws ParseError listing every structural problem with its JSON pointer.
/// **Example**: `auto sm = sfn::asl::parse_json(R"({"StartAt":"A","States":{"A":{"Type":"Succeed"}}})");`
[[nodiscard]] model::StateMachine parse(const model::Json& definition);
/// Same, from an unordered json (payload key order then follows nlohmann::json's sorted order).
[[nodiscard]] model::StateMachine parse(const nlohmann::json& definition);
/// Parses JSON text. \throws ParseError (also for malformed JSON, pointing at "" with the offset).
[[nodiscard]] model::StateMachine parse_json(std::string_view text);
/// Parses YAML text (converted to JSON first; YAML mapping order is kept). \throws ParseError
[[nodiscard]] model::StateMachine parse_yaml(std::string_view text);
/// Parses a file by extension: .json/.asl.json → JSON, .yaml/.yml/.asl.yaml → YAML.
/// \throws ParseError, including when the file cannot be read or the extension is unknown.
[[nodiscard]] model::StateMachine parse_file(const std::filesystem::path& path);

/// The syntax of a definition's text.
enum class Syntax { Json, Yaml };

/// Reads JSON or YAML text into an ordered JSON document, e.g. `read_document(text, asl::Syntax::Yaml)`.
/// \throws ParseError when the text is malformed.
[[nodiscard]] model::Json read_document(std::string_view text, Syntax syntax);
/// Reads a file as read_document does, choosing the syntax by extension. \throws ParseError
[[nodiscard]] model::Json read_document_file(const std::filesystem::path& path);

/// A key that appears twice in one object of the JSON `text` (JSON readers, the service's among them, keep one
/// of the two): "the key 'K' appears twice in the object at '<pointer>'" (or "in the top-level object"), the first;
/// nullopt when none does or the text is not JSON. (In YAML two equal keys are an error of the text: read_document
/// refuses them.)
[[nodiscard]] std::optional<std::string> duplicate_json_key(std::string_view text);

/// Parses without throwing: the model (as much as could be read) and every structural problem.
struct ParseResult {
    model::StateMachine machine;
    std::vector<Diagnostic> diagnostics;
};
[[nodiscard]] ParseResult try_parse(const model::Json& definition);

}  // namespace sfn::asl
