// String functions. Lengths and offsets count Unicode code points, as the reference does.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"
#include "jsonata/detail_regex.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

using Args = std::vector<Value>;

Value fn_string(Evaluator&, Args& a, const Value&) {
    const Value& v = arg(a, 0);
    if (v.undefined()) return Value();
    bool pretty = arg(a, 1).is_bool() && arg(a, 1).as_bool();
    if (v.is_string()) return v;
    if (v.is_function()) return Value::string("");
    if (v.is_number() && !std::isfinite(v.as_number())) fail("D3001", 0, "string", js_number_to_string(v.as_number()));
    return Value::string(stringify(v, pretty));
}

long to_int(double d) {
    if (std::isnan(d)) return 0;
    if (d > 1e15) return static_cast<long>(1e15);
    if (d < -1e15) return static_cast<long>(-1e15);
    return static_cast<long>(std::trunc(d));
}

Value fn_substring(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    std::u32string s = to_u32(string_arg(ev, a, 0));
    const long len = static_cast<long>(s.size());
    // An undefined start counts as 0. Without a length that is the reference's answer too (the whole
    // string); with one the reference computes NaN bounds and returns "", a JavaScript accident not copied.
    long start = arg(a, 1).is_number() ? to_int(arg(a, 1).as_number()) : 0;
    if (len + start < 0) start = 0;
    long end = len;
    if (arg(a, 2).is_number()) {
        double l = arg(a, 2).as_number();
        if (l <= 0) return Value::string("");
        end = start >= 0 ? start + to_int(l) : len + start + to_int(l);
    }
    auto clamp = [&](long x) { return x < 0 ? std::max(0L, len + x) : std::min(x, len); };
    long from = clamp(start), to = clamp(end);
    if (to <= from) return Value::string("");
    return Value::string(from_u32(std::u32string_view(s).substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from))));
}

// $substringBefore/$substringAfter with an undefined `chars`: nothing can be found, so the string comes
// back whole, as the documentation says for chars that do not occur. (The reference searches for the
// text "undefined", a JavaScript accident not copied.)
Value fn_substring_before(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    if (arg(a, 1).undefined()) return arg(a, 0);
    auto idx = s.find(string_arg(ev, a, 1));
    return idx == std::string::npos ? arg(a, 0) : Value::string(s.substr(0, idx));
}

Value fn_substring_after(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    if (arg(a, 1).undefined()) return arg(a, 0);
    const std::string& chars = string_arg(ev, a, 1);
    auto idx = s.find(chars);
    return idx == std::string::npos ? arg(a, 0) : Value::string(s.substr(idx + chars.size()));
}

Value change_case(Evaluator& ev, Args& a, bool upper) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& text = string_arg(ev, a, 0);
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        std::string out = text;
        for (auto& c : out) c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
        return Value::string(std::move(out));
    }
    std::u32string s = to_u32(text);
    for (auto& c : s) {
        if (upper) {
            if ((c >= U'a' && c <= U'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) c -= 32;
        } else {
            if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) c += 32;
        }
    }
    return Value::string(from_u32(s));
}
Value fn_lowercase(Evaluator& ev, Args& a, const Value&) { return change_case(ev, a, false); }
Value fn_uppercase(Evaluator& ev, Args& a, const Value&) { return change_case(ev, a, true); }

Value fn_length(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    return Value::number(static_cast<double>(utf8_length(string_arg(ev, a, 0))));
}

Value fn_trim(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    std::string out;
    bool space = false;
    for (char c : string_arg(ev, a, 0)) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return Value::string(out);
}

