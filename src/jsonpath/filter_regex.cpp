// The `=~ /pattern/flags` of a filter: Jayway compiles Java regexes and requires the whole string to match.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "jsonpath/detail_path.hpp"

namespace sfn::jsonpath::detail {

FilterRegex::FilterRegex(std::string_view pattern, std::string_view flags, std::string& error) {
    // Jayway's letters are Java's: i CASE_INSENSITIVE, m MULTILINE, s DOTALL, x COMMENTS, U UNICODE_CHARACTER_CLASS;
    // d (UNIX_LINES) and u (UNICODE_CASE) are what PCRE2 in UTF mode does already.
    std::uint32_t options = PCRE2_UTF;
    for (char f : flags) {
        if (f == 'i') options |= PCRE2_CASELESS;
        if (f == 'm') options |= PCRE2_MULTILINE;
        if (f == 's') options |= PCRE2_DOTALL;
        if (f == 'x') options |= PCRE2_EXTENDED;
        if (f == 'U') options |= PCRE2_UCP;
    }
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &code,
                                         &offset, nullptr);
    if (!compiled) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof message);
        error = std::string(reinterpret_cast<const char*>(message)) + " at offset " + std::to_string(offset);
        return;
    }
    code_ = compiled;
}

FilterRegex::~FilterRegex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

namespace {

// Bounds the backtracking of one match (a hostile pattern on a long string), as the path's budget bounds the
// rest of an evaluation. Read-only once made, so shared by every thread.
const pcre2_match_context* bounded_match() {
    static pcre2_match_context* context = [] {
        pcre2_match_context* c = pcre2_match_context_create(nullptr);
        if (c) pcre2_set_match_limit(c, 1'000'000);
        return c;
    }();
    return context;
}

}  // namespace

bool FilterRegex::matches(std::string_view text) const {
    auto* code = static_cast<pcre2_code*>(code_);
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(code, nullptr);
    if (!data) return false;
    // A match that passes the backtracking limit counts as no match, as a failed one does.
    const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                               PCRE2_ANCHORED | PCRE2_ENDANCHORED, data,
                               const_cast<pcre2_match_context*>(bounded_match()));
    pcre2_match_data_free(data);
    return rc >= 0;
}

}  // namespace sfn::jsonpath::detail
