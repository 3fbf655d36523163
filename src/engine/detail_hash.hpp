#pragma once
// Internal: the small, stable (same value in every process and version) hashes the engine names things with:
// task tokens, Map Runs and their children, fresh seeds. Not for security.

#include <cstdint>
#include <string_view>

namespace sfn::engine::detail {

/// splitmix64's finalizer: spreads the bits of `z`.
inline std::uint64_t splitmix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// FNV-1a over `text`.
inline std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

}  // namespace sfn::engine::detail