Value fn_pad(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    // An undefined width pads nothing: the string comes back as it is (the reference's NaN width does the same).
    if (arg(a, 1).undefined()) return arg(a, 0);
    double width = number_arg(ev, a, 1);
    std::u32string pad;
    if (arg(a, 2).defined()) pad = to_u32(string_arg(ev, a, 2));
    if (pad.empty()) pad.push_back(U' ');
    long pad_len = to_int(std::fabs(width)) - static_cast<long>(utf8_length(s));
    if (pad_len <= 0) return arg(a, 0);
    // the padding is the pad characters repeated, the last repetition cut short; its size is known (and
    // charged) before anything is built, so a huge width fails with U1002 instead of exhausting memory
    const std::string unit = from_u32(pad);
    const auto repeats = static_cast<std::size_t>(pad_len) / pad.size();
    const std::string tail = from_u32(std::u32string_view(pad).substr(0, static_cast<std::size_t>(pad_len) % pad.size()));
    const std::size_t padding_bytes = repeats > Evaluator::kMaxStringBytes ? Evaluator::kMaxStringBytes + 1
                                                                            : repeats * unit.size() + tail.size();
    ev.charge_string(s.size() + padding_bytes, ev.position);
    std::string padding;
    padding.reserve(padding_bytes);
    padding = unit;
    const std::size_t body = repeats * unit.size();
    while (padding.size() < body) padding.append(padding, 0, std::min(padding.size(), body - padding.size()));
    padding.resize(body);
    padding += tail;
    return Value::string(width > 0 ? s + padding : padding + s);
}

// One match from a regex or a custom matcher function: {match, start, end, groups, next}.
struct MatchResult {
    std::size_t start = 0;  // bytes
    std::size_t end = 0;
    std::string text;
    std::vector<std::string> groups;
};

std::vector<MatchResult> all_matches(Evaluator& ev, const Value& matcher, const std::string& s, long limit, const char* fname) {
    std::vector<MatchResult> out;
    if (!matcher.is_function()) fail("T0410", ev.position, fname, "2");
    const Function& f = matcher.as_function();
    if (f.kind == Function::Kind::Regex) {
        for (auto& m : f.regex->all(s, limit < 0 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(limit))) {
            MatchResult r;
            r.start = m.start;
            r.end = m.end;
            r.text = s.substr(m.start, m.end - m.start);
            for (auto& g : m.groups) r.groups.push_back(g.value_or(""));
            out.push_back(std::move(r));
        }
        return out;
    }
    // a custom matcher: call it, then follow `next` until it yields undefined
    Value m = ev.call(matcher, {Value::string(s)});
    while (m.defined() && (limit < 0 || static_cast<long>(out.size()) < limit)) {
        if (!m.is_object()) fail("T1010", ev.position, fname);
        const Value* text = m.as_object().find("match");
        const Value* start = m.as_object().find("start");
        const Value* end = m.as_object().find("end");
        const Value* groups = m.as_object().find("groups");
        const Value* next = m.as_object().find("next");
        if (!text || !start || !end || !text->is_string() || !start->is_number() || !end->is_number() || !next ||
            !next->is_function())
            fail("T1010", ev.position, fname);
        MatchResult r;
        std::u32string u = to_u32(s);
        auto cp_to_byte = [&](double cp) {
            auto n = static_cast<std::size_t>(std::max(0.0, std::min(cp, static_cast<double>(u.size()))));
            return from_u32(std::u32string_view(u).substr(0, n)).size();
        };
        r.start = cp_to_byte(start->as_number());
        r.end = cp_to_byte(end->as_number());
        r.text = text->as_string();
        if (groups && groups->is_array())
            for (const auto& g : groups->as_array().items) r.groups.push_back(g.is_string() ? g.as_string() : "");
        out.push_back(std::move(r));
        m = ev.call(*next, {});
    }
    return out;
}

Value fn_contains(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    // Nothing to look for: undefined, like an undefined string (the reference fails calling undefined as
    // a matcher, a JavaScript TypeError rather than a JSONata error).
    if (arg(a, 1).undefined()) return Value();
    if (arg(a, 1).is_string()) return Value::boolean(s.find(arg(a, 1).as_string()) != std::string::npos);
    return Value::boolean(!all_matches(ev, arg(a, 1), s, 1, "contains").empty());
}

