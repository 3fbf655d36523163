#pragma once
// Names, ARNs, timestamps and page tokens of the Step Functions API (PROTOCOL.md §6, §9).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::server::detail {

/// True when `name` is a valid state machine / execution / activity / alias name: 1-80 characters, no
/// white space, brackets, wildcards, `" # % \ ^ | ~ ` $ & , ; : /`, control characters or invalid UTF-8.
[[nodiscard]] bool valid_name(std::string_view name);

/// An ARN split into its fixed fields and the resource part after the resource type.
struct Arn {
    std::string partition;
    std::string service;
    std::string region;
    std::string account;
    std::string resource_type;           ///< "stateMachine", "execution", "express", "activity", ...
    std::vector<std::string> resource;   ///< the remaining `:`-separated fields
};

/// Parses `arn:partition:service:region:account:type:...`; nullopt when malformed.
[[nodiscard]] std::optional<Arn> parse_arn(std::string_view text);

/// A state machine reference: its base ARN and an optional qualifier (a version number or alias name).
struct MachineRef {
    std::string machine_arn;      ///< without qualifier
    std::string name;
    std::optional<int> version;   ///< `:N`
    std::optional<std::string> alias;
};

/// The message of AWS's InvalidArn for `text`: "Invalid Arn: 'Invalid ARN prefix: <text>'" when it does not
/// start with `arn:`, else "Invalid Arn: '<text>'".
[[nodiscard]] std::string invalid_arn_message(std::string_view text);

/// Parses a stateMachine ARN with an optional version or alias qualifier. \throws ApiError(InvalidArn)
/// naming the ARN; a Distributed Map label (`name/label`) is a ValidationException like on AWS.
[[nodiscard]] MachineRef parse_machine_arn(std::string_view text);

/// Seconds since the epoch, with millisecond precision, as AWS puts them on the wire.
[[nodiscard]] double to_epoch(std::chrono::system_clock::time_point t);
[[nodiscard]] double now_epoch();

/// A random RFC 4122 version-4 UUID.
[[nodiscard]] std::string uuid4();
/// A UUID in the same form, derived from `key` (the same key gives the same UUID).
[[nodiscard]] std::string uuid_from(std::string_view key);

/// Opaque page tokens: `encode_token(scope, cursor)` ↔ `decode_token(scope, token)` (nullopt when the
/// token is not one this server issued for this listing).
[[nodiscard]] std::string encode_token(std::string_view scope, std::string_view cursor);
[[nodiscard]] std::optional<std::string> decode_token(std::string_view scope, std::string_view token);

}  // namespace sfn::server::detail
