#pragma once
/// \file
/// sfn::Value: the immutable JSON value the engine moves between states.
///
/// Children are shared, never copied: copying a Value copies one pointer (and bumps an atomic
/// reference count); a "modification" (with_member, with_element, ...) builds a new container that
/// shares every untouched child, so applying ResultPath `$.a.b` copies only the objects on that path.
/// Values are safe to share between threads (the counts are atomic, the nodes immutable).
///
/// **Example**
/// \code
///   auto input = sfn::Value::parse(R"({"order":{"id":7}})");
///   auto out = input.with_member("status", "ok");           // shares "order" with input
///   assert(out.find("order")->find("id")->as_int() == 7);
///   assert(out.dump() == R"({"order":{"id":7},"status":"ok"})");
/// \endcode

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sfn {

/// The JSON kinds a Value can hold. Numbers are `integer` (fits int64) or `real` (double).
enum class Kind : std::uint8_t { null, boolean, integer, real, string, array, object };

/// "null", "boolean", "integer", "real", "string", "array" or "object".
[[nodiscard]] std::string_view kind_name(Kind kind) noexcept;

class Value;

namespace detail {
/// Reference-counted heap node shared by string, array and object values (internal).
struct Node {
    std::atomic<std::uint32_t> refs{1};
    /// Value::dump_size_bound() of this node, set when it is made (saturates at UINT32_MAX).
    std::uint32_t dump_size_bound = 0;
};
void destroy_node(Kind kind, Node* node) noexcept;
struct UncountedCopy;
}  // namespace detail

/// One member of an object: key and value.
using Member = std::pair<std::string, Value>;

/// Where a key was last found in an object. A lookup that names the same key in objects of the same shape
/// (a compiled path, run state after state) checks that position first and scans only when it moved.
/// May be shared between threads: it is written only when the position changes.
class KeyHint {
public:
    KeyHint() noexcept = default;
    KeyHint(const KeyHint& other) noexcept : position_(other.position()) {}
    KeyHint& operator=(const KeyHint& other) noexcept {
        remember(other.position());
        return *this;
    }
    [[nodiscard]] std::uint32_t position() const noexcept { return position_.load(std::memory_order_relaxed); }
    void remember(std::uint32_t position) const noexcept {
        if (this->position() != position) position_.store(position, std::memory_order_relaxed);
    }

private:
    mutable std::atomic<std::uint32_t> position_{0};
};

/// An immutable JSON value with shared children. See the file comment.
class Value {
public:
    /// Nesting depth parse() accepts; deeper documents are rejected with sfn.core.E001.
    static constexpr int max_depth = 512;

    /// null
    Value() noexcept : kind_(Kind::null) { data_.i = 0; }
    Value(std::nullptr_t) noexcept : Value() {}  // NOLINT(google-explicit-constructor)
    Value(bool b) noexcept : kind_(Kind::boolean) { data_.b = b; }  // NOLINT
    /// Any integral type except bool; unsigned values above INT64_MAX become reals.
    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
    Value(I i) noexcept {  // NOLINT
        if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
            if (i > static_cast<I>(INT64_MAX)) {
                kind_ = Kind::real;
                data_.d = static_cast<double>(i);
                return;
            }
        }
        kind_ = Kind::integer;
        data_.i = static_cast<std::int64_t>(i);
    }
    Value(double d) noexcept : kind_(Kind::real) { data_.d = d; }  // NOLINT
    Value(std::string s);                                           // NOLINT
    Value(std::string_view s);                                      // NOLINT
    Value(const char* s);                                           // NOLINT

    /// An array of the given elements.
    [[nodiscard]] static Value array(std::vector<Value> elements = {});
    /// An object with the given members in that order. A repeated key keeps its first position
    /// and its last value (as JSON.parse does).
    [[nodiscard]] static Value object(std::vector<Member> members = {});
    /// As object(), skipping the repeated-key pass. Precondition: the keys are distinct
    /// (violations make find() return either member).
    [[nodiscard]] static Value object_distinct(std::vector<Member> members);

    Value(const Value& other) noexcept : kind_(other.kind_), data_(other.data_) { retain(); }
    Value(Value&& other) noexcept : kind_(other.kind_), data_(other.data_) {
        other.kind_ = Kind::null;
        other.data_.i = 0;
    }
    Value& operator=(const Value& other) noexcept {
        Value copy(other);
        swap(copy);
        return *this;
    }
    Value& operator=(Value&& other) noexcept {
        Value moved(std::move(other));
        swap(moved);
        return *this;
    }
    ~Value() { release(); }
    void swap(Value& other) noexcept {
        std::swap(kind_, other.kind_);
        std::swap(data_, other.data_);
    }

    [[nodiscard]] Kind kind() const noexcept { return kind_; }
    /// The JSON type's name as error texts spell it: "null", "boolean", "number", "string", "array", "object".
    [[nodiscard]] std::string_view type_name() const noexcept;
    [[nodiscard]] bool is_null() const noexcept { return kind_ == Kind::null; }
    [[nodiscard]] bool is_bool() const noexcept { return kind_ == Kind::boolean; }
    [[nodiscard]] bool is_integer() const noexcept { return kind_ == Kind::integer; }
    [[nodiscard]] bool is_real() const noexcept { return kind_ == Kind::real; }
    [[nodiscard]] bool is_number() const noexcept { return kind_ == Kind::integer || kind_ == Kind::real; }
    [[nodiscard]] bool is_string() const noexcept { return kind_ == Kind::string; }
    [[nodiscard]] bool is_array() const noexcept { return kind_ == Kind::array; }
    [[nodiscard]] bool is_object() const noexcept { return kind_ == Kind::object; }
    /// True for arrays and objects.
    [[nodiscard]] bool is_container() const noexcept { return kind_ == Kind::array || kind_ == Kind::object; }

    /// \throws sfn::Error sfn.core.E002 when the value is not a boolean.
    [[nodiscard]] bool as_bool() const;
    /// The integer; a real with an integral value in int64 range converts.
    /// \throws sfn::Error sfn.core.E002 otherwise.
    [[nodiscard]] std::int64_t as_int() const;
    /// Any number as double. \throws sfn::Error sfn.core.E002 when not a number.
    [[nodiscard]] double as_double() const;
    /// \throws sfn::Error sfn.core.E002 when not a string.
    [[nodiscard]] const std::string& as_string() const;

    /// Number of elements (array) or members (object); 0 for every other kind.
    [[nodiscard]] std::size_t size() const noexcept;
    /// True when size() == 0.
    [[nodiscard]] bool empty() const noexcept { return size() == 0; }

    /// Elements of an array (empty span for other kinds).
    [[nodiscard]] std::span<const Value> elements() const noexcept;
    /// Members of an object in insertion order (empty span for other kinds).
    [[nodiscard]] std::span<const Member> members() const noexcept;
    /// Array element. Precondition: is_array() && index < size().
    [[nodiscard]] const Value& operator[](std::size_t index) const noexcept { return elements()[index]; }
    /// Checked array element. \throws sfn::Error sfn.core.E003 when not an array or out of range.
    [[nodiscard]] const Value& at(std::size_t index) const;
    /// The member named `key`, or nullptr (also for non-objects). Linear for small objects,
    /// hashed for large ones.
    [[nodiscard]] const Value* find(std::string_view key) const noexcept;
    /// find(key), trying the position `hint` remembers first (and remembering where the key was).
    [[nodiscard]] const Value* find(std::string_view key, const KeyHint& hint) const noexcept;
    /// Checked member access. \throws sfn::Error sfn.core.E003 when absent or not an object.
    [[nodiscard]] const Value& at(std::string_view key) const;
    [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

    /// A copy of this object with `key` set to `value` (replaced in place, or appended).
    /// \throws sfn::Error sfn.core.E002 when this is not an object.
    [[nodiscard]] Value with_member(std::string_view key, Value value) const;
    /// A copy of this object without `key` (unchanged when absent). \throws E002 when not an object.
    [[nodiscard]] Value without_member(std::string_view key) const;
    /// A copy of this array with element `index` replaced. \throws E002 / E003 (range).
    [[nodiscard]] Value with_element(std::size_t index, Value value) const;
    /// A copy of this array with `value` appended. \throws E002 when not an array.
    [[nodiscard]] Value with_appended(Value value) const;

    /// An upper bound of dump().size() in O(1), known when the value was made: every string character is
    /// counted as 6 bytes (the longest escape, \u00XX), an integer as 20, a real as 24 alone (a few negative reals print 25, e.g. -0.0000012345678901234567) and 25 in an array or object. Saturates at UINT32_MAX.
    [[nodiscard]] std::size_t dump_size_bound() const noexcept {
        static constexpr std::uint8_t scalar[] = {4, 5, 20, 24};  // null, boolean, integer, real
        return kind_ >= Kind::string ? data_.p->dump_size_bound : scalar[static_cast<std::uint8_t>(kind_)];
    }

    /// Deep equality: objects ignore member order, numbers compare by value (1 == 1.0).
    friend bool operator==(const Value& a, const Value& b) noexcept;

    /// A hash consistent with operator==: equal values hash equally (member order is ignored,
    /// 1 and 1.0 hash the same).
    [[nodiscard]] std::size_t hash() const noexcept;

    /// True when both refer to the same node (or are equal scalars); O(1).
    [[nodiscard]] bool same_node(const Value& other) const noexcept {
        return kind_ == other.kind_ && data_.i == other.data_.i;
    }

    /// Parses JSON text (RFC 8259) straight into a Value.
    /// \throws sfn::Error sfn.core.E001 "invalid JSON at line L, column C: <reason>", also when
    ///         nesting exceeds max_depth.
    [[nodiscard]] static Value parse(std::string_view text);

    /// Compact JSON (no spaces) as JSON.stringify prints it; reals use the shortest round-trip
    /// form of JavaScript (1.5, 1e+21, 1e-7; integral reals print without ".0"); NaN/inf print null.
    [[nodiscard]] std::string dump() const;
    /// Appends dump() to `out`.
    void dump_to(std::string& out) const;

    /// Converts from nlohmann (objects keep nlohmann's iteration order).
    [[nodiscard]] static Value from_json(const nlohmann::json& json);
    [[nodiscard]] static Value from_json(const nlohmann::ordered_json& json);
    /// Converts to nlohmann, member order preserved.
    [[nodiscard]] nlohmann::ordered_json to_json() const;

private:
    friend struct ValueAccess;
    friend struct detail::UncountedCopy;
    void retain() const noexcept {
        if (kind_ >= Kind::string) data_.p->refs.fetch_add(1, std::memory_order_relaxed);
    }
    void release() noexcept {
        if (kind_ < Kind::string) return;
        // Holding the only reference, nobody else can copy or drop one meanwhile: no atomic read-modify-write
        // (the costly part of reference counting) is needed to know it is the last. The acquire load sees
        // every write made through references other threads dropped before.
        if (data_.p->refs.load(std::memory_order_acquire) == 1 ||
            data_.p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
            detail::destroy_node(kind_, data_.p);
    }

    Kind kind_;
    union Data {
        bool b;
        std::int64_t i;
        double d;
        detail::Node* p;
    } data_;
};

inline bool operator!=(const Value& a, const Value& b) noexcept { return !(a == b); }

/// Builds an object in place, member by member: one allocation, no vector of members to move from (what
/// Value::object_distinct does with a vector). Keys must be distinct; at most `capacity` members.
///
/// \code
///   sfn::ObjectBuilder b(2);
///   b.add("id", 7);
///   b.add("status", "ok");
///   sfn::Value order = std::move(b).finish();   // {"id":7,"status":"ok"}
/// \endcode
class ObjectBuilder {
public:
    explicit ObjectBuilder(std::size_t capacity);
    ObjectBuilder(const ObjectBuilder&) = delete;
    ObjectBuilder& operator=(const ObjectBuilder&) = delete;
    /// Frees what was added when finish() was not called.
    ~ObjectBuilder();

    /// Precondition: size() < capacity and no member named `key` added yet.
    void add(std::string&& key, Value value) noexcept {
        ::new (static_cast<void*>(slots_ + count_)) Member(std::move(key), std::move(value));
        ++count_;
    }
    /// As add(std::string&&, Value), copying the key. \throws std::bad_alloc (nothing is added then).
    void add(std::string_view key, Value value) {
        ::new (static_cast<void*>(slots_ + count_)) Member(std::string(key), std::move(value));
        ++count_;
    }
    void add(const char* key, Value value) { add(std::string_view(key), std::move(value)); }
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    /// The object, its members in the order added. The builder is empty afterwards.
    [[nodiscard]] Value finish() &&;

private:
    detail::Node* node_;
    Member* slots_;
    std::size_t count_ = 0;
};

/// Builds an array in place, element by element, in one allocation (at most `capacity` elements).
class ArrayBuilder {
public:
    explicit ArrayBuilder(std::size_t capacity);
    ArrayBuilder(const ArrayBuilder&) = delete;
    ArrayBuilder& operator=(const ArrayBuilder&) = delete;
    /// Frees what was added when finish() was not called.
    ~ArrayBuilder();

    /// Precondition: size() < capacity.
    void add(Value value) noexcept {
        ::new (static_cast<void*>(slots_ + count_)) Value(std::move(value));
        ++count_;
    }
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    /// The array, its elements in the order added. The builder is empty afterwards.
    [[nodiscard]] Value finish() &&;

private:
    detail::Node* node_;
    Value* slots_;
    std::size_t count_ = 0;
};

namespace detail {
/// Copies that take no reference, for a container holding many references to one node of which one is
/// counted and outlives the others (engine::History: consecutive events carrying the same payload). `forget`
/// drops such a copy without touching the count. Anything else that does so frees a node still in use.
struct UncountedCopy {
    [[nodiscard]] static Value make(const Value& v) noexcept {
        Value copy;
        copy.kind_ = v.kind_;
        copy.data_ = v.data_;
        return copy;
    }
    static void forget(Value& v) noexcept {
        v.kind_ = Kind::null;
        v.data_.i = 0;
    }
};
}  // namespace detail

}  // namespace sfn

/// Lets Value key std::unordered_map / std::unordered_set.
template <>
struct std::hash<sfn::Value> {
    std::size_t operator()(const sfn::Value& v) const noexcept { return v.hash(); }
};
