// Session: which target (AWS, a custom endpoint, the embedded service) and with which credentials, region
// and account.
#include "sfn/session/session.hpp"

#include "sfn/aws/errors.hpp"
#include "sfn/aws/sts.hpp"
#include "sfn/aws/transport.hpp"
#include "sfn/server/embedded.hpp"
#include "sfn/server/http_server.hpp"
#include "sfn/server/service.hpp"

#include <mutex>

namespace sfn::session {
namespace {

// Emulators (moto, LocalStack, sfn serve) without STS conventionally use this account.
constexpr const char* kEmulatorAccount = "123456789012";
constexpr const char* kDummySource = "endpoint-default";

aws::Credentials dummy_credentials(const char* source) {
    return aws::Credentials{"sfn-local", "sfn-local", "", std::nullopt, source};
}

// localhost, *.localhost, 127.0.0.0/8 and ::1: a server on this machine (an emulator, `sfn serve`).
bool is_loopback(const std::string& endpoint_url) {
    const std::string host = aws::parse_url(endpoint_url).host;
    if (host == "localhost" || host.ends_with(".localhost")) return true;
    if (host == "::1" || host == "[::1]") return true;
    return host.starts_with("127.") && host.find_first_not_of("0123456789.") == std::string::npos;
}

// The AWS CLI's chain, as with --endpoint-url there. Only when the chain finds nothing because nothing is
// configured (no keys in the environment, no profile chosen, no default profile with credentials) and the
// endpoint is on this machine, fixed dummy keys stand in: an emulator accepts any.
class EndpointCredentials final : public aws::CredentialsProvider {
public:
    EndpointCredentials(aws::ProfileSelection selection, aws::Environment env, std::shared_ptr<aws::Transport> sts,
                        bool loopback)
        : env_(env), chosen_profile_(selection.profile.has_value()), loopback_(loopback),
          chain_(aws::default_credentials_chain(std::move(selection), std::move(env), std::move(sts))) {}

    aws::Credentials get() override {
        try {
            return chain_->get();
        } catch (const aws::CredentialsError&) {
            if (!loopback_ || configured()) throw;
            return dummy_credentials(kDummySource);
        }
    }

private:
    bool configured() const {
        if (chosen_profile_) return true;
        for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                              "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"}) {
            if (env_.get_nonempty(v)) return true;
        }
        return false;
    }

    aws::Environment env_;
    bool chosen_profile_;
    bool loopback_;
    std::shared_ptr<aws::CredentialsProvider> chain_;
};

// The account inside a Step Functions ARN (arn:PARTITION:states:REGION:ACCOUNT:...), empty when malformed.
std::string account_of_arn(const std::string& arn) {
    std::size_t pos = 0;
    for (int field = 0; field < 4; ++field) {
        pos = arn.find(':', pos);
        if (pos == std::string::npos) return {};
        ++pos;
    }
    const auto end = arn.find(':', pos);
    if (end == std::string::npos) return {};
    return arn.substr(pos, end - pos);
}

}  // namespace

struct Session::State {
    SessionOptions options;
    std::string region;
    std::string endpoint_url;
    bool local = false;
    std::shared_ptr<server::Service> service;
    std::shared_ptr<aws::Transport> transport;
    std::shared_ptr<aws::CredentialsProvider> credentials;

    std::once_flag client_once;
    std::unique_ptr<aws::SfnClient> client;
    std::mutex account_mutex;
    std::optional<std::string> account;
    std::once_flag console_once;
    std::optional<std::string> console;
};

Session::Session(SessionOptions options) : state_(std::make_shared<State>()) {
    auto& s = *state_;
    aws::ProfileSelection selection{options.profile, options.region};
    s.region = aws::resolve_region(selection, options.environment);
    s.endpoint_url = options.endpoint_url.value_or("");
    s.transport = options.transport ? options.transport : aws::make_curl_transport(options.curl);
    if (options.credentials) {
        s.credentials = aws::static_credentials(*options.credentials);
    } else if (!s.endpoint_url.empty()) {
        s.credentials = std::make_shared<EndpointCredentials>(selection, options.environment, s.transport,
                                                              is_loopback(s.endpoint_url));
    } else {
        s.credentials = aws::default_credentials_chain(selection, options.environment, s.transport);
    }
    s.account = options.account_id;
    s.options = std::move(options);
}

Session Session::from_profile(const Target& target) {
    SessionOptions options;
    if (!target.profile.empty()) options.profile = target.profile;
    if (!target.region.empty()) options.region = target.region;
    options.endpoint_url = target.endpoint_url.empty()
                               ? aws::resolve_endpoint_url({options.profile, options.region}, options.environment)
                               : std::optional<std::string>(target.endpoint_url);
    return Session(std::move(options));
}

Session Session::with_credentials(aws::Credentials credentials, std::string region) {
    SessionOptions options;
    options.credentials = std::move(credentials);
    options.region = std::move(region);
    return Session(std::move(options));
}

Session Session::with_endpoint(std::string endpoint_url, EndpointOptions endpoint) {
    SessionOptions options;
    options.endpoint_url = std::move(endpoint_url);
    options.region = std::move(endpoint.region);
    options.credentials = std::move(endpoint.credentials);
    return Session(std::move(options));
}

Session Session::local(std::shared_ptr<server::Service> service) {
    if (!service) service = server::default_service();
    SessionOptions options;
    options.region = service->options().region;
    options.account_id = service->options().account;
    options.credentials = dummy_credentials("local");
    options.transport = server::make_embedded_transport(service);
    options.endpoint_url = "http://embedded.localhost";
    options.inject_host_prefix = false;
    Session session(std::move(options));
    session.state_->local = true;
    session.state_->service = std::move(service);
    return session;
}

