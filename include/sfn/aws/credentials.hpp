#pragma once
/// \file
/// AWS credentials and how they are found: the AWS CLI's provider chain (PROTOCOL.md §4).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace sfn::aws {

class Transport;

/// An access key pair, optionally temporary (session token + expiry).
struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  ///< empty for long-term keys
    std::optional<std::chrono::system_clock::time_point> expiration;
    /// Which provider produced them ("environment", "shared-credentials-file", "assume-role", ...).
    std::string source;

    /// True when `expiration` is within `margin` of `now`.
    [[nodiscard]] bool expires_within(std::chrono::seconds margin,
                                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;
};

/// The environment and files the resolution reads. Defaults come from the process; tests pass their own.
struct Environment {
    /// Reads a variable; empty optional when unset.
    std::function<std::optional<std::string>(const std::string&)> getenv;
    /// From the real process environment (`getenv`).
    [[nodiscard]] static Environment process();
    /// From a fixed map (tests).
    [[nodiscard]] static Environment from_map(std::map<std::string, std::string> vars);
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    /// The value when set and non-empty.
    [[nodiscard]] std::optional<std::string> get_nonempty(const std::string& name) const;
};

/// What a caller specified explicitly (command line or code); everything else is looked up.
struct ProfileSelection {
    std::optional<std::string> profile;  ///< --profile; else AWS_PROFILE / AWS_DEFAULT_PROFILE / "default"
    std::optional<std::string> region;   ///< --region; else AWS_REGION / AWS_DEFAULT_REGION / profile
};

/// Produces credentials, refreshing temporary ones before they expire. Thread-safe.
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    /// Throws CredentialsError when none can be obtained.
    virtual Credentials get() = 0;
};

/// A provider that always returns the same credentials.
[[nodiscard]] std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials);

/// The AWS CLI chain: environment keys (skipped when a profile was chosen explicitly), assume-role profile
/// (`role_arn` + `source_profile`/`credential_source`, via STS AssumeRole, cached until 5 minutes before
/// expiry), web identity (profile or AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), static keys of the shared
/// credentials file, `credential_process`, static keys of the config file.
/// `sts_transport` carries the STS calls (default: a curl transport); `sts_endpoint` overrides the STS URL
/// (default `https://sts.<region>.amazonaws.com`, or AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL).
/// Resolution is lazy: the files are read on the first get(); errors name the file, profile and key.
[[nodiscard]] std::shared_ptr<CredentialsProvider> default_credentials_chain(
    ProfileSelection selection, Environment env = Environment::process(),
    std::shared_ptr<Transport> sts_transport = nullptr);

/// The region: explicit, else AWS_REGION, AWS_DEFAULT_REGION, then `region` in the selected config profile.
/// Throws ConfigError ("no region: pass --region, set AWS_REGION or add region to profile 'x' in FILE").
[[nodiscard]] std::string resolve_region(const ProfileSelection& selection,
                                         const Environment& env = Environment::process());

/// The endpoint override for Step Functions: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, then `endpoint_url`
/// in the profile's `services` section (`sfn = ` / `endpoint_url =`) or the profile itself. Empty = AWS's endpoint.
/// Honours AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / `ignore_configured_endpoint_urls`.
[[nodiscard]] std::optional<std::string> resolve_endpoint_url(const ProfileSelection& selection,
                                                              const Environment& env = Environment::process(),
                                                              const std::string& service_id = "sfn");

/// The profile name selection resolves to (explicit, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default").
[[nodiscard]] std::string resolve_profile_name(const ProfileSelection& selection, const Environment& env);

/// True when anything AWS-ish is configured: credentials in the environment, AWS_PROFILE, an endpoint override,
/// or an existing credentials/config file with the selected profile. Used to choose local vs AWS.
[[nodiscard]] bool aws_configuration_present(const Environment& env = Environment::process());

}  // namespace sfn::aws