Value fn_split(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    long limit = -1;
    if (arg(a, 2).defined()) {
        if (number_arg(ev, a, 2) < 0) fail("D3020", ev.position, "split", describe(arg(a, 2)));
        limit = to_int(number_arg(ev, a, 2));
    }
    const std::string& s = string_arg(ev, a, 0);
    // an undefined separator is neither a string nor a matcher: all_matches raises T0410 for argument 2
    std::vector<Value> parts;
    auto push = [&](std::string p) {
        if (limit < 0 || static_cast<long>(parts.size()) < limit) parts.push_back(Value::string(std::move(p)));
    };
    if (arg(a, 1).is_string()) {
        const std::string& sep = arg(a, 1).as_string();
        if (sep.empty()) {
            for (char32_t c : to_u32(s)) push(from_u32(std::u32string(1, c)));
        } else {
            std::size_t pos = 0;
            for (;;) {
                auto idx = s.find(sep, pos);
                if (idx == std::string::npos) {
                    push(s.substr(pos));
                    break;
                }
                push(s.substr(pos, idx - pos));
                pos = idx + sep.size();
            }
        }
    } else {
        std::size_t pos = 0;
        for (const auto& m : all_matches(ev, arg(a, 1), s, -1, "split")) {
            if (m.end == m.start && (m.start == 0 || m.start >= s.size())) continue;
            push(s.substr(pos, m.start - pos));
            pos = m.end;
        }
        push(s.substr(pos));
    }
    auto arr = make_array();
    arr->items = std::move(parts);
    return Value::array(arr);
}

Value fn_join(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    std::string sep = arg(a, 1).defined() ? string_arg(ev, a, 1) : "";
    std::string out;
    bool first = true;
    for (const auto& x : array_arg(ev, a, 0)) {
        ev.charge_string(out.size() + sep.size() + x.as_string().size(), ev.position);
        if (!first) out += sep;
        first = false;
        out += x.as_string();
    }
    return Value::string(out);
}

Value fn_match(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    long limit = -1;
    if (arg(a, 2).defined()) {
        if (number_arg(ev, a, 2) < 0) fail("D3040", ev.position, "match", describe(arg(a, 2)));
        limit = to_int(number_arg(ev, a, 2));
    }
    const std::string& s = string_arg(ev, a, 0);
    std::vector<Value> out;
    if (limit != 0) {
        for (auto& m : all_matches(ev, arg(a, 1), s, limit, "match")) {
            auto o = std::make_shared<Object>();
            o->set("match", Value::string(m.text));
            o->set("index", Value::number(static_cast<double>(utf8_length(std::string_view(s).substr(0, m.start)))));
            auto groups = make_array();
            for (auto& g : m.groups) groups->items.push_back(Value::string(g));
            o->set("groups", Value::array(groups));
            out.push_back(Value::object(o));
        }
    }
    return sequence_of(std::move(out));
}

std::string substitute(const std::string& replacement, const MatchResult& m) {
    std::string out;
    std::size_t pos = 0;
    auto idx = replacement.find('$', pos);
    while (idx != std::string::npos && pos < replacement.size()) {
        out += replacement.substr(pos, idx - pos);
        pos = idx + 1;
        char d = pos < replacement.size() ? replacement[pos] : '\0';
        if (d == '$') {
            out += '$';
            ++pos;
        } else if (d == '0') {
            out += m.text;
            ++pos;
        } else {
            std::size_t max_digits = m.groups.empty() ? 1 : static_cast<std::size_t>(std::floor(std::log10(static_cast<double>(m.groups.size())))) + 1;
            auto parse = [&](std::size_t n) -> long {
                std::string digits;
                for (std::size_t k = pos; k < replacement.size() && k < pos + n && std::isdigit(static_cast<unsigned char>(replacement[k])); ++k)
                    digits += replacement[k];
                return digits.empty() ? -1 : std::stol(digits);
            };
            long index = parse(max_digits);
            if (max_digits > 1 && index > static_cast<long>(m.groups.size())) index = parse(max_digits - 1);
            if (index >= 0) {
                if (!m.groups.empty() && index >= 1 && static_cast<std::size_t>(index) <= m.groups.size())
                    out += m.groups[static_cast<std::size_t>(index - 1)];
                pos += std::to_string(index).size();
            } else {
                out += '$';
            }
        }
        idx = replacement.find('$', pos);
    }
    out += replacement.substr(std::min(pos, replacement.size()));
    return out;
}

