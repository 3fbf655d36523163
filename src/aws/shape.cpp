// Shape walking shared by the protocol codecs: input checks against the model and timestamp formats.
#include "aws/detail_shape.hpp"

#include "aws/detail_time.hpp"
#include "sfn/aws/errors.hpp"

#include <charconv>
#include <cmath>
#include <ctime>

namespace sfn::aws::detail {
namespace {

struct InputChecker {
    const ServiceModel& model;
    std::string where;  // "<service>.<operation>"

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
        throw UsageError(where + ": " + (path.empty() ? std::string("input") : path) + ": " + problem);
    }

    void check(const nlohmann::json& shape, const std::string& shape_name, const nlohmann::json& value,
               const std::string& path, bool payload) const {
        if (value.is_null()) return;
        const std::string type = type_of(shape);
        auto expect = [&](bool ok, const char* what) {
            if (!ok) fail(path, std::string("expected ") + what + " (shape " + shape_name + "), got " + value.dump());
        };
        if (type == "structure") {
            expect(value.is_object(), "an object");
            const auto& members = shape.contains("members") ? shape["members"] : nlohmann::json::object();
            for (const auto& [key, item] : value.items()) {
                auto it = members.find(key);
                if (it == members.end()) fail(path + "/" + key, "not a member of " + shape_name);
                const bool is_payload = text_field(shape, "payload") == key;
                check(target_of(model, *it), text_field(*it, "shape"), item, path + "/" + key, is_payload);
            }
        } else if (type == "list") {
            expect(value.is_array(), "an array");
            const auto& member = shape["member"];
            for (std::size_t i = 0; i < value.size(); ++i) {
                check(target_of(model, member), text_field(member, "shape"), value[i], path + "/" + std::to_string(i),
                      false);
            }
        } else if (type == "map") {
            expect(value.is_object(), "an object");
            const auto& v = shape["value"];
            for (const auto& [key, item] : value.items()) {
                check(target_of(model, v), text_field(v, "shape"), item, path + "/" + key, false);
            }
        } else if (type == "string") {
            expect(value.is_string(), "a string");
        } else if (type == "integer" || type == "long" || type == "byte" || type == "short") {
            expect(value.is_number_integer() ||
                       (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>()),
                   "an integer");
        } else if (type == "float" || type == "double") {
            expect(value.is_number(), "a number");
        } else if (type == "boolean") {
            expect(value.is_boolean(), "a boolean");
        } else if (type == "blob") {
            // A payload blob (S3 PutObject Body) is the body itself: text, or JSON sent serialised.
            expect(payload || value.is_string(), "a base64 string");
        } else if (type == "timestamp") {
            expect(input_epoch_seconds(value).has_value(), "an ISO-8601 timestamp or epoch seconds");
        }
    }
};

bool parse_number(std::string_view s, double& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
}

std::tm utc_tm(double epoch_seconds) {
    std::time_t t = static_cast<std::time_t>(std::floor(epoch_seconds));
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return tm;
}

}  // namespace

const nlohmann::json& target_of(const ServiceModel& model, const nlohmann::json& member) {
    return model.shape(text_field(member, "shape"));
}

std::string type_of(const nlohmann::json& shape) {
    if (flag(shape, "document")) return "document";
    return text_field(shape, "type");
}

std::string text_field(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool flag(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return false;
    auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string wire_name(const nlohmann::json& member, const std::string& member_name) {
    auto name = text_field(member, "locationName");
    return name.empty() ? member_name : name;
}

void check_input(const ServiceModel& model, std::string_view operation, const std::string& shape_name,
                 const nlohmann::json& input) {
    const std::string where = model.service_name() + "." + std::string(operation);
    if (shape_name.empty()) {
        if (!input.is_null() && !(input.is_object() && input.empty())) {
            throw UsageError(where + ": input: the operation takes no input, got " + input.dump());
        }
        return;
    }
    InputChecker{model, where}.check(model.shape(shape_name), shape_name, input, "", false);
}

std::optional<double> input_epoch_seconds(const nlohmann::json& value) {
    if (value.is_number()) return value.get<double>();
    if (!value.is_string()) return std::nullopt;
    const auto& s = value.get_ref<const std::string&>();
    double seconds = 0;
    if (parse_number(s, seconds)) return seconds;
    auto t = parse_iso8601(s);
    if (!t) return std::nullopt;
    using namespace std::chrono;
    return static_cast<double>(duration_cast<milliseconds>(t->time_since_epoch()).count()) / 1000.0;
}

std::optional<double> wire_epoch_seconds(const nlohmann::json& value) {
    if (auto v = input_epoch_seconds(value)) return v;
    if (!value.is_string()) return std::nullopt;
    std::tm tm{};
    const auto& s = value.get_ref<const std::string&>();
    const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
    if (!end) return std::nullopt;
    return static_cast<double>(::timegm(&tm));
}

std::string iso8601(double epoch_seconds) {
    auto tm = utc_tm(epoch_seconds);
    auto ms = static_cast<int>(std::llround((epoch_seconds - std::floor(epoch_seconds)) * 1000.0));
    if (ms == 1000) {
        tm = utc_tm(std::floor(epoch_seconds) + 1);
        ms = 0;
    }
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out(buffer);
    if (ms != 0) {
        char fraction[8];
        std::snprintf(fraction, sizeof fraction, ".%03d", ms);
        out += fraction;
    }
    return out + "Z";
}

std::string rfc822(double epoch_seconds) {
    auto tm = utc_tm(epoch_seconds);
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

std::string timestamp_format(const nlohmann::json& member, const nlohmann::json& shape, std::string_view fallback) {
    auto f = text_field(member, "timestampFormat");
    if (f.empty()) f = text_field(shape, "timestampFormat");
    return f.empty() ? std::string(fallback) : f;
}

std::string format_timestamp(double epoch_seconds, std::string_view format) {
    if (format == "rfc822") return rfc822(epoch_seconds);
    if (format == "unixTimestamp") {
        if (std::floor(epoch_seconds) == epoch_seconds) return std::to_string(static_cast<long long>(epoch_seconds));
        return nlohmann::json(epoch_seconds).dump();
    }
    return iso8601(epoch_seconds);
}

std::string scalar_text(const nlohmann::json& value, const nlohmann::json& shape, std::string_view timestamp_fmt) {
    const auto type = type_of(shape);
    if (type == "timestamp") return format_timestamp(*input_epoch_seconds(value), timestamp_fmt);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_float() && (type == "integer" || type == "long")) {
        return std::to_string(static_cast<long long>(value.get<double>()));
    }
    return value.dump();
}

nlohmann::json scalar_from_text(const std::string& text, const nlohmann::json& shape, const std::string& where) {
    const auto type = type_of(shape);
    auto bad = [&]() -> nlohmann::json {
        throw ProtocolError(where + ": expected a " + type + ", got '" + text.substr(0, 100) + "'");
    };
    if (type == "integer" || type == "long" || type == "byte" || type == "short") {
        long long v = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || p != text.data() + text.size()) return bad();
        return v;
    }
    if (type == "float" || type == "double") {
        double v = 0;
        if (!parse_number(text, v)) return bad();
        return v;
    }
    if (type == "boolean") {
        if (text == "true") return true;
        if (text == "false") return false;
        return bad();
    }
    if (type == "timestamp") {
        auto v = wire_epoch_seconds(text);
        if (!v) return bad();
        return iso8601(*v);
    }
    return text;
}

}  // namespace sfn::aws::detail
