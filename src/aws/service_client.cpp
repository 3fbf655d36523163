// The generic AWS client: model-driven serialisation per protocol, SigV4 with the model's signing name (S3's
// rules: x-amz-content-sha256, the path signed as sent), standard-mode retries.
#include "sfn/aws/service_client.hpp"

#include "aws/detail_protocol.hpp"
#include "aws/detail_retry.hpp"
#include "aws/detail_shape.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <algorithm>

namespace sfn::aws {
namespace detail {

Protocol protocol_of(const ServiceModel& model) {
    const auto& p = model.protocol();
    if (p == "json") return Protocol::Json;
    if (p == "rest-json") return Protocol::RestJson;
    if (p == "rest-xml") return Protocol::RestXml;
    if (p == "query") return Protocol::Query;
    if (p == "ec2") return Protocol::Ec2;
    throw ConfigError(model.service_name() + ": protocol '" + p + "' is not supported (json, rest-json, rest-xml, " +
                      "query and ec2 are)");
}

ErrorParser error_parser_for(Protocol protocol) {
    return protocol == Protocol::Json || protocol == Protocol::RestJson ? json_error_parser : xml_error_parser;
}

}  // namespace detail

namespace {

// Thrown inside the retrier's attempt when the call's deadline or stop has come, so that it escapes the retries.
struct CallEnded {};

bool ended(const CallControl& control) {
    return (control.cancelled && control.cancelled()) || std::chrono::steady_clock::now() >= control.deadline;
}

bool is_s3(const ServiceModel& model) { return model.signing_name() == "s3"; }

// A bucket name that can be a DNS label of the endpoint's host (no dots, upper case or underscores).
bool dns_compatible_bucket(const nlohmann::json& input) {
    if (!input.is_object() || !input.contains("Bucket") || !input["Bucket"].is_string()) return false;
    const auto& b = input["Bucket"].get_ref<const std::string&>();
    if (b.size() < 3 || b.size() > 63 || b.front() == '-' || b.back() == '-') return false;
    return std::all_of(b.begin(), b.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// The operation's endpoint.hostPrefix ("data-", "{AccountId}.") with its labels filled from the input; AWS's own
// endpoints only, as the SDKs do for custom endpoints that have no such hosts.
std::string host_prefix(const detail::Operation& op, const nlohmann::json& input) {
    auto it = op.definition.find("endpoint");
    if (it == op.definition.end()) return {};
    std::string prefix = detail::text_field(*it, "hostPrefix");
    std::size_t open;
    while ((open = prefix.find('{')) != std::string::npos) {
        auto close = prefix.find('}', open);
        if (close == std::string::npos) break;
        auto label = prefix.substr(open + 1, close - open - 1);
        if (!input.is_object() || !input.contains(label) || !input[label].is_string()) {
            throw UsageError(op.where() + ": /" + label + ": required (it is part of the endpoint host)");
        }
        prefix.replace(open, close - open + 1, input[label].get<std::string>());
    }
    return prefix;
}

}  // namespace

struct ServiceClient::Impl {
    std::shared_ptr<const ServiceModel> model;
    std::shared_ptr<Transport> transport;
    std::shared_ptr<CredentialsProvider> credentials;
    ServiceClientOptions options;
    detail::Protocol protocol;
    std::string endpoint;
    Url url;
    bool custom_endpoint = false;
    detail::Retrier retrier;

    explicit Impl(ServiceClientOptions o) : options(std::move(o)), retrier(options.retry) {}

    HttpRequest to_http(const detail::WireRequest& wire) const {
        Url target = url;
        target.host = wire.host_prefix + target.host;
        std::string base = target.path == "/" ? std::string() : target.path;
        while (!base.empty() && base.back() == '/') base.pop_back();
        target.path = base + wire.path;
        target.query = wire.query;
        HttpRequest request;
        request.method = wire.method;
        request.url = target.str();
        request.headers.emplace_back("Host", target.authority());
        request.headers.emplace_back("User-Agent", options.user_agent);
        for (const auto& h : wire.headers) request.headers.push_back(h);
        request.body = wire.body;
        return request;
    }
};

ServiceClient::ServiceClient(std::shared_ptr<const ServiceModel> model, std::shared_ptr<Transport> transport,
                             std::shared_ptr<CredentialsProvider> credentials, ServiceClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
    if (!model) throw ConfigError("ServiceClient: no service model");
    if (!transport) throw ConfigError("ServiceClient(" + model->service_name() + "): no transport");
    if (!credentials) throw ConfigError("ServiceClient(" + model->service_name() + "): no credentials provider");
    if (impl_->options.region.empty()) throw ConfigError("ServiceClient(" + model->service_name() + "): no region");
    impl_->protocol = detail::protocol_of(*model);
    impl_->model = std::move(model);
    impl_->transport = std::move(transport);
    impl_->credentials = std::move(credentials);
    impl_->custom_endpoint = !impl_->options.endpoint_url.empty();
    impl_->endpoint = impl_->custom_endpoint
                          ? impl_->options.endpoint_url
                          : resolve_endpoint(*impl_->model, impl_->options.region, Environment::from_map({}), {});
    while (impl_->endpoint.size() > 1 && impl_->endpoint.back() == '/') impl_->endpoint.pop_back();
    impl_->url = parse_url(impl_->endpoint);
}

ServiceClient::~ServiceClient() = default;

nlohmann::json ServiceClient::call(std::string_view operation, const nlohmann::json& input) const {
    return call_with_metadata(operation, input).output;
}

ServiceClient::Response ServiceClient::call_with_metadata(std::string_view operation,
                                                          const nlohmann::json& input) const {
    return call_with_metadata(operation, input, CallControl{});
}

ServiceClient::Response ServiceClient::call_with_metadata(std::string_view operation, const nlohmann::json& input,
                                                          const CallControl& control) const {
    auto& impl = *impl_;
    const ServiceModel& model = *impl.model;
    const detail::Operation op{model, operation, model.operation(operation)};
    detail::check_input(model, operation, model.input_shape_name(operation), input);

    const bool s3 = is_s3(model);
    detail::WireRequest wire;
    switch (impl.protocol) {
        case detail::Protocol::Json:
            wire = detail::serialize_json_rpc(op, input);
            break;
        case detail::Protocol::RestJson:
        case detail::Protocol::RestXml: {
            // Custom endpoints (emulators) address buckets in the path, as the AWS CLI does.
            const auto addressing = s3 && !impl.custom_endpoint && dns_compatible_bucket(input)
                                        ? detail::BucketAddressing::VirtualHost
                                        : detail::BucketAddressing::Path;
            wire = detail::serialize_rest(op, input, impl.protocol, addressing);
            break;
        }
        case detail::Protocol::Query:
        case detail::Protocol::Ec2:
            wire = detail::serialize_query(op, input, impl.protocol);
            break;
    }
    if (!impl.custom_endpoint) wire.host_prefix = host_prefix(op, input) + wire.host_prefix;
    const HttpRequest base = impl.to_http(wire);
    const std::string where = op.where();
    HttpResponse response;
    try {
        response = impl.retrier.run(
            where,
            [&](int attempt, int max) {
                // The task's deadline or stop ends the call: no attempt (and so no retry or backoff) follows it.
                if (ended(control)) throw CallEnded{};
                HttpRequest request = base;
                request.deadline = control.deadline;
                request.cancelled = control.cancelled;
                request.headers.emplace_back("amz-sdk-request",
                                             "attempt=" + std::to_string(attempt) + "; max=" + std::to_string(max));
                sigv4::SigningParams params{
                    .region = impl.options.region,
                    .service = model.signing_name(),
                    .time = impl.options.clock ? impl.options.clock() : std::chrono::system_clock::now(),
                    .path_normalization = s3 ? sigv4::PathNormalization::Verbatim : sigv4::PathNormalization::Normalize,
                    .path_encoding = s3 ? sigv4::PathEncoding::AsSent : sigv4::PathEncoding::EncodeAgain,
                    .sign_session_token = true,
                    .add_content_sha256 = s3,
                };
                sigv4::sign(request, impl.credentials->get(), params);
                try {
                    return impl.transport->send(request);
                } catch (const TransportError&) {
                    if (ended(control)) throw CallEnded{};
                    throw;
                }
            },
            detail::error_parser_for(impl.protocol));
    } catch (const CallEnded&) {
        throw TransportError(
            where + ": " +
                (std::chrono::steady_clock::now() >= control.deadline ? "the task's deadline passed"
                                                                      : "cancelled (the task was stopped)"),
            {.timed_out = true});
    }

    Response out;
    switch (impl.protocol) {
        case detail::Protocol::Json:
            out.output = detail::parse_json_rpc(op, response);
            break;
        case detail::Protocol::RestJson:
        case detail::Protocol::RestXml:
            out.output = detail::parse_rest(op, response, impl.protocol);
            break;
        case detail::Protocol::Query:
        case detail::Protocol::Ec2:
            out.output = detail::parse_query(op, response, impl.protocol);
            break;
    }
    out.status = response.status;
    out.request_id = detail::request_id_of(response);
    if (out.request_id.empty() &&
        (impl.protocol == detail::Protocol::Query || impl.protocol == detail::Protocol::Ec2) &&
        !response.body.empty()) {
        // Query answers carry it in <ResponseMetadata><RequestId>, EC2's in <requestId>.
        auto root = detail::parse_xml(response.body, op.where());
        for (const char* name : {"RequestId", "requestId"}) {
            if (const auto* id = root.find(name); id && out.request_id.empty()) out.request_id = id->text;
        }
    }
    out.headers = std::move(response.headers);
    return out;
}

const std::string& ServiceClient::endpoint() const noexcept { return impl_->endpoint; }
const ServiceModel& ServiceClient::model() const noexcept { return *impl_->model; }
std::uint64_t ServiceClient::attempts() const noexcept { return impl_->retrier.attempts(); }

}  // namespace sfn::aws
