#pragma once
/// \file
/// AWS Signature Version 4 (header-based), as small functions that can be tested one by one and reused by a
/// server to VERIFY signatures. Steps and names follow PROTOCOL.md §3.
///
/// **Example** (signing): `sigv4::sign(request, credentials, {"us-east-1", "states", now});`
/// **Example** (verifying): `auto auth = sigv4::parse_authorization(*req.header("Authorization"));`
///   `bool ok = sigv4::verify(req, auth, secret_for(auth.access_key_id));`

#include "sfn/aws/credentials.hpp"
#include "sfn/aws/transport.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace sfn::aws::sigv4 {

/// Lower-case hex of `bytes`.
[[nodiscard]] std::string hex(std::string_view bytes);
/// Lower-case hex SHA-256 of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);
/// Raw 32-byte HMAC-SHA256(key, data).
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view data);

/// Whether uri_encode leaves '/' as it is (paths) or encodes it (query components, form values).
enum class SlashEncoding { Encode, Keep };
/// Whether the canonical URI normalises the path (every service but S3) or signs it as it is (S3).
enum class PathNormalization { Normalize, Verbatim };
/// Whether the canonical URI encodes the (already percent-encoded) path once more (every service but S3) or
/// signs it as sent (S3).
enum class PathEncoding { EncodeAgain, AsSent };

/// RFC 3986 encoding: keeps `A-Za-z0-9-._~` (and '/' with SlashEncoding::Keep), `%XY` upper-case for every
/// other byte.
[[nodiscard]] std::string uri_encode(std::string_view s, SlashEncoding slash = SlashEncoding::Encode);
/// Removes `.` segments, resolves `..`, collapses repeated '/', keeps a trailing '/'; "" → "/".
[[nodiscard]] std::string normalize_path(std::string_view path);
/// The canonical URI: the path (normalised with PathNormalization::Normalize), each segment URI-encoded again
/// (existing `%` escapes too, as non-S3 signers do) with PathEncoding::EncodeAgain, or as sent with AsSent.
[[nodiscard]] std::string canonical_uri(std::string_view path,
                                        PathNormalization normalization = PathNormalization::Normalize,
                                        PathEncoding encoding = PathEncoding::EncodeAgain);
/// The canonical query string of a raw (percent-encoded or not) query without '?': decoded, re-encoded,
/// sorted by name then value, `name=value` joined with '&'.
[[nodiscard]] std::string canonical_query(std::string_view query);
/// Lower-cases, trims and collapses inner whitespace runs of a header value (obs-fold joined with one space).
[[nodiscard]] std::string canonical_header_value(std::string_view value);

/// The canonical-headers block (each line "name:value\n", sorted) and the signed-headers list ("a;b;c").
struct CanonicalHeaders {
    std::string block;
    std::string signed_headers;
};
/// Canonicalises the headers whose lower-case names are in `names` (all of `headers` when `names` is empty).
/// Repeated headers merge into one line, values joined by ',' in the order given.
[[nodiscard]] CanonicalHeaders canonical_headers(const Headers& headers, const std::vector<std::string>& names = {});

/// The six-part canonical request (no trailing newline).
[[nodiscard]] std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                                            std::string_view canonical_query, const CanonicalHeaders& headers,
                                            std::string_view payload_hash);

/// `YYYYMMDDTHHMMSSZ` of `time` (UTC).
[[nodiscard]] std::string amz_date(std::chrono::system_clock::time_point time);
/// `<date>/<region>/<service>/aws4_request`; `date` is the first 8 characters of the X-Amz-Date.
[[nodiscard]] std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);
/// `AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<sha256_hex(canonical_request)>`.
[[nodiscard]] std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                                         std::string_view canonical_request);
/// The raw derived key kSigning = HMAC chain over date, region, service, "aws4_request".
[[nodiscard]] std::string signing_key(std::string_view secret_access_key, std::string_view date,
                                      std::string_view region, std::string_view service);
/// Lower-case hex HMAC-SHA256(signing_key, string_to_sign).
[[nodiscard]] std::string signature(std::string_view signing_key, std::string_view string_to_sign);
/// `AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<list>, Signature=<hex>`.
[[nodiscard]] std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                               std::string_view signed_headers, std::string_view signature);

/// The fields of an Authorization header. Throws ConfigError when it is not a SigV4 header.
struct Authorization {
    std::string access_key_id;
    std::string date;     ///< from the scope
    std::string region;   ///< from the scope
    std::string service;  ///< from the scope
    std::vector<std::string> signed_headers;
    std::string signature;
    [[nodiscard]] std::string scope() const { return credential_scope(date, region, service); }
};
[[nodiscard]] Authorization parse_authorization(std::string_view header_value);

struct SigningParams {
    std::string region;
    std::string service;
    std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
    /// Normalise the path (every service but S3: Verbatim).
    PathNormalization path_normalization = PathNormalization::Normalize;
    /// Encode the path again for the canonical URI (every service but S3: AsSent).
    PathEncoding path_encoding = PathEncoding::EncodeAgain;
    /// Add X-Amz-Security-Token before signing (what SDKs do for Step Functions/STS); false adds it after.
    bool sign_session_token = true;
    /// Add and sign `x-amz-content-sha256` (S3 style; not used for Step Functions).
    bool add_content_sha256 = false;
};

/// Every intermediate value, for tests and debugging.
struct Signed {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;
    std::string authorization;
};

/// Signs `request` in place: adds X-Amz-Date, Host (from the URL, when absent), X-Amz-Security-Token (for
/// session credentials) and Authorization. Signs every header present except Authorization, User-Agent,
/// Expect, Content-Length and hop-by-hop headers — i.e. exactly what is sent.
Signed sign(HttpRequest& request, const Credentials& credentials, const SigningParams& params);

/// Query-string signing (a presigned URL valid for `expires`): adds X-Amz-Algorithm, -Credential, -Date,
/// -Expires, -SignedHeaders (+ -Security-Token) and finally X-Amz-Signature to the URL's query.
Signed presign(HttpRequest& request, const Credentials& credentials, const SigningParams& params,
               std::chrono::seconds expires);

/// Recomputes the signature of a received request from the headers its Authorization declares.
/// `path` and `query` are as received (not decoded). Returns the expected signature (hex).
[[nodiscard]] std::string expected_signature(std::string_view method, std::string_view path, std::string_view query,
                                             const Headers& headers, std::string_view body,
                                             const Authorization& authorization, std::string_view secret_access_key,
                                             PathNormalization normalization = PathNormalization::Normalize,
                                             PathEncoding encoding = PathEncoding::EncodeAgain);

/// True when `request` (absolute URL, or a path in `url`) carries a valid signature for `secret_access_key`.
/// Does not check the clock skew; compare X-Amz-Date yourself.
[[nodiscard]] bool verify(const HttpRequest& request, const Authorization& authorization,
                          std::string_view secret_access_key);

}  // namespace sfn::aws::sigv4
