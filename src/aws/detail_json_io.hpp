#pragma once
// Reading and writing generated API shapes: optional members are omitted when absent, empty lists/maps are
// omitted, nulls on the wire count as absent (PROTOCOL.md §1), timestamps are fractional epoch seconds.

#include "sfn/aws/errors.hpp"
#include "sfn/aws/shapes.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::aws::sfn_api::detail {

template <typename E>
struct EnumName {
    std::string_view name;
    E value;
};

template <typename E, std::size_t N>
E parse_enum(const nlohmann::json& j, const EnumName<E> (&names)[N], E unknown, const char* shape) {
    if (!j.is_string()) throw ProtocolError(std::string(shape) + ": expected a string, got " + j.dump());
    const auto& s = j.get_ref<const std::string&>();
    for (const auto& n : names) {
        if (n.name == s) return n.value;
    }
    return unknown;
}

inline void require_object(const nlohmann::json& j, const char* shape) {
    if (!j.is_object()) throw ProtocolError(std::string(shape) + ": expected a JSON object, got " + j.dump());
}

/// Epoch seconds (number, numeric string or ISO-8601 UTC string) → time point.
Timestamp parse_timestamp(const nlohmann::json& j);
/// Time point → epoch seconds with millisecond precision.
double timestamp_seconds(Timestamp t);

template <typename T>
void write_value(nlohmann::json& j, const T& v) { j = v; }
inline void write_value(nlohmann::json& j, const Timestamp& v) { j = timestamp_seconds(v); }
template <typename T>
void write_value(nlohmann::json& j, const std::vector<T>& v) {
    j = nlohmann::json::array();
    for (const auto& x : v) write_value(j.emplace_back(), x);
}
template <typename T>
void write_value(nlohmann::json& j, const std::map<std::string, T>& v) {
    j = nlohmann::json::object();
    for (const auto& [k, x] : v) write_value(j[k], x);
}

template <typename T>
void read_value(const nlohmann::json& j, T& out) { j.get_to(out); }
inline void read_value(const nlohmann::json& j, Timestamp& out) { out = parse_timestamp(j); }
template <typename T>
void read_value(const nlohmann::json& j, std::optional<T>& out) { read_value(j, out.emplace()); }
template <typename T>
void read_value(const nlohmann::json& j, std::vector<T>& out) {
    if (!j.is_array()) throw ProtocolError("expected a JSON array, got " + j.dump());
    out.clear();
    out.reserve(j.size());
    for (const auto& x : j) read_value(x, out.emplace_back());
}
template <typename T>
void read_value(const nlohmann::json& j, std::map<std::string, T>& out) {
    if (!j.is_object()) throw ProtocolError("expected a JSON object, got " + j.dump());
    out.clear();
    for (const auto& [k, x] : j.items()) read_value(x, out[k]);
}

template <typename T>
void write_member(nlohmann::json& j, const char* key, const T& v) { write_value(j[key], v); }
template <typename T>
void write_member(nlohmann::json& j, const char* key, const std::optional<T>& v) {
    if (v) write_value(j[key], *v);
}
template <typename T>
void write_member(nlohmann::json& j, const char* key, const std::vector<T>& v) {
    if (!v.empty()) write_value(j[key], v);
}
template <typename T>
void write_member(nlohmann::json& j, const char* key, const std::map<std::string, T>& v) {
    if (!v.empty()) write_value(j[key], v);
}

template <typename T>
void read_member(const nlohmann::json& j, const char* key, T& out, const char* shape) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    try {
        read_value(*it, out);
    } catch (const nlohmann::json::exception& e) {
        throw ProtocolError(std::string(shape) + "." + key + ": " + e.what());
    } catch (const ProtocolError& e) {
        throw ProtocolError(std::string(shape) + "." + key + ": " + e.what());
    }
}

}  // namespace sfn::aws::sfn_api::detail
