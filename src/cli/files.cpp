// Reading definitions and writing the files the tool changes in place (see files.hpp).
#include "cli/files.hpp"

#include "sfn/core/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace sfn::cli {
namespace {

template <class Read>
auto naming_file(const std::string& file, Read&& read) {
    try {
        return read();
    } catch (const asl::DiagnosticsError& e) {
        const auto& found = e.diagnostics();
        if (found.empty()) throw;
        std::string message;
        for (const auto& d : found) {
            if (!message.empty()) message += "\n  " + file + ": [" + d.code + "]";
            message += (d.pointer.empty() ? "" : " " + d.pointer + ":") + std::string(" ") + d.message;
        }
        throw sfn::Error(found.front().code, file + ":" + message);
    }
}

}  // namespace

model::Json read_definition_document(const std::string& file) {
    return naming_file(file, [&] { return asl::read_document_file(file); });
}

model::StateMachine parse_definition_file(const std::string& file) {
    return naming_file(file, [&] { return asl::parse_file(file); });
}

void replace_file(const std::string& path, std::string_view text, std::string_view what) {
    const std::string tmp = path + ".tmp";
    const auto fail = [&](const std::string& reason) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw sfn::Error("sfn.cli.E023", "cannot write " + std::string(what) + " '" + path + "': " + reason);
    };
    // stdio reports the errors of the final flush at fclose, where an ofstream's destructor would drop them.
    std::FILE* out = std::fopen(tmp.c_str(), "wb");
    if (!out) fail(std::strerror(errno));
    const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size() && std::fflush(out) == 0;
    const int error = errno;
    if (std::fclose(out) != 0 || !written) fail(std::strerror(written ? errno : error));
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail(ec.message());
}

}  // namespace sfn::cli
