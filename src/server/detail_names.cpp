#include "server/detail_names.hpp"

#include "sfn/server/error.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace sfn::server::detail {
namespace {

// Decodes one UTF-8 code point at `i`; returns -1 for malformed sequences.
long next_code_point(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0) return -1;
    long cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra; ++k) {
        if (i + static_cast<std::size_t>(k) >= s.size()) return -1;
        const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((cc & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

constexpr std::string_view forbidden_ascii = " <>{}[]?*\"#%\\^|~`$&,;:/";

}  // namespace

bool valid_name(std::string_view name) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < name.size();) {
        const long cp = next_code_point(name, i);
        if (cp < 0) return false;
        if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE) return false;
        if (cp == 0x2028 || cp == 0x2029 || cp == 0xA0 || cp == 0x3000) return false;  // white space
        if (cp < 0x80 && forbidden_ascii.find(static_cast<char>(cp)) != std::string_view::npos) return false;
        ++count;
    }
    return count >= 1 && count <= 80;
}

std::optional<Arn> parse_arn(std::string_view text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto colon = text.find(':', start);
        parts.emplace_back(text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    // arn:partition:service:region:account:resource[...]; region may be empty (IAM), the resource not.
    if (parts.size() < 6 || parts[0] != "arn" || parts[1].empty() || parts[2].empty() || parts[5].empty()) {
        return std::nullopt;
    }
    Arn arn{parts[1], parts[2], parts[3], parts[4], parts[5], {parts.begin() + 6, parts.end()}};
    return arn;
}

std::string invalid_arn_message(std::string_view text) {
    return "Invalid Arn: '" + std::string(text.starts_with("arn:") ? "" : "Invalid ARN prefix: ") + std::string(text) +
           "'";
}

MachineRef parse_machine_arn(std::string_view text) {
    const auto arn = parse_arn(text);
    const auto invalid = [&] { return ApiError("InvalidArn", invalid_arn_message(text)); };
    if (!arn || arn->service != "states" || arn->resource_type != "stateMachine" || arn->resource.empty() ||
        arn->resource.size() > 2 || arn->resource[0].empty()) {
        throw invalid();
    }
    if (arn->resource[0].find('/') != std::string::npos) {
        throw ApiError("ValidationException", "Labeled ARNs are not supported by this API: '" + std::string(text) + "'")
            .with("reason", "API_DOES_NOT_SUPPORT_LABELED_ARNS");
    }
    MachineRef ref;
    ref.name = arn->resource[0];
    ref.machine_arn = "arn:" + arn->partition + ":states:" + arn->region + ":" + arn->account + ":stateMachine:" +
                      ref.name;
    if (arn->resource.size() == 2) {
        const auto& q = arn->resource[1];
        if (q.empty()) throw invalid();
        if (std::all_of(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            if (q.size() > 9) throw invalid();
            ref.version = std::stoi(q);
        } else {
            ref.alias = q;
        }
    }
    return ref;
}

double to_epoch(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    return static_cast<double>(ms) / 1000.0;
}

double now_epoch() { return to_epoch(std::chrono::system_clock::now()); }

namespace {

std::string uuid_of(std::uint64_t a, std::uint64_t b) {
    unsigned char bytes[16];
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<unsigned char>(a >> (8 * i));
        bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0xF];
    }
    return out;
}

std::uint64_t splitmix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace

std::string uuid4() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::uint64_t a = rng();
    const std::uint64_t b = rng();
    return uuid_of(a, b);
}

std::string uuid_from(std::string_view key) {
    std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a, then two splitmix64 rounds for the 122 bits shown
    for (const char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
    return uuid_of(splitmix(h), splitmix(h + 0x9E3779B97F4A7C15ULL));
}

std::string encode_token(std::string_view scope, std::string_view cursor) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string plain = std::string(scope) + '\n' + std::string(cursor);
    std::string out = "sfn1";
    for (unsigned char c : plain) {
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
    return out;
}

std::optional<std::string> decode_token(std::string_view scope, std::string_view token) {
    if (token.size() < 4 || token.substr(0, 4) != "sfn1" || token.size() % 2 != 0) return std::nullopt;
    std::string plain;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 4; i < token.size(); i += 2) {
        const int hi = nibble(token[i]);
        const int lo = nibble(token[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        plain += static_cast<char>(hi * 16 + lo);
    }
    const auto nl = plain.find('\n');
    if (nl == std::string::npos || std::string_view(plain).substr(0, nl) != scope) return std::nullopt;
    return plain.substr(nl + 1);
}

}  // namespace sfn::server::detail
