// Writing the files the tool changes in place (see files.hpp).
#include "cli/files.hpp"

#include "sfn/core/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace sfn::cli {

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
