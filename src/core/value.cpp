#include "sfn/core/value.hpp"

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/detail_value.hpp"
#include "sfn/core/error.hpp"

namespace sfn {

std::string_view Value::type_name() const noexcept {
    switch (kind_) {
        case Kind::null: return "null";
        case Kind::boolean: return "boolean";
        case Kind::integer:
        case Kind::real: return "number";
        case Kind::string: return "string";
        case Kind::array: return "array";
        case Kind::object: return "object";
    }
    return "null";
}

namespace detail {

namespace {

void delete_node(Kind kind, Node* node) noexcept {
    switch (kind) {
        case Kind::string: delete static_cast<StringNode*>(node); break;
        case Kind::array: ArrayNode::free(static_cast<ArrayNode*>(node)); break;
        case Kind::object: ObjectNode::free(static_cast<ObjectNode*>(node)); break;
        default: break;
    }
}

// Deleting a container releases its children, which may delete theirs: one stack frame per level. Values
// built during an execution can nest far deeper than any parsed document (a loop wrapping its input), so
// past this many nested deletions the rest is queued and deleted by the outermost call.
constexpr int max_nested_deletions = 256;
thread_local int nested_deletions = 0;
thread_local std::vector<std::pair<Kind, Node*>> deferred_deletions;

}  // namespace

void destroy_node(Kind kind, Node* node) noexcept {
    if (kind == Kind::string) {
        delete static_cast<StringNode*>(node);
        return;
    }
    if (nested_deletions >= max_nested_deletions) {
        deferred_deletions.emplace_back(kind, node);
        return;
    }
    ++nested_deletions;
    delete_node(kind, node);
    --nested_deletions;
    if (nested_deletions > 0) return;
    while (!deferred_deletions.empty()) {
        const auto [k, n] = deferred_deletions.back();
        deferred_deletions.pop_back();
        ++nested_deletions;
        delete_node(k, n);
        --nested_deletions;
    }
}

ArrayNode* ArrayNode::moving(std::span<Value> items) {
    return make(items.size(), [&](ArrayNode& node) {
        for (auto& v : items) node.emplace(std::move(v));
    });
}

void ArrayNode::free(ArrayNode* node) noexcept {
    Value* v = node->data();
    for (std::size_t i = 0; i < node->count; ++i) v[i].~Value();
    node->~ArrayNode();
    ::operator delete(static_cast<void*>(node));
}

namespace {
// Value::dump_size_bound() counts a real as 24 bytes, but a negative one between -1e-6 and -1e-7 with 17
// digits takes 25 ("-0.0000012345678901234567"): a container counts its reals one byte longer, so that a
// document of many of them stays within its bound (the size checks of payloads rely on it).
std::uint64_t element_bound(const Value& v) noexcept { return v.dump_size_bound() + (v.is_real() ? 1 : 0); }
}  // namespace

void ArrayNode::set_dump_size_bound() noexcept {
    std::uint64_t n = 2;  // brackets, and each element with its comma
    for (const auto& e : elements()) n += element_bound(e) + 1;
    dump_size_bound = clamp_bound(n);
}

ObjectNode* ObjectNode::moving_distinct(std::span<Member> items) {
    return make_distinct(items.size(), [&](ObjectNode& node) {
        for (auto& m : items) node.emplace(std::move(m));
    });
}

ObjectNode* ObjectNode::moving(std::span<Member> items) {
    // JSON.parse semantics for repeated keys: the first position, the last value. Members are placed as they
    // come and never move afterwards (so the index may view their keys); a repeated key overwrites the value
    // placed first.
    auto* node = allocate(items.size());
    try {
        const bool indexed = items.size() > object_index_threshold;
        if (indexed) {
            node->index = std::make_unique<std::unordered_map<std::string_view, std::uint32_t>>();
            node->index->reserve(items.size());
        }
        for (auto& m : items) {
            std::ptrdiff_t at = -1;
            if (indexed) {
                if (auto it = node->index->find(m.first); it != node->index->end()) at = it->second;
            } else {
                at = node->index_of(m.first);
            }
            if (at >= 0) {
                node->data()[at].second = std::move(m.second);
                continue;
            }
            node->emplace(std::move(m));
            if (indexed) node->index->emplace(node->data()[node->count - 1].first, static_cast<std::uint32_t>(node->count - 1));
        }
    } catch (...) {
        free(node);
        throw;
    }
    node->set_dump_size_bound();
    return node;
}

void ObjectNode::free(ObjectNode* node) noexcept {
    Member* m = node->data();
    for (std::size_t i = 0; i < node->count; ++i) m[i].~Member();
    node->~ObjectNode();
    ::operator delete(static_cast<void*>(node));
}

void ObjectNode::finish() {
    if (count > object_index_threshold) {
        index = std::make_unique<std::unordered_map<std::string_view, std::uint32_t>>();
        index->reserve(count);
        for (std::size_t i = 0; i < count; ++i) index->emplace(data()[i].first, static_cast<std::uint32_t>(i));
    }
    set_dump_size_bound();
}

void ObjectNode::set_dump_size_bound() noexcept {
    // Braces; each member: its quoted key (6 bytes a character at most), ':' and ','.
    std::uint64_t n = 2;
    for (const auto& [key, value] : members()) n += 4 + 6 * std::uint64_t{key.size()} + element_bound(value);
    dump_size_bound = clamp_bound(n);
}

namespace {
// Most keys differ in length or first character, and those that match are short, so both are compared here
// rather than through a memcmp call per member.
bool same_key(const std::string& member, std::string_view key) noexcept {
    const std::size_t n = key.size();
    if (member.size() != n) return false;
    if (n == 0) return true;
    if (member[0] != key[0]) return false;
    if (n > 16) return std::memcmp(member.data(), key.data(), n) == 0;
    for (std::size_t i = 1; i < n; ++i)
        if (member[i] != key[i]) return false;
    return true;
}
}  // namespace

std::ptrdiff_t ObjectNode::index_of(std::string_view key) const noexcept {
    if (index) {
        auto it = index->find(key);
        return it == index->end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
    }
    const Member* m = data();
    for (std::size_t i = 0; i < count; ++i)
        if (same_key(m[i].first, key)) return static_cast<std::ptrdiff_t>(i);
    return -1;
}

const Value* ObjectNode::find(std::string_view key) const noexcept {
    auto i = index_of(key);
    return i < 0 ? nullptr : &data()[i].second;
}

}  // namespace detail

std::string_view kind_name(Kind kind) noexcept {
    switch (kind) {
        case Kind::null: return "null";
        case Kind::boolean: return "boolean";
        case Kind::integer: return "integer";
        case Kind::real: return "real";
        case Kind::string: return "string";
        case Kind::array: return "array";
        case Kind::object: return "object";
    }
    return "unknown";
}

void throw_kind_mismatch(std::string_view expected, Kind got) {
    throw Error("sfn.core.E002", "expected " + std::string(expected) + ", got " + std::string(kind_name(got)));
}

Value::Value(std::string s) : kind_(Kind::string) { data_.p = new detail::StringNode(std::move(s)); }
Value::Value(std::string_view s) : Value(std::string(s)) {}
Value::Value(const char* s) : Value(std::string(s)) {}

Value Value::array(std::vector<Value> elements) {
    return ValueAccess::adopt(Kind::array, detail::ArrayNode::moving(elements));
}

Value Value::object(std::vector<Member> members) {
    return ValueAccess::adopt(Kind::object, detail::ObjectNode::moving(members));
}

Value Value::object_distinct(std::vector<Member> members) {
    return ValueAccess::distinct_object(std::move(members));
}

ObjectBuilder::ObjectBuilder(std::size_t capacity) {
    auto* node = detail::ObjectNode::allocate(capacity);
    node_ = node;
    slots_ = node->data();
}

ObjectBuilder::~ObjectBuilder() {
    if (!node_) return;
    auto* node = static_cast<detail::ObjectNode*>(node_);
    node->count = count_;
    detail::ObjectNode::free(node);
}

Value ObjectBuilder::finish() && {
    auto* node = static_cast<detail::ObjectNode*>(node_);
    node->count = count_;
    node_ = nullptr;
    count_ = 0;
    try {
        node->finish();
    } catch (...) {
        detail::ObjectNode::free(node);
        throw;
    }
    return ValueAccess::adopt(Kind::object, node);
}

ArrayBuilder::ArrayBuilder(std::size_t capacity) {
    auto* node = detail::ArrayNode::allocate(capacity);
    node_ = node;
    slots_ = node->data();
}

ArrayBuilder::~ArrayBuilder() {
    if (!node_) return;
    auto* node = static_cast<detail::ArrayNode*>(node_);
    node->count = count_;
    detail::ArrayNode::free(node);
}

Value ArrayBuilder::finish() && {
    auto* node = static_cast<detail::ArrayNode*>(node_);
    node->count = count_;
    node_ = nullptr;
    count_ = 0;
    node->finish_building();
    return ValueAccess::adopt(Kind::array, node);
}

bool Value::as_bool() const {
    if (kind_ != Kind::boolean) throw_kind_mismatch("a boolean", kind_);
    return data_.b;
}

std::int64_t Value::as_int() const {
    if (kind_ == Kind::integer) return data_.i;
    // 2^63 is exactly representable; anything at or above it does not fit.
    if (kind_ == Kind::real && std::trunc(data_.d) == data_.d && data_.d >= -9223372036854775808.0 &&
        data_.d < 9223372036854775808.0)
        return static_cast<std::int64_t>(data_.d);
    throw_kind_mismatch("an integer", kind_);
}

double Value::as_double() const {
    if (kind_ == Kind::integer) return static_cast<double>(data_.i);
    if (kind_ == Kind::real) return data_.d;
    throw_kind_mismatch("a number", kind_);
}

const std::string& Value::as_string() const {
    if (kind_ != Kind::string) throw_kind_mismatch("a string", kind_);
    return ValueAccess::string(*this).text;
}

std::size_t Value::size() const noexcept {
    if (kind_ == Kind::array) return ValueAccess::array(*this).count;
    if (kind_ == Kind::object) return ValueAccess::object(*this).count;
    return 0;
}

std::span<const Value> Value::elements() const noexcept {
    if (kind_ != Kind::array) return {};
    return ValueAccess::array(*this).elements();
}

std::span<const Member> Value::members() const noexcept {
    if (kind_ != Kind::object) return {};
    return ValueAccess::object(*this).members();
}

const Value& Value::at(std::size_t index) const {
    if (kind_ != Kind::array) throw_kind_mismatch("an array", kind_);
    const auto items = ValueAccess::array(*this).elements();
    if (index >= items.size())
        throw Error("sfn.core.E003", "array index " + std::to_string(index) + " out of range (size " +
                                         std::to_string(items.size()) + ")");
    return items[index];
}

const Value* Value::find(std::string_view key) const noexcept {
    if (kind_ != Kind::object) return nullptr;
    return ValueAccess::object(*this).find(key);
}

const Value* Value::find(std::string_view key, const KeyHint& hint) const noexcept {
    if (kind_ != Kind::object) return nullptr;
    const auto& node = ValueAccess::object(*this);
    const std::uint32_t guess = hint.position();
    const Member* members = node.data();
    if (guess < node.count && detail::same_key(members[guess].first, key)) return &members[guess].second;
    const auto i = node.index_of(key);
    if (i < 0) return nullptr;
    hint.remember(static_cast<std::uint32_t>(i));
    return &members[i].second;
}

const Value& Value::at(std::string_view key) const {
    if (kind_ != Kind::object) throw_kind_mismatch("an object", kind_);
    if (const Value* v = find(key)) return *v;
    throw Error("sfn.core.E003", "no member '" + std::string(key) + "'");
}

Value Value::with_member(std::string_view key, Value value) const {
    if (kind_ != Kind::object) throw_kind_mismatch("an object", kind_);
    const auto& node = ValueAccess::object(*this);
    const auto old = node.members();
    const auto i = node.index_of(key);
    // Copies keys and bumps child counts only.
    auto* made = detail::ObjectNode::make_distinct(old.size() + (i < 0 ? 1 : 0), [&](detail::ObjectNode& out) {
        for (std::size_t j = 0; j < old.size(); ++j) {
            if (static_cast<std::ptrdiff_t>(j) == i)
                out.emplace(old[j].first, std::move(value));
            else
                out.emplace(old[j]);
        }
        if (i < 0) out.emplace(std::string(key), std::move(value));
    });
    return ValueAccess::adopt(Kind::object, made);
}

Value Value::without_member(std::string_view key) const {
    if (kind_ != Kind::object) throw_kind_mismatch("an object", kind_);
    const auto& node = ValueAccess::object(*this);
    auto i = node.index_of(key);
    if (i < 0) return *this;
    const auto old = node.members();
    auto* made = detail::ObjectNode::make_distinct(old.size() - 1, [&](detail::ObjectNode& out) {
        for (std::size_t j = 0; j < old.size(); ++j)
            if (static_cast<std::ptrdiff_t>(j) != i) out.emplace(old[j]);
    });
    return ValueAccess::adopt(Kind::object, made);
}

Value Value::with_element(std::size_t index, Value value) const {
    if (kind_ != Kind::array) throw_kind_mismatch("an array", kind_);
    (void)at(index);
    const auto old = ValueAccess::array(*this).elements();
    auto* made = detail::ArrayNode::make(old.size(), [&](detail::ArrayNode& out) {
        for (std::size_t j = 0; j < old.size(); ++j) {
            if (j == index)
                out.emplace(std::move(value));
            else
                out.emplace(old[j]);
        }
    });
    return ValueAccess::adopt(Kind::array, made);
}

Value Value::with_appended(Value value) const {
    if (kind_ != Kind::array) throw_kind_mismatch("an array", kind_);
    const auto old = ValueAccess::array(*this).elements();
    auto* made = detail::ArrayNode::make(old.size() + 1, [&](detail::ArrayNode& out) {
        for (const auto& e : old) out.emplace(e);
        out.emplace(std::move(value));
    });
    return ValueAccess::adopt(Kind::array, made);
}

namespace {

bool numbers_equal(const Value& a, const Value& b) noexcept {
    if (a.kind() == Kind::integer && b.kind() == Kind::integer)
        return ValueAccess::integer(a) == ValueAccess::integer(b);
    if (a.kind() == Kind::real && b.kind() == Kind::real) return ValueAccess::real(a) == ValueAccess::real(b);
    // Mixed: an integer equals a real only when the real is integral and converts exactly.
    const Value& i = a.kind() == Kind::integer ? a : b;
    const Value& r = a.kind() == Kind::integer ? b : a;
    double d = ValueAccess::real(r);
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || std::trunc(d) != d) return false;
    return static_cast<std::int64_t>(d) == ValueAccess::integer(i);
}

}  // namespace

