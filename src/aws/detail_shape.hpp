#pragma once
// Walking a botocore model's shapes for the protocol codecs: member targets, wire names, input checks (every
// protocol checks the whole input against the model before serialising it) and the timestamp formats.

#include "sfn/aws/service_model.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sfn::aws::detail {

/// The shape a member reference (`{"shape": "X", "location": ...}`) points to.
const nlohmann::json& target_of(const ServiceModel& model, const nlohmann::json& member);
/// The shape's `type` ("structure", "list", "map", "string", "integer", "long", "float", "double",
/// "boolean", "blob", "timestamp"); "document" for document shapes.
std::string type_of(const nlohmann::json& shape);
/// A string field of a member or shape (empty when absent).
std::string text_field(const nlohmann::json& object, const char* key);
/// True when the boolean field is present and true.
bool flag(const nlohmann::json& object, const char* key);
/// The name on the wire: the member's locationName, else its model name.
std::string wire_name(const nlohmann::json& member, const std::string& member_name);

/// Throws UsageError "<service>.<operation>: <path>: <problem>" when `input` does not fit the shape: unknown
/// members, wrong JSON types, malformed timestamps. Nulls count as absent. A payload blob may be any JSON.
void check_input(const ServiceModel& model, std::string_view operation, const std::string& shape_name,
                 const nlohmann::json& input);

/// An input timestamp (ISO-8601 string or epoch seconds) as epoch seconds; nullopt when malformed.
std::optional<double> input_epoch_seconds(const nlohmann::json& value);
/// A timestamp as received: epoch seconds (number or numeric text), ISO-8601 or RFC 822 text.
std::optional<double> wire_epoch_seconds(const nlohmann::json& value);
/// `2024-01-02T03:04:05Z`, with `.678` milliseconds when they are not zero (Step Functions' SDK results).
std::string iso8601(double epoch_seconds);
/// `Tue, 02 Jan 2024 03:04:05 GMT` (HTTP dates in rest headers).
std::string rfc822(double epoch_seconds);
/// The timestamp format of a member in a location: the member's or shape's timestampFormat, else `fallback`
/// ("iso8601", "rfc822", "unixTimestamp").
std::string timestamp_format(const nlohmann::json& member, const nlohmann::json& shape, std::string_view fallback);
/// A timestamp input value in `format`, as text ("1704164645" for unixTimestamp).
std::string format_timestamp(double epoch_seconds, std::string_view format);
/// A scalar input value as query-string / header / XML text (booleans "true"/"false", numbers as JSON prints
/// them, timestamps in `timestamp_fmt`).
std::string scalar_text(const nlohmann::json& value, const nlohmann::json& shape, std::string_view timestamp_fmt);
/// A scalar received as text (XML element, header) converted to its JSON output value (numbers, booleans,
/// timestamps as ISO-8601). Throws ProtocolError naming `where` when the text does not fit the type.
nlohmann::json scalar_from_text(const std::string& text, const nlohmann::json& shape, const std::string& where);

}  // namespace sfn::aws::detail
