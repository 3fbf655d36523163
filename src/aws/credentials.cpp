// The AWS CLI's credential and region resolution (PROTOCOL.md §4). Every error names the file, profile and key.
#include "sfn/aws/credentials.hpp"

#include "aws/detail_ini.hpp"
#include "aws/detail_time.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sts.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>

namespace sfn::aws {
namespace {

constexpr auto kRefreshMargin = std::chrono::minutes(5);

struct SharedFiles {
    detail::IniFile credentials;
    detail::IniFile config;

    static SharedFiles load(const Environment& env) {
        auto home = env.get_nonempty("HOME").value_or("");
        auto expand = [&](std::string p) {
            if (p.starts_with("~/")) p = home + p.substr(1);
            return p;
        };
        SharedFiles f;
        f.credentials = detail::load_ini(
            expand(env.get_nonempty("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials")));
        f.config = detail::load_ini(expand(env.get_nonempty("AWS_CONFIG_FILE").value_or("~/.aws/config")));
        return f;
    }

    /// The config-file section of `profile`: `[profile x]`, or `[default]` / `[profile default]`.
    [[nodiscard]] const detail::IniSection* config_section(const std::string& profile) const {
        if (const auto* s = config.section("profile " + profile)) return s;
        if (profile == "default") return config.section("default");
        return nullptr;
    }
    [[nodiscard]] const detail::IniSection* credentials_section(const std::string& profile) const {
        return credentials.section(profile);
    }
    [[nodiscard]] bool has_profile(const std::string& profile) const {
        return config_section(profile) || credentials_section(profile);
    }
    /// A key of the merged profile; the credentials file wins.
    [[nodiscard]] std::optional<std::string> get(const std::string& profile, const std::string& key) const {
        for (const auto* s : {credentials_section(profile), config_section(profile)}) {
            if (!s) continue;
            auto it = s->find(key);
            if (it != s->end() && !it->second.empty()) return it->second;
        }
        return std::nullopt;
    }
    [[nodiscard]] std::string describe(const std::string& profile) const {
        return "profile '" + profile + "' (" + credentials.path + ", " + config.path + ")";
    }
};

std::optional<std::string> key_in(const detail::IniSection* s, const std::string& key) {
    if (!s) return std::nullopt;
    auto it = s->find(key);
    if (it == s->end() || it->second.empty()) return std::nullopt;
    return it->second;
}

/// Static keys in one section; a half pair is an error naming file, section and the missing key.
std::optional<Credentials> static_keys(const detail::IniSection* s, const std::string& file,
                                       const std::string& section, const char* source) {
    auto id = key_in(s, "aws_access_key_id");
    auto secret = key_in(s, "aws_secret_access_key");
    if (!id && !secret) return std::nullopt;
    if (!id || !secret) {
        throw CredentialsError(file + ": [" + section + "] has " + (id ? "aws_access_key_id" : "aws_secret_access_key") +
                               " but no " + (id ? "aws_secret_access_key" : "aws_access_key_id"));
    }
    Credentials c{*id, *secret, key_in(s, "aws_session_token").value_or(key_in(s, "aws_security_token").value_or("")),
                  std::nullopt, source};
    return c;
}

std::string read_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CredentialsError(what + ": cannot read '" + path + "'");
    std::stringstream b;
    b << in.rdbuf();
    return b.str();
}

Credentials run_credential_process(const std::string& command, const std::string& where) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) throw CredentialsError(where + ": credential_process '" + command + "' could not be started");
    std::string out;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    int status = ::pclose(pipe);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw CredentialsError(where + ": credential_process '" + command + "' failed (exit status " +
                               std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
    }
    auto j = nlohmann::json::parse(out, nullptr, false);
    auto bad = [&](const std::string& why) {
        return CredentialsError(where + ": credential_process '" + command + "' " + why);
    };
    if (!j.is_object()) throw bad("did not print a JSON object");
    if (!j.contains("Version") || j["Version"] != 1) throw bad("printed JSON without \"Version\": 1");
    for (const char* k : {"AccessKeyId", "SecretAccessKey"}) {
        if (!j.contains(k) || !j[k].is_string() || j[k].get<std::string>().empty()) {
            throw bad(std::string("printed JSON without \"") + k + "\"");
        }
    }
    Credentials c;
    c.access_key_id = j["AccessKeyId"];
    c.secret_access_key = j["SecretAccessKey"];
    if (j.contains("SessionToken") && j["SessionToken"].is_string()) c.session_token = j["SessionToken"];
    if (j.contains("Expiration") && j["Expiration"].is_string()) {
        c.expiration = detail::parse_iso8601(j["Expiration"].get<std::string>());
        if (!c.expiration) throw bad("printed a malformed \"Expiration\": " + j["Expiration"].dump());
    }
    c.source = "credential-process";
    return c;
}