bool operator==(const Value& a, const Value& b) noexcept {
    if (a.is_number() && b.is_number()) return numbers_equal(a, b);
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case Kind::null: return true;
        case Kind::boolean: return ValueAccess::boolean(a) == ValueAccess::boolean(b);
        case Kind::string:
            return a.same_node(b) || ValueAccess::string(a).text == ValueAccess::string(b).text;
        case Kind::array: {
            if (a.same_node(b)) return true;
            auto x = a.elements();
            auto y = b.elements();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (!(x[i] == y[i])) return false;
            return true;
        }
        case Kind::object: {
            if (a.same_node(b)) return true;
            if (a.size() != b.size()) return false;
            for (const auto& [key, value] : a.members()) {
                const Value* other = b.find(key);
                if (!other || !(value == *other)) return false;
            }
            return true;
        }
        default: return false;
    }
}

namespace {

std::size_t mix(std::size_t h) noexcept {
    // splitmix64 finaliser: spreads bits so sums of member hashes stay well distributed.
    std::uint64_t x = h;
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<std::size_t>(x);
}

}  // namespace

std::size_t Value::hash() const noexcept {
    switch (kind_) {
        case Kind::null: return 0x6e756c6cULL;
        case Kind::boolean: return data_.b ? 0x74727565ULL : 0x66616c73ULL;
        case Kind::integer:
        case Kind::real: {
            // Numbers equal by value must hash equally: hash the double, with -0 folded into 0.
            double d = kind_ == Kind::integer ? static_cast<double>(data_.i) : data_.d;
            if (d == 0) d = 0;
            return mix(std::hash<double>{}(d));
        }
        case Kind::string: return std::hash<std::string_view>{}(as_string());
        case Kind::array: {
            std::size_t h = 0x61727261ULL;
            for (const auto& e : elements()) h = mix(h * 31 + e.hash());
            return h;
        }
        case Kind::object: {
            // Order-insensitive: a sum of per-member hashes.
            std::size_t h = 0x6f626a65ULL;
            for (const auto& [k, v] : members()) h += mix(std::hash<std::string_view>{}(k) ^ (v.hash() * 0x9e3779b97f4a7c15ULL));
            return h;
        }
    }
    return 0;
}

