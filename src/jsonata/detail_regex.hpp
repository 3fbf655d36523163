#pragma once
// Regular expressions with ECMAScript-like semantics, backed by PCRE2.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::jsonata::detail {

struct RegexMatch {
    std::size_t start = 0;  // byte offsets into the subject
    std::size_t end = 0;
    std::vector<std::optional<std::string>> groups;  // capture groups 1..n
};

struct Regex {
    Regex(std::string pattern, std::string flags, void* code) : pattern(std::move(pattern)), flags(std::move(flags)), code_(code) {}
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    /// First match at or after byte offset `from`; nullopt if none.
    [[nodiscard]] std::optional<RegexMatch> exec(std::string_view subject, std::size_t from) const;
    /// All non-overlapping matches (an empty match advances one character).
    [[nodiscard]] std::vector<RegexMatch> all(std::string_view subject, std::size_t limit = static_cast<std::size_t>(-1)) const;

    std::string pattern;
    std::string flags;

private:
    void* code_;
};

/// \throws Error S0303 (at `position`) when the pattern does not compile.
std::shared_ptr<const Regex> compile_regex(const std::string& pattern, const std::string& flags, std::size_t position);

}  // namespace sfn::jsonata::detail