Value fn_replace(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    const Value& pattern = arg(a, 1);
    const Value& replacement = arg(a, 2);
    if (pattern.is_string() && pattern.as_string().empty()) fail("D3010", ev.position, "replace");
    long limit = -1;
    if (arg(a, 3).defined()) {
        if (number_arg(ev, a, 3) < 0) fail("D3011", ev.position, "replace");
        limit = to_int(number_arg(ev, a, 3));
    }
    if (limit == 0) return arg(a, 0);
    // An undefined pattern or replacement is T0410 for that argument. The reference fails calling
    // undefined as a matcher or replacer (a JavaScript TypeError), or for a string pattern inserts the
    // text "undefined" for every match, an accident not copied.
    if (pattern.undefined()) fail_argument(ev, 1);
    if (replacement.undefined()) fail_argument(ev, 2);
    std::string out;
    std::size_t pos = 0;
    if (pattern.is_string()) {
        const std::string& p = pattern.as_string();
        long count = 0;
        for (auto idx = s.find(p); idx != std::string::npos && (limit < 0 || count < limit); idx = s.find(p, pos)) {
            out += s.substr(pos, idx - pos);
            out += replacement.is_string() ? replacement.as_string() : to_display_string(replacement);
            ev.charge_string(out.size(), ev.position);
            pos = idx + p.size();
            ++count;
        }
        out += s.substr(pos);
        return Value::string(out);
    }
    for (const auto& m : all_matches(ev, pattern, s, limit, "replace")) {
        out += s.substr(pos, m.start - pos);
        if (replacement.is_string()) {
            out += substitute(replacement.as_string(), m);
        } else {
            auto mo = std::make_shared<Object>();
            mo->set("match", Value::string(m.text));
            mo->set("index", Value::number(static_cast<double>(utf8_length(std::string_view(s).substr(0, m.start)))));
            auto groups = make_array();
            for (auto& g : m.groups) groups->items.push_back(Value::string(g));
            mo->set("groups", Value::array(groups));
            Value r = ev.call(replacement, {Value::object(mo)});
            if (!r.is_string()) fail("D3012", ev.position, "replace", describe(r));
            out += r.as_string();
        }
        ev.charge_string(out.size(), ev.position);
        pos = m.end;
    }
    out += s.substr(pos);
    return Value::string(out);
}

Value fn_base64encode(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    return Value::string(sfn::text::base64_encode(string_arg(ev, a, 0)));
}

Value fn_base64decode(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    auto bytes = sfn::text::base64_decode(string_arg(ev, a, 0));
    if (!bytes) fail("D3143", ev.position, "base64decode", describe(arg(a, 0)));
    return Value::string(std::move(*bytes));
}

