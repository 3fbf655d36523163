// String intrinsics: Format, StringToJson, JsonToString, StringSplit, Base64Encode/Decode, Hash.
#include <openssl/evp.h>

#include <array>
#include <memory>

#include "jsonpath/detail_text.hpp"
#include "jsonpath/detail_intrinsic.hpp"
#include "sfn/core/error.hpp"
#include "sfn/core/text.hpp"

namespace sfn::jsonpath::detail {
namespace {

// AWS limits the input of the encoding and hashing functions to 10,000 characters.
constexpr std::size_t max_input_chars = 10000;

// States.Format prints arguments the way the service (Java) does: strings bare, objects as
// {key=value, ...} and arrays as [a, b] (seen in the conformance corpus).
void format_value(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Kind::string: out += v.as_string(); return;
        case Kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v.elements()) {
                if (!first) out += ", ";
                first = false;
                format_value(out, e);
            }
            out += ']';
            return;
        }
        case Kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [k, e] : v.members()) {
                if (!first) out += ", ";
                first = false;
                out += k;
                out += '=';
                format_value(out, e);
            }
            out += '}';
            return;
        }
        default: v.dump_to(out); return;
    }
}

std::size_t count_chars(std::string_view utf8) noexcept {
    std::size_t n = 0;
    for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace

std::vector<FormatPiece> split_format(std::string_view text, bool escaped, std::string& error) {
    std::vector<FormatPiece> pieces;
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (escaped && c == '\\' && i + 1 < text.size()) {
            char e = text[++i];
            literal += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
            continue;
        }
        if (c == '{' && i + 1 < text.size() && text[i + 1] == '}') {
            if (!literal.empty()) pieces.push_back({std::move(literal), false});
            literal.clear();
            pieces.push_back({{}, true});
            ++i;
            continue;
        }
        if (escaped && (c == '{' || c == '}')) {
            error = concat("has an unescaped '", c, "' that is not part of a '{}' placeholder");
            return {};
        }
        literal += c;
    }
    if (!literal.empty()) pieces.push_back({std::move(literal), false});
    return pieces;
}

Outcome<Value> eval_format(const CallContext& ctx) {
    std::vector<FormatPiece> dynamic;
    const std::vector<FormatPiece>* pieces = &ctx.node.format;
    if (!ctx.node.has_format) {
        std::string error;
        dynamic = split_format(ctx.args[0].as_string(), false, error);
        pieces = &dynamic;
    }
    std::size_t placeholders = 0;
    for (const auto& p : *pieces) placeholders += p.placeholder ? 1 : 0;
    if (placeholders != ctx.args.size() - 1)
        return ctx.fail("the template has " + std::to_string(placeholders) + " placeholder(s) but " +
                        std::to_string(ctx.args.size() - 1) + " argument(s) follow it");
    std::string out;
    std::size_t next = 1;
    for (const auto& p : *pieces) {
        if (p.placeholder)
            format_value(out, ctx.args[next++]);
        else
            out += p.text;
    }
    return Value(std::move(out));
}

Outcome<Value> eval_string_to_json(const CallContext& ctx) {
    std::string_view text = ctx.args[0].as_string();
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
        text.remove_prefix(1);
    // AWS returns null for an empty or blank string (conformance corpus).
    if (text.empty()) return Value();
    try {
        return Value::parse(text);
    } catch (const sfn::Error& e) {
        std::string what = e.what();
        return ctx.fail("the string is not valid JSON: " + what.substr(what.find("] ") + 2));
    }
}

Outcome<Value> eval_json_to_string(const CallContext& ctx) { return Value(ctx.args[0].dump()); }

