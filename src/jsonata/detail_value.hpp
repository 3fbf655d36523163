#pragma once
// The evaluator's value model: JSON values plus JSONata's extras (undefined, functions, sequences).
// Arrays carry the reference implementation's sequence flags because path semantics depend on them.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sfn::jsonata::detail {

enum class Type : std::uint8_t { Undefined, Null, Bool, Number, String, Array, Object, Function };

struct Array;
struct Object;
struct Function;

class Value {
public:
    Value() = default;
    static Value null() { Value v; v.type_ = Type::Null; return v; }
    static Value boolean(bool b) { Value v; v.type_ = Type::Bool; v.num_ = b ? 1 : 0; return v; }
    static Value number(double d) { Value v; v.type_ = Type::Number; v.num_ = d; return v; }
    static Value string(std::string s);
    static Value string_ptr(std::shared_ptr<const std::string> s) { Value v; v.type_ = Type::String; v.ptr_ = std::const_pointer_cast<std::string>(std::move(s)); return v; }
    static Value array(std::shared_ptr<Array> a) { Value v; v.type_ = Type::Array; v.ptr_ = std::move(a); return v; }
    static Value object(std::shared_ptr<Object> o) { Value v; v.type_ = Type::Object; v.ptr_ = std::move(o); return v; }
    static Value function(std::shared_ptr<Function> f) { Value v; v.type_ = Type::Function; v.ptr_ = std::move(f); return v; }

    [[nodiscard]] Type type() const noexcept { return type_; }
    [[nodiscard]] bool undefined() const noexcept { return type_ == Type::Undefined; }
    [[nodiscard]] bool defined() const noexcept { return type_ != Type::Undefined; }
    [[nodiscard]] bool is_null() const noexcept { return type_ == Type::Null; }
    [[nodiscard]] bool is_bool() const noexcept { return type_ == Type::Bool; }
    [[nodiscard]] bool is_number() const noexcept { return type_ == Type::Number; }
    [[nodiscard]] bool is_string() const noexcept { return type_ == Type::String; }
    [[nodiscard]] bool is_array() const noexcept { return type_ == Type::Array; }
    [[nodiscard]] bool is_object() const noexcept { return type_ == Type::Object; }
    [[nodiscard]] bool is_function() const noexcept { return type_ == Type::Function; }

    /// The scalar accessors read the number slot, so on another type they give 0/false, never UB.
    [[nodiscard]] bool as_bool() const noexcept { return num_ != 0; }
    [[nodiscard]] double as_number() const noexcept { return num_; }
    /// The pointer accessors check the type tag first: on the wrong type (e.g. undefined, whose pointer is
    /// null) they throw Error T1000 instead of dereferencing. Callers still test the type first; this is
    /// the last line of defence, so a missed test is an error for one expression, not a crash of the process.
    /// \throws Error T1000 when the value is not of the accessor's type
    [[nodiscard]] const std::string& as_string() const {
        if (type_ != Type::String) [[unlikely]] wrong_type(Type::String, type_);
        return *static_cast<const std::string*>(ptr_.get());
    }
    [[nodiscard]] Array& as_array() const {
        if (type_ != Type::Array) [[unlikely]] wrong_type(Type::Array, type_);
        return *static_cast<Array*>(ptr_.get());
    }
    [[nodiscard]] Object& as_object() const {
        if (type_ != Type::Object) [[unlikely]] wrong_type(Type::Object, type_);
        return *static_cast<Object*>(ptr_.get());
    }
    [[nodiscard]] Function& as_function() const {
        if (type_ != Type::Function) [[unlikely]] wrong_type(Type::Function, type_);
        return *static_cast<Function*>(ptr_.get());
    }
    [[nodiscard]] std::shared_ptr<Array> array_ptr() const { return std::static_pointer_cast<Array>(ptr_); }
    [[nodiscard]] std::shared_ptr<Object> object_ptr() const { return std::static_pointer_cast<Object>(ptr_); }
    [[nodiscard]] const void* identity() const noexcept { return ptr_.get(); }

    /// Array accessors (only valid when is_array()).
    [[nodiscard]] bool is_sequence() const noexcept;

private:
    [[noreturn]] static void wrong_type(Type expected, Type actual);

    Type type_ = Type::Undefined;
    double num_ = 0;
    std::shared_ptr<void> ptr_;
};

struct Array {
    std::vector<Value> items;
    bool sequence = false;        // a result sequence (collapses to its single item), not a JSON array
    bool keep_singleton = false;  // `[]` was applied: keep a one-item sequence as an array
    bool outer_wrapper = false;   // the evaluation input, wrapped
    bool tuple_stream = false;    // items are tuple objects {"@": context, "$var": binding, ...}
    bool cons = false;            // built by an array constructor: never flattened by a path step
};

struct Object {
    std::vector<std::pair<std::string, Value>> entries;

    [[nodiscard]] const Value* find(std::string_view key) const;
    void set(std::string key, Value value);
    void erase(std::string_view key);
    [[nodiscard]] std::size_t size() const noexcept { return entries.size(); }

private:
    void reindex();
    std::unordered_map<std::string, std::uint32_t> index_;  // built once the object is large
};

inline bool Value::is_sequence() const noexcept {
    return type_ == Type::Array && static_cast<const Array*>(ptr_.get())->sequence;
}

inline Value Value::string(std::string s) {
    Value v;
    v.type_ = Type::String;
    v.ptr_ = std::make_shared<std::string>(std::move(s));
    return v;
}

inline std::shared_ptr<Array> make_sequence() {
    auto a = std::make_shared<Array>();
    a->sequence = true;
    return a;
}
inline std::shared_ptr<Array> make_array() { return std::make_shared<Array>(); }

}  // namespace sfn::jsonata::detail