Value encode(Evaluator& ev, Args& a, const char* keep, const char* fname) {
    const Value& v = arg(a, 0);
    if (v.undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    // a lone surrogate cannot be encoded (the reference throws URIError)
    for (char32_t c : to_u32(s))
        if (c >= 0xD800 && c <= 0xDFFF) fail("D3140", ev.position, fname, describe(v));
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || std::strchr(keep, c)) {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return Value::string(out);
}

Value decode(Evaluator& ev, Args& a, const char* reserved, const char* fname) {
    const Value& v = arg(a, 0);
    if (v.undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    std::string out;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        std::string bytes;
        std::string raw;
        std::size_t j = i;
        auto read_byte = [&](std::size_t at) -> int {
            if (at + 2 >= s.size()) return -1;
            if (s[at] != '%') return -1;
            int h = hex(s[at + 1]), l = hex(s[at + 2]);
            if (h < 0 || l < 0) return -1;
            return h * 16 + l;
        };
        int b = read_byte(j);
        if (b < 0) fail("D3140", ev.position, fname, describe(v));
        int need = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
        if (need < 0) fail("D3140", ev.position, fname, describe(v));
        bytes += static_cast<char>(b);
        raw = s.substr(j, 3);
        j += 3;
        for (int k = 0; k < need; ++k) {
            int c = read_byte(j);
            if (c < 0 || (c & 0xC0) != 0x80) fail("D3140", ev.position, fname, describe(v));
            bytes += static_cast<char>(c);
            raw += s.substr(j, 3);
            j += 3;
        }
        if (need == 0 && std::strchr(reserved, bytes[0]) && bytes[0] != '\0') out += raw;
        else out += bytes;
        i = j - 1;
    }
    return Value::string(out);
}

Value fn_encode_url_component(Evaluator& ev, Args& a, const Value&) { return encode(ev, a, "-_.!~*'()", "encodeUrlComponent"); }
Value fn_encode_url(Evaluator& ev, Args& a, const Value&) { return encode(ev, a, "-_.!~*'();/?:@&=+$,#", "encodeUrl"); }
Value fn_decode_url_component(Evaluator& ev, Args& a, const Value&) { return decode(ev, a, "", "decodeUrlComponent"); }
Value fn_decode_url(Evaluator& ev, Args& a, const Value&) { return decode(ev, a, ";/?:@&=+$,#", "decodeUrl"); }

}  // namespace

void add_string_functions(std::vector<Builtin>& t) {
    t.push_back({"string", "<x-b?:s>", 1, fn_string, nullptr});
    t.push_back({"substring", "<s-nn?:s>", 3, fn_substring, nullptr});
    t.push_back({"substringBefore", "<s-s:s>", 2, fn_substring_before, nullptr});
    t.push_back({"substringAfter", "<s-s:s>", 2, fn_substring_after, nullptr});
    t.push_back({"lowercase", "<s-:s>", 1, fn_lowercase, nullptr});
    t.push_back({"uppercase", "<s-:s>", 1, fn_uppercase, nullptr});
    t.push_back({"length", "<s-:n>", 1, fn_length, nullptr});
    t.push_back({"trim", "<s-:s>", 1, fn_trim, nullptr});
    t.push_back({"pad", "<s-ns?:s>", 3, fn_pad, nullptr});
    t.push_back({"contains", "<s-(sf):b>", 2, fn_contains, nullptr});
    t.push_back({"split", "<s-(sf)n?:a<s>>", 3, fn_split, nullptr});
    t.push_back({"join", "<a<s>s?:s>", 2, fn_join, nullptr});
    t.push_back({"match", "<s-f<s:o>n?:a<o>>", 3, fn_match, nullptr});
    t.push_back({"replace", "<s-(sf)(sf)n?:s>", 4, fn_replace, nullptr});
    t.push_back({"base64encode", "<s-:s>", 1, fn_base64encode, nullptr});
    t.push_back({"base64decode", "<s-:s>", 1, fn_base64decode, nullptr});
    t.push_back({"encodeUrlComponent", "<s-:s>", 1, fn_encode_url_component, nullptr});
    t.push_back({"encodeUrl", "<s-:s>", 1, fn_encode_url, nullptr});
    t.push_back({"decodeUrlComponent", "<s-:s>", 1, fn_decode_url_component, nullptr});
    t.push_back({"decodeUrl", "<s-:s>", 1, fn_decode_url, nullptr});
}

}  // namespace sfn::jsonata::detail
