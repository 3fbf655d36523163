#pragma once
/// \file
/// sfn::session::Session — where state machines live: an AWS account/region reached with a profile,
/// explicit credentials or a custom endpoint, or the embedded local Step Functions service.
/// The counterpart of the Python original's BotoSesManager.
///
/// **Example**
/// @code
///   auto aws = sfn::session::Session::from_profile("dev", "eu-west-1");   // real AWS
///   auto local = sfn::session::Session::local();                           // in-process, no sockets
///   auto any = sfn::session::Session::from_environment();                   // local unless AWS is configured
/// @endcode

#include "sfn/aws/client.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/sts.hpp"

#include <memory>
#include <optional>
#include <string>

namespace sfn::server {
class Service;
}

namespace sfn::session {

/// Everything a Session can be built from; the factories below fill it in.
struct SessionOptions {
    std::optional<std::string> profile;
    std::optional<std::string> region;
    /// A custom Step Functions endpoint. STS keeps its own (AWS_ENDPOINT_URL_STS, the profile's `services`
    /// section, AWS_ENDPOINT_URL, else the regional one); where STS fails, the account comes from this
    /// endpoint's ARNs. Without explicit credentials: the chain, dummy keys only for a loopback endpoint
    /// when nothing is configured.
    std::optional<std::string> endpoint_url;
    /// Explicit credentials (skip the provider chain).
    std::optional<aws::Credentials> credentials;
    /// A known account id (skips STS).
    std::optional<std::string> account_id;
    /// Replaces the HTTP transport (tests, the embedded service).
    std::shared_ptr<aws::Transport> transport;
    aws::RetryPolicy retry;
    aws::CurlOptions curl;
    /// Prefix `sync-` for StartSyncExecution/TestState; default: only on AWS's own endpoints.
    std::optional<bool> inject_host_prefix;
    /// Where credentials/config/env are read (tests pass a map).
    aws::Environment environment = aws::Environment::process();
};

/// What `--profile`, `--region` and `--endpoint-url` select; an empty field is "not given".
///
/// **Example**
/// @code
///   auto dev = sfn::Session::for_target({.profile = "dev", .region = "eu-west-1"});
///   auto serve = sfn::Session::for_target({.endpoint_url = "http://127.0.0.1:8083"});
/// @endcode
struct Target {
    std::string profile;       ///< a profile of ~/.aws/config (empty: AWS_PROFILE, else "default")
    std::string region;        ///< empty: the profile's, AWS_REGION, AWS_DEFAULT_REGION
    std::string endpoint_url;  ///< a server speaking the Step Functions API (empty: AWS's own endpoint)
};

/// What with_endpoint() needs beside the URL.
struct EndpointOptions {
    std::string region = "us-east-1";
    /// Explicit credentials; without them the chain (dummy keys only for loopback with nothing configured).
    std::optional<aws::Credentials> credentials;
};

/// A handle to a configured AWS (or local) target. Copies share one state: clients are created once and
/// cached, the account id is resolved lazily once. Thread-safe.
class Session {
public:
    /// Builds from options; resolution of credentials is lazy (first call). Throws aws::ConfigError when no
    /// region can be found.
    explicit Session(SessionOptions options);

    /// The AWS CLI's resolution of a profile and region (AWS_ENDPOINT_URL[_SFN] honoured), e.g.
    /// `Session::from_profile({.profile = "dev"})`; an endpoint_url in `target` overrides the resolved one.
    [[nodiscard]] static Session from_profile(const Target& target = {});
    /// Explicit access keys.
    [[nodiscard]] static Session with_credentials(aws::Credentials credentials, std::string region);
    /// Any server speaking the Step Functions API (moto, LocalStack, `sfn serve`, a VPC endpoint). Without
    /// credentials it uses the chain, as the AWS CLI does with --endpoint-url; only when nothing is configured
    /// and the endpoint is a loopback address (localhost, 127.0.0.0/8, ::1) dummy keys stand in.
    [[nodiscard]] static Session with_endpoint(std::string endpoint_url, EndpointOptions options = {});
    /// The embedded local service (no sockets). `service` defaults to server::default_service() (SQLite
    /// under ~/.local/share/sfn); its account and region become the session's.
    [[nodiscard]] static Session local(std::shared_ptr<server::Service> service = nullptr);
    /// local() when no AWS profile, credentials or endpoint is configured in the environment or the shared
    /// files; else the profile chain (with AWS_ENDPOINT_URL[_SFN] honoured).
    [[nodiscard]] static Session from_environment();
    /// What `--profile/--region/--endpoint-url` select: with an endpoint, that server (the credentials chain,
    /// dummy keys only for a loopback endpoint when nothing is configured; the chain's region, else us-east-1);
    /// with a profile or region, AWS; with nothing, from_environment().
    [[nodiscard]] static Session for_target(const Target& target);

    [[nodiscard]] const std::string& region() const noexcept;
    /// "aws", "aws-cn" or "aws-us-gov" from the region.
    [[nodiscard]] std::string partition() const;
    /// The 12-digit account id: given, the local service's, or STS GetCallerIdentity (once, cached).
    [[nodiscard]] std::string account_id() const;
    /// True for the embedded local service.
    [[nodiscard]] bool is_local() const noexcept;
    /// The custom endpoint, or empty for AWS's own.
    [[nodiscard]] const std::string& endpoint_url() const noexcept;
    /// A short human description: "local", "endpoint http://...", "profile dev (eu-west-1)".
    [[nodiscard]] std::string describe() const;

    /// The Step Functions client (created once).
    [[nodiscard]] aws::SfnClient& sfn() const;
    /// The current credentials (resolving them if needed).
    [[nodiscard]] aws::Credentials credentials() const;

    /// `arn:<partition>:states:<region>:<account>:stateMachine:<name>`.
    [[nodiscard]] std::string state_machine_arn(const std::string& name) const;
    /// `https://<region>.console.aws.amazon.com` (or the China / GovCloud console domain).
    [[nodiscard]] std::string console_base() const;
    /// The sfn web console for this session's target, when it has one, as a base URL ending in `/` (deep links
    /// append `#/statemachines/<arn>` or `#/executions/<arn>`): for an endpoint, the endpoint itself when it is
    /// `sfn serve` with its console on (asked once, `GET /console/probe`); for the embedded service, the console
    /// serving its store now (`sfn serve` or `sfn console` on the same file), else the address `sfn console`
    /// listens on by default. std::nullopt on AWS and on other endpoints (moto, LocalStack).
    [[nodiscard]] std::optional<std::string> local_console() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace sfn::session

namespace sfn {
using session::Session;
}  // namespace sfn
