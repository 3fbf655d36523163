#pragma once
// Private: the heap nodes behind sfn::Value and the friend that builds Values from them.

#include <cstdint>
#include <memory>
#include <new>
#include <span>
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

/// An array node and its elements in one allocation: the elements follow the node.
struct ArrayNode : Node {
    [[nodiscard]] std::span<const Value> elements() const noexcept { return {data(), count}; }
    [[nodiscard]] Value* data() noexcept { return reinterpret_cast<Value*>(this + 1); }
    [[nodiscard]] const Value* data() const noexcept { return reinterpret_cast<const Value*>(this + 1); }

    /// A node with room for `capacity` elements, which `fill(ArrayNode&)` adds with emplace() (at most
    /// `capacity` of them). When `fill` throws, the node and the elements added so far are freed.
    template <class Fill>
    [[nodiscard]] static ArrayNode* make(std::size_t capacity, Fill&& fill) {
        auto* node = allocate(capacity);
        try {
            fill(*node);
        } catch (...) {
            free(node);
            throw;
        }
        node->set_dump_size_bound();
        return node;
    }
    /// Appends an element. Precondition: below the capacity the node was made with.
    template <class... Args>
    void emplace(Args&&... args) {
        ::new (static_cast<void*>(data() + count)) Value(std::forward<Args>(args)...);
        ++count;
    }
    /// A node whose elements are moved out of `items`.
    [[nodiscard]] static ArrayNode* moving(std::span<Value> items);
    /// An empty node with room for `capacity` elements (for ArrayBuilder: set count, then finish_building()).
    [[nodiscard]] static ArrayNode* allocate(std::size_t capacity) {
        return ::new (::operator new(sizeof(ArrayNode) + capacity * sizeof(Value))) ArrayNode;
    }
    void finish_building() noexcept { set_dump_size_bound(); }
    /// Destroys the elements and frees the node.
    static void free(ArrayNode* node) noexcept;

    std::size_t count = 0;

private:
    ArrayNode() noexcept = default;
    void set_dump_size_bound() noexcept;
};
static_assert(sizeof(ArrayNode) % alignof(Value) == 0);

/// Objects above this many members get a hash index; below it a linear scan is faster.
inline constexpr std::size_t object_index_threshold = 12;

/// An object node and its members in one allocation: the members follow the node.
struct ObjectNode : Node {
    [[nodiscard]] std::span<const Member> members() const noexcept { return {data(), count}; }
    [[nodiscard]] Member* data() noexcept { return reinterpret_cast<Member*>(this + 1); }
    [[nodiscard]] const Member* data() const noexcept { return reinterpret_cast<const Member*>(this + 1); }

    /// A node with room for `capacity` members, which `fill(ObjectNode&)` adds with emplace() (at most
    /// `capacity` of them, with distinct keys). When `fill` throws, the node and the members added so far
    /// are freed.
    template <class Fill>
    [[nodiscard]] static ObjectNode* make_distinct(std::size_t capacity, Fill&& fill) {
        auto* node = allocate(capacity);
        try {
            fill(*node);
            node->finish();
        } catch (...) {
            free(node);
            throw;
        }
        return node;
    }
    /// Appends a member. Precondition: below the capacity the node was made with; the key is not there yet.
    template <class... Args>
    void emplace(Args&&... args) {
        ::new (static_cast<void*>(data() + count)) Member(std::forward<Args>(args)...);
        ++count;
    }
    /// An empty node with room for `capacity` members (for ObjectBuilder: set count, then finish()).
    [[nodiscard]] static ObjectNode* allocate(std::size_t capacity) {
        return ::new (::operator new(sizeof(ObjectNode) + capacity * sizeof(Member))) ObjectNode;
    }
    /// The index (when large) and the dump size bound, once every member is in.
    void finish();
    /// A node whose members are moved out of `items`, known to have distinct keys.
    [[nodiscard]] static ObjectNode* moving_distinct(std::span<Member> items);
    /// A node whose members are moved out of `items`, which may repeat a key: a repeated key keeps its first
    /// position and its last value.
    [[nodiscard]] static ObjectNode* moving(std::span<Member> items);
    /// Destroys the members and frees the node.
    static void free(ObjectNode* node) noexcept;

    [[nodiscard]] const Value* find(std::string_view key) const noexcept;
    [[nodiscard]] std::ptrdiff_t index_of(std::string_view key) const noexcept;

    std::size_t count = 0;
    /// Member positions by key (objects above object_index_threshold); the keys view the members' strings.
    std::unique_ptr<std::unordered_map<std::string_view, std::uint32_t>> index;

private:
    ObjectNode() noexcept = default;
    void set_dump_size_bound() noexcept;
};
static_assert(sizeof(ObjectNode) % alignof(Member) == 0);

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
        return adopt(Kind::object, detail::ObjectNode::moving_distinct(members));
    }
};

/// Throws sfn::Error sfn.core.E002 "expected <what>, got <kind>".
[[noreturn]] void throw_kind_mismatch(std::string_view expected, Kind got);

}  // namespace sfn
