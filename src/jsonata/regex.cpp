#define PCRE2_CODE_UNIT_WIDTH 8
#include "jsonata/detail_regex.hpp"

#include <pcre2.h>

#include "jsonata/detail_error.hpp"

namespace sfn::jsonata::detail {

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

std::optional<RegexMatch> Regex::exec(std::string_view subject, std::size_t from) const {
    auto* code = static_cast<pcre2_code*>(code_);
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
    int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), from, 0, md, nullptr);
    if (rc < 0) {
        pcre2_match_data_free(md);
        if (rc == PCRE2_ERROR_NOMATCH) return std::nullopt;
        fail("D1004", 0, pattern);
    }
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    std::uint32_t pairs = pcre2_get_ovector_count(md);
    RegexMatch m;
    m.start = ov[0];
    m.end = ov[1];
    std::uint32_t captures = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
    for (std::uint32_t i = 1; i <= captures; ++i) {
        if (i < pairs && ov[2 * i] != PCRE2_UNSET)
            m.groups.emplace_back(std::string(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i])));
        else
            m.groups.emplace_back(std::nullopt);
    }
    pcre2_match_data_free(md);
    return m;
}

std::vector<RegexMatch> Regex::all(std::string_view subject, std::size_t limit) const {
    std::vector<RegexMatch> out;
    std::size_t pos = 0;
    while (out.size() < limit && pos <= subject.size()) {
        auto m = exec(subject, pos);
        if (!m) break;
        // The reference resumes at the end of the previous match; an empty match there would repeat
        // forever, so it is reported (D1004) unless the scan has reached the end of the subject.
        if (m->end == m->start && !out.empty() && m->start == pos) fail("D1004", 0, pattern);
        const bool empty = m->end == m->start;
        pos = m->end;
        out.push_back(std::move(*m));
        if (pos >= subject.size()) break;
        if (empty) fail("D1004", 0, pattern);
    }
    return out;
}

std::shared_ptr<const Regex> compile_regex(const std::string& pattern, const std::string& flags, std::size_t position) {
    std::uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF | PCRE2_DOLLAR_ENDONLY;
    if (flags.find('i') != std::string::npos) options |= PCRE2_CASELESS;
    if (flags.find('m') != std::string::npos) {
        options |= PCRE2_MULTILINE;
        options &= ~static_cast<std::uint32_t>(PCRE2_DOLLAR_ENDONLY);
    }
    int err = 0;
    PCRE2_SIZE err_offset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &err,
                                     &err_offset, nullptr);
    if (!code) fail("S0303", position + err_offset, pattern);
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    return std::make_shared<const Regex>(pattern, flags, code);
}

}  // namespace sfn::jsonata::detail
