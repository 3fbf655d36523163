// Message digests through OpenSSL's EVP interface.
#include "aws/detail_digest.hpp"

#include "sfn/aws/errors.hpp"

#include <openssl/evp.h>

namespace sfn::aws::detail {

std::string digest(DigestAlgorithm algorithm, std::string_view data) {
    const EVP_MD* md = algorithm == DigestAlgorithm::Sha256 ? EVP_sha256() : EVP_md5();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) {
        throw ProtocolError(std::string(algorithm == DigestAlgorithm::Sha256 ? "SHA-256" : "MD5") + " failed in OpenSSL");
    }
    return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace sfn::aws::detail
