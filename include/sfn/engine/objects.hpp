#pragma once
/// \file
/// Where a Distributed Map's ItemReader reads and its ResultWriter writes: an object store the engine sees
/// as buckets of keyed objects, with S3's semantics (ranged reads, paged listing in key order, whole-object
/// writes). The engine holds no AWS code: `directory_object_store` maps buckets to local directories
/// (`sfn run --s3-dir BUCKET=DIR`) and `integrations::s3_object_store` calls S3 itself.

#include "sfn/core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sfn::engine {

/// An object store's refusal, with S3's error code ("NoSuchBucket", "NoSuchKey", "AccessDenied", ...) and
/// message ("The specified key does not exist."), as the ItemReader/ResultWriter failure reports them.
class ObjectError : public sfn::Error {
public:
    ObjectError(std::string s3_code, std::string message, int http_status)
        : sfn::Error("sfn.engine.E030", s3_code + ": " + message),
          s3_code_(std::move(s3_code)),
          message_(std::move(message)),
          http_status_(http_status) {}
    [[nodiscard]] const std::string& s3_code() const noexcept { return s3_code_; }
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    [[nodiscard]] int http_status() const noexcept { return http_status_; }

private:
    std::string s3_code_;
    std::string message_;
    int http_status_;
};

/// One object of a listing, with the fields ListObjectsV2 returns.
struct ObjectInfo {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;           ///< with its quotes, as S3 returns it: "\"9b2cf535f27731c974343645a3985328\""
    double last_modified = 0;   ///< seconds since the epoch
    std::string storage_class = "STANDARD";
};

/// One page of a listing; `next_token` empty on the last page.
struct ObjectPage {
    std::vector<ObjectInfo> objects;
    std::string next_token;
};

/// Buckets of objects. Implementations are thread-safe. Every call throws ObjectError for what S3 refuses.
class ObjectStore {
public:
    virtual ~ObjectStore() = default;
    /// Up to `length` bytes of an object from `offset` (fewer at its end, none past it).
    [[nodiscard]] virtual std::string read(const std::string& bucket, const std::string& key, std::uint64_t offset,
                                           std::size_t length) const = 0;
    /// The objects whose keys start with `prefix`, in key order, one page from `token` (empty: the first).
    [[nodiscard]] virtual ObjectPage list(const std::string& bucket, const std::string& prefix,
                                          const std::string& token) const = 0;
    /// Writes (or replaces) a whole object.
    virtual void write(const std::string& bucket, const std::string& key, const std::string& body) const = 0;
};

/// Buckets mapped to local directories: object keys are paths below the bucket's directory ('/' separates
/// folders), listings walk the tree in key order, writes create folders as needed. A bucket not in `buckets`
/// is NoSuchBucket; a missing file NoSuchKey.
[[nodiscard]] std::shared_ptr<ObjectStore> directory_object_store(std::map<std::string, std::filesystem::path> buckets);

/// Parses `BUCKET=DIR` (the `--s3-dir` option). \throws sfn::Error (sfn.engine.E031) when malformed.
void add_bucket_directory(std::map<std::string, std::filesystem::path>& buckets, const std::string& spec);

}  // namespace sfn::engine
