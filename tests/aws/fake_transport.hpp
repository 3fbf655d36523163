#pragma once
// A scripted Transport for unit tests: records every request and answers from a queue (or a function).

#include "sfn/aws/errors.hpp"
#include "sfn/aws/transport.hpp"

#include <deque>
#include <functional>
#include <mutex>
#include <variant>

namespace sfn::testing {

class FakeTransport : public aws::Transport {
public:
    using Reply = std::variant<aws::HttpResponse, aws::TransportError>;

    void push(int status, std::string body, aws::Headers headers = {}) {
        replies_.push_back(aws::HttpResponse{status, std::move(headers), std::move(body)});
    }
    void push_network_error(const std::string& what, aws::TransportFailure failure = {}) {
        replies_.push_back(aws::TransportError(what, failure));
    }

    aws::HttpResponse send(const aws::HttpRequest& request) override {
        std::lock_guard lock(mutex_);
        requests.push_back(request);
        if (replies_.empty()) throw std::runtime_error("FakeTransport: no reply queued for " + request.url);
        Reply reply = std::move(replies_.front());
        replies_.pop_front();
        if (auto* error = std::get_if<aws::TransportError>(&reply)) throw *error;
        return std::get<aws::HttpResponse>(reply);
    }

    std::vector<aws::HttpRequest> requests;

private:
    std::mutex mutex_;
    std::deque<Reply> replies_;
};

}  // namespace sfn::testing