class StaticProvider final : public CredentialsProvider {
public:
    explicit StaticProvider(Credentials c) : credentials_(std::move(c)) {}
    Credentials get() override { return credentials_; }

private:
    Credentials credentials_;
};

class ChainProvider final : public CredentialsProvider {
public:
    ChainProvider(ProfileSelection selection, Environment env, std::shared_ptr<Transport> sts)
        : selection_(std::move(selection)), env_(std::move(env)), sts_transport_(std::move(sts)) {}

    Credentials get() override {
        std::lock_guard lock(mutex_);
        if (cached_ && !cached_->expires_within(kRefreshMargin)) return *cached_;
        cached_ = resolve();
        return *cached_;
    }

private:
    Credentials resolve() {
        if (!selection_.profile) {
            if (auto c = from_environment()) return *c;
        }
        SharedFiles files = SharedFiles::load(env_);
        const std::string profile = resolve_profile_name(selection_, env_);
        const bool chosen = selection_.profile || env_.get_nonempty("AWS_PROFILE") ||
                            env_.get_nonempty("AWS_DEFAULT_PROFILE");
        if (!files.has_profile(profile)) {
            if (chosen) {
                throw ConfigError("profile '" + profile + "' not found in " + files.credentials.path + " or " +
                                  files.config.path);
            }
            if (auto c = web_identity_from_env(profile, files)) return *c;
            throw CredentialsError("no AWS credentials found: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set and " +
                                   files.describe(profile) + " does not exist");
        }
        std::set<std::string> visited;
        if (auto c = from_profile(files, profile, visited)) return *c;
        if (auto c = web_identity_from_env(profile, files)) return *c;
        throw CredentialsError("no AWS credentials in " + files.describe(profile) +
                               ": expected aws_access_key_id/aws_secret_access_key, role_arn, or credential_process");
    }

