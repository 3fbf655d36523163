#include "aws/detail_ini.hpp"

#include "sfn/aws/errors.hpp"

#include <fstream>
#include <sstream>

namespace sfn::aws::detail {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

IniFile parse_ini(std::string_view text, const std::string& path) {
    IniFile file;
    file.path = path;
    file.exists = true;
    IniSection* current = nullptr;
    std::string last_key;  // the key an indented continuation line belongs to
    std::size_t line_no = 0;
    std::size_t start = 0;
    auto fail = [&](const std::string& why) { return ConfigError(path + ":" + std::to_string(line_no) + ": " + why); };
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view raw = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        const bool indented = raw.front() == ' ' || raw.front() == '\t';
        if (line.front() == '[') {
            if (line.back() != ']') throw fail("section header '" + std::string(line) + "' has no closing ']'");
            std::string name(trim(line.substr(1, line.size() - 2)));
            if (name.empty()) throw fail("empty section name '[]'");
            current = &file.sections[name];
            last_key.clear();
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            throw fail("expected 'key = value' or '[section]', got '" + std::string(line) + "'");
        }
        if (!current) throw fail("'" + std::string(line) + "' appears before any [section]");
        std::string key(trim(line.substr(0, eq)));
        std::string value(trim(line.substr(eq + 1)));
        if (key.empty()) throw fail("a line has a value but no key: '" + std::string(line) + "'");
        if (indented && !last_key.empty() && (*current)[last_key].empty()) {
            (*current)[last_key + "." + key] = value;  // nested sub-section
            continue;
        }
        (*current)[key] = value;
        last_key = key;
    }
    return file;
}

IniFile load_ini(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        IniFile missing;
        missing.path = path;
        return missing;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_ini(buffer.str(), path);
}

}  // namespace sfn::aws::detail