namespace {

template <class Json>
Value from_nlohmann(const Json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::null:
        case nlohmann::json::value_t::discarded: return Value();
        case nlohmann::json::value_t::boolean: return Value(j.template get<bool>());
        case nlohmann::json::value_t::number_integer: return Value(j.template get<std::int64_t>());
        case nlohmann::json::value_t::number_unsigned: return Value(j.template get<std::uint64_t>());
        case nlohmann::json::value_t::number_float: return Value(j.template get<double>());
        case nlohmann::json::value_t::string: return Value(j.template get_ref<const std::string&>());
        case nlohmann::json::value_t::binary: return Value();
        case nlohmann::json::value_t::array: {
            std::vector<Value> items;
            items.reserve(j.size());
            for (const auto& e : j) items.push_back(from_nlohmann(e));
            return Value::array(std::move(items));
        }
        case nlohmann::json::value_t::object: {
            std::vector<Member> members;
            members.reserve(j.size());
            for (auto it = j.begin(); it != j.end(); ++it) members.emplace_back(it.key(), from_nlohmann(it.value()));
            return ValueAccess::distinct_object(std::move(members));
        }
    }
    return Value();
}

}  // namespace

Value Value::from_json(const nlohmann::json& json) { return from_nlohmann(json); }
Value Value::from_json(const nlohmann::ordered_json& json) { return from_nlohmann(json); }

nlohmann::ordered_json Value::to_json() const {
    switch (kind_) {
        case Kind::null: return nullptr;
        case Kind::boolean: return data_.b;
        case Kind::integer: return data_.i;
        case Kind::real: return data_.d;
        case Kind::string: return as_string();
        case Kind::array: {
            auto out = nlohmann::ordered_json::array();
            for (const auto& e : elements()) out.push_back(e.to_json());
            return out;
        }
        case Kind::object: {
            auto out = nlohmann::ordered_json::object();
            for (const auto& [k, v] : members()) out[k] = v.to_json();
            return out;
        }
    }
    return nullptr;
}

}  // namespace sfn
