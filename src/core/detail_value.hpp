#pragma once
// Private: the heap nodes behind sfn::Value and the friend that builds Values from them.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sfn/core/value.hpp"

namespace sfn {
namespace detail {

/// Saturating: a bound above UINT32_MAX is kept as UINT32_MAX.
inline std::uint32_t clamp_bound(std::uint64_t n) noexcept {
    return n > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(n);
}

struct StringNode : Node {
    explicit StringNode(std::string s) : text(std::move(s)) { dump_size_bound = clamp_bound(2 + 6 * std::uint64_t{text.size()}); }
    std::string text;
};

struct ArrayNode : Node {
    explicit ArrayNode(std::vector<Value> items) : elements(std::move(items)) {
        std::uint64_t n = 2;  // brackets, and each element with its comma
        for (const auto& e : elements) n += e.dump_size_bound() + 1;
        dump_size_bound = clamp_bound(n);
    }
    std::vector<Value> elements;
};

/// Objects above this many members get a hash index; below it a linear scan is faster.
inline constexpr std::size_t object_index_threshold = 12;

struct ObjectNode : Node {
    /// Takes members that may repeat a key; keeps the first position and the last value.
    explicit ObjectNode(std::vector<Member> items);
    /// Takes members known to have distinct keys (no deduplication pass).
    struct Distinct {};
    ObjectNode(std::vector<Member> items, Distinct);

    [[nodiscard]] const Value* find(std::string_view key) const noexcept;
    [[nodiscard]] std::ptrdiff_t index_of(std::string_view key) const noexcept;

    std::vector<Member> members;
    std::unique_ptr<std::unordered_map<std::string_view, std::uint32_t>> index;

private:
    void build_index();
    void set_dump_size_bound() noexcept;
};

}  // namespace detail

/// Builds Values from nodes and reads nodes back (the one friend of Value).
struct ValueAccess {
    static Value adopt(Kind kind, detail::Node* node) noexcept {
        Value v;
        v.kind_ = kind;
        v.data_.p = node;
        return v;
    }
    static const detail::Node* node(const Value& v) noexcept { return v.data_.p; }
    static const detail::StringNode& string(const Value& v) noexcept {
        return *static_cast<const detail::StringNode*>(v.data_.p);
    }
    static const detail::ArrayNode& array(const Value& v) noexcept {
        return *static_cast<const detail::ArrayNode*>(v.data_.p);
    }
    static const detail::ObjectNode& object(const Value& v) noexcept {
        return *static_cast<const detail::ObjectNode*>(v.data_.p);
    }
    static double real(const Value& v) noexcept { return v.data_.d; }
    static std::int64_t integer(const Value& v) noexcept { return v.data_.i; }
    static bool boolean(const Value& v) noexcept { return v.data_.b; }
    /// An object from members whose keys are known to be distinct.
    static Value distinct_object(std::vector<Member> members) {
        return adopt(Kind::object, new detail::ObjectNode(std::move(members), detail::ObjectNode::Distinct{}));
    }
};

/// Throws sfn::Error sfn.core.E002 "expected <what>, got <kind>".
[[noreturn]] void throw_kind_mismatch(std::string_view expected, Kind got);

}  // namespace sfn