Session Session::from_environment() {
    if (!aws::aws_configuration_present()) return local();
    return from_profile();
}

Session Session::for_target(const Target& target) {
    if (!target.endpoint_url.empty()) {
        SessionOptions options;
        options.endpoint_url = target.endpoint_url;
        if (!target.profile.empty()) options.profile = target.profile;
        if (!target.region.empty()) {
            options.region = target.region;
        } else {
            // The chain's region when one is configured (as the AWS CLI), else the emulators' us-east-1.
            try {
                options.region = aws::resolve_region({options.profile, std::nullopt}, options.environment);
            } catch (const aws::ConfigError&) {
                options.region = "us-east-1";
            }
        }
        return Session(std::move(options));
    }
    if (!target.profile.empty() || !target.region.empty()) return from_profile(target);
    return from_environment();
}

const std::string& Session::region() const noexcept { return state_->region; }
bool Session::is_local() const noexcept { return state_->local; }
const std::string& Session::endpoint_url() const noexcept { return state_->endpoint_url; }

std::string Session::partition() const {
    if (state_->region.starts_with("cn-")) return "aws-cn";
    if (state_->region.starts_with("us-gov-")) return "aws-us-gov";
    return "aws";
}

std::string Session::describe() const {
    if (state_->local) return "local (embedded, " + state_->region + ")";
    if (!state_->endpoint_url.empty()) return "endpoint " + state_->endpoint_url + " (" + state_->region + ")";
    return "profile " + aws::resolve_profile_name({state_->options.profile, std::nullopt}, state_->options.environment) +
           " (" + state_->region + ")";
}

aws::SfnClient& Session::sfn() const {
    auto& s = *state_;
    std::call_once(s.client_once, [&] {
        aws::ClientConfig config;
        config.region = s.region;
        config.endpoint_url = s.endpoint_url;
        config.inject_host_prefix = s.options.inject_host_prefix;
        config.retry = s.options.retry;
        s.client = std::make_unique<aws::SfnClient>(s.transport, s.credentials, config);
    });
    return *s.client;
}

aws::Credentials Session::credentials() const { return state_->credentials->get(); }

std::string Session::account_id() const {
    auto& s = *state_;
    std::lock_guard lock(s.account_mutex);
    if (s.account) return *s.account;
    // STS has its own endpoint: a Step Functions endpoint override never redirects it.
    const aws::ProfileSelection selection{s.options.profile, s.region};
    const auto sts_endpoint = aws::resolve_endpoint_url(selection, s.options.environment, "sts");
    const auto credentials = s.credentials->get();
    std::string sts_failure;
    if (s.endpoint_url.empty() || sts_endpoint || credentials.source != kDummySource) {
        aws::StsClient sts(s.transport, s.region, sts_endpoint.value_or(""));
        try {
            s.account = sts.get_caller_identity(credentials).account;
            return *s.account;
        } catch (const sfn::Error& e) {
            // ServiceError, TransportError, ProtocolError: without a custom endpoint there is nothing else to ask.
            if (s.endpoint_url.empty()) throw;
            sts_failure = e.what();
        }
    }
    // The Step Functions endpoint answers where STS does not: its ARNs carry the account.
    for (const auto& item : sfn().list_state_machines({.max_results = 1, .next_token = std::nullopt}).state_machines) {
        if (auto account = account_of_arn(item.state_machine_arn); !account.empty()) return *(s.account = account);
    }
    for (const auto& item : sfn().list_activities({.max_results = 1, .next_token = std::nullopt}).activities) {
        if (auto account = account_of_arn(item.activity_arn); !account.empty()) return *(s.account = account);
    }
    if (is_loopback(s.endpoint_url)) return *(s.account = kEmulatorAccount);
    throw aws::ConfigError("cannot determine the account id: STS GetCallerIdentity failed (" + sts_failure +
                           "), and " + s.endpoint_url + " lists no state machine or activity to read it from");
}

std::string Session::state_machine_arn(const std::string& name) const {
    return "arn:" + partition() + ":states:" + region() + ":" + account_id() + ":stateMachine:" + name;
}

std::string Session::console_base() const {
    const auto p = partition();
    if (p == "aws-cn") return "https://" + region() + ".console.amazonaws.cn";
    if (p == "aws-us-gov") return "https://" + region() + ".console.amazonaws-us-gov.com";
    return "https://" + region() + ".console.aws.amazon.com";
}

}  // namespace sfn::session

namespace sfn::session {

std::optional<std::string> Session::local_console() const {
    auto& s = *state_;
    if (s.local) {
        // Asked every time: a console may have started (or stopped) since the last link. With none serving this
        // service, `sfn console` on the same store (after this process) is where the link leads.
        if (auto served = s.service->console_url()) return served;
        return "http://127.0.0.1:" + std::to_string(server::default_console_port) + "/";
    }
    if (s.endpoint_url.empty()) return std::nullopt;
    std::call_once(s.console_once, [&] {
        auto base = s.endpoint_url;
        while (base.ends_with('/')) base.pop_back();
        aws::HttpRequest probe{.method = "GET", .url = base + "/console/probe", .headers = {}, .body = {}};
        try {
            const auto answer = s.transport->send(probe);
            if (answer.status == 200 && answer.header("X-Sfn-Console")) s.console = base + "/";
        } catch (const aws::TransportError&) {
            // Nothing answers there (yet): the links stay the AWS console's.
        }
    });
    return s.console;
}

}  // namespace sfn::session
