#include "sfn/server/embedded.hpp"

#include "sfn/aws/transport.hpp"
#include "server/detail_names.hpp"

#include <mutex>

namespace sfn::server {

namespace {

// Answers each request in-process with the same status, headers and body `sfn serve` would send.
class EmbeddedTransport final : public aws::Transport {
public:
    explicit EmbeddedTransport(std::shared_ptr<Service> service) : service_(std::move(service)) {}

    aws::HttpResponse send(const aws::HttpRequest& request) override {
        const std::string* target = request.header("X-Amz-Target");
        const auto answer = service_->handle(target ? std::string_view(*target) : std::string_view(), request.body);
        aws::HttpResponse response;
        response.status = answer.status;
        response.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", detail::uuid4()}};
        if (!answer.error_type.empty()) response.headers.emplace_back("X-Amzn-ErrorType", answer.error_type);
        response.body = answer.body;
        return response;
    }

private:
    std::shared_ptr<Service> service_;
};

}  // namespace

std::shared_ptr<aws::Transport> make_embedded_transport(std::shared_ptr<Service> service) {
    return std::make_shared<EmbeddedTransport>(std::move(service));
}

std::shared_ptr<Service> default_service() {
    static std::mutex mutex;
    static std::weak_ptr<Service> current;
    std::lock_guard lock(mutex);
    if (auto existing = current.lock()) return existing;
    ServiceOptions options;
    options.db_path = default_db_path();
    auto service = std::make_shared<Service>(std::move(options));
    current = service;
    return service;
}

std::shared_ptr<Service> make_in_memory_service(ServiceOptions options) {
    options.db_path.reset();
    return std::make_shared<Service>(std::move(options));
}

}  // namespace sfn::server
