// The Step Functions client: AWS JSON 1.0 requests, SigV4 per attempt, standard-mode retries (PROTOCOL.md §1, §5).
#include "sfn/aws/client.hpp"

#include "aws/detail_json_io.hpp"
#include "aws/detail_retry.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>

namespace sfn::aws {
namespace {

constexpr std::string_view kTargetPrefix = "AWSStepFunctions.";
constexpr std::string_view kSigningName = "states";

const std::map<std::string_view, std::string_view>& host_prefixes() {
    static const std::map<std::string_view, std::string_view> table = [] {
        std::map<std::string_view, std::string_view> t;
#define SFN_AWS_OPERATION(Op, method, In, Out, prefix) \
    if (std::string_view(prefix).size() > 0) t.emplace(#Op, prefix);
#include "sfn/aws/operations.def"
        return t;
    }();
    return table;
}

}  // namespace

std::string default_endpoint(std::string_view endpoint_prefix, std::string_view region) {
    std::string suffix = region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return "https://" + std::string(endpoint_prefix) + "." + std::string(region) + "." + suffix;
}

struct SfnClient::Impl {
    std::shared_ptr<Transport> transport;
    std::shared_ptr<CredentialsProvider> credentials;
    ClientConfig config;
    std::string endpoint;
    Url url;
    bool inject_prefix = false;
    detail::Retrier retrier;

    explicit Impl(ClientConfig c) : config(std::move(c)), retrier(config.retry) {}
};

SfnClient::SfnClient(std::shared_ptr<Transport> transport, std::shared_ptr<CredentialsProvider> credentials,
                     ClientConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {
    if (!transport) throw ConfigError("SfnClient: no transport");
    if (!credentials) throw ConfigError("SfnClient: no credentials provider");
    if (impl_->config.region.empty()) throw ConfigError("SfnClient: no region");
    impl_->transport = std::move(transport);
    impl_->credentials = std::move(credentials);
    const bool custom = !impl_->config.endpoint_url.empty();
    impl_->endpoint = custom ? impl_->config.endpoint_url : default_endpoint("states", impl_->config.region);
    while (impl_->endpoint.size() > 1 && impl_->endpoint.back() == '/') impl_->endpoint.pop_back();
    impl_->url = parse_url(impl_->endpoint);
    // AWS's own endpoints have sync-states.<region>...; a custom host usually has no sync- twin.
    impl_->inject_prefix = impl_->config.inject_host_prefix.value_or(!custom);
}

SfnClient::~SfnClient() = default;

nlohmann::json SfnClient::call(std::string_view operation, const nlohmann::json& input) {
    auto& impl = *impl_;
    Url url = impl.url;
    if (impl.inject_prefix) {
        auto it = host_prefixes().find(operation);
        if (it != host_prefixes().end()) url.host = std::string(it->second) + url.host;
    }
    HttpRequest base;
    base.method = "POST";
    base.url = url.str();
    base.body = input.is_null() ? std::string("{}") : input.dump();
    base.headers = {{"Host", url.authority()},
                    {"Content-Type", "application/x-amz-json-1.0"},
                    {"X-Amz-Target", std::string(kTargetPrefix) + std::string(operation)},
                    {"User-Agent", impl.config.user_agent}};
    HttpResponse response = impl.retrier.run(std::string(operation), [&](int attempt, int max) {
        HttpRequest request = base;
        request.headers.emplace_back("amz-sdk-request",
                                     "attempt=" + std::to_string(attempt) + "; max=" + std::to_string(max));
        sigv4::SigningParams params{impl.config.region, std::string(kSigningName),
                                    impl.config.clock ? impl.config.clock() : std::chrono::system_clock::now()};
        sigv4::sign(request, impl.credentials->get(), params);
        return impl.transport->send(request);
    }, detail::json_error_parser);
    if (response.body.empty()) return nlohmann::json::object();
    auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        throw ProtocolError(std::string(operation) + ": the response is not a JSON object: " +
                            response.body.substr(0, 200));
    }
    return parsed;
}

#define SFN_AWS_OPERATION(Op, method, In, Out, prefix)                          \
    sfn_api::Out SfnClient::method(const sfn_api::In& request) {                \
        nlohmann::json input = request;                                         \
        sfn_api::Out output;                                                    \
        sfn_api::from_json(call(#Op, input), output);                           \
        return output;                                                          \
    }
#include "sfn/aws/operations.def"

namespace {

template <typename Input, typename Item, typename Fetch, typename Items>
std::vector<Item> all_pages(Input request, Fetch fetch, Items items) {
    std::vector<Item> out;
    request.next_token.reset();
    while (true) {
        auto page = fetch(request);
        auto& got = items(page);
        out.insert(out.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
        if (!page.next_token || page.next_token->empty()) return out;
        request.next_token = page.next_token;
    }
}

}  // namespace

std::vector<sfn_api::StateMachineListItem> SfnClient::list_all_state_machines() {
    return all_pages<sfn_api::ListStateMachinesInput, sfn_api::StateMachineListItem>(
        {}, [&](const auto& r) { return list_state_machines(r); },
        [](auto& page) -> auto& { return page.state_machines; });
}

std::vector<sfn_api::ExecutionListItem> SfnClient::list_all_executions(sfn_api::ListExecutionsInput request) {
    return all_pages<sfn_api::ListExecutionsInput, sfn_api::ExecutionListItem>(
        std::move(request), [&](const auto& r) { return list_executions(r); },
        [](auto& page) -> auto& { return page.executions; });
}

std::vector<sfn_api::HistoryEvent> SfnClient::get_full_execution_history(sfn_api::GetExecutionHistoryInput request) {
    return all_pages<sfn_api::GetExecutionHistoryInput, sfn_api::HistoryEvent>(
        std::move(request), [&](const auto& r) { return get_execution_history(r); },
        [](auto& page) -> auto& { return page.events; });
}

const std::string& SfnClient::region() const noexcept { return impl_->config.region; }
const std::string& SfnClient::endpoint() const noexcept { return impl_->endpoint; }
std::uint64_t SfnClient::attempts() const noexcept { return impl_->retrier.attempts(); }

}  // namespace sfn::aws