Outcome<Value> eval_string_split(const CallContext& ctx) {
    const std::string& s = ctx.args[0].as_string();
    const std::string& delimiters = ctx.args[1].as_string();
    // Every character of the delimiter string separates; empty pieces are dropped (AWS behaviour).
    std::vector<std::string_view> delims;
    for (std::size_t i = 0; i < delimiters.size();) {
        std::size_t len = 1;
        while (i + len < delimiters.size() && (static_cast<unsigned char>(delimiters[i + len]) & 0xC0) == 0x80) ++len;
        delims.push_back(std::string_view(delimiters).substr(i, len));
        i += len;
    }
    std::vector<Value> parts;
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t matched = 0;
        for (auto d : delims)
            if (std::string_view(s).substr(i, d.size()) == d) {
                matched = d.size();
                break;
            }
        if (matched == 0) {
            ++i;
            continue;
        }
        if (i > start) parts.emplace_back(s.substr(start, i - start));
        i += matched;
        start = i;
    }
    if (start < s.size()) parts.emplace_back(s.substr(start));
    return Value::array(std::move(parts));
}

Outcome<Value> eval_base64_encode(const CallContext& ctx) {
    const std::string& s = ctx.args[0].as_string();
    if (s.size() > max_input_chars && count_chars(s) > max_input_chars)  // never more characters than bytes
        return ctx.fail("the input string is longer than " + std::to_string(max_input_chars) + " characters");
    return Value(text::base64_encode(s));
}

Outcome<Value> eval_base64_decode(const CallContext& ctx) {
    const std::string& s = ctx.args[0].as_string();
    if (s.size() > max_input_chars)
        return ctx.fail("the input string is longer than " + std::to_string(max_input_chars) + " characters");
    auto out = text::base64_decode(s);
    if (!out) return ctx.fail("the input is not valid base64");
    if (!text::is_valid_utf8(*out)) return ctx.fail("the decoded bytes are not a UTF-8 string");
    return Value(std::move(*out));
}

namespace {

// Implementations are fetched from the provider once: an implicit fetch on every digest
// (EVP_sha256() + EVP_DigestInit) costs more than hashing a short string.
struct FetchedDigests {
    std::array<std::pair<std::string_view, EVP_MD*>, 5> table{{{"MD5", EVP_MD_fetch(nullptr, "MD5", nullptr)},
                                                               {"SHA-1", EVP_MD_fetch(nullptr, "SHA1", nullptr)},
                                                               {"SHA-256", EVP_MD_fetch(nullptr, "SHA256", nullptr)},
                                                               {"SHA-384", EVP_MD_fetch(nullptr, "SHA384", nullptr)},
                                                               {"SHA-512", EVP_MD_fetch(nullptr, "SHA512", nullptr)}}};
    ~FetchedDigests() {
        for (auto& [name, md] : table) EVP_MD_free(md);
    }
};

const EVP_MD* digest_for(std::string_view algorithm) noexcept {
    static const FetchedDigests digests;
    for (const auto& [name, md] : digests.table)
        if (name == algorithm) return md;
    return nullptr;
}

struct ContextDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

}  // namespace

bool is_hash_algorithm(std::string_view name) noexcept { return digest_for(name) != nullptr; }

Outcome<Value> eval_hash(const CallContext& ctx) {
    const std::string& data = ctx.args[0].as_string();
    const std::string& algorithm = ctx.args[1].as_string();
    const EVP_MD* md = digest_for(algorithm);
    if (!md)
        return ctx.fail("unsupported algorithm '" + algorithm + "' (expected MD5, SHA-1, SHA-256, SHA-384 or SHA-512)");
    if (data.size() > max_input_chars && count_chars(data) > max_input_chars)
        return ctx.fail("the input string is longer than " + std::to_string(max_input_chars) + " characters");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
    EVP_MD_CTX* ctx_md = context.get();
    if (!ctx_md || EVP_DigestInit_ex(ctx_md, md, nullptr) != 1 || EVP_DigestUpdate(ctx_md, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_md, digest, &length) != 1)
        return ctx.fail("the " + algorithm + " digest could not be computed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(std::size_t{length} * 2, '\0');
    char* o = out.data();
    for (unsigned i = 0; i < length; ++i, o += 2) {
        o[0] = hex[digest[i] >> 4];
        o[1] = hex[digest[i] & 15];
    }
    return Value(std::move(out));
}

}  // namespace sfn::jsonpath::detail
