// The object store over S3 (s3_objects.hpp).
#include "sfn/integrations/s3_objects.hpp"

#include "sfn/aws/errors.hpp"
#include "sfn/core/text.hpp"

#include <cstdio>
#include <ctime>

namespace sfn::integrations {

namespace {

/// "2024-01-02T03:04:05.678Z" → seconds since the epoch (0 when malformed).
double epoch_seconds(const std::string& iso) {
    std::tm tm{};
    int year = 0, month = 0;
    if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d", &year, &month, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    return static_cast<double>(timegm(&tm));
}

class S3Store final : public engine::ObjectStore {
public:
    explicit S3Store(std::shared_ptr<const aws::ServiceClient> s3) : s3_(std::move(s3)) {}

    std::string read(const std::string& bucket, const std::string& key, std::uint64_t offset,
                     std::size_t length) const override {
        if (length == 0) return {};
        const std::string range = "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1);
        aws::ServiceClient::Response r;
        try {
            r = s3_->call_with_metadata("GetObject", {{"Bucket", bucket}, {"Key", key}, {"Range", range}});
        } catch (const aws::ServiceError& e) {
            if (e.is("InvalidRange")) return {};  // a range past the end: nothing more to read
            throw refused(e);
        }
        if (!r.output.contains("Body") || !r.output["Body"].is_string()) return {};
        std::string body = r.output["Body"].get<std::string>();
        // The client gives the body as text when it is UTF-8 and as base64 otherwise (a range may cut a
        // character): the Content-Length tells which.
        const std::string* length_header = aws::find_header(r.headers, "Content-Length");
        if (length_header && std::to_string(body.size()) != *length_header) {
            if (auto bytes = text::base64_decode(body)) return std::move(*bytes);
        }
        return body;
    }

    engine::ObjectPage list(const std::string& bucket, const std::string& prefix, const std::string& token) const override {
        nlohmann::json in = {{"Bucket", bucket}};
        if (!prefix.empty()) in["Prefix"] = prefix;
        if (!token.empty()) in["ContinuationToken"] = token;
        nlohmann::json out;
        try {
            out = s3_->call("ListObjectsV2", in);
        } catch (const aws::ServiceError& e) {
            throw refused(e);
        }
        engine::ObjectPage page;
        for (const auto& o : out.value("Contents", nlohmann::json::array())) {
            engine::ObjectInfo info;
            info.key = o.value("Key", "");
            info.size = o.value("Size", std::uint64_t{0});
            info.etag = o.value("ETag", "");
            info.last_modified = epoch_seconds(o.value("LastModified", ""));
            info.storage_class = o.value("StorageClass", "STANDARD");
            page.objects.push_back(std::move(info));
        }
        if (out.value("IsTruncated", false)) page.next_token = out.value("NextContinuationToken", "");
        return page;
    }

    void write(const std::string& bucket, const std::string& key, const std::string& body) const override {
        try {
            (void)s3_->call("PutObject", {{"Bucket", bucket}, {"Key", key}, {"Body", body}});
        } catch (const aws::ServiceError& e) {
            throw refused(e);
        }
    }

private:
    static engine::ObjectError refused(const aws::ServiceError& e) {
        return engine::ObjectError(e.error_code(), e.error_message(), e.http_status());
    }
    std::shared_ptr<const aws::ServiceClient> s3_;
};

}  // namespace

std::shared_ptr<engine::ObjectStore> s3_object_store(std::shared_ptr<const aws::ServiceClient> s3) {
    return std::make_shared<S3Store>(std::move(s3));
}

}  // namespace sfn::integrations
