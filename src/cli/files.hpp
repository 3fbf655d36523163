#pragma once
// The files the tool reads and changes: definitions whose errors name the file, and files changed in place
// (fmt -w, run --record) that are never half-written nor emptied.

#include "sfn/asl/parse.hpp"

#include <string>
#include <string_view>

namespace sfn::cli {

/// asl::read_document_file / asl::parse_file, with a definition that cannot be read or parsed reported as
/// sfn::Error "<file>: <pointer>: <message>" (one line per problem), as `sfn validate` names the file.
[[nodiscard]] model::Json read_definition_document(const std::string& file);
[[nodiscard]] model::StateMachine parse_definition_file(const std::string& file);

/// Replaces `path` with `text`: written to `<path>.tmp` next to it, flushed and closed, then renamed over
/// `path`, so a failed write (a full disk, a file size limit) leaves the old file as it was. \throws
/// sfn::Error sfn.cli.E023 naming `path` (`what`, e.g. "--record file") and the system's reason.
void replace_file(const std::string& path, std::string_view text, std::string_view what);

}  // namespace sfn::cli
