#pragma once
// Message digests from OpenSSL for the signer (SHA-256) and the rest codecs (Content-MD5).

#include <string>
#include <string_view>

namespace sfn::aws::detail {

enum class DigestAlgorithm { Sha256, Md5 };

/// The raw digest bytes of `data`. Throws ProtocolError if OpenSSL fails.
std::string digest(DigestAlgorithm algorithm, std::string_view data);

}  // namespace sfn::aws::detail
