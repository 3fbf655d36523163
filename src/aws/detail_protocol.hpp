#pragma once
// The protocol codecs of the generic ServiceClient: each turns (operation, input) into the parts of an HTTP
// request and an HTTP response back into the output object, as the model prescribes. Internal to sfn_aws.

#include "aws/detail_retry.hpp"
#include "aws/detail_xml.hpp"
#include "sfn/aws/service_model.hpp"
#include "sfn/aws/transport.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace sfn::aws::detail {

enum class Protocol { Json, RestJson, RestXml, Query, Ec2 };
/// Throws ConfigError naming the service for a protocol sfn does not speak.
Protocol protocol_of(const ServiceModel& model);

/// How S3 buckets are addressed: in the path (custom endpoints, names that are not DNS labels) or the host.
enum class BucketAddressing { Path, VirtualHost };

/// The request a codec produced; the client adds the endpoint, Host, signature and retry headers.
struct WireRequest {
    std::string method = "POST";
    std::string path = "/";  ///< percent-encoded, appended to the endpoint's path
    std::string query;       ///< percent-encoded (RFC 3986), without '?'
    Headers headers;
    std::string body;
    std::string host_prefix;  ///< put before the endpoint's host ("bucket." for S3 virtual hosting)
};

struct Operation {
    const ServiceModel& model;
    std::string_view name;
    const nlohmann::json& definition;
    [[nodiscard]] std::string where() const { return model.service_name() + "." + std::string(name); }
};

// json (AWS JSON 1.0/1.1 RPC): POST / with X-Amz-Target.
WireRequest serialize_json_rpc(const Operation& op, const nlohmann::json& input);
nlohmann::json parse_json_rpc(const Operation& op, const HttpResponse& response);
/// A value of `shape` as its JSON wire value (locationName keys, timestamps as epoch seconds).
nlohmann::json to_json_wire(const ServiceModel& model, const nlohmann::json& shape, const nlohmann::json& value);
/// A JSON wire value of `shape` as output (member names, timestamps ISO-8601); unknown members are dropped.
nlohmann::json from_json_wire(const ServiceModel& model, const nlohmann::json& shape, const nlohmann::json& wire);

/// An XML element of `shape` as output (member names; lists and maps flattened or wrapped as the model says).
nlohmann::json from_xml(const ServiceModel& model, const nlohmann::json& shape, const XmlElement& element,
                        const std::string& where);
/// The members of a structure shape read from `element`'s children (the response's wrapper element).
nlohmann::json structure_from_xml(const ServiceModel& model, const nlohmann::json& shape, const XmlElement& element,
                                  const std::string& where);
/// A value of `shape` as the XML element `name` (rest-xml request bodies).
XmlElement to_xml(const ServiceModel& model, const nlohmann::json& shape, const nlohmann::json& value,
                  const std::string& name);
// rest-json and rest-xml: URI templates, headers, query string, payloads.
WireRequest serialize_rest(const Operation& op, const nlohmann::json& input, Protocol protocol,
                           BucketAddressing addressing);
nlohmann::json parse_rest(const Operation& op, const HttpResponse& response, Protocol protocol);

// query and ec2: form-encoded POST with Action and Version, XML responses.
WireRequest serialize_query(const Operation& op, const nlohmann::json& input, Protocol protocol);
nlohmann::json parse_query(const Operation& op, const HttpResponse& response, Protocol protocol);

/// The error parser for a protocol: JSON `__type`/x-amzn-ErrorType, XML `<Error><Code>` (query, rest-xml) and
/// `<Response><Errors><Error><Code>` (ec2); codes stripped of namespace prefixes.
ErrorParser error_parser_for(Protocol protocol);

}  // namespace sfn::aws::detail
