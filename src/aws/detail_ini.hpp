#pragma once
// The AWS shared config/credentials INI dialect (PROTOCOL.md §4.1): `[section]` headers, `key = value` lines,
// `#`/`;` comment lines, and indented continuation lines that form nested sub-sections
// (`sfn =` followed by `  endpoint_url = ...` is stored as key "sfn.endpoint_url").

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sfn::aws::detail {

using IniSection = std::map<std::string, std::string>;

struct IniFile {
    std::string path;  ///< for error messages
    bool exists = false;
    std::map<std::string, IniSection> sections;

    [[nodiscard]] const IniSection* section(const std::string& name) const {
        auto it = sections.find(name);
        return it == sections.end() ? nullptr : &it->second;
    }
};

/// Parses INI text; throws ConfigError "<path>:<line>: ..." on malformed lines.
IniFile parse_ini(std::string_view text, const std::string& path);
/// Reads and parses a file; a missing file yields an empty IniFile with exists == false.
IniFile load_ini(const std::string& path);

}  // namespace sfn::aws::detail