    std::optional<Credentials> from_environment() const {
        auto id = env_.get_nonempty("AWS_ACCESS_KEY_ID");
        auto secret = env_.get_nonempty("AWS_SECRET_ACCESS_KEY");
        if (!id && !secret) return std::nullopt;
        if (!id || !secret) {
            throw CredentialsError(std::string("environment: ") + (id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                                   " is set but " + (id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is not");
        }
        Credentials c{*id, *secret,
                      env_.get_nonempty("AWS_SESSION_TOKEN").value_or(env_.get_nonempty("AWS_SECURITY_TOKEN").value_or("")),
                      std::nullopt, "environment"};
        if (auto exp = env_.get_nonempty("AWS_CREDENTIAL_EXPIRATION")) c.expiration = detail::parse_iso8601(*exp);
        return c;
    }

    std::string sts_region(const SharedFiles& files, const std::string& profile) const {
        if (selection_.region) return *selection_.region;
        if (auto r = env_.get_nonempty("AWS_REGION")) return *r;
        if (auto r = env_.get_nonempty("AWS_DEFAULT_REGION")) return *r;
        if (const auto* s = files.config_section(profile)) {
            if (auto r = key_in(s, "region")) return *r;
        }
        return "us-east-1";
    }

    StsClient sts(const SharedFiles& files, const std::string& profile) const {
        std::string endpoint = env_.get_nonempty("AWS_ENDPOINT_URL_STS").value_or(
            env_.get_nonempty("AWS_ENDPOINT_URL").value_or(""));
        return StsClient(sts_transport_, sts_region(files, profile), endpoint);
    }

    std::string session_name(const SharedFiles& files, const std::string& profile) const {
        if (auto n = files.get(profile, "role_session_name")) return *n;
        return "sfn-session-" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
    }

    std::optional<Credentials> web_identity_from_env(const std::string& profile, const SharedFiles& files) const {
        auto role = env_.get_nonempty("AWS_ROLE_ARN");
        auto token_file = env_.get_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE");
        if (!role || !token_file) return std::nullopt;
        auto token = read_file(*token_file, "AWS_WEB_IDENTITY_TOKEN_FILE");
        auto name = env_.get_nonempty("AWS_ROLE_SESSION_NAME").value_or(session_name(files, profile));
        return sts(files, profile).assume_role_with_web_identity(*role, name, token);
    }

    std::optional<Credentials> from_profile(const SharedFiles& files, const std::string& profile,
                                            std::set<std::string>& visited) const {
        if (!visited.insert(profile).second) {
            throw ConfigError("source_profile cycle through profile '" + profile + "' in " + files.config.path);
        }
        const auto* cred_section = files.credentials_section(profile);
        const auto* conf_section = files.config_section(profile);
        const std::string conf_name = profile == "default" ? "default" : "profile " + profile;
        if (auto role = files.get(profile, "role_arn")) {
            if (auto token_file = files.get(profile, "web_identity_token_file")) {
                auto token = read_file(*token_file, files.describe(profile) + " web_identity_token_file");
                return sts(files, profile).assume_role_with_web_identity(*role, session_name(files, profile), token);
            }
            Credentials source;
            if (auto source_profile = files.get(profile, "source_profile")) {
                if (!files.has_profile(*source_profile)) {
                    throw ConfigError(files.describe(profile) + ": source_profile '" + *source_profile +
                                      "' does not exist");
                }
                // A source profile with its own static keys uses them even when it also has role_arn
                // (botocore: a profile sourcing itself).
                std::set<std::string> inner = visited;
                auto c = *source_profile == profile
                             ? static_keys(files.credentials_section(profile), files.credentials.path, profile,
                                           "shared-credentials-file")
                             : from_profile(files, *source_profile, inner);
                if (!c) {
                    throw CredentialsError(files.describe(*source_profile) +
                                           " (source_profile of '" + profile + "') has no credentials");
                }
                source = *c;
            } else if (auto cs = files.get(profile, "credential_source")) {
                if (*cs != "Environment") {
                    throw ConfigError(files.describe(profile) + ": credential_source '" + *cs +
                                      "' is not supported (only Environment)");
                }
                auto c = from_environment();
                if (!c) throw CredentialsError(files.describe(profile) + ": credential_source Environment but "
                                               "AWS_ACCESS_KEY_ID is not set");
                source = *c;
            } else {
                throw ConfigError(files.describe(profile) + ": role_arn needs source_profile, credential_source or "
                                  "web_identity_token_file");
            }
            AssumeRoleRequest request{*role, session_name(files, profile), files.get(profile, "external_id"),
                                      std::nullopt};
            if (auto d = files.get(profile, "duration_seconds")) {
                try {
                    request.duration_seconds = std::stoi(*d);
                } catch (const std::exception&) {
                    throw ConfigError(files.describe(profile) + ": duration_seconds '" + *d + "' is not a number");
                }
            }
            return sts(files, profile).assume_role(source, request);
        }
        if (auto c = static_keys(cred_section, files.credentials.path, profile, "shared-credentials-file")) return c;
        if (auto process = key_in(conf_section, "credential_process")) {
            return run_credential_process(*process, files.config.path + " [" + conf_name + "]");
        }
        return static_keys(conf_section, files.config.path, conf_name, "config-file");
    }

    ProfileSelection selection_;
    Environment env_;
    std::shared_ptr<Transport> sts_transport_;
    std::mutex mutex_;
    std::optional<Credentials> cached_;
};

}  // namespace

bool Credentials::expires_within(std::chrono::seconds margin, std::chrono::system_clock::time_point now) const {
    return expiration && *expiration - margin <= now;
}

Environment Environment::process() {
    return Environment{[](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
    }};
}

Environment Environment::from_map(std::map<std::string, std::string> vars) {
    return Environment{[vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    }};
}

std::optional<std::string> Environment::get(const std::string& name) const {
    return getenv ? getenv(name) : std::nullopt;
}

std::optional<std::string> Environment::get_nonempty(const std::string& name) const {
    auto v = get(name);
    if (v && v->empty()) return std::nullopt;
    return v;
}

std::shared_ptr<CredentialsProvider> static_credentials(Credentials credentials) {
    if (credentials.source.empty()) credentials.source = "explicit";
    return std::make_shared<StaticProvider>(std::move(credentials));
}

std::shared_ptr<CredentialsProvider> default_credentials_chain(ProfileSelection selection, Environment env,
                                                               std::shared_ptr<Transport> sts_transport) {
    return std::make_shared<ChainProvider>(std::move(selection), std::move(env), std::move(sts_transport));
}

std::string resolve_profile_name(const ProfileSelection& selection, const Environment& env) {
    if (selection.profile && !selection.profile->empty()) return *selection.profile;
    if (auto p = env.get_nonempty("AWS_PROFILE")) return *p;
    if (auto p = env.get_nonempty("AWS_DEFAULT_PROFILE")) return *p;
    return "default";
}

std::string resolve_region(const ProfileSelection& selection, const Environment& env) {
    if (selection.region && !selection.region->empty()) return *selection.region;
    if (auto r = env.get_nonempty("AWS_REGION")) return *r;
    if (auto r = env.get_nonempty("AWS_DEFAULT_REGION")) return *r;
    SharedFiles files = SharedFiles::load(env);
    const std::string profile = resolve_profile_name(selection, env);
    if (auto r = key_in(files.config_section(profile), "region")) return *r;
    throw ConfigError("no region: pass --region, set AWS_REGION, or add 'region' to profile '" + profile + "' in " +
                      files.config.path);
}

std::optional<std::string> resolve_endpoint_url(const ProfileSelection& selection, const Environment& env,
                                                const std::string& service_id) {
    auto truthy = [](const std::optional<std::string>& v) { return v && (*v == "true" || *v == "True" || *v == "1"); };
    if (truthy(env.get_nonempty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) return std::nullopt;
    std::string upper;
    for (char c : service_id) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (auto v = env.get_nonempty("AWS_ENDPOINT_URL_" + upper)) return v;
    if (auto v = env.get_nonempty("AWS_ENDPOINT_URL")) return v;
    SharedFiles files = SharedFiles::load(env);
    const std::string profile = resolve_profile_name(selection, env);
    const auto* section = files.config_section(profile);
    if (!section || truthy(key_in(section, "ignore_configured_endpoint_urls"))) return std::nullopt;
    if (auto services = key_in(section, "services")) {
        const auto* block = files.config.section("services " + *services);
        // botocore refuses a profile whose services section is missing rather than silently using AWS.
        if (!block) {
            throw ConfigError(files.config.path + ": profile '" + profile + "' names services section '" + *services +
                              "', which does not exist");
        }
        if (auto v = key_in(block, service_id + ".endpoint_url")) return v;
    }
    return key_in(section, "endpoint_url");
}

bool aws_configuration_present(const Environment& env) {
    for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL",
                          "AWS_ENDPOINT_URL_SFN", "AWS_WEB_IDENTITY_TOKEN_FILE"}) {
        if (env.get_nonempty(v)) return true;
    }
    SharedFiles files = SharedFiles::load(env);
    for (const auto* s : {files.credentials_section("default"), files.config_section("default")}) {
        if (!s) continue;
        for (const char* key : {"aws_access_key_id", "role_arn", "credential_process", "sso_session", "sso_start_url",
                                "endpoint_url"}) {
            if (key_in(s, key)) return true;
        }
    }
    return false;
}

}  // namespace sfn::aws
