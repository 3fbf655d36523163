#pragma once
/// \file
/// server::ApiError: a Step Functions API error with AWS's error name, message and HTTP status.

#include "sfn/core/error.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sfn::server {

/// An API call failed the way AWS Step Functions would fail it. `type()` is the bare AWS error name
/// (`StateMachineDoesNotExist`, `ValidationException`, ...), rendered on the wire as
/// `{"__type": type, "message": message, <extra members>}` with `status()` (400 unless noted).
/// what() reads `[sfn.server.<type>] <message>`.
class ApiError : public sfn::Error {
public:
    ApiError(std::string type, std::string message, int status = 400)
        : sfn::Error("sfn.server." + type, message), type_(std::move(type)), message_(std::move(message)),
          status_(status) {}

    /// Adds a modeled extra member such as `reason` (ValidationException) or `resourceName`.
    ApiError& with(std::string member, std::string value) {
        extra_.emplace_back(std::move(member), std::move(value));
        return *this;
    }

    [[nodiscard]] const std::string& type() const noexcept { return type_; }
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    [[nodiscard]] int status() const noexcept { return status_; }
    [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& extra() const noexcept { return extra_; }

private:
    std::string type_;
    std::string message_;
    int status_;
    std::vector<std::pair<std::string, std::string>> extra_;
};

}  // namespace sfn::server
