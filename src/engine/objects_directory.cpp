// Buckets mapped to local directories (objects.hpp): what `--s3-dir BUCKET=DIR` gives a purely local run.
#include "sfn/engine/objects.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace sfn::engine {

namespace {

namespace fs = std::filesystem;

// S3 pages ListObjectsV2 by 1,000 keys.
constexpr std::size_t page_size = 1000;

double seconds_since_epoch(fs::file_time_type t) {
    const auto sys = std::chrono::time_point_cast<std::chrono::milliseconds>(
        t - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    return static_cast<double>(sys.time_since_epoch().count() / 1000);
}

// Not S3's MD5: a digest of size and modification time, quoted as S3 quotes ETags (it changes when the file
// does, which is what readers of an ETag rely on).
std::string etag_of(std::uint64_t size, fs::file_time_type t) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (i * 8)) & 0xff;
            h *= 1099511628211ull;
        }
    };
    mix(size);
    mix(static_cast<std::uint64_t>(t.time_since_epoch().count()));
    char buf[40];
    std::snprintf(buf, sizeof buf, "\"%016llx%016llx\"", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(h * 0x9e3779b97f4a7c15ull));
    return buf;
}

class DirectoryStore final : public ObjectStore {
public:
    explicit DirectoryStore(std::map<std::string, fs::path> buckets) : buckets_(std::move(buckets)) {}

    std::string read(const std::string& bucket, const std::string& key, std::uint64_t offset,
                     std::size_t length) const override {
        const fs::path file = path_of(bucket, key);
        std::error_code ec;
        if (!fs::is_regular_file(file, ec)) throw no_such_key();
        std::ifstream in(file, std::ios::binary);
        if (!in) throw ObjectError("AccessDenied", "Access Denied", 403);
        in.seekg(static_cast<std::streamoff>(offset));
        std::string out(length, '\0');
        in.read(out.data(), static_cast<std::streamsize>(length));
        out.resize(in ? length : static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
        return out;
    }

    ObjectPage list(const std::string& bucket, const std::string& prefix, const std::string& token) const override {
        const fs::path& root = root_of(bucket);
        std::vector<ObjectInfo> all;
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (!it->is_regular_file(ec)) continue;
            std::string key = fs::relative(it->path(), root, ec).generic_string();
            if (key.compare(0, prefix.size(), prefix) != 0 || (!token.empty() && key <= token)) continue;
            const auto size = static_cast<std::uint64_t>(it->file_size(ec));
            const auto mtime = it->last_write_time(ec);
            all.push_back(ObjectInfo{std::move(key), size, etag_of(size, mtime), seconds_since_epoch(mtime), "STANDARD"});
        }
        std::sort(all.begin(), all.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
        ObjectPage page;
        if (all.size() > page_size) {
            all.resize(page_size);
            page.next_token = all.back().key;
        }
        page.objects = std::move(all);
        return page;
    }

    void write(const std::string& bucket, const std::string& key, const std::string& body) const override {
        const fs::path file = path_of(bucket, key);
        std::error_code ec;
        fs::create_directories(file.parent_path(), ec);
        // Written beside and renamed, so that a reader never sees half an object.
        const fs::path tmp = file.string() + ".sfn-partial";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out.write(body.data(), static_cast<std::streamsize>(body.size()));
            if (!out) throw ObjectError("InternalError", "cannot write '" + file.string() + "'", 500);
        }
        fs::rename(tmp, file, ec);
        if (ec) throw ObjectError("InternalError", "cannot write '" + file.string() + "': " + ec.message(), 500);
    }

private:
    const fs::path& root_of(const std::string& bucket) const {
        auto it = buckets_.find(bucket);
        if (it == buckets_.end()) throw ObjectError("NoSuchBucket", "The specified bucket does not exist", 404);
        return it->second;
    }
    fs::path path_of(const std::string& bucket, const std::string& key) const {
        const fs::path& root = root_of(bucket);
        // A key never leaves its bucket's directory.
        const fs::path rel = fs::path(key).lexically_normal();
        if (key.empty() || rel.is_absolute() || *rel.begin() == "..") throw no_such_key();
        return root / rel;
    }
    static ObjectError no_such_key() { return ObjectError("NoSuchKey", "The specified key does not exist.", 404); }

    std::map<std::string, fs::path> buckets_;
};

}  // namespace

std::shared_ptr<ObjectStore> directory_object_store(std::map<std::string, fs::path> buckets) {
    return std::make_shared<DirectoryStore>(std::move(buckets));
}

void add_bucket_directory(std::map<std::string, fs::path>& buckets, const std::string& spec) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
        throw sfn::Error("sfn.engine.E031", "--s3-dir '" + spec + "': expected BUCKET=DIR");
    fs::path dir = spec.substr(eq + 1);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw sfn::Error("sfn.engine.E031", "--s3-dir '" + spec + "': '" + dir.string() + "' is not a directory");
    buckets[spec.substr(0, eq)] = std::move(dir);
}

}  // namespace sfn::engine
