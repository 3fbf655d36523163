#pragma once
// Writing the files the tool changes in place (fmt -w, run --record): never half-written, never emptied.

#include <string>
#include <string_view>

namespace sfn::cli {

/// Replaces `path` with `text`: written to `<path>.tmp` next to it, flushed and closed, then renamed over
/// `path`, so a failed write (a full disk, a file size limit) leaves the old file as it was. \throws
/// sfn::Error sfn.cli.E023 naming `path` (`what`, e.g. "--record file") and the system's reason.
void replace_file(const std::string& path, std::string_view text, std::string_view what);

}  // namespace sfn::cli
