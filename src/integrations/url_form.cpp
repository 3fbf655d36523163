// URL-encoded request bodies of the HTTP Task (Transform.RequestBodyEncoding URL_ENCODED) and query strings.
#include "sfn/integrations/http_task.hpp"

#include "sfn/aws/sigv4.hpp"

namespace sfn::integrations {

namespace {

enum class ArrayFormat : std::uint8_t { Indices, Repeat, Commas, Brackets };

ArrayFormat array_format_of(std::string_view name) {
    if (name == "INDICES") return ArrayFormat::Indices;
    if (name == "REPEAT") return ArrayFormat::Repeat;
    if (name == "COMMAS") return ArrayFormat::Commas;
    if (name == "BRACKETS") return ArrayFormat::Brackets;
    throw sfn::Error("sfn.integrations.E004", "Transform.RequestEncodingOptions.ArrayFormat must be INDICES, REPEAT, "
                                              "COMMAS or BRACKETS, got '" + std::string(name) + "'");
}

std::string scalar_text(const Value& v) { return v.is_string() ? v.as_string() : v.dump(); }

void append_pair(std::string& out, const std::string& key, const std::string& value) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += aws::sigv4::uri_encode(value);
}

// `key` is already encoded (brackets stay literal, as AWS writes them).
void encode_value(std::string& out, const std::string& key, const Value& v, ArrayFormat format) {
    if (v.is_object()) {
        for (const auto& [k, child] : v.members()) encode_value(out, key + "[" + aws::sigv4::uri_encode(k) + "]", child, format);
        return;
    }
    if (!v.is_array()) {
        append_pair(out, key, scalar_text(v));
        return;
    }
    if (format == ArrayFormat::Commas) {
        std::string joined;
        for (std::size_t i = 0; i < v.size(); ++i) joined += (i ? "," : "") + scalar_text(v[i]);
        append_pair(out, key, joined);
        return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        std::string item_key = key;
        if (format == ArrayFormat::Indices) item_key += "[" + std::to_string(i) + "]";
        if (format == ArrayFormat::Brackets) item_key += "[]";
        encode_value(out, item_key, v[i], format);
    }
}

}  // namespace

std::string url_encode_form(const Value& object, std::string_view array_format) {
    const ArrayFormat format = array_format_of(array_format);
    std::string out;
    for (const auto& [k, v] : object.members()) encode_value(out, aws::sigv4::uri_encode(k), v, format);
    return out;
}

}  // namespace sfn::integrations
